//! The `#[api_client]` attribute of [`amplify-api`](https://docs.rs/amplify-api).
//!
//! Use it through `amplify_api::api_client`; this crate is an implementation detail, pinned by
//! the runtime to an exact version.
//!
//! The stages, one module each, all pure over `proc_macro2` and unit-tested: `args` (the
//! attribute's arguments) and `item` (the struct) -> `manifest_path` (finding the file) ->
//! [`amplify_api_config`] (reading any of the five config formats and checking it into the
//! model, with the Rust names; the same reader as the runtime's `Client::from_config_file`) ->
//! `required` (`endpoints = [...]`) -> `codegen`. On an error, this module still generates the client from
//! what could be read, with stand-ins for the rest, so each mistake is one error.

mod args;
mod codegen;
#[cfg(test)]
mod fuzz_pipeline;
mod item;
mod manifest_path;
mod required;
mod route_auth;
mod route_codegen;
mod routes;
mod schema_codegen;

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::ToTokens;
use syn::Ident;

use amplify_api_config::routes::RouteTable;
use amplify_api_config::{self as config, AuthMode, ConfigError, Endpoint, Format, Model, names};
use args::{Args, Errors};
use codegen::{ClientItem, Source};
use item::client_item;

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
/// - `module = "name"`: the name of the generated module (default: the struct's name in
///   snake_case), e.g. when the crate already has a `mod api` beside `struct Api` (which
///   hides the generated one: one compile error saying to give this argument).
/// - `rename = { "Amplify name" = "rust_name", ... }`: the Rust name of an endpoint's accessor
///   and module (its enum variant is the UpperCamelCase of it), instead of the one derived from
///   its Amplify name: the way out of two names that become one Rust name, or of a name without
///   ASCII letters (`rename = { "日本" = "japan" }`), without editing a file the Amplify CLI
///   regenerates.
/// - `allow_http = true`: accept plain `http://` endpoints on hosts that are not loopback (a
///   compile error otherwise; loopback `http://` is always accepted), and let the builder use
///   them.
/// - `routes = { itemsApi = "openapi/items.json", "my-api" = "..." }`: an endpoint's route
///   table (typed routes, below), relative to the crate's directory like `config`: an API
///   Gateway export, OpenAPI 3 or Swagger 2, or a Gen 1 `cli-inputs.json` when the file has
///   that name. A name that is not an endpoint of the config is an error with a "did you mean".
/// - `backend = "amplify/backend"`: the Gen 1 backend folder; each endpoint with an
///   `api/<name>/cli-inputs.json` there gets its routes from it. Without the argument, a
///   config `.../src/aws-exports.js` with an `.../amplify/backend` folder beside its `src` is
///   used so. An endpoint named in `routes` takes that file instead; one with neither takes
///   the Mobile Hub `paths` of its aws-exports entry, if any.
/// - `backend = "cdk.out"` (a folder with a `manifest.json` or `*.template.json`): a
///   synthesized CDK app or Amplify Gen 2 backend, nested stacks included; each endpoint takes
///   the routes of the REST or HTTP API whose `Name` (`restApiName` / `apiName`) or logical
///   id is its name (the `custom.API` key), with each method's auth, API key, query and header
///   parameters and request models. Without the argument, `.amplify/artifacts/cdk.out` beside
///   a config `.../amplify_outputs.json` is used so when it is there (`npx ampx sandbox` writes
///   it). Given explicitly, a missing folder is an error saying how to make it, and so is an
///   endpoint no API there is named like; found automatically, a missing or unreadable folder
///   is left alone. A route the templates cannot say (a path part made by `Fn::Join`) is an
///   error, not a silent gap.
/// - `strict_routes = true`: endpoints with a route table lose their untyped methods.
///
/// # Typed routes
/// The accessor of an endpoint with a route table returns `api::items_api::Routes`: one method
/// per route and method, named by the `operationId` in snake_case, else by the method and path
/// (`GET /items/{id}` -> `get_items_by_id`; a name taken by the untyped methods gets a `_`,
/// one taken twice `_2`), each path parameter an `impl AsRef<str>` argument percent-encoded
/// as one segment (a greedy `{proxy+}` takes a path, each segment encoded). A value that is
/// `.` or `..` is refused when the request is sent (`Error::InvalidRequest`): URLs resolve such
/// segments. Each method returns the usual `RequestBuilder`, and its request span is named by
/// the route's template. Its doc lists the method, template, parameters, its auth and who may
/// call it (Gen 1 permissions: signed-in users, guests, groups).
///
/// Each typed route is authorized as its table says (an export's `security`; `Auth:` in its
/// doc): SigV4 where `AWS_IAM`, the token provider's token where a user pool, OIDC or Lambda
/// authorizer, nothing where `NONE`, and `x-api-key` besides where the API key is required;
/// a route the table says nothing of takes the endpoint's mode. `.auth(AuthMode::..)` on the
/// request overrides it. A route whose mode needs what the client was not given (no token
/// provider for a `COGNITO_USER_POOLS` route, no API key) is refused before sending with
/// `Error::InvalidRequest` naming the route, its mode and the builder call that fixes it; not
/// at compile time, even with `strict_routes`: those providers are given at run time.
///
/// `Routes` derefs to the untyped `EndpointClient` (`get(path)`...), unless
/// `strict_routes = true`: then an untyped call on it is one compile error saying so.
///
/// `api::route!(api.items_api().get("/items/42"))` checks an untyped call with a literal path
/// (or a template and its parameters: `get("/items/{id}", id)`, which is `get_items_by_id(id)`)
/// against the table at compile time: a path no route matches is one error on the path listing
/// the closest routes and their methods, a method the route does not allow one on the method
/// listing those it does. `route!` is a `macro_rules!` re-exported as `pub(crate)`: usable in
/// the crate that defines the client. A misspelt typed method is rustc's own "no method named"
/// error. A template call whose typed method takes more than the path (a body, a required
/// query parameter) is the untyped call on the route's path.
///
/// ## Bodies, query, headers and answers from the export's schemas
/// An OpenAPI 3 or Swagger 2 export's models (`components.schemas`, `definitions`; API Gateway
/// models are JSON Schema draft 4) become Rust types, made by `typify`, in the endpoint's
/// `models` module, re-exported in the endpoint module (`api::lambda_calc::Input`); each API's
/// in its own module, so two APIs' `Input`s never meet. A model named like an item generated
/// beside it (`Routes`), a prelude name (`Clone`, `Ok`...) or a type `typify` makes inside
/// another model (`OrderStatus` beside an `Order` whose `status` is written in place) gets
/// `Model` behind (`RoutesModel`); a schema written in place is named after its method
/// (`<Method>Body`/`Response`/`Error`: `PatchOrdersByOrderIdResponse`). `pattern` is not
/// checked and the `date-time`, `date`, `time` and `uuid` formats stay strings (no crate of
/// yours is needed: the types use `amplify_api`'s `serde`); a model `typify` cannot handle is
/// any JSON with a doc note saying why. A `$ref` to a model the export lacks is a compile
/// error naming it and the close names.
///
/// A route with a declared query or header parameter, a JSON body schema or a response schema
/// is typed: required parameters are arguments after the path's (in the export's order:
/// integers `i64`, numbers `f64`, booleans `bool`, the rest `impl AsRef<str>`), a body model
/// is the `body: &Model` argument (serialized as JSON); the method returns a
/// `TypedRequest<T, E>` (`T` the 2XX responses' model, `E` the error responses' model,
/// `NoSchema` where none), or, when the route has optional parameters, the per-route
/// `api::<endpoint>::requests::<Method>` whose methods set them (`list_orders("ana").limit(10)`).
/// `send().await` gives `TypedResponse<T>` (`status()`, `headers()`, `json() -> T`) or a
/// `TypedError<E>` (an `Error`, `?`-convertible, whose `json()` decodes the declared error
/// model). Headers the client's auth sets (`Authorization`, `x-api-key`, `x-amz-*`, `Host`)
/// are not parameters. Values go through `RequestBuilder::query` / `header` / `json`: one
/// signing and sending path. A route without any of these returns the `RequestBuilder` as
/// before.
///
/// # What it generates, for `pub struct Api` and an endpoint `itemsApi`
/// - `Api` holding an `amplify_api::Client` (`Clone`, `Debug`, `TryFrom<Client>`, which fails
///   with an `Error::Config` naming the config's endpoints the client lacks), with `new()`,
///   `builder()` (a `ClientBuilder<Api>` preloaded with the endpoints and identity pool),
///   `client()`, one accessor per endpoint (`items_api()`), `endpoint(api::Endpoint)` and
///   `endpoint_by_name(&str)`, and `from_config_file(path)`: the same endpoint names from
///   another stage's file read at run time, an `Error::Config` listing the ones it lacks. Its
///   doc lists each Amplify name with its accessor.
/// - `mod api`: `api::items_api::{NAME, URL, REGION, SERVICE, AUTH_MODE, endpoint()}`, the enum
///   `api::Endpoint` (`Display`/`FromStr` on Amplify names), and `IDENTITY_POOL_ID`,
///   `IDENTITY_POOL_REGION`, `GUEST_ACCESS`, `USER_POOL_ID` when the config has them.
///
/// Names become snake_case (`MyAPIGatewayAPI` -> `my_api_gateway_api`; `2fa` -> `_2fa`). Rust
/// keywords, the client's own method names and the methods of the traits it has or may be
/// given (`clone`, `to_owned`, `type_id`, `borrow`, `try_into`, `eq`, ...) get a `_` behind:
/// `type_`, `to_owned_`. Non-REST entries (GraphQL) are ignored. Signing region and service
/// come from the host for API Gateway and Lambda URLs, else from the entry, else the config's
/// project region; no region is an error.
///
/// The struct may carry `#[derive(Clone, Debug)]` (it has both anyway); `Default`, `Copy` and
/// the comparison and hashing traits are an error: a client is built, possibly failing, and
/// not compared. Put such derives below `#[api_client]`: a derive above it is expanded by the
/// compiler on the unit struct as written, before the attribute sees it.
///
/// # Errors
/// Each mistake is one compile error: the client is still generated from everything that could
/// be read, so code using it type-checks and only the mistake is reported. The macro recovers
/// as rustc does: a misspelt argument (`confg`, `route`) is read as the one meant ("did you
/// mean"); a config file that is not found is read from the closest existing name, when one is
/// close (the message names it and the Amplify config files in that directory); an endpoint
/// that fails its checks (no region, a bad URL), and every endpoint named by a file with a
/// syntax error, keeps its accessor; when the config cannot be read, the names in
/// `endpoints = [...]` and `routes = {...}` stand in.
///
/// An endpoint whose URL is a JavaScript expression (`process.env.X || '...'`) beside literal
/// ones is not an error until code calls its accessor: that call is one error quoting the
/// expression and the way out (`AMPLIFY_API_<NAME>_URL`, `.endpoint_url`).
#[proc_macro_attribute]
pub fn api_client(args: TokenStream, item: TokenStream) -> TokenStream {
    expand(
        args.into(),
        item.into(),
        manifest_path::manifest_dir().as_deref(),
    )
    .into()
}

