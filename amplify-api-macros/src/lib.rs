//! The `#[api_client]` attribute of [`amplify-api`](https://docs.rs/amplify-api).
//!
//! Use it through `amplify_api::api_client`; this crate is an implementation detail, pinned by
//! the runtime to an exact version.
//!
//! The stages, one module each, all pure over `proc_macro2` and unit-tested: `args` (the
//! attribute's arguments) -> `manifest_path` (finding the file) -> `config` (reading any of
//! the five config formats into one raw shape) -> `model` (checking and normalizing, with
//! `names`, `signing_scope` and `auth_mode`) -> `required` (`endpoints = [...]`) -> `codegen`.

mod args;
mod auth_mode;
mod codegen;
mod config;
#[cfg(test)]
mod fixture_tests;
#[cfg(test)]
mod fuzz_pipeline;
#[cfg(test)]
mod fuzz_tests;
mod manifest_path;
mod model;
mod names;
mod required;
mod signing_scope;

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr};

use codegen::{ClientItem, Source};
use config::diagnostics::ConfigError;

/// Generates a typed client for the REST APIs of an Amplify config file.
///
/// ```ignore
/// use amplify_api::api_client;
///
/// /// The app's REST APIs.
/// #[api_client(config = "amplifyconfiguration.json")]
/// pub struct Api;
///
/// let api = Api::new()?;                       // guest credentials from the identity pool
/// let resp = api.items_api().get("/items").send().await?;
/// ```
///
/// # Arguments
/// - `config = "path"` (required): the config file, relative to the crate's directory (where
///   its `Cargo.toml` is). It is read at compile time and is a build input: editing it
///   recompiles. Absolute paths are refused.
/// - `format = "..."`: read the file as this format instead of detecting it: `"aws-exports"`
///   (`aws_cloud_logic_custom`; also `aws-exports.js` itself), `"v5"` (`Amplify.configure`
///   with `API.endpoints`), `"v6"` (`API.REST`), `"native"` (`amplifyconfiguration.json` of
///   Swift/Android/Flutter, `api.plugins.awsAPIPlugin`), `"gen2"` (`amplify_outputs.json`,
///   `custom.API` / `rest_api`).
/// - `endpoints = ["A", "B"]`: endpoint names this code relies on; one the config lacks is a
///   compile error at that string, with a "did you mean".
///
/// # What it generates, for `pub struct Api` and an endpoint `itemsApi`
/// - `Api` holding an `amplify_api::Client` (`Clone`, `Debug`, `From<Client>`), with `new()`,
///   `builder()` (a `ClientBuilder<Api>` preloaded with the endpoints and identity pool),
///   `client()`, one accessor per endpoint (`items_api()`), `endpoint(api::Endpoint)` and
///   `endpoint_by_name(&str)`.
/// - `mod api`: `api::items_api::{NAME, URL, REGION, SERVICE, AUTH_MODE, endpoint()}`, the enum
///   `api::Endpoint` (`Display`/`FromStr` on Amplify names), and `IDENTITY_POOL_ID`,
///   `IDENTITY_POOL_REGION`, `GUEST_ACCESS`, `USER_POOL_ID` when the config has them.
///
/// Names become snake_case (`MyAPIGatewayAPI` -> `my_api_gateway_api`; `2fa` -> `_2fa`; Rust
/// keywords and the client's own method names get a `_` behind: `type_`). Non-REST entries
/// (GraphQL) are ignored. Signing region and service come from the host for API Gateway and
/// Lambda URLs, else from the entry, else the config's project region; no region is an error.
#[proc_macro_attribute]
pub fn api_client(args: TokenStream, item: TokenStream) -> TokenStream {
    expand(
        args.into(),
        item.into(),
        manifest_path::manifest_dir().as_deref(),
    )
    .into()
}

/// Errors collected from independent checks, combined into one `syn::Error`.
#[derive(Default)]
struct Errors(Option<syn::Error>);

impl Errors {
    fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(first) => first.combine(error),
            None => self.0 = Some(error),
        }
    }
}

