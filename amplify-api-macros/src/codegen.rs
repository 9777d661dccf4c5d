//! Model -> tokens: the client struct, its accessors and builder, and a module of constants per
//! endpoint. Thin by design: every behaviour is in the runtime; the generated code only hands it
//! `Endpoint` descriptions. It names nothing but `::core` and `::amplify_api::__private` paths.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Attribute, Ident, LitStr, Visibility};

use amplify_api_config::{Endpoint, IdentityPool, Model};

use crate::route_codegen;
use crate::routes::Tables;

/// The user's struct, as far as code generation cares.
pub(crate) struct ClientItem {
    /// Its attributes (doc comments, derives...), kept.
    pub(crate) attrs: Vec<Attribute>,
    /// Its visibility, given to the module too.
    pub(crate) vis: Visibility,
    /// Its name.
    pub(crate) ident: Ident,
}

/// By hand: syn's syntax types are `Debug` only with its `extra-traits` feature.
impl std::fmt::Debug for ClientItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientItem")
            .field("ident", &self.ident)
            .finish_non_exhaustive()
    }
}

/// Where the config came from.
#[derive(Debug)]
pub(crate) struct Source<'a> {
    /// The path as the user wrote it (shown in docs).
    pub(crate) written: &'a str,
    /// The absolute path, for `include_bytes!`; `None` when the file was not found.
    pub(crate) absolute: Option<&'a str>,
    /// Whether the builder allows plain `http://` to hosts that are not loopback.
    pub(crate) allow_http: bool,
    /// The endpoints' route tables (typed methods, `route!`).
    pub(crate) routes: &'a Tables,
    /// `strict_routes = true`: no untyped methods on endpoints with a table.
    pub(crate) strict_routes: bool,
    /// Endpoints the config names but the code cannot use (a JavaScript URL beside literal
    /// endpoints): (accessor name, why, with the way out). Each keeps an accessor whose use is
    /// one compile error with that message.
    pub(crate) unusable: &'a [(String, String)],
}