/// The checked untyped call behind each generated client's `route!` (which embeds the route
/// tables): `{ table } recv.accessor().verb("/path", args...)`. Not public API.
#[doc(hidden)]
#[proc_macro]
pub fn __checked_route(input: TokenStream) -> TokenStream {
    route_codegen::check_call(input.into()).into()
}

/// Config errors, rendered with the file's name and spanned on the `config` literal.
fn config_errors(errors: Vec<ConfigError>, config: &syn::LitStr, out: &mut Errors) {
    let file = config.value();
    for error in errors {
        out.push(syn::Error::new(config.span(), error.render(&file)));
    }
}

/// The generated module's name: `module = "..."`, else the struct's in snake_case. On an error
/// (recorded) a stand-in name, so the client is still generated.
fn module_name(args: &Args, client: &ClientItem, errors: &mut Errors) -> Ident {
    let struct_name = client.ident.to_string();
    if let Some(lit) = &args.module {
        match names::check_module(&lit.value(), &struct_name) {
            Ok(()) => return Ident::new(&lit.value(), lit.span()),
            Err(message) => errors.push(syn::Error::new(lit.span(), message)),
        }
    } else {
        match names::module_ident(&struct_name) {
            Ok(name) => return Ident::new(&name, proc_macro2::Span::call_site()),
            Err(message) => errors.push(syn::Error::new(client.ident.span(), message)),
        }
    }
    Ident::new("__api_client_module", client.ident.span())
}