/// Config errors, rendered with the file's name and spanned on the `config` literal.
fn config_errors(errors: Vec<ConfigError>, args: &args::Args) -> syn::Error {
    let file = args.config.value();
    let mut out = Errors::default();
    for error in errors {
        out.push(syn::Error::new(args.config.span(), error.render(&file)));
    }
    out.0
        .unwrap_or_else(|| syn::Error::new(args.config.span(), "invalid config"))
}

/// The span of the item's keyword (`fn`, `enum`...), skipping attributes and visibility.
fn item_keyword_span(item: &TokenStream2) -> proc_macro2::Span {
    let mut tokens = item.clone().into_iter().peekable();
    while let Some(token) = tokens.next() {
        match &token {
            proc_macro2::TokenTree::Punct(p) if p.as_char() == '#' => {
                tokens.next(); // the attribute's `[...]`
            }
            proc_macro2::TokenTree::Ident(i) if i == "pub" => {
                if let Some(proc_macro2::TokenTree::Group(_)) = tokens.peek() {
                    tokens.next(); // `(crate)`
                }
            }
            other => return other.span(),
        }
    }
    proc_macro2::Span::call_site()
}

/// The struct the attribute is on, if it is a plain unit struct.
fn client_item(item: &TokenStream2) -> syn::Result<ClientItem> {
    let not_a_struct = |span| {
        syn::Error::new(
            span,
            "`#[api_client]` goes on a unit struct, like `pub struct Api;`; it generates the \
             struct's field and methods",
        )
    };
    let input: DeriveInput =
        syn::parse2(item.clone()).map_err(|_| not_a_struct(item_keyword_span(item)))?;
    let data = match &input.data {
        Data::Struct(data) => data,
        Data::Enum(data) => return Err(not_a_struct(data.enum_token.span)),
        Data::Union(data) => return Err(not_a_struct(data.union_token.span)),
    };
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        return Err(syn::Error::new(
            input.generics.span(),
            "`#[api_client]` structs cannot be generic",
        ));
    }
    if !data.fields.is_empty() || matches!(data.fields, Fields::Unnamed(_)) {
        return Err(syn::Error::new(
            data.fields.span(),
            "`#[api_client]` goes on a unit struct, like `pub struct Api;`; it adds the field \
             (the client) itself",
        ));
    }
    Ok(ClientItem {
        attrs: input.attrs,
        vis: input.vis,
        ident: input.ident,
    })
}

/// The whole expansion: on success the generated client; on failure the user's item unchanged
/// with stand-ins for its constructors (so the rest of the crate still type-checks), every
/// error, and the config as a build input when it was found (so fixing the file re-runs the
/// macro).
fn expand(args: TokenStream2, item: TokenStream2, manifest_dir: Option<&str>) -> TokenStream2 {
    let mut errors = Errors::default();
    let args = args::parse(args).map_err(|e| errors.push(e)).ok();
    let client = client_item(&item).map_err(|e| errors.push(e)).ok();
    let Some(args) = args else {
        return fallback(item, client.as_ref(), None, errors);
    };
    let Some(client) = client else {
        return fallback(item, None, None, errors);
    };
    let written = args.config.value();
    let absolute = match manifest_path::resolve(&written, manifest_dir) {
        Ok(path) => path,
        Err(message) => {
            errors.push(syn::Error::new(args.config.span(), message));
            return fallback(item, Some(&client), None, errors);
        }
    };
    let Some(absolute_text) = absolute.to_str().map(str::to_owned) else {
        errors.push(syn::Error::new(
            args.config.span(),
            format!("the path of `{written}` is not valid UTF-8"),
        ));
        return fallback(item, Some(&client), None, errors);
    };
    let text = match manifest_path::read(&written, &absolute) {
        Ok(text) => text,
        Err(message) => {
            errors.push(syn::Error::new(args.config.span(), message));
            return fallback(item, Some(&client), None, errors);
        }
    };
    let model = config::load(&text, args.format)
        .and_then(|raw| {
            model::build_for(
                &raw,
                &args.endpoints.iter().map(LitStr::value).collect::<Vec<_>>(),
            )
        })
        .map_err(|e| errors.push(config_errors(e, &args)))
        .ok();
    let module = names::module_ident(&client.ident.to_string())
        .map_err(|message| errors.push(syn::Error::new(client.ident.span(), message)))
        .ok();
    let (Some(model), Some(module)) = (model, module) else {
        return fallback(item, Some(&client), Some(&absolute_text), errors);
    };
    if let Err(e) = required::check(&args.endpoints, &model, &written) {
        errors.push(e);
        return fallback(item, Some(&client), Some(&absolute_text), errors);
    }
    let source = Source {
        written: &written,
        absolute: &absolute_text,
    };
    codegen::expand(&client, &model, &module, &source)
}

