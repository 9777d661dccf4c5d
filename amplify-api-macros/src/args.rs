//! The attribute's arguments: `config = "path"` (required), `format = "..."` and
//! `endpoints = ["A", "B"]` (optional), each at most once.

use proc_macro2::TokenStream;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{LitStr, Token, bracketed};

use crate::config::Format;

/// The accepted arguments, for "expected one of" messages.
const ACCEPTED: &str = "`config = \"path\"`, `format = \"...\"`, `endpoints = [\"Name\", ...]`";

/// The parsed arguments.
pub(crate) struct Args {
    /// The config path as written (its span is where file and content errors point).
    pub(crate) config: LitStr,
    /// The format forced with `format = "..."`.
    pub(crate) format: Option<Format>,
    /// The endpoint names the code relies on, each with its span.
    pub(crate) endpoints: Vec<LitStr>,
}

/// By hand: syn's syntax types are `Debug` only with its `extra-traits` feature.
impl std::fmt::Debug for Args {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Args")
            .field("config", &self.config.value())
            .field("format", &self.format)
            .field(
                "endpoints",
                &self.endpoints.iter().map(LitStr::value).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// Fails with `message` at `meta`'s key when the argument was already given.
fn once<T>(slot: &Option<T>, meta: &syn::meta::ParseNestedMeta<'_>, key: &str) -> syn::Result<()> {
    if slot.is_some() {
        return Err(meta.error(format!(
            "`{key}` is given twice; each argument may appear once (accepted: {ACCEPTED})"
        )));
    }
    Ok(())
}

/// `["A", "B"]`.
fn string_list(input: ParseStream<'_>) -> syn::Result<Vec<LitStr>> {
    let content;
    bracketed!(content in input);
    let list = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
    Ok(list.into_iter().collect())
}

/// Parses the attribute's arguments.
pub(crate) fn parse(tokens: TokenStream) -> syn::Result<Args> {
    let mut config: Option<LitStr> = None;
    let mut format: Option<Format> = None;
    let mut endpoints: Option<Vec<LitStr>> = None;
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("config") {
            once(&config, &meta, "config")?;
            config = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("format") {
            once(&format, &meta, "format")?;
            let name: LitStr = meta.value()?.parse()?;
            let parsed = Format::from_name(&name.value()).ok_or_else(|| {
                syn::Error::new(
                    name.span(),
                    format!(
                        "unknown config format `{}`; expected one of {}",
                        name.value(),
                        Format::names_list()
                    ),
                )
            })?;
            format = Some(parsed);
        } else if meta.path.is_ident("endpoints") {
            once(&endpoints, &meta, "endpoints")?;
            endpoints = Some(string_list(meta.value()?)?);
        } else {
            let key = meta
                .path
                .get_ident()
                .map_or_else(|| "this".to_owned(), |i| format!("`{i}`"));
            return Err(meta.error(format!(
                "unknown argument {key}; expected one of {ACCEPTED}"
            )));
        }
        Ok(())
    });
    let span = proc_macro2::Span::call_site();
    parser.parse2(tokens)?;
    let config = config.ok_or_else(|| {
        syn::Error::new(
            span,
            "missing `config = \"path\"`: the Amplify config file, relative to the crate's \
             directory (where its Cargo.toml is), e.g. \
             `#[api_client(config = \"amplifyconfiguration.json\")]`",
        )
    })?;
    Ok(Args {
        config,
        format,
        endpoints: endpoints.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn error(tokens: TokenStream) -> String {
        parse(tokens).unwrap_err().to_string()
    }

    #[test]
    fn all_arguments() {
        let args = parse(quote!(
            config = "cfg.json",
            format = "gen2",
            endpoints = ["a", "b",]
        ))
        .unwrap();
        assert_eq!(args.config.value(), "cfg.json");
        assert_eq!(args.format, Some(Format::Outputs));
        let names: Vec<String> = args.endpoints.iter().map(LitStr::value).collect();
        assert_eq!(names, ["a", "b"]);
        let args = parse(quote!(config = "cfg.json")).unwrap();
        assert_eq!((args.format, args.endpoints.len()), (None, 0));
    }

    #[test]
    fn config_is_required() {
        assert!(error(quote!()).starts_with("missing `config = \"path\"`"));
        assert!(error(quote!(format = "v6")).starts_with("missing `config"));
    }

    #[test]
    fn unknown_and_repeated_arguments_list_the_accepted_ones() {
        assert_eq!(
            error(quote!(config = "a.json", path = "b.json")),
            format!("unknown argument `path`; expected one of {ACCEPTED}")
        );
        assert_eq!(
            error(quote!(config = "a.json", config = "b.json")),
            format!(
                "`config` is given twice; each argument may appear once (accepted: {ACCEPTED})"
            )
        );
        assert!(error(quote!(config = "a", endpoints = [], endpoints = [])).contains("twice"));
        assert!(error(quote!(config = "a", format = "v5", format = "v6")).contains("twice"));
    }

    #[test]
    fn bad_values() {
        assert_eq!(
            error(quote!(config = "a.json", format = "xml")),
            r#"unknown config format `xml`; expected one of "aws-exports", "v5", "v6", "native", "gen2""#
        );
        assert_eq!(error(quote!(config = 3)), "expected string literal");
        assert!(error(quote!(config = "a", endpoints = "a")).contains("expected square brackets"));
        assert_eq!(
            error(quote!(config = "a", endpoints = [a])),
            "expected string literal"
        );
    }
}