/// The renames of `rename = {...}`, each checked (a bad one is an error and ignored).
fn renames(args: &Args, errors: &mut Errors) -> names::Renames {
    names::Renames::new(args.rename.iter().filter_map(|(from, to)| {
        match names::check_rename(&to.value()) {
            Ok(()) => Some((from.value(), to.value())),
            Err(message) => {
                errors.push(syn::Error::new(to.span(), message));
                None
            }
        }
    }))
}

/// A stand-in endpoint for the name `name`, which code relies on (through `endpoints = [...]`)
/// but the config does not define or could not be read: its accessor and module exist, so the
/// error about it is the only one. Never used: the crate does not compile.
fn stand_in(name: &str, renames: &names::Renames) -> Option<Endpoint> {
    let ident = renames.snake_ident(name).ok()?;
    Some(Endpoint {
        name: name.to_owned(),
        variant: names::camel_ident(&ident),
        ident,
        url: String::new(),
        region: String::new(),
        service: String::new(),
        auth: AuthMode::AwsIam,
        api_key: None,
        signing_host: None,
        signing_path_prefix: None,
    })
}

/// Adds a stand-in to `model` for every name in `names` it lacks (whose Rust names are still
/// free).
fn add_stand_ins(model: &mut Model, names: &[String], renames: &names::Renames) {
    for name in names {
        if model.endpoints.iter().any(|e| &e.name == name) {
            continue;
        }
        if let Some(endpoint) = stand_in(name, renames) {
            let free = model
                .endpoints
                .iter()
                .all(|e| e.ident != endpoint.ident && e.variant != endpoint.variant);
            if free {
                model.endpoints.push(endpoint);
            }
        }
    }
}

