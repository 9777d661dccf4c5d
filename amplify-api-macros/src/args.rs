//! The attribute's arguments: `config = "path"` (required), `format = "..."`,
//! `endpoints = ["A", "B"]`, `module = "name"`, `rename = { "Amplify name" = "rust_name" }` and
//! `allow_http = true` (optional), each at most once.
//!
//! Parsed leniently: each argument (the text between top-level commas) is parsed on its own, so
//! one bad argument is one error and the others still shape the client.

use proc_macro2::{TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Ident, LitBool, LitStr, Token, braced, bracketed};

use amplify_api_config::Format;

/// The accepted arguments, for "expected one of" messages.
const ACCEPTED: &str = "`config = \"path\"`, `format = \"...\"`, `endpoints = [\"Name\", ...]`, \
                        `module = \"name\"`, `rename = { \"Name\" = \"rust_name\", ... }`, \
                        `allow_http = true`, `routes = { Name = \"file.json\", ... }`, \
                        `backend = \"amplify/backend\"`, `strict_routes = true`";

/// The argument names.
const NAMES: [&str; 9] = [
    "config",
    "format",
    "endpoints",
    "module",
    "rename",
    "allow_http",
    "routes",
    "backend",
    "strict_routes",
];

/// The argument `name` is a likely misspelling of (a small edit away, or singular/plural).
fn closest_argument(name: &str) -> Option<&'static str> {
    let wanted = name.to_lowercase();
    NAMES
        .iter()
        .map(|known| (strsim::damerau_levenshtein(&wanted, known), *known))
        .filter(|(distance, known)| *distance <= (known.len() / 3).clamp(1, 2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, known)| known)
}

/// The parsed arguments.
#[derive(Default)]
pub(crate) struct Args {
    /// The config path as written (its span is where file and content errors point); `None`
    /// when missing or malformed (already reported).
    pub(crate) config: Option<LitStr>,
    /// The format forced with `format = "..."`.
    pub(crate) format: Option<Format>,
    /// Whether `format = "..."` was given but not understood (already reported): errors of
    /// reading the file without it would be a second error for one mistake.
    pub(crate) bad_format: bool,
    /// The endpoint names the code relies on, each with its span.
    pub(crate) endpoints: Vec<LitStr>,
    /// The name of the generated module, instead of the struct's name in snake_case.
    pub(crate) module: Option<LitStr>,
    /// Rust names for Amplify names: (Amplify name, Rust name).
    pub(crate) rename: Vec<(LitStr, LitStr)>,
    /// Whether plain `http://` endpoints that are not loopback are allowed.
    pub(crate) allow_http: bool,
    /// Route files per endpoint: (Amplify name, OpenAPI or `cli-inputs.json` path).
    pub(crate) routes: Vec<(LitStr, LitStr)>,
    /// The Amplify Gen 1 backend folder (`amplify/backend`).
    pub(crate) backend: Option<LitStr>,
    /// Whether endpoints with a route table lose their untyped methods.
    pub(crate) strict_routes: bool,
    /// The arguments given so far, well-formed or not.
    given: Vec<String>,
    /// The errors of misspelt argument names, each read as the argument meant.
    misspelt: Vec<syn::Error>,
}

/// By hand: syn's syntax types are `Debug` only with its `extra-traits` feature.
impl std::fmt::Debug for Args {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pairs: Vec<(String, String)> = self
            .rename
            .iter()
            .map(|(from, to)| (from.value(), to.value()))
            .collect();
        f.debug_struct("Args")
            .field("config", &self.config.as_ref().map(LitStr::value))
            .field("format", &self.format)
            .field(
                "endpoints",
                &self.endpoints.iter().map(LitStr::value).collect::<Vec<_>>(),
            )
            .field("module", &self.module.as_ref().map(LitStr::value))
            .field("rename", &pairs)
            .field("allow_http", &self.allow_http)
            .field("routes", &self.routes.len())
            .field("backend", &self.backend.as_ref().map(LitStr::value))
            .field("strict_routes", &self.strict_routes)
            .finish()
    }
}

/// `["A", "B"]`.
fn string_list(input: ParseStream<'_>) -> syn::Result<Vec<LitStr>> {
    let content;
    bracketed!(content in input);
    let list = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
    Ok(list.into_iter().collect())
}

/// `{ "A" = "a", "B" = "b" }`.
fn rename_map(input: ParseStream<'_>) -> syn::Result<Vec<(LitStr, LitStr)>> {
    let content;
    braced!(content in input);
    let pair = |input: ParseStream<'_>| -> syn::Result<(LitStr, LitStr)> {
        let from: LitStr = input.parse()?;
        input.parse::<Token![=]>()?;
        Ok((from, input.parse()?))
    };
    let list = Punctuated::<(LitStr, LitStr), Token![,]>::parse_terminated_with(&content, pair)?;
    Ok(list.into_iter().collect())
}