/// An identifier made by [`crate::names`] (always valid).
fn make_ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc = " text"]` (the leading space is what `///` comments have).
fn doc(text: &str) -> TokenStream {
    let text = format!(" {text}");
    quote!(#[doc = #text])
}

/// `const _: &[u8] = include_bytes!("<absolute path>");`: makes the config a build input, so
/// cargo re-runs the macro when it changes.
pub(crate) fn include(absolute: &str) -> TokenStream {
    let path = LitStr::new(absolute, Span::call_site());
    quote! {
        const _: &[u8] = ::core::include_bytes!(#path);
    }
}

/// What an endpoint is, for doc comments: `` `name`: <url> (AWS_IAM, signed for ...). ``
fn summary(e: &Endpoint) -> String {
    let host = match (&e.signing_host, &e.signing_path_prefix) {
        (Some(host), Some(prefix)) => format!(" as host `{host}` with path prefix `{prefix}`"),
        (Some(host), None) => format!(" as host `{host}`"),
        _ => String::new(),
    };
    format!(
        "`{}`: <{}> ({}, signed for `{}` in `{}`{host}).",
        e.name,
        e.url,
        e.auth.as_str(),
        e.service,
        e.region
    )
}

/// The module of one endpoint: its facts as constants and its description.
fn endpoint_module(e: &Endpoint, source: &Source<'_>) -> TokenStream {
    let module = make_ident(&e.ident);
    let (name, url, region, service) = (&e.name, &e.url, &e.region, &e.service);
    let auth = format_ident!("{}", e.auth.variant_name());
    let api_key = e.api_key.as_ref().map(|key| quote!(.api_key(#key)));
    let signing_host = e
        .signing_host
        .as_ref()
        .map(|host| quote!(.signing_host(#host)));
    let signing_path_prefix = e
        .signing_path_prefix
        .as_ref()
        .map(|prefix| quote!(.signing_path_prefix(#prefix)));
    let routes = source
        .routes
        .get(&e.name)
        .map(|r| route_codegen::routes_type(e, r, source.strict_routes));
    let module_doc = doc(&format!(
        "An endpoint of `{}`, {}",
        source.written,
        summary(e)
    ));
    let name_doc = doc(&format!("`{name:?}`: the endpoint's Amplify name."));
    let url_doc = doc(&format!(
        "`{url:?}`: the endpoint's URL (trimmed, without a trailing `/`)."
    ));
    let region_doc = doc(&format!(
        "`{region:?}`: the region requests are signed for."
    ));
    let service_doc = doc(&format!(
        "`{service:?}`: the service requests are signed for."
    ));
    let auth_doc = doc(&format!(
        "`{}`: how requests are authorized.",
        e.auth.as_str()
    ));
    quote! {
        #module_doc
        pub mod #module {
            #name_doc
            pub const NAME: &str = #name;
            #url_doc
            pub const URL: &str = #url;
            #region_doc
            pub const REGION: &str = #region;
            #service_doc
            pub const SERVICE: &str = #service;
            #auth_doc
            pub const AUTH_MODE: ::amplify_api::__private::AuthMode =
                ::amplify_api::__private::AuthMode::#auth;

            /// The endpoint's description, as the client's builder receives it.
            pub fn endpoint() -> ::amplify_api::__private::Endpoint {
                ::amplify_api::__private::Endpoint::new(NAME, URL)
                    .region(REGION)
                    .service(SERVICE)
                    .auth_mode(AUTH_MODE)
                    #api_key
                    #signing_host
                    #signing_path_prefix
            }

            #routes
        }
    }
}

/// The enum of all endpoints, with `Display`/`FromStr` on the Amplify names.
fn endpoint_enum(model: &Model, client: &Ident) -> TokenStream {
    let variants: Vec<Ident> = model
        .endpoints
        .iter()
        .map(|e| make_ident(&e.variant))
        .collect();
    let modules: Vec<Ident> = model
        .endpoints
        .iter()
        .map(|e| make_ident(&e.ident))
        .collect();
    let names: Vec<&str> = model.endpoints.iter().map(|e| e.name.as_str()).collect();
    let docs: Vec<TokenStream> = model.endpoints.iter().map(|e| doc(&summary(e))).collect();
    let enum_doc = doc(&format!(
        "The endpoints of `{client}`, by Amplify name: `Display` writes the name and `FromStr` \
         reads it."
    ));
    quote! {
        #enum_doc
        #[derive(
            ::core::clone::Clone,
            ::core::marker::Copy,
            ::core::fmt::Debug,
            ::core::cmp::PartialEq,
            ::core::cmp::Eq,
            ::core::hash::Hash,
            ::core::cmp::PartialOrd,
            ::core::cmp::Ord,
        )]
        #[allow(non_camel_case_types)]
        pub enum Endpoint {
            #(
                #docs
                #variants,
            )*
        }

        impl Endpoint {
            /// Every endpoint, in config order.
            pub const ALL: &'static [Endpoint] = &[#(Endpoint::#variants),*];

            /// The endpoint's Amplify name.
            pub const fn name(self) -> &'static str {
                match self {
                    #(Endpoint::#variants => #modules::NAME,)*
                }
            }
        }

        impl ::core::fmt::Display for Endpoint {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl ::core::str::FromStr for Endpoint {
            type Err = ::amplify_api::__private::UnknownEndpointError;

            fn from_str(name: &str) -> ::core::result::Result<Self, Self::Err> {
                match name {
                    #(#names => ::core::result::Result::Ok(Endpoint::#variants),)*
                    _ => ::core::result::Result::Err(
                        ::amplify_api::__private::unknown_endpoint(name, &[#(#names),*]),
                    ),
                }
            }
        }
    }
}

/// The module named after the struct: Cognito facts, the enum, one module per endpoint.
fn facts_module(
    item: &ClientItem,
    model: &Model,
    module: &Ident,
    source: &Source<'_>,
) -> TokenStream {
    let vis = &item.vis;
    let client = &item.ident;
    let module_doc = doc(&format!(
        "What `{}` says, as constants: one module per REST endpoint, the `Endpoint` enum, \
         and the Cognito settings the config has. Read as {}, by `#[api_client]` on \
         `{client}`.",
        source.written,
        model.format.describe()
    ));
    let pool = model.identity_pool.as_ref().map(identity_pool_consts);
    let user_pool = model.user_pool_id.as_ref().map(|id| {
        let id_doc = doc(&format!(
            "`{id:?}`: the Cognito user pool. Its `Logins` key (for authenticated identities) \
             is `amplify_api::user_pool_login_key(USER_POOL_ID)`."
        ));
        quote! {
            #id_doc
            pub const USER_POOL_ID: &str = #id;
        }
    });
    let enum_tokens = endpoint_enum(model, client);
    let endpoint_modules = model.endpoints.iter().map(|e| endpoint_module(e, source));
    let hidden = hidden_module(module);
    let route_macro = route_macro(model, source, &hidden);
    let unusable = unusable_traits(source);
    let (public_inside, public_beside) = public_module(item, module, &hidden, &module_doc);
    // The generated code names the module by its hidden name, so a user's item of the public
    // name is one error (the name defined twice), not one per path into the module.
    quote! {
        #[doc(hidden)]
        #vis mod #hidden {
            #pool
            #user_pool
            #enum_tokens
            #(#endpoint_modules)*
            #route_macro
            #unusable
            #public_inside
        }
        #public_beside
    }
}

/// `route!`, the checked untyped call, for a client with route tables: a `macro_rules!` that
/// hands the embedded table and the call to `amplify_api::__private::checked_route!`. Usable
/// in the defining crate only (`pub(crate)`: a `macro_rules!` is not exported by path).
fn route_macro(model: &Model, source: &Source<'_>, hidden: &Ident) -> Option<TokenStream> {
    let with_tables: Vec<_> = model
        .endpoints
        .iter()
        .filter_map(|e| source.routes.get(&e.name).map(|r| (e, r)))
        .collect();
    if with_tables.is_empty() {
        return None;
    }
    let table = route_codegen::table_tokens(&with_tables);
    let name = format_ident!("{hidden}_route");
    Some(quote! {
        /// Checks an untyped call against the route tables at compile time:
        /// `route!(api.items_api().get("/items/42"))` is the call, with the span named by its
        /// route's template; a path no route matches is a compile error listing the closest
        /// routes, a method the route does not allow one listing those it does. A template
        /// with its parameters, `route!(api.items_api().get("/items/{id}", id))`, is the typed
        /// method `get_items_by_id(id)`.
        #[allow(unused_macros)]
        macro_rules! #name {
            ($($call:tt)*) => {
                ::amplify_api::__private::checked_route! { { #table } $($call)* }
            };
        }
        #[allow(unused_imports)]
        pub(crate) use #name as route;
    })
}

/// The trait an unusable endpoint's accessor is bound by (implemented by no type).
fn unusable_trait(accessor: &str) -> Ident {
    format_ident!("__Unusable_{accessor}")
}

/// The traits of [`Source::unusable`], each carrying its endpoint's message.
fn unusable_traits(source: &Source<'_>) -> TokenStream {
    let traits = source.unusable.iter().map(|(name, why)| {
        let bound = unusable_trait(name);
        // `on_unimplemented` formats its message: braces are literal only doubled.
        let message = why.replace('{', "{{").replace('}', "}}");
        quote! {
            #[doc(hidden)]
            #[allow(non_camel_case_types)]
            #[diagnostic::on_unimplemented(message = #message, label = "this endpoint cannot be used as the config writes it")]
            pub trait #bound {
                /// Never called: no type implements the trait.
                fn never(self) -> ::core::convert::Infallible;
            }
        }
    });
    quote!(#(#traits)*)
}

/// The re-export of the facts module under its public name, and the check that this name is
/// the generated module: the re-export is a glob (of a module inside the facts module that
/// re-exports it as `super::{self as api}`, so it works where the struct is defined in a
/// function body too), which an item of the user's with that name (`mod api` beside
/// `struct Api`) shadows without error, so the check, a trait bound on a marker type only the
/// generated module has, makes that one error of ours saying to use `module = "..."` (instead
/// of rustc's E0255 on the re-export). Returns (what goes inside the facts module, what goes
/// beside it).
fn public_module(
    item: &ClientItem,
    module: &Ident,
    hidden: &Ident,
    module_doc: &TokenStream,
) -> (TokenStream, TokenStream) {
    let vis = &item.vis;
    let client = &item.ident;
    let glob = format_ident!("__api_client_public");
    let marker = format_ident!("{hidden}_marker");
    let inner_vis = inner_visibility(vis);
    let message = format!(
        "an item named `{module}` beside `{client}` hides the module `#[api_client]` \
         generates for it (named `{module}` after the struct); give the generated module \
         another name with `module = \"...\"`, e.g. \
         `#[api_client(config = \"...\", module = \"{module}_client\")]`"
    );
    let label = format!("`{module}` is not the generated module");
    let check = quote::quote_spanned! {client.span()=>
        let _ = check::<#marker>;
    };
    let inside = quote! {
        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #[derive(::core::fmt::Debug)]
        pub struct #marker;
        #[doc(hidden)]
        pub mod #glob {
            #module_doc
            #[doc(inline)]
            #[allow(unused_imports)]
            #inner_vis use super::{self as #module};
        }
    };
    let beside = quote! {
        #[doc(inline)]
        #[allow(unused_imports)]
        #vis use #hidden::#glob::*;
        #[doc(hidden)]
        #[allow(dead_code, non_camel_case_types)]
        struct #marker;
        const _: () = {
            #[allow(unused_imports)]
            use #module::*;
            #[diagnostic::on_unimplemented(message = #message, label = #label)]
            trait GeneratedModule {}
            impl GeneratedModule for #hidden::#marker {}
            fn check<T: GeneratedModule>() {}
            #check
        };
    };
    (inside, beside)
}

/// `vis`, the struct's visibility, as written two modules further down (inside the facts
/// module's re-export module), meaning the same.
fn inner_visibility(vis: &syn::Visibility) -> TokenStream {
    let syn::Visibility::Restricted(r) = vis else {
        return match vis {
            syn::Visibility::Inherited => quote!(pub(in super::super)),
            other => quote!(#other),
        };
    };
    let first = r.path.segments.first().map(|s| s.ident.to_string());
    let rest = r.path.segments.iter().skip(1).map(|s| &s.ident);
    match first.as_deref() {
        Some("self") => quote!(pub(in super::super #(::#rest)*)),
        Some("super") => {
            let path = &r.path;
            quote!(pub(in super::super::#path))
        }
        _ => quote!(#vis),
    }
}

/// The name the facts module is defined under, which the generated code uses.
fn hidden_module(module: &Ident) -> Ident {
    Ident::new(&format!("__api_client_{module}"), module.span())
}

/// The identity pool's constants.
fn identity_pool_consts(pool: &IdentityPool) -> TokenStream {
    let IdentityPool {
        id,
        region,
        guest_access,
        endpoint,
    } = pool;
    let id_doc = doc(&format!(
        "`{id:?}`: the Cognito identity pool credentials come from."
    ));
    let region_doc = doc(&format!(
        "`{region:?}`: the identity pool's region (where Cognito is called)."
    ));
    let guest_doc = doc(&format!(
        "`{guest_access}`: whether the config lets signed-out users have guest credentials."
    ));
    let endpoint = endpoint.as_ref().map(|url| {
        let url_doc = doc(&format!(
            "`{url:?}`: the Cognito Identity endpoint the config sets."
        ));
        quote! {
            #url_doc
            pub const IDENTITY_POOL_ENDPOINT: &str = #url;
        }
    });
    quote! {
        #id_doc
        pub const IDENTITY_POOL_ID: &str = #id;
        #region_doc
        pub const IDENTITY_POOL_REGION: &str = #region;
        #guest_doc
        pub const GUEST_ACCESS: bool = #guest_access;
        #endpoint
    }
}

/// The doc of `new()`, which depends on the config's identity pool.
fn new_doc(model: &Model, source: &Source<'_>) -> String {
    let credentials = match &model.identity_pool {
        Some(pool) if pool.guest_access => format!(
            "Requests to `AWS_IAM` endpoints are signed with guest credentials from the \
             identity pool `{}`.",
            pool.id
        ),
        Some(pool) => format!(
            "Credentials come from the identity pool `{}`, which the config keeps for signed-in \
             users (no guest access): give the user's `Logins` with \
             `builder().logins_provider(..)`.",
            pool.id
        ),
        None => "The config has no identity pool: if it has `AWS_IAM` endpoints, this fails \
                 with a configuration error; give credentials with \
                 `builder().credentials_provider(..)`."
            .to_owned(),
    };
    format!(
        "A client for the endpoints of `{}`, with default settings. {credentials}",
        source.written
    )
}

/// The struct's doc listing each Amplify name with its accessor (the mapping can surprise:
/// `APIv2` -> `ap_iv2`).
fn accessor_list(model: &Model) -> TokenStream {
    let mut lines = vec![
        String::new(),
        "# Endpoints".to_owned(),
        String::new(),
        "Each Amplify name of the config and its accessor:".to_owned(),
    ];
    lines.extend(
        model
            .endpoints
            .iter()
            .map(|e| format!("- `{:?}` -> [`{}()`](Self::{})", e.name, e.ident, e.ident)),
    );
    lines.iter().map(|line| doc(line)).collect()
}

/// The struct, its conversions and its methods.
fn client_struct(
    item: &ClientItem,
    model: &Model,
    module: &Ident,
    source: &Source<'_>,
) -> TokenStream {
    let ClientItem { attrs, vis, ident } = item;
    let default_doc = (!attrs.iter().any(|a| a.path().is_ident("doc")))
        .then(|| doc(&format!("The REST APIs of `{}`.", source.written)));
    let accessor_list = accessor_list(model);
    let public = module;
    let module = hidden_module(module);
    let new_doc = doc(&new_doc(model, source));
    let builder_doc = doc(&format!(
        "A builder preloaded with the endpoints of `{}` and its identity pool; change anything \
         (endpoint URLs, credentials, timeouts, retries...) before `build()`.",
        source.written
    ));
    let endpoint_modules: Vec<Ident> = model
        .endpoints
        .iter()
        .map(|e| make_ident(&e.ident))
        .collect();
    let variants: Vec<Ident> = model
        .endpoints
        .iter()
        .map(|e| make_ident(&e.variant))
        .collect();
    let count = model.endpoints.len();
    let positions = 0..count;
    let accessors = model.endpoints.iter().enumerate().map(|(index, e)| {
        let accessor = make_ident(&e.ident);
        let endpoint = quote! {
            ::amplify_api::__private::config_endpoint(&self.client, &self.endpoints, #index)
        };
        match source.routes.get(&e.name) {
            Some(routes) => {
                let accessor_doc = doc(&format!(
                    "The endpoint {} Its routes (from `{}`) are typed methods: see \
                     [`{public}::{ident}::Routes`]({module}::{ident}::Routes).",
                    summary(e),
                    routes.source,
                    ident = e.ident
                ));
                quote! {
                    #accessor_doc
                    pub fn #accessor(&self) -> #module::#accessor::Routes {
                        #module::#accessor::Routes::__new(#endpoint)
                    }
                }
            }
            None => {
                let accessor_doc = doc(&format!(
                    "The endpoint {} Its methods start requests: `get`, `post`, `put`, `patch`, \
                     `delete` (`del`), `head`.",
                    summary(e)
                ));
                quote! {
                    #accessor_doc
                    pub fn #accessor(&self) -> ::amplify_api::__private::EndpointClient {
                        #endpoint
                    }
                }
            }
        }
    });
    let unusable = source.unusable.iter().map(|(name, why)| {
        let accessor = make_ident(name);
        let bound = unusable_trait(name);
        let accessor_doc = doc(&format!("Not usable: {why}"));
        quote! {
            #accessor_doc
            #[allow(unreachable_code)]
            pub fn #accessor<'a>(&'a self) -> ::amplify_api::__private::EndpointClient
            where
                &'a Self: #module::#bound,
            {
                match #module::#bound::never(self) {}
            }
        }
    });
    let accessors = accessors.chain(unusable).collect::<Vec<_>>();
    let pool_setup = model.identity_pool.as_ref().map(|pool| {
        let endpoint = pool
            .endpoint
            .as_ref()
            .map(|_| quote!(.cognito_endpoint(#module::IDENTITY_POOL_ENDPOINT)));
        quote! {
            .identity_pool(#module::IDENTITY_POOL_ID)
            .guest_access(#module::GUEST_ACCESS)
            #endpoint
        }
    });
    let allow_http = source.allow_http.then(|| quote!(.allow_http(true)));
    let allow_http_flag = source.allow_http;
    let client_name = ident.to_string();
    quote! {
        #default_doc
        #(#attrs)*
        #accessor_list
        #[derive(::core::clone::Clone, ::core::fmt::Debug)]
        #vis struct #ident {
            client: ::amplify_api::__private::Client,
            endpoints: ::amplify_api::__private::ConfigEndpoints<#count>,
        }

        impl ::core::convert::TryFrom<::amplify_api::__private::Client> for #ident {
            type Error = ::amplify_api::__private::Error;

            /// Wraps a client that has this config's endpoints (what `builder().build()` makes);
            /// an `Error::Config` naming the missing ones if it lacks some.
            fn try_from(
                client: ::amplify_api::__private::Client,
            ) -> ::core::result::Result<Self, Self::Error> {
                let endpoints = ::amplify_api::__private::config_endpoints(
                    &client,
                    [#(#module::#endpoint_modules::NAME),*],
                    #client_name,
                )?;
                ::core::result::Result::Ok(Self { client, endpoints })
            }
        }

        impl ::amplify_api::__private::FromClient for #ident {
            fn from_client(
                client: ::amplify_api::__private::Client,
            ) -> ::core::result::Result<Self, ::amplify_api::__private::Error> {
                <Self as ::core::convert::TryFrom<::amplify_api::__private::Client>>::try_from(
                    client,
                )
            }
        }

        impl #ident {
            #new_doc
            pub fn new() -> ::core::result::Result<Self, ::amplify_api::__private::Error> {
                Self::builder().build()
            }

            #builder_doc
            pub fn builder() -> ::amplify_api::__private::ClientBuilder<Self> {
                ::amplify_api::__private::ClientBuilder::new()
                    #(.endpoint(#module::#endpoint_modules::endpoint()))*
                    #pool_setup
                    #allow_http
            }

            /// The client of this stage's config file at `path`, read at run time (any format,
            /// detected): the same endpoint names, this file's URLs, regions, auth modes and
            /// identity pool. An `Error::Config` listing every endpoint of this client's config
            /// the file lacks, or naming the file, JSON path and line:column of a problem.
            pub fn from_config_file(
                path: impl ::core::convert::AsRef<::amplify_api::__private::Path>,
            ) -> ::core::result::Result<Self, ::amplify_api::__private::Error> {
                ::amplify_api::__private::from_config_file(
                    path.as_ref(),
                    &[#(#module::#endpoint_modules::NAME),*],
                    #client_name,
                    #allow_http_flag,
                )
            }

            /// The underlying client (by-name lookups, credentials, clock offset).
            pub fn client(&self) -> &::amplify_api::__private::Client {
                &self.client
            }

            #(#accessors)*

            /// The endpoint `endpoint` (for code that picks one at run time).
            pub fn endpoint(
                &self,
                endpoint: #module::Endpoint,
            ) -> ::amplify_api::__private::EndpointClient {
                match endpoint {
                    #(#module::Endpoint::#variants => ::amplify_api::__private::config_endpoint(
                        &self.client,
                        &self.endpoints,
                        #positions,
                    ),)*
                }
            }

            /// The endpoint with the Amplify name `name` (Amplify's `API.get(apiName, ...)`
            /// shape); an `UnknownEndpoint` error listing the known names if there is none.
            pub fn endpoint_by_name(
                &self,
                name: &str,
            ) -> ::core::result::Result<
                ::amplify_api::__private::EndpointClient,
                ::amplify_api::__private::Error,
            > {
                self.client.endpoint(name)
            }
        }

        ::amplify_api::__private::from_env_fn!(#ident);
    }
}

/// Everything `#[api_client]` emits for `item` and `model`; `module` is the facts module's name.
pub(crate) fn expand(
    item: &ClientItem,
    model: &Model,
    module: &Ident,
    source: &Source<'_>,
) -> TokenStream {
    let route_inputs: Vec<TokenStream> = source.routes.inputs.iter().map(|p| include(p)).collect();
    let include = source.absolute.map(include);
    let client = client_struct(item, model, module, source);
    let facts = facts_module(item, model, module, source);
    quote! {
        #client
        #include
        #(#route_inputs)*
        #facts
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use amplify_api_config::Options;

    fn item(tokens: TokenStream) -> ClientItem {
        let input: syn::DeriveInput = syn::parse2(tokens).unwrap();
        ClientItem {
            attrs: input.attrs,
            vis: input.vis,
            ident: input.ident,
        }
    }

    fn expand_text(config_text: &str, item_tokens: TokenStream) -> String {
        let model = Model::from_text(config_text, None, &Options::default()).unwrap();
        let source = Source {
            written: "cfg.json",
            absolute: Some("/app/cfg.json"),
            allow_http: false,
            routes: &Tables::default(),
            strict_routes: false,
            unusable: &[],
        };
        let tokens = expand(&item(item_tokens), &model, &make_ident("api"), &source);
        let file: syn::File = syn::parse2(tokens).unwrap();
        prettyplease::unparse(&file)
    }

    const V6: &str = r#"{"API": {"REST": {"my-api": {"endpoint": "https://a.execute-api.us-east-1.amazonaws.com/dev"}}}}"#;

    #[test]
    fn output_is_valid_rust_naming_only_core_and_the_runtime() {
        let text = expand_text(
            V6,
            quote!(
                pub(crate) struct Api;
            ),
        );
        for line in text.lines() {
            for (i, _) in line.match_indices("::") {
                // Every absolute path starts at `::core` or `::amplify_api::__private`.
                let before = &line[..i];
                if before.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '>') {
                    continue;
                }
                let rest = &line[i..];
                assert!(
                    rest.starts_with("::core::") || rest.starts_with("::amplify_api::__private::"),
                    "{line}"
                );
            }
        }
        assert!(text.contains("pub(crate) struct Api {"), "{text}");
        assert!(text.contains("pub(crate) mod __api_client_api {"), "{text}");
        assert!(
            text.contains("pub(crate) use super::{self as api};"),
            "{text}"
        );
        assert!(text.contains("include_bytes!(\"/app/cfg.json\")"), "{text}");
    }

    #[test]
    fn keeps_the_users_attributes_and_adds_a_doc_only_when_missing() {
        let documented = expand_text(
            V6,
            quote!(
                #[doc = " Mine."]
                #[allow(dead_code)]
                struct Api;
            ),
        );
        assert!(
            documented.contains("/// Mine.\n#[allow(dead_code)]"),
            "{documented}"
        );
        assert!(!documented.contains("The REST APIs of"));
        let bare = expand_text(
            V6,
            quote!(
                struct Api;
            ),
        );
        assert!(bare.contains("/// The REST APIs of `cfg.json`."), "{bare}");
    }

    #[test]
    fn the_struct_doc_lists_each_amplify_name_with_its_accessor() {
        let text = expand_text(
            r#"{"API": {"REST": {
                 "APIv2": {"endpoint": "https://a.execute-api.us-east-1.amazonaws.com/dev"},
                 "to_owned": {"endpoint": "https://b.execute-api.us-east-1.amazonaws.com/dev"}}}}"#,
            quote!(
                struct Api;
            ),
        );
        assert!(
            text.contains(
                "/// Each Amplify name of the config and its accessor:\n\
                 /// - `\"APIv2\"` -> [`ap_iv2()`](Self::ap_iv2)\n\
                 /// - `\"to_owned\"` -> [`to_owned_()`](Self::to_owned_)\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn allow_http_reaches_the_builder() {
        let model = Model::from_text(V6, None, &Options::default()).unwrap();
        let tables = Tables::default();
        let source = |allow_http| Source {
            written: "cfg.json",
            absolute: None,
            allow_http,
            routes: &tables,
            strict_routes: false,
            unusable: &[],
        };
        let item = item(quote!(
            struct Api;
        ));
        let on = expand(&item, &model, &make_ident("api"), &source(true)).to_string();
        let off = expand(&item, &model, &make_ident("api"), &source(false)).to_string();
        assert!(on.contains(". allow_http (true)"), "{on}");
        assert!(!off.contains("allow_http"), "{off}");
        assert!(!off.contains("include_bytes"), "{off}");
    }

    #[test]
    fn identity_pool_reaches_the_builder_only_when_present() {
        let without = expand_text(
            V6,
            quote!(
                struct Api;
            ),
        );
        assert!(!without.contains("identity_pool("));
        assert!(without.contains("The config has no identity pool"));
        let with = expand_text(
            r#"{"Auth": {"Cognito": {"identityPoolId": "us-east-1:abc",
                                      "identityPoolEndpoint": "http://127.0.0.1:1"}},
                "API": {"REST": {"a": {"endpoint": "https://a.execute-api.us-east-1.amazonaws.com/dev"}}}}"#,
            quote!(
                struct Api;
            ),
        );
        for needle in [
            ".identity_pool(__api_client_api::IDENTITY_POOL_ID)",
            ".guest_access(__api_client_api::GUEST_ACCESS)",
            ".cognito_endpoint(__api_client_api::IDENTITY_POOL_ENDPOINT)",
            "pub const GUEST_ACCESS: bool = false;",
            "no guest access",
        ] {
            assert!(with.contains(needle), "{needle} in {with}");
        }
    }

    #[test]
    fn api_keys_go_to_the_endpoint_description() {
        let text = expand_text(
            r#"{"api": {"plugins": {"awsAPIPlugin": {"pub": {"endpointType": "REST",
                 "endpoint": "https://p.execute-api.us-east-1.amazonaws.com/prod", "region": "us-east-1",
                 "authorizationType": "API_KEY", "apiKey": "da2-key"}}}}}"#,
            quote!(
                struct Api;
            ),
        );
        assert!(text.contains(".api_key(\"da2-key\")"), "{text}");
        assert!(
            text.contains("::amplify_api::__private::AuthMode::ApiKey"),
            "{text}"
        );
    }

    /// The expansion for the examples' config, formatted, compared with the committed file
    /// `snapshots/native.rs` (`UPDATE_SNAPSHOTS=1` rewrites it), so reviewers see what users get.
    #[test]
    fn snapshot_of_the_native_example() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let fixture = root.join("../tests/fixtures/configs/native.json");
        let config_text = std::fs::read_to_string(&fixture).unwrap();
        let model = Model::from_text(&config_text, None, &Options::default()).unwrap();
        let source = Source {
            written: "amplifyconfiguration.json",
            absolute: Some("/path/to/crate/amplifyconfiguration.json"),
            allow_http: false,
            routes: &Tables::default(),
            strict_routes: false,
            unusable: &[],
        };
        let tokens = expand(
            &item(quote! {
                /// The app's REST APIs.
                pub struct Api;
            }),
            &model,
            &make_ident("api"),
            &source,
        );
        let text = format!(
            "// Generated by `#[api_client(config = \"amplifyconfiguration.json\")] pub struct Api;`\n\
             // for tests/fixtures/configs/native.json. Regenerate: UPDATE_SNAPSHOTS=1 cargo test -p amplify-api-macros\n\n{}",
            prettyplease::unparse(&syn::parse2(tokens).unwrap())
        );
        let snapshot = root.join("snapshots/native.rs");
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::create_dir_all(snapshot.parent().unwrap()).unwrap();
            std::fs::write(&snapshot, &text).unwrap();
        }
        let expected = std::fs::read_to_string(&snapshot)
            .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_SNAPSHOTS=1", snapshot.display()));
        assert!(
            expected == text,
            "the expansion changed; review and run with UPDATE_SNAPSHOTS=1:\n{text}"
        );
    }
}