/// Plain `http://` endpoints on hosts that are not loopback, refused unless `allow_http`.
fn check_http(model: &Model, config: &syn::LitStr, errors: &mut Errors) {
    let urls = model
        .endpoints
        .iter()
        .map(|e| (format!("the endpoint `{}`", e.name), &e.url))
        .chain(model.identity_pool.iter().flat_map(|pool| {
            pool.endpoint
                .iter()
                .map(|url| ("the identity pool endpoint".to_owned(), url))
        }));
    for (what, url) in urls {
        let Ok(parsed) = url::Url::parse(url) else {
            continue;
        };
        let loopback = parsed.host().is_some_and(|h| config::is_loopback(&h));
        if parsed.scheme() == "http" && !loopback {
            errors.push(syn::Error::new(
                config.span(),
                format!(
                    "`{}`: {what} is `{url}`, plain http to a host that is not loopback \
                     (requests and their signatures would travel unencrypted); use https, or \
                     give `allow_http = true` to accept it",
                    config.value()
                ),
            ));
        }
    }
}

/// The config file's text (its absolute path into `absolute`), every problem recorded; for a
/// file that is not found, the message names the closest existing file and the Amplify config
/// files beside it, and the closest one, when close, is read instead (its path returned).
fn read_config(
    config: &syn::LitStr,
    manifest_dir: Option<&str>,
    absolute_text: &mut Option<String>,
    errors: &mut Errors,
) -> (Result<String, ()>, Option<String>) {
    let written = config.value();
    let read_at = |written: &str, absolute_text: &mut Option<String>| {
        let absolute = manifest_path::resolve(written, manifest_dir)?;
        let path = absolute
            .to_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("the path of `{written}` is not valid UTF-8"))?;
        let text = manifest_path::read(written, &absolute);
        if text.is_ok() {
            *absolute_text = Some(path);
        }
        Ok::<_, String>((absolute, text))
    };
    let mut message = match read_at(&written, absolute_text) {
        Ok((_, Ok(text))) => return (Ok(text), None),
        Ok((absolute, Err(message))) if !absolute.exists() => {
            let nearby = manifest_path::nearby(&written, &absolute);
            let mut message = message;
            if let Some(closest) = &nearby.closest {
                message.push_str(&format!("; did you mean `{closest}`?"));
            }
            if !nearby.amplify.is_empty() {
                let files: Vec<String> = nearby.amplify.iter().map(|f| format!("`{f}`")).collect();
                let joint = if nearby.closest.is_some() { " " } else { "; " };
                message.push_str(&format!(
                    "{joint}Amplify config files in that directory: {}",
                    files.join(", ")
                ));
            }
            if let Some(closest) = nearby.closest
                && let Ok((_, Ok(text))) = read_at(&closest, absolute_text)
            {
                errors.push(syn::Error::new(config.span(), message));
                return (Ok(text), Some(closest));
            }
            message
        }
        Ok((_, Err(message))) | Err(message) => message,
    };
    message.truncate(message.trim_end().len());
    errors.push(syn::Error::new(config.span(), message));
    (Err(()), None)
}