/// `{ itemsApi = "a.json", "my-api" = "b.json" }`: keys are identifiers or strings (for
/// Amplify names that are not identifiers).
fn routes_map(input: ParseStream<'_>) -> syn::Result<Vec<(LitStr, LitStr)>> {
    let content;
    braced!(content in input);
    let pair = |input: ParseStream<'_>| -> syn::Result<(LitStr, LitStr)> {
        let from = if input.peek(LitStr) {
            input.parse()?
        } else {
            let ident: Ident = input.call(syn::ext::IdentExt::parse_any)?;
            LitStr::new(&ident.to_string(), ident.span())
        };
        input.parse::<Token![=]>()?;
        Ok((from, input.parse()?))
    };
    let list = Punctuated::<(LitStr, LitStr), Token![,]>::parse_terminated_with(&content, pair)?;
    Ok(list.into_iter().collect())
}

/// The arguments' tokens split at top-level commas (groups are single tokens, so commas in
/// `[...]` and `{...}` stay inside).
pub(crate) fn split_arguments(tokens: TokenStream) -> Vec<TokenStream> {
    let mut out = vec![TokenStream::new()];
    for token in tokens {
        match &token {
            TokenTree::Punct(p) if p.as_char() == ',' => out.push(TokenStream::new()),
            _ => {
                if let Some(last) = out.last_mut() {
                    last.extend([token]);
                }
            }
        }
    }
    out.retain(|chunk| !chunk.is_empty());
    out
}

/// Collects errors, combined into one `syn::Error`.
#[derive(Default)]
pub(crate) struct Errors(pub(crate) Option<syn::Error>);

impl Errors {
    /// Records `error`.
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(first) => first.combine(error),
            None => self.0 = Some(error),
        }
    }
}

impl Args {
    /// Parses one argument, `key = value`, into `self`.
    fn parse_one(&mut self, input: ParseStream<'_>) -> syn::Result<()> {
        let key: Ident = input.call(syn::ext::IdentExt::parse_any)?;
        let mut name = key.to_string();
        if !NAMES.contains(&name.as_str()) {
            let unknown = format!("unknown argument `{name}`");
            let Some(meant) = closest_argument(&name) else {
                return Err(syn::Error::new(
                    key.span(),
                    format!("{unknown}; expected one of {ACCEPTED}"),
                ));
            };
            // Read as the argument meant (as rustc recovers from a typo), so code using the
            // client compiles against it and this error is the only one.
            self.misspelt.push(syn::Error::new(
                key.span(),
                format!("{unknown}; did you mean `{meant}`?"),
            ));
            name = meant.to_owned();
        }
        let seen = self.given.contains(&name);
        self.given.push(name.clone());
        if seen {
            return Err(syn::Error::new(
                key.span(),
                format!(
                    "`{name}` is given twice; each argument may appear once (accepted: {ACCEPTED})"
                ),
            ));
        }
        input.parse::<Token![=]>()?;
        match name.as_str() {
            "config" => self.config = Some(input.parse()?),
            "format" => {
                let value: LitStr = input.parse()?;
                match Format::from_name(&value.value()) {
                    Some(format) => self.format = Some(format),
                    None => {
                        self.bad_format = true;
                        return Err(syn::Error::new(
                            value.span(),
                            format!(
                                "unknown config format `{}`; expected one of {}",
                                value.value(),
                                Format::names_list()
                            ),
                        ));
                    }
                }
            }
            "endpoints" => self.endpoints = string_list(input)?,
            "module" => self.module = Some(input.parse()?),
            "rename" => self.rename = rename_map(input)?,
            "routes" => self.routes = routes_map(input)?,
            "backend" => self.backend = Some(input.parse()?),
            "strict_routes" => self.strict_routes = input.parse::<LitBool>()?.value,
            _ => self.allow_http = input.parse::<LitBool>()?.value,
        }
        Ok(())
    }
}