/// The user's item, the errors and, when the file was found, its `include_bytes!`. For a unit
/// struct, also stand-ins for the constructors, so code that builds the client type-checks and
/// the config's error is the only one reported.
fn fallback(
    item: TokenStream2,
    client: Option<&ClientItem>,
    include: Option<&str>,
    errors: Errors,
) -> TokenStream2 {
    let mut out = item;
    if let Some(client) = client {
        codegen::stand_ins(client).to_tokens(&mut out);
    }
    if let Some(path) = include {
        codegen::include(path).to_tokens(&mut out);
    }
    if let Some(error) = errors.0 {
        error.to_compile_error().to_tokens(&mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");

    fn run(args: TokenStream2, item: TokenStream2) -> String {
        expand(args, item, Some(FIXTURES)).to_string()
    }

    #[test]
    fn generates_a_client_from_a_fixture() {
        let out = run(
            quote!(config = "configs/native.json", endpoints = ["itemsApi"]),
            quote!(
                pub struct Api;
            ),
        );
        assert!(out.contains("pub struct Api"), "{out}");
        assert!(out.contains("pub mod api"), "{out}");
        assert!(!out.contains("compile_error"), "{out}");
    }

    #[test]
    fn errors_keep_the_item_and_name_the_file() {
        let out = run(
            quote!(config = "configs/missing.json"),
            quote!(
                pub struct Api;
            ),
        );
        assert!(out.starts_with("pub struct Api ;"), "{out}");
        assert!(out.contains("compile_error"), "{out}");
        assert!(
            out.contains("cannot read the config file `configs/missing.json`"),
            "{out}"
        );
        assert!(!out.contains("include_bytes"), "{out}");
    }

    #[test]
    fn content_errors_still_make_the_file_a_build_input() {
        let out = run(
            quote!(config = "configs/native.json", endpoints = ["nope"]),
            quote!(
                pub struct Api;
            ),
        );
        assert!(out.contains("include_bytes"), "{out}");
        assert!(out.contains("no REST endpoint named `nope`"), "{out}");
        assert!(!out.contains("pub mod api"), "{out}");
    }

    #[test]
    fn argument_and_item_errors_are_reported_together() {
        let out = run(
            quote!(config = "a.json", nope = 1),
            quote!(
                fn api() {}
            ),
        );
        assert!(out.contains("unknown argument `nope`"), "{out}");
        assert!(out.contains("goes on a unit struct"), "{out}");
        assert!(out.starts_with("fn api"), "{out}");
    }

    #[test]
    fn only_plain_unit_structs() {
        for item in [
            quote!(
                pub struct Api {
                    x: u8,
                }
            ),
            quote!(
                pub struct Api(u8);
            ),
            quote!(
                pub struct Api();
            ),
            quote!(
                pub enum Api {
                    A,
                }
            ),
            quote!(
                #[derive(Debug)]
                pub(crate) trait Api {}
            ),
            quote!(
                pub mod api {}
            ),
        ] {
            let err = client_item(&item).err().unwrap().to_string();
            assert!(err.contains("unit struct"), "{item}: {err}");
        }
        let err = client_item(&quote!(
            pub struct Api<T>;
        ))
        .err()
        .unwrap();
        assert!(err.to_string().contains("generic"));
        assert!(
            client_item(&quote!(
                pub struct Api;
            ))
            .is_ok()
        );
        assert!(
            client_item(&quote!(
                pub struct Api {}
            ))
            .is_ok()
        );
        assert!(
            module_error(quote!(
                pub struct api;
            ))
            .contains("its own name"),
        );
    }

    fn module_error(item: TokenStream2) -> String {
        run(quote!(config = "configs/native.json"), item)
    }
}