/// What [`read_model`] returns: the model, the config's absolute path when found, the Mobile
/// Hub route tables, and the unusable endpoints (accessor name, why).
type ReadModel = (
    Model,
    Option<String>,
    Vec<(String, RouteTable)>,
    Vec<(String, String)>,
);

/// What the config yields: its model (as much as checks out, with stand-ins for the endpoints
/// code relies on), whether the file was found (its absolute path) and the route tables of its
/// Mobile Hub `paths`; every problem recorded.
fn read_model(
    args: &Args,
    config: &syn::LitStr,
    renames: &names::Renames,
    manifest_dir: Option<&str>,
    errors: &mut Errors,
) -> ReadModel {
    let mut mobile_hub = Vec::new();
    let mut model = Model {
        format: args.format.unwrap_or(Format::ConfigureV6),
        endpoints: Vec::new(),
        identity_pool: None,
        user_pool_id: None,
        user_pool_client_id: None,
    };
    let mut absolute_text = None;
    let (read, recovered) = read_config(config, manifest_dir, &mut absolute_text, errors);
    // A file found in place of a misspelt one is read as if it had been written.
    let recovered = recovered.map(|path| syn::LitStr::new(&path, config.span()));
    let config = recovered.as_ref().unwrap_or(config);
    let written = config.value();
    let mut stand_ins: Vec<String> = args.endpoints.iter().map(syn::LitStr::value).collect();
    // Names in `routes = {...}` stand in too when the config cannot be read.
    let route_names = || args.routes.iter().map(|(name, _)| name.value());
    let mut unusable = Vec::new();
    if read.is_err() {
        stand_ins.extend(route_names());
    }
    if let Ok(text) = read {
        match config::load(&text, args.format) {
            Ok(raw) => {
                let needed = stand_ins.clone();
                for endpoint in &raw.endpoints {
                    match config::routes::mobile_hub_table(endpoint) {
                        Ok(Some(table)) => mobile_hub.push((endpoint.name.value.clone(), table)),
                        Ok(None) => {}
                        Err(problems) => config_errors(problems, config, errors),
                    }
                }
                let (read, problems) = config::build_partial(&raw, renames, &needed);
                model = read;
                config_errors(problems, config, errors);
                // A name the file defines in an entry that failed its checks (or wrote with a
                // JavaScript value) was reported.
                let in_file = |lit: &syn::LitStr| {
                    raw.endpoints.iter().any(|e| e.name.value == lit.value())
                        || raw
                            .unreadable
                            .iter()
                            .any(|u| u.name.as_ref().is_some_and(|n| n.value == lit.value()))
                };
                let required: Vec<syn::LitStr> = args
                    .endpoints
                    .iter()
                    .filter(|l| !in_file(l))
                    .cloned()
                    .collect();
                if let Err(e) = required::check(&required, &model, &written) {
                    errors.push(e);
                }
                for (from, _) in args.rename.iter().filter(|(from, _)| !in_file(from)) {
                    errors.push(required::unknown_name(from, &model, &written, "rename"));
                }
                if !args.allow_http {
                    check_http(&model, config, errors);
                }
                // Every endpoint the file names keeps its accessor: one that failed its
                // checks (reported) stands in, so code calling it adds no second error.
                if errors.0.is_some() {
                    let named = raw.unreadable.iter().filter_map(|u| u.name.as_ref());
                    stand_ins.extend(named.map(|n| n.value.clone()));
                    stand_ins.extend(raw.endpoints.iter().map(|e| e.name.value.clone()));
                } else {
                    // One whose URL is JavaScript, beside literal ones, is not an error until
                    // code uses it: its accessor is that one error, quoting the expression.
                    for u in &raw.unreadable {
                        let Some(name) = &u.name else { continue };
                        let Ok(ident) = renames.snake_ident(&name.value) else {
                            continue;
                        };
                        let taken = model.endpoints.iter().any(|e| e.ident == ident)
                            || unusable.iter().any(|(i, _)| *i == ident);
                        if !taken {
                            unusable.push((ident, u.error().render(&written)));
                        }
                    }
                }
            }
            // With a misspelt `format`, what detection makes of the file is a second error.
            Err(_) if args.bad_format => stand_ins.extend(route_names()),
            Err(problems) => {
                config_errors(problems, config, errors);
                stand_ins.extend(route_names());
                // The names a file with a syntax error still shows keep their accessors.
                stand_ins.extend(config::endpoint_names(&text, args.format));
            }
        }
    }
    add_stand_ins(&mut model, &stand_ins, renames);
    (model, absolute_text, mobile_hub, unusable)
}