/// Parses the attribute's arguments: every argument that parses, and the errors of those that
/// do not (each on its own span).
pub(crate) fn parse(tokens: TokenStream) -> (Args, Errors) {
    let mut args = Args::default();
    let mut errors = Errors::default();
    for chunk in split_arguments(tokens) {
        let parser = |input: ParseStream<'_>| args.parse_one(input);
        let result = parser.parse2(chunk);
        for misspelt in args.misspelt.drain(..) {
            errors.push(misspelt);
        }
        if let Err(e) = result {
            errors.push(e);
        }
    }
    if !args.given.iter().any(|key| key == "config") {
        errors.push(syn::Error::new(
            proc_macro2::Span::call_site(),
            "missing `config = \"path\"`: the Amplify config file, relative to the crate's \
             directory (where its Cargo.toml is), e.g. \
             `#[api_client(config = \"amplifyconfiguration.json\")]`",
        ));
    }
    (args, errors)
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn error(tokens: TokenStream) -> String {
        parse(tokens).1.0.unwrap().to_string()
    }

    fn errors(tokens: TokenStream) -> Vec<String> {
        parse(tokens)
            .1
            .0
            .into_iter()
            .flatten()
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn all_arguments() {
        let (args, errors) = parse(quote!(
            config = "cfg.json",
            format = "gen2",
            endpoints = ["a", "b",],
            module = "amplify",
            rename = { "日本" = "japan", "b" = "bee", },
            allow_http = true
        ));
        assert!(errors.0.is_none());
        assert_eq!(args.config.unwrap().value(), "cfg.json");
        assert_eq!(args.format, Some(Format::Outputs));
        let names: Vec<String> = args.endpoints.iter().map(LitStr::value).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(args.module.unwrap().value(), "amplify");
        let pairs: Vec<(String, String)> = args
            .rename
            .iter()
            .map(|(a, b)| (a.value(), b.value()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("日本".to_owned(), "japan".to_owned()),
                ("b".to_owned(), "bee".to_owned())
            ]
        );
        assert!(args.allow_http);
        let (args, errors) = parse(quote!(
            config = "cfg.json",
            routes = { itemsApi = "openapi/items.json", "my-api" = "b.json" },
            backend = "amplify/backend",
            strict_routes = true
        ));
        assert!(errors.0.is_none());
        let routes: Vec<(String, String)> = args
            .routes
            .iter()
            .map(|(a, b)| (a.value(), b.value()))
            .collect();
        assert_eq!(
            routes,
            [
                ("itemsApi".to_owned(), "openapi/items.json".to_owned()),
                ("my-api".to_owned(), "b.json".to_owned())
            ]
        );
        assert_eq!(args.backend.unwrap().value(), "amplify/backend");
        assert!(args.strict_routes);
        let (args, errors) = parse(quote!(config = "cfg.json"));
        assert!(errors.0.is_none());
        assert_eq!((args.format, args.endpoints.len()), (None, 0));
        assert!(!args.allow_http && args.module.is_none() && args.rename.is_empty());
        assert!(args.routes.is_empty() && args.backend.is_none() && !args.strict_routes);
    }

    #[test]
    fn config_is_required() {
        assert!(error(quote!()).starts_with("missing `config = \"path\"`"));
        assert!(error(quote!(format = "v6")).starts_with("missing `config"));
        // A malformed `config` is one error, not also "missing".
        assert_eq!(errors(quote!(config = 3)), ["expected string literal"]);
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
        let both = errors(quote!(config = "a", format = "x", format = "v6"));
        assert!(both[1].contains("twice"), "{both:?}");
    }

    #[test]
    fn misspelt_arguments_are_read_as_meant() {
        let (args, errors) = parse(quote!(confg = "a.json", route = { a = "b.json" }));
        let messages: Vec<String> = errors
            .0
            .into_iter()
            .flatten()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            messages,
            [
                "unknown argument `confg`; did you mean `config`?",
                "unknown argument `route`; did you mean `routes`?"
            ]
        );
        assert_eq!(args.config.unwrap().value(), "a.json");
        assert_eq!(args.routes.len(), 1);
        let (args, errors) = parse(quote!(config = "a.json", endpoint = ["x"]));
        assert!(
            errors
                .0
                .unwrap()
                .to_string()
                .contains("did you mean `endpoints`?")
        );
        assert_eq!(args.endpoints.len(), 1);
        assert_eq!(closest_argument("path"), None);
        assert_eq!(closest_argument("modul"), Some("module"));
    }

    #[test]
    fn one_bad_argument_leaves_the_others() {
        let (args, errors) = parse(quote!(
            nope = 1,
            config = "a.json",
            endpoints = ["x"],
            module = 3
        ));
        let messages: Vec<String> = errors
            .0
            .into_iter()
            .flatten()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].starts_with("unknown argument `nope`"));
        assert_eq!(messages[1], "expected string literal");
        assert_eq!(args.config.unwrap().value(), "a.json");
        assert_eq!(args.endpoints.len(), 1);
        let (args, _) = parse(quote!(config = "a", format = "xml"));
        assert!(args.bad_format && args.format.is_none());
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
        assert!(error(quote!(config = "a", rename = ["a"])).contains("expected curly braces"));
        assert_eq!(
            error(quote!(config = "a", rename = { "a" : "b" })),
            "expected `=`"
        );
        assert_eq!(
            error(quote!(config = "a", allow_http = "yes")),
            "expected boolean literal"
        );
        assert_eq!(error(quote!(config = "a", allow_http)), "expected `=`");
    }
}