/// The whole expansion: the generated client from everything that could be read, every error,
/// and the config as a build input when it was found (so fixing the file re-runs the macro).
/// Only an item that is not a unit struct is left as it is (there is no client to generate).
fn expand(args: TokenStream2, item: TokenStream2, manifest_dir: Option<&str>) -> TokenStream2 {
    let (args, mut errors) = args::parse(args);
    let client = match client_item(&item, &mut errors) {
        Ok(client) => client,
        Err(e) => {
            errors.push(e);
            let mut out = item;
            if let Some(error) = errors.0 {
                error.to_compile_error().to_tokens(&mut out);
            }
            return out;
        }
    };
    let module = module_name(&args, &client, &mut errors);
    let renames = renames(&args, &mut errors);
    let (model, absolute, mobile_hub, unusable) = match &args.config {
        Some(config) => read_model(&args, config, &renames, manifest_dir, &mut errors),
        None => {
            let mut model = Model {
                format: args.format.unwrap_or(Format::ConfigureV6),
                endpoints: Vec::new(),
                identity_pool: None,
                user_pool_id: None,
                user_pool_client_id: None,
            };
            let names: Vec<String> = args.endpoints.iter().map(syn::LitStr::value).collect();
            let names: Vec<String> = names
                .into_iter()
                .chain(args.routes.iter().map(|(name, _)| name.value()))
                .collect();
            add_stand_ins(&mut model, &names, &renames);
            (model, None, Vec::new(), Vec::new())
        }
    };
    let tables = routes::tables(&args, &model, mobile_hub, manifest_dir, &mut errors);
    let written = args
        .config
        .as_ref()
        .map(syn::LitStr::value)
        .unwrap_or_default();
    let source = Source {
        written: &written,
        absolute: absolute.as_deref(),
        allow_http: args.allow_http,
        routes: &tables,
        strict_routes: args.strict_routes,
        unusable: &unusable,
    };
    let mut out = codegen::expand(&client, &model, &module, &source);
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
        assert!(out.contains("pub use super :: { self as api } ;"), "{out}");
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
        assert!(out.contains("pub struct Api {"), "{out}");
        assert_eq!(out.matches("compile_error").count(), 1, "{out}");
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
        // The whole client still, and a stand-in for the missing name.
        assert!(out.contains("pub mod __api_client_api"), "{out}");
        assert!(out.contains("pub fn items_api"), "{out}");
        assert!(out.contains("pub fn nope"), "{out}");
    }

    #[test]
    fn an_unreadable_config_still_gives_every_method() {
        let out = run(
            quote!(config = "configs/missing.json", endpoints = ["itemsApi"]),
            quote!(
                pub struct Api;
            ),
        );
        for needle in [
            "pub fn new",
            "pub fn builder",
            "pub fn client",
            "pub fn endpoint",
            "pub fn endpoint_by_name",
            "pub fn items_api",
            "TryFrom",
            "pub enum Endpoint",
        ] {
            assert!(out.contains(needle), "{needle}: {out}");
        }
        assert!(!out.contains("include_bytes"), "{out}");
    }

    #[test]
    fn derives_the_struct_has_are_dropped_and_others_refused() {
        let out = run(
            quote!(config = "configs/native.json"),
            quote!(
                #[derive(Clone, std::fmt::Debug, Default, serde::Serialize)]
                pub struct Api;
            ),
        );
        assert!(out.contains("# [derive (serde :: Serialize)]"), "{out}");
        assert!(out.contains("`Api` cannot derive `Default`"), "{out}");
        assert_eq!(out.matches("compile_error").count(), 1, "{out}");
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
    fn plain_http_needs_allow_http() {
        let dir = std::env::temp_dir().join(format!("api-client-http-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("c.json"),
            r#"{"API": {"REST": {"lan": {"endpoint": "http://10.0.0.5:8080", "region": "us-east-1"},
                                 "local": {"endpoint": "http://127.0.0.1:8080", "region": "us-east-1"}}}}"#,
        )
        .unwrap();
        let dir_text = dir.to_str().unwrap();
        let refused = expand(
            quote!(config = "c.json"),
            quote!(
                pub struct Api;
            ),
            Some(dir_text),
        )
        .to_string();
        assert_eq!(refused.matches("compile_error").count(), 1, "{refused}");
        assert!(
            refused.contains("the endpoint `lan` is `http://10.0.0.5:8080`"),
            "{refused}"
        );
        assert!(!refused.contains(". allow_http (true)"), "{refused}");
        let allowed = expand(
            quote!(config = "c.json", allow_http = true),
            quote!(
                pub struct Api;
            ),
            Some(dir_text),
        )
        .to_string();
        assert!(!allowed.contains("compile_error"), "{allowed}");
        assert!(allowed.contains(". allow_http (true)"), "{allowed}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_plain_unit_structs() {
        for item in [
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
            let err = client_item(&item, &mut Errors::default())
                .err()
                .unwrap()
                .to_string();
            assert!(err.contains("unit struct"), "{item}: {err}");
        }
        for (item, message) in [
            (
                quote!(
                    pub struct Api {
                        x: u8,
                    }
                ),
                "unit struct",
            ),
            (
                quote!(
                    pub struct Api(u8);
                ),
                "unit struct",
            ),
            (
                quote!(
                    pub struct Api();
                ),
                "unit struct",
            ),
            (
                quote!(
                    pub struct Api<T>;
                ),
                "generic",
            ),
        ] {
            let mut errors = Errors::default();
            assert_eq!(client_item(&item, &mut errors).unwrap().ident, "Api");
            let err = errors.0.unwrap().to_string();
            assert!(err.contains(message), "{item}: {err}");
        }
        for item in [
            quote!(
                pub struct Api;
            ),
            quote!(
                pub struct Api {}
            ),
        ] {
            let mut errors = Errors::default();
            assert!(client_item(&item, &mut errors).is_ok());
            assert!(errors.0.is_none());
        }
        assert!(
            module_error(quote!(
                pub struct api;
            ))
            .contains("its own name"),
        );
    }

    #[test]
    fn the_whole_pipeline_on_every_fixture() {
        // Code generation on what the config crate reads (its own proptests cover reading);
        // the same pipeline as the cargo-fuzz target.
        let mut clean = 0;
        for dir in ["configs", "configs/invalid"] {
            let dir = std::path::Path::new(FIXTURES).join(dir);
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    let text = std::fs::read_to_string(&path).unwrap();
                    clean += fuzz_pipeline::run(&text);
                }
            }
        }
        assert!(clean > 10, "{clean}");
    }

    #[test]
    fn route_sources() {
        let item = || {
            quote!(
                pub struct Api;
            )
        };
        // The Gen 1 backend beside `src/aws-exports.js`, found without an argument.
        let gen1 = run(quote!(config = "routes/gen1/src/aws-exports.js"), item());
        assert!(!gen1.contains("compile_error"), "{gen1}");
        assert!(gen1.contains("pub fn get_orders"), "{gen1}");
        assert!(gen1.contains("signed-in users, guests"), "{gen1}");
        assert!(gen1.contains("the group `Admins`"), "{gen1}");
        assert!(gen1.contains("cli-inputs.json\")"), "{gen1}");
        // Mobile Hub paths.
        let hub = run(quote!(config = "routes/mobile-hub/aws-exports.js"), item());
        assert!(hub.contains("pub fn get_notes_123"), "{hub}");
        // A name that is not an endpoint; a backend without cli-inputs.
        let bad = run(
            quote!(
                config = "routes/config.json",
                routes = { itemApi = "routes/openapi/items.json" },
                backend = "routes"
            ),
            item(),
        );
        assert!(bad.contains("did you mean `itemsApi`?"), "{bad}");
        assert!(bad.contains("has no `api/<name>/cli-inputs.json`"), "{bad}");
        let missing = run(
            quote!(
                config = "routes/config.json",
                routes = { itemsApi = "nope.json" }
            ),
            item(),
        );
        assert!(
            missing.contains("cannot read the route file `nope.json`"),
            "{missing}"
        );
    }

    #[test]
    fn cdk_route_sources() {
        let item = || {
            quote!(
                pub struct Api;
            )
        };
        // A synthesized CDK app given with `backend`: both APIs, every template a build input.
        let cdk = run(
            quote!(
                config = "cdk-outputs/amplify_outputs.json",
                backend = "cdk.out"
            ),
            item(),
        );
        assert!(!cdk.contains("compile_error"), "{cdk}");
        assert!(cdk.contains("pub fn put_orders_by_order_id"), "{cdk}");
        assert!(cdk.contains("pub fn get_partners_by_partner_id"), "{cdk}");
        for file in [
            "manifest.json",
            "FixtureStack.template.json",
            "FixtureStackOrders2AED0C64.nested.template.json",
        ] {
            assert!(cdk.contains(&format!("cdk.out/{file}\")")), "{file}: {cdk}");
        }
        // A Gen 2 backend found beside `amplify_outputs.json`, without an argument.
        let gen2 = run(quote!(config = "gen2/amplify_outputs.json"), item());
        assert!(!gen2.contains("compile_error"), "{gen2}");
        assert!(gen2.contains("pub fn delete_items_by_id"), "{gen2}");
        assert!(gen2.contains(".amplify/artifacts/cdk.out"), "{gen2}");
        // Without the folder beside it, no routes and no error.
        let plain = run(quote!(config = "cdk-outputs/amplify_outputs.json"), item());
        assert!(!plain.contains("compile_error"), "{plain}");
        assert!(!plain.contains("pub fn get_health"), "{plain}");
        // Asked for explicitly: a missing folder, and an endpoint no API is named like.
        let missing = run(
            quote!(
                config = "gen2/amplify_outputs.json",
                backend = "nowhere/cdk.out"
            ),
            item(),
        );
        assert_eq!(missing.matches("compile_error").count(), 1, "{missing}");
        assert!(missing.contains("npx ampx sandbox"), "{missing}");
        let unnamed = run(
            quote!(config = "gen2/amplify_outputs.json", backend = "cdk.out"),
            item(),
        );
        assert_eq!(unnamed.matches("compile_error").count(), 1, "{unnamed}");
        assert!(unnamed.contains("`itemsRestApi` (REST API"), "{unnamed}");
        // The path rules of `config`: an absolute folder works on one machine only.
        let absolute = run(
            quote!(
                config = "gen2/amplify_outputs.json",
                backend = "/home/me/app/cdk.out"
            ),
            item(),
        );
        assert_eq!(absolute.matches("compile_error").count(), 1, "{absolute}");
        assert!(absolute.contains("is an absolute path"), "{absolute}");
        // A route the template cannot say (a `Fn::Join` path part): an error, not a gap.
        let unresolved = run(
            quote!(
                config = "cdk-outputs/amplify_outputs.json",
                backend = "routes/cdk-unresolved"
            ),
            item(),
        );
        assert!(
            unresolved.contains(
                "the routes of `itemsRestApi` from `routes/cdk-unresolved` are incomplete: \
                 `routes/cdk-unresolved/App.template.json:8:21`, at `Resources.Versioned.Properties.PathPart`: this \
                 path part is not a literal string but a `Fn::Join`"
            ),
            "{unresolved}"
        );
    }

    #[test]
    fn every_endpoint_a_file_names_keeps_its_accessor() {
        let item = || {
            quote!(
                pub struct Api;
            )
        };
        // A JavaScript URL beside literal endpoints: no error, an accessor bound by a trait
        // that carries the message.
        let js = run(quote!(config = "configs/config.js"), item());
        assert!(!js.contains("compile_error"), "{js}");
        assert!(js.contains("pub fn feature_flags"), "{js}");
        assert!(js.contains("__Unusable_feature_flags"), "{js}");
        assert!(js.contains("process.env.FLAGS_URL"), "{js}");
        // A syntax error: the names still read.
        let bad = run(quote!(config = "configs/invalid/bad-json.json"), item());
        assert_eq!(bad.matches("compile_error").count(), 1, "{bad}");
        assert!(bad.contains("pub fn todo_api"), "{bad}");
        // No config: the names in `routes` stand in, with their typed methods.
        let missing = run(
            quote!(
                config = "configs/missing.json",
                routes = { itemsApi = "routes/openapi/items.json" }
            ),
            item(),
        );
        assert_eq!(missing.matches("compile_error").count(), 1, "{missing}");
        assert!(missing.contains("pub fn items_api"), "{missing}");
        assert!(missing.contains("pub fn list_items"), "{missing}");
        // A close file name: read instead, the error naming it.
        let close = run(quote!(config = "configs/aws_exports.json"), item());
        assert_eq!(close.matches("compile_error").count(), 1, "{close}");
        assert!(
            close.contains("did you mean `configs/aws-exports.json`?"),
            "{close}"
        );
        assert!(close.contains("pub fn todo_api"), "{close}");
    }

    fn module_error(item: TokenStream2) -> String {
        run(quote!(config = "configs/native.json"), item)
    }
}
