//! Route tables -> tokens: per endpoint with a table, the type its accessor returns
//! (`api::items_api::Routes`) with one typed method per route and method
//! (`get_items_by_id(id)`), and the table `route!` checks untyped calls against. The reading is
//! [`crate::routes`]'; the checking of `route!` calls is [`check_call`].

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned};
use syn::{Ident, LitStr};

use amplify_api_config::routes::{
    Method, Operation, Param, PathSegment, Route, RouteTable, Schema,
};
use amplify_api_config::{Endpoint, names};

use crate::routes::EndpointRoutes;
use crate::schema_codegen::{self, OpTypes, Ty};

/// Names a typed method may not take: the methods `Routes` has or derefs to, and those of the
/// traits it implements. Such a name gets a `_` behind (`get` -> `get_`).
const TAKEN: &[&str] = &[
    "request",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "del",
    "head",
    "name",
    "url",
    "region",
    "service",
    "auth_mode",
    "deref",
    "clone",
    "fmt",
    "__route",
    "__new",
];

/// One typed method: its route and operation, Rust name and parameter names.
struct Typed<'a> {
    route: &'a Route,
    op: &'a Operation,
    name: String,
    params: Vec<String>,
}

/// Header parameters a typed method does not take: the client's auth sets them.
const AUTH_HEADERS: &[&str] = &["authorization", "x-api-key", "host"];

/// Names the methods of a per-route request type (`requests::ListOrders`) have: an optional
/// parameter of that name gets a `_` behind.
const REQUEST_METHODS: &[&str] = &["send", "into_typed"];

/// The Rust type of a query or header parameter, from its schema's `type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `integer`: `i64`.
    Int,
    /// `number`: `f64`.
    Num,
    /// `boolean`: `bool`.
    Bool,
    /// Anything else: text (`impl AsRef<str>`).
    Text,
}

/// A query or header parameter of a typed method.
#[derive(Debug)]
struct ParamArg {
    /// Its name as sent.
    wire: String,
    /// Its Rust name (argument or method).
    ident: String,
    kind: Kind,
    header: bool,
    required: bool,
}

impl ParamArg {
    /// Its Rust type.
    fn ty(&self) -> TokenStream {
        match self.kind {
            Kind::Int => quote!(i64),
            Kind::Num => quote!(f64),
            Kind::Bool => quote!(bool),
            Kind::Text => quote!(impl ::core::convert::AsRef<str>),
        }
    }

    /// `builder` with the value `value` added (through `query` or `header`).
    fn add(&self, builder: TokenStream, value: &Ident) -> TokenStream {
        let wire = &self.wire;
        let text = match (self.kind, self.header) {
            (Kind::Text, _) => quote!(::core::convert::AsRef::<str>::as_ref(&#value)),
            (_, false) => quote!(#value),
            (_, true) => quote!(::std::string::ToString::to_string(&#value)),
        };
        if self.header {
            quote!(#builder.header(#wire, #text))
        } else {
            quote!(#builder.query(#wire, #text))
        }
    }

    /// The doc line of the parameter.
    fn doc(&self) -> String {
        let place = if self.header { "header" } else { "query" };
        let ty = match self.kind {
            Kind::Int => "an integer",
            Kind::Num => "a number",
            Kind::Bool => "a boolean",
            Kind::Text => "text",
        };
        format!(
            "- `{}`: the {place} parameter `{}`, {ty}.",
            self.ident, self.wire
        )
    }
}

/// The kind of a parameter's schema (a model's by its `type`).
fn kind(param: &Param, table: &RouteTable) -> Kind {
    let value = match &param.schema {
        Some(Schema::Inline(value)) => Some(value),
        Some(Schema::Named(name)) => table
            .schemas
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v),
        None => None,
    };
    match value.and_then(|v| v.get("type")).and_then(|t| t.as_str()) {
        Some("integer") => Kind::Int,
        Some("number") => Kind::Num,
        Some("boolean") => Kind::Bool,
        _ => Kind::Text,
    }
}

/// What makes a typed method typed beyond its path: its query and header parameters, body
/// and answers.
#[derive(Debug, Default)]
struct Shape {
    args: Vec<ParamArg>,
    types: OpTypes,
}

impl Shape {
    /// Whether the method returns a typed request (else the plain `RequestBuilder`, as a
    /// route without schemas or parameters always has).
    fn typed(&self) -> bool {
        !self.args.is_empty() || self.types != OpTypes::default()
    }

    /// Whether it has optional parameters, so a per-route request type.
    fn optional(&self) -> bool {
        self.args.iter().any(|a| !a.required)
    }

    /// The `TypedRequest<T, E>` it returns (from the endpoint module or, with `sub`, a module
    /// inside it).
    fn request_type(&self, sub: bool) -> TokenStream {
        let side = |t: &Option<Ty>| match t {
            Some(t) => t.tokens(sub),
            None => quote!(::amplify_api::__private::NoSchema),
        };
        let (ok, err) = (side(&self.types.ok), side(&self.types.err));
        quote!(::amplify_api::__private::TypedRequest<#ok, #err>)
    }
}

/// The shape of the typed method `t`, its types from `types`; argument names unique beside
/// its path parameters.
fn shape(t: &Typed<'_>, table: &RouteTable, types: OpTypes) -> Shape {
    let mut taken: Vec<String> = t.params.clone();
    taken.push("body".to_owned());
    let mut args = Vec::new();
    let params = t.op.query.iter().map(|p| (p, false));
    let headers =
        t.op.headers
            .iter()
            .filter(|p| !AUTH_HEADERS.contains(&p.name.to_ascii_lowercase().as_str()))
            .filter(|p| !p.name.to_ascii_lowercase().starts_with("x-amz-"))
            .map(|p| (p, true));
    for (param, header) in params.chain(headers) {
        let mut ident = names::snake_ident(&param.name).unwrap_or_else(|_| "param".to_owned());
        if ident == "self" || ident == "self_" {
            ident = "self_value".to_owned();
        }
        if !param.required && REQUEST_METHODS.contains(&ident.as_str()) {
            ident.push('_');
        }
        let mut unique = ident.clone();
        let mut n = 1;
        while taken.contains(&unique) {
            n += 1;
            unique = format!("{ident}_{n}");
        }
        taken.push(unique.clone());
        args.push(ParamArg {
            wire: param.name.clone(),
            ident: unique,
            kind: kind(param, table),
            header,
            required: param.required,
        });
    }
    Shape { args, types }
}

/// The typed methods of `table`, uniquely named: a name taken twice gets `_2`, `_3`...
fn typed(table: &RouteTable) -> Vec<Typed<'_>> {
    let mut out: Vec<Typed<'_>> = Vec::new();
    for route in &table.routes {
        for op in &route.operations {
            let mut base = route.rust_name(op);
            if TAKEN.contains(&base.as_str()) {
                base.push('_');
            }
            let mut name = base.clone();
            let mut n = 1;
            while out.iter().any(|t| t.name == name) {
                n += 1;
                name = format!("{base}_{n}");
            }
            let mut params: Vec<String> = Vec::new();
            for param in route.params() {
                let mut ident = names::snake_ident(param).unwrap_or_else(|_| "param".to_owned());
                if ident == "self_" || ident == "self" {
                    ident = "self_value".to_owned();
                }
                let mut unique = ident.clone();
                let mut n = 1;
                while params.contains(&unique) {
                    n += 1;
                    unique = format!("{ident}_{n}");
                }
                params.push(unique);
            }
            out.push(Typed {
                route,
                op,
                name,
                params,
            });
        }
    }
    out
}

/// `#[doc = " text"]`.
fn doc(text: &str) -> TokenStream {
    let text = format!(" {text}");
    quote!(#[doc = #text])
}

/// The doc comment of a typed method.
fn method_doc(t: &Typed<'_>, shape: &Shape, source: &str) -> TokenStream {
    let template = &t.route.template.value;
    let mut lines = vec![format!(
        "`{} {template}`{}, from `{source}`.",
        t.op.method,
        t.op.operation_id
            .as_ref()
            .map(|id| format!(" (operation `{id}`)"))
            .unwrap_or_default()
    )];
    let mut params = Vec::new();
    for (segment, ident) in t
        .route
        .segments
        .iter()
        .filter(|s| !matches!(s, PathSegment::Literal(_)))
        .zip(&t.params)
    {
        match segment {
            PathSegment::Param(p) => params.push(format!(
                "- `{ident}`: `{{{p}}}`, one path segment, percent-encoded (a `/`, `?`, `%` \
                 or space in it stays in the segment)."
            )),
            PathSegment::Greedy(p) => params.push(format!(
                "- `{ident}`: `{{{p}+}}`, a path: each of its `/`-separated segments is \
                 percent-encoded."
            )),
            PathSegment::Literal(_) => {}
        }
    }
    if !params.is_empty() {
        lines.push(String::new());
        lines.push("# Parameters".to_owned());
        lines.extend(params);
        lines.push(
            "A value (or greedy segment) that is `.` or `..` is refused when the request is \
             sent (an `Error` before anything goes out): URLs resolve those segments, so the \
             request would reach another route."
                .to_owned(),
        );
    }
    if !t.op.callers.is_empty() {
        lines.push(String::new());
        lines.push(format!(
            "Who may call it (the API's permissions): {}.",
            t.op.callers.join(", ")
        ));
    }
    lines.extend([String::new(), crate::route_auth::doc_line(t.op)]);
    lines.push(String::new());
    if !shape.typed() {
        lines.push(
            "Returns the request builder: add a query, headers or a body, then `send()`."
                .to_owned(),
        );
        return lines.iter().map(|l| doc(l)).collect();
    }
    let required: Vec<String> = shape
        .args
        .iter()
        .filter(|a| a.required)
        .map(ParamArg::doc)
        .collect();
    if !required.is_empty() {
        lines.push("# Required parameters (arguments)".to_owned());
        lines.extend(required);
        lines.push(String::new());
    }
    let optional: Vec<String> = shape
        .args
        .iter()
        .filter(|a| !a.required)
        .map(ParamArg::doc)
        .collect();
    if !optional.is_empty() {
        lines.push(format!(
            "# Optional parameters (methods of [`requests::{}`])",
            camel(&t.name)
        ));
        lines.extend(optional);
        lines.push(String::new());
    }
    if let Some(body) = &shape.types.body {
        lines.push(format!("The JSON body `body` is {}.", body.doc_name()));
    }
    lines.push(format!(
        "Sending it gives {} on success{}.",
        shape
            .types
            .ok
            .as_ref()
            .map_or("an answer without a schema".to_owned(), Ty::doc_name),
        shape
            .types
            .err
            .as_ref()
            .map(|e| format!(" and the error's `json()` decodes {}", e.doc_name()))
            .unwrap_or_default()
    ));
    lines.iter().map(|l| doc(l)).collect()
}

/// The `RoutePart`s of a typed route's path, each parameter taking the next of `values`.
fn path_parts(
    segments: &[PathSegment],
    mut values: impl Iterator<Item = TokenStream>,
) -> Vec<TokenStream> {
    segments
        .iter()
        .map(|s| match s {
            PathSegment::Literal(l) => quote!(::amplify_api::__private::RoutePart::Literal(#l)),
            PathSegment::Param(_) => {
                let v = values.next();
                quote!(::amplify_api::__private::RoutePart::Param(::core::convert::AsRef::<str>::as_ref(&#v)))
            }
            PathSegment::Greedy(_) => {
                let v = values.next();
                quote!(::amplify_api::__private::RoutePart::Greedy(::core::convert::AsRef::<str>::as_ref(&#v)))
            }
        })
        .collect()
}

/// `get_items_by_id` -> `GetItemsById`: a per-route request type's name.
fn camel(method: &str) -> String {
    heck::ToUpperCamelCase::to_upper_camel_case(method)
}

/// A typed method, and its per-route request type (in `requests`) when it has optional
/// parameters.
fn method(t: &Typed<'_>, shape: &Shape, source: &str) -> (TokenStream, TokenStream) {
    let name = format_ident!("{}", t.name);
    let http = format_ident!("{}", t.op.method.as_str());
    let template = &t.route.template.value;
    let doc = method_doc(t, shape, source);
    let params: Vec<Ident> = t.params.iter().map(|p| format_ident!("{}", p)).collect();
    let parts = path_parts(&t.route.segments, params.iter().map(|p| quote!(#p)));
    let required: Vec<&ParamArg> = shape.args.iter().filter(|a| a.required).collect();
    let arg_idents: Vec<Ident> = required
        .iter()
        .map(|a| format_ident!("{}", a.ident))
        .collect();
    let arg_types = required.iter().map(|a| a.ty());
    let adds = required.iter().zip(&arg_idents).map(|(a, ident)| {
        let added = a.add(quote!(builder), ident);
        quote!(let builder = #added;)
    });
    let auth = crate::route_auth::call(t.op);
    let body_arg = shape.types.body.as_ref().map(|b| {
        let ty = b.tokens(false);
        quote!(body: &#ty,)
    });
    let body_set = shape
        .types
        .body
        .as_ref()
        .map(|_| quote!(let builder = builder.json(body);));
    let request = shape.request_type(false);
    let wrapper = format_ident!("{}", camel(&t.name));
    let (ret, wrap) = if !shape.typed() {
        (
            quote!(::amplify_api::__private::RequestBuilder),
            quote!(builder),
        )
    } else if shape.optional() {
        (
            quote!(requests::#wrapper),
            quote!(requests::#wrapper(::amplify_api::__private::TypedRequest::__new(builder))),
        )
    } else {
        (
            request,
            quote!(::amplify_api::__private::TypedRequest::__new(builder)),
        )
    };
    let method = quote! {
        #doc
        pub fn #name(
            &self,
            #(#params: impl ::core::convert::AsRef<str>,)*
            #(#arg_idents: #arg_types,)*
            #body_arg
        ) -> #ret {
            let builder = self.0.__route(
                ::amplify_api::__private::Method::#http,
                #template,
                ::amplify_api::__private::route_path(&[#(#parts),*]),
            )#auth;
            #(#adds)*
            #body_set
            #wrap
        }
    };
    let request_type = if shape.typed() && shape.optional() {
        request_struct(t, shape, &wrapper)
    } else {
        TokenStream::new()
    };
    (method, request_type)
}

/// The per-route request type of `t` (inside `requests`): its optional parameters as methods.
fn request_struct(t: &Typed<'_>, shape: &Shape, wrapper: &Ident) -> TokenStream {
    let request = shape.request_type(true);
    let side = |ty: &Option<Ty>| match ty {
        Some(ty) => ty.tokens(true),
        None => quote!(::amplify_api::__private::NoSchema),
    };
    let (ok, err) = (side(&shape.types.ok), side(&shape.types.err));
    let type_doc = doc(&format!(
        "The request of `{}` (`{} {}`) with its optional parameters as methods; `send()` it.",
        t.name, t.op.method, t.route.template.value
    ));
    let optional = shape.args.iter().filter(|a| !a.required).map(|a| {
        let name = format_ident!("{}", a.ident);
        let ty = a.ty();
        let value = format_ident!("value");
        let added = a.add(quote!(self.0), &value);
        let line = doc(&format!(
            "Sets the optional {} parameter `{}`.",
            if a.header { "header" } else { "query" },
            a.wire
        ));
        quote! {
            #line
            pub fn #name(self, value: #ty) -> Self {
                #wrapper(#added)
            }
        }
    });
    quote! {
        #type_doc
        #[derive(::core::fmt::Debug)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #wrapper(pub(super) #request);

        impl #wrapper {
            #(#optional)*

            /// Sends the request (`TypedRequest::send`).
            pub async fn send(
                self,
            ) -> ::core::result::Result<
                ::amplify_api::__private::TypedResponse<#ok>,
                ::amplify_api::__private::TypedError<#err>,
            > {
                self.0.send().await
            }

            /// The typed request (its `with`, `query`, `header`, `into_untyped`).
            pub fn into_typed(self) -> #request {
                self.0
            }
        }
    }
}

/// The `Routes` type of endpoint `e` (inside its module), with its typed methods; without
/// `Deref` to the untyped `EndpointClient` when `strict`.
pub(crate) fn routes_type(e: &Endpoint, routes: &EndpointRoutes, strict: bool) -> TokenStream {
    let all = typed(&routes.table);
    let ops: Vec<(&Operation, &str)> = all.iter().map(|t| (t.op, t.name.as_str())).collect();
    let generated = schema_codegen::generate(&routes.table, &ops, &routes.source);
    let (methods, request_types): (Vec<TokenStream>, Vec<TokenStream>) = all
        .iter()
        .zip(generated.ops)
        .map(|(t, types)| method(t, &shape(t, &routes.table, types), &routes.source))
        .unzip();
    let models = generated.items;
    let requests = request_types.iter().any(|r| !r.is_empty()).then(|| {
        quote! {
            /// The requests of the typed routes that have optional parameters, one type per
            /// route (named after its method: `list_orders` -> `ListOrders`), those parameters
            /// its methods.
            pub mod requests {
                #(#request_types)*
            }
        }
    });
    let untyped = if strict {
        "`strict_routes = true`: it has no untyped methods (`get(path)`...); the client's \
         `endpoint(..)` and `endpoint_by_name(..)` still give the untyped endpoint."
    } else {
        "It derefs to the untyped `EndpointClient` (`get(path)`, `post(path)`...) for paths the \
         table does not have; `route!(api.accessor().get(\"/literal\"))` checks such a call \
         against the table at compile time."
    };
    let stage = routes
        .table
        .base_path
        .as_ref()
        .map(|b| {
            format!(
                " The file's stage path is `{b}`; the endpoint URL is `{}`.",
                e.url
            )
        })
        .unwrap_or_default();
    let type_doc = doc(&format!(
        "The endpoint `{}` with the {} routes of `{}` as typed methods.{stage} {untyped}",
        e.name,
        routes.table.routes.len(),
        routes.source
    ));
    let untyped_methods = if strict {
        // Each untyped verb takes a type that implements no trait: a call is one error saying
        // why (`StrictRoutes`' message), not a missing method.
        let verbs =
            ["get", "post", "put", "patch", "delete", "del", "head"].map(|v| format_ident!("{v}"));
        quote! {
            impl Routes {
                #(
                    #[doc(hidden)]
                    pub fn #verbs<P: ::amplify_api::__private::StrictRoutes>(
                        &self,
                        path: P,
                    ) -> ::amplify_api::__private::RequestBuilder {
                        match ::amplify_api::__private::StrictRoutes::never(path) {}
                    }
                )*
            }
        }
    } else {
        quote! {
            impl ::core::ops::Deref for Routes {
                type Target = ::amplify_api::__private::EndpointClient;

                fn deref(&self) -> &Self::Target {
                    &self.0
                }
            }
        }
    };
    quote! {
        #type_doc
        #[derive(::core::clone::Clone, ::core::fmt::Debug)]
        pub struct Routes(::amplify_api::__private::EndpointClient);

        impl Routes {
            #[doc(hidden)]
            pub fn __new(endpoint: ::amplify_api::__private::EndpointClient) -> Self {
                Routes(endpoint)
            }

            #[doc(hidden)]
            pub fn __route(
                &self,
                method: ::amplify_api::__private::Method,
                template: &'static str,
                path: &str,
            ) -> ::amplify_api::__private::RequestBuilder {
                self.0.__route(method, template, ::core::convert::Into::into(path))
            }

            /// The endpoint's name.
            pub fn name(&self) -> &str {
                self.0.name()
            }

            /// The endpoint's base URL (without a trailing slash), after any override.
            pub fn url(&self) -> &str {
                self.0.url()
            }

            #(#methods)*
        }

        #untyped_methods

        #models
        #requests
    }
}

/// The table `route!` checks against, as tokens: per endpoint
/// `accessor "Name" [ "template" (GET rust_name, ...) ... ]`.
pub(crate) fn table_tokens(endpoints: &[(&Endpoint, &EndpointRoutes)]) -> TokenStream {
    let entries = endpoints.iter().map(|(e, routes)| {
        let accessor = format_ident!("{}", e.ident);
        let name = &e.name;
        let all = typed(&routes.table);
        let per_route = routes.table.routes.iter().map(|route| {
            let template = &route.template.value;
            let ops = all
                .iter()
                .filter(|t| std::ptr::eq(t.route, route))
                .map(|t| {
                    let m = format_ident!("{}", t.op.method.as_str());
                    let n = format_ident!("{}", t.name);
                    // `*`: the typed method takes more than the path's parameters.
                    let more = required_beyond_path(t.op).then(|| quote!(*));
                    let auth = crate::route_auth::embed(t.op);
                    quote!(#m #n #more #auth)
                });
            quote!(#template (#(#ops),*))
        });
        quote!(#accessor #name [#(#per_route)*])
    });
    quote!(#(#entries)*)
}

/// Whether the typed method of `op` takes arguments beyond the path's parameters: required
/// query or header parameters, or a body.
fn required_beyond_path(op: &Operation) -> bool {
    op.body.is_some()
        || op.query.iter().any(|p| p.required)
        || op.headers.iter().any(|p| {
            let name = p.name.to_ascii_lowercase();
            p.required && !AUTH_HEADERS.contains(&name.as_str()) && !name.starts_with("x-amz-")
        })
}

/// A route of the embedded table: the route and its methods' Rust names, each with whether
/// its typed method takes more than the path's parameters.
struct Embedded {
    accessor: String,
    name: String,
    table: RouteTable,
    names: Vec<Vec<(Method, String, bool)>>,
}

/// Reads the table [`table_tokens`] wrote.
fn parse_table(tokens: TokenStream) -> syn::Result<Vec<Embedded>> {
    let parser = |input: syn::parse::ParseStream<'_>| -> syn::Result<Vec<Embedded>> {
        let mut out = Vec::new();
        while !input.is_empty() {
            let accessor: Ident = input.parse()?;
            let name: LitStr = input.parse()?;
            let content;
            syn::bracketed!(content in input);
            let mut table = RouteTable::default();
            let mut names = Vec::new();
            while !content.is_empty() {
                let template: LitStr = content.parse()?;
                let ops;
                syn::parenthesized!(ops in content);
                let mut operations = Vec::new();
                let mut op_names = Vec::new();
                while !ops.is_empty() {
                    let m: Ident = ops.parse()?;
                    let n: Ident = ops.parse()?;
                    let more = ops.peek(syn::Token![*]);
                    if more {
                        ops.parse::<syn::Token![*]>()?;
                    }
                    let method = Method::from_name(&m.to_string())
                        .ok_or_else(|| syn::Error::new(m.span(), "bad method"))?;
                    let mut op = Operation::new(method);
                    crate::route_auth::parse_embedded(&ops, &mut op)?;
                    operations.push(op);
                    op_names.push((method, n.to_string(), more));
                    if !ops.is_empty() {
                        ops.parse::<syn::Token![,]>()?;
                    }
                }
                let route = Route::from_template(&template.value(), operations)
                    .map_err(|e| syn::Error::new(template.span(), e))?;
                table.routes.push(route);
                names.push(op_names);
            }
            out.push(Embedded {
                accessor: accessor.to_string(),
                name: name.value(),
                table,
                names,
            });
        }
        Ok(out)
    };
    syn::parse::Parser::parse2(parser, tokens)
}

/// The verbs `route!` checks, as the untyped methods spell them.
fn verb(name: &str) -> Option<Method> {
    match name {
        "get" => Some(Method::Get),
        "post" => Some(Method::Post),
        "put" => Some(Method::Put),
        "patch" => Some(Method::Patch),
        "delete" | "del" => Some(Method::Delete),
        "head" => Some(Method::Head),
        _ => None,
    }
}

/// `route!(recv.accessor().verb("/path", args...))`: the call split into its parts.
struct Call {
    receiver: TokenStream,
    accessor: Ident,
    verb: Ident,
    path: LitStr,
    args: Vec<TokenStream>,
}

/// Splits the call's tokens; `None` when they are not of that shape.
fn parse_call(tokens: TokenStream) -> Option<Call> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let n = tokens.len();
    if n < 7 {
        return None;
    }
    let group = |t: &TokenTree, empty: bool| match t {
        TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::Parenthesis => {
            (g.stream().is_empty() == empty || !empty).then(|| g.stream())
        }
        _ => None,
    };
    let dot = |t: &TokenTree| matches!(t, TokenTree::Punct(p) if p.as_char() == '.');
    let ident = |t: &TokenTree| match t {
        TokenTree::Ident(i) => Some(i.clone()),
        _ => None,
    };
    let args = group(&tokens[n - 1], false)?;
    let verb = ident(&tokens[n - 2])?;
    if !dot(&tokens[n - 3]) {
        return None;
    }
    group(&tokens[n - 4], true).filter(|s| s.is_empty())?;
    let accessor = ident(&tokens[n - 5])?;
    if !dot(&tokens[n - 6]) {
        return None;
    }
    let receiver: TokenStream = tokens[..n - 6].iter().cloned().collect();
    let mut parts = crate::args::split_arguments(args).into_iter();
    let path: LitStr = syn::parse2(parts.next()?).ok()?;
    Some(Call {
        receiver,
        accessor,
        verb,
        path,
        args: parts.collect(),
    })
}

/// The expansion of `route!`: the checked call, or exactly one error on the part that is
/// wrong (the path: with the closest routes; the verb: with the allowed methods).
pub(crate) fn check_call(input: TokenStream) -> TokenStream {
    let mut iter = input.into_iter();
    let Some(TokenTree::Group(table)) = iter.next() else {
        return syn::Error::new(Span::call_site(), "route!: missing table").to_compile_error();
    };
    let call_tokens: TokenStream = iter.collect();
    let tables = match parse_table(table.stream()) {
        Ok(tables) => tables,
        Err(e) => return e.to_compile_error(),
    };
    let Some(call) = parse_call(call_tokens.clone()) else {
        return syn::Error::new_spanned(
            call_tokens,
            "`route!` takes an untyped call on an endpoint with a route table: \
             `route!(api.items_api().get(\"/items/42\"))` (or a template with its parameters: \
             `route!(api.items_api().get(\"/items/{id}\", id))`)",
        )
        .to_compile_error();
    };
    let accessor = call.accessor.to_string();
    let Some(endpoint) = tables.iter().find(|t| t.accessor == accessor) else {
        let known: Vec<String> = tables
            .iter()
            .map(|t| format!("`{}()`", t.accessor))
            .collect();
        return syn::Error::new(
            call.accessor.span(),
            format!(
                "`{accessor}()` is not an endpoint with a route table; `route!` checks calls on {}",
                known.join(", ")
            ),
        )
        .to_compile_error();
    };
    let verb_name = call.verb.to_string();
    let Some(method) = verb(&verb_name) else {
        return syn::Error::new(
            call.verb.span(),
            format!(
                "`{verb_name}` is not an untyped verb; `route!` takes `get`, `post`, `put`, \
                 `patch`, `delete` (`del`) or `head`"
            ),
        )
        .to_compile_error();
    };
    let path = call.path.value();
    let route_index = if path.contains('{') {
        endpoint.table.template(&path).and_then(|r| {
            endpoint
                .table
                .routes
                .iter()
                .position(|x| std::ptr::eq(x, r))
        })
    } else {
        let bare = path.split('?').next().unwrap_or_default();
        endpoint.table.find(bare).and_then(|r| {
            endpoint
                .table
                .routes
                .iter()
                .position(|x| std::ptr::eq(x, r))
        })
    };
    let Some(index) = route_index else {
        let closest: Vec<String> = endpoint
            .table
            .closest(&path, 3)
            .iter()
            .map(|r| format!("`{}` ({})", r.template.value, r.methods_list()))
            .collect();
        return syn::Error::new(
            call.path.span(),
            format!(
                "no route of `{}` matches `{path}`; the closest: {}",
                endpoint.name,
                closest.join(", ")
            ),
        )
        .to_compile_error();
    };
    let route = &endpoint.table.routes[index];
    let Some((_, rust_name, more)) = endpoint.names[index].iter().find(|(m, _, _)| *m == method)
    else {
        return syn::Error::new(
            call.verb.span(),
            format!(
                "the route `{}` of `{}` does not allow {method}; it allows {}",
                route.template.value,
                endpoint.name,
                route.methods_list()
            ),
        )
        .to_compile_error();
    };
    let receiver = call.receiver;
    let accessor = call.accessor;
    let span = call.verb.span();
    if path.contains('{') {
        let name = Ident::new(rust_name, span);
        let args = call.args;
        let params = template_params(&route.template.value);
        if params.len() != args.len() {
            let given: Vec<String> = args.iter().map(|a| a.to_string()).collect();
            return syn::Error::new(
                call.path.span(),
                count_message(&verb_name, &route.template.value, &params, &given),
            )
            .to_compile_error();
        }
        if !*more {
            return quote_spanned!(span=> #receiver.#accessor().#name(#(#args),*));
        }
        // The typed method takes query parameters or a body too: the untyped call on the
        // route's path, as for a concrete path.
        let parts = path_parts(&route.segments, args.iter().cloned());
        let http = format_ident!("{}", method.as_str());
        let template = &route.template.value;
        let auth = route.operation(method).map(crate::route_auth::call);
        quote_spanned!(span=> #receiver.#accessor().__route(
            ::amplify_api::__private::Method::#http, #template,
            &::amplify_api::__private::route_path(&[#(#parts),*]))#auth)
    } else {
        if let Some(extra) = call.args.first() {
            return syn::Error::new_spanned(
                extra,
                "a concrete path takes no parameters; write the template (`\"/items/{id}\"`) to \
                 pass them",
            )
            .to_compile_error();
        }
        let http = format_ident!("{}", method.as_str());
        let template = &route.template.value;
        let lit = &call.path;
        let auth = route.operation(method).map(crate::route_auth::call);
        quote_spanned!(span=> #receiver.#accessor().__route(
            ::amplify_api::__private::Method::#http, #template, #lit)#auth)
    }
}

/// The parameter names of a path template, in order (`{proxy+}` is `proxy`).
fn template_params(template: &str) -> Vec<&str> {
    template
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| name.trim_end_matches('+'))
        .collect()
}

/// The error for a template call with `given` arguments where the template has `params`: the
/// call as it should be, each missing parameter marked where it goes.
fn count_message(verb: &str, template: &str, params: &[&str], given: &[String]) -> String {
    let count = |n: usize| match n {
        1 => "1 parameter".to_owned(),
        n => format!("{n} parameters"),
    };
    let names: Vec<String> = params.iter().map(|p| format!("`{p}`")).collect();
    let mut call: Vec<String> = vec![format!("\"{template}\"")];
    for (i, param) in params.iter().enumerate() {
        call.push(match given.get(i) {
            Some(arg) => arg.clone(),
            None => format!("/* {param} */"),
        });
    }
    let fix = if given.len() > params.len() {
        "without the extra arguments"
    } else {
        "with the missing ones where marked"
    };
    format!(
        "the template `{template}` has {} ({}), and {} given; write the call {fix}: \
         `{verb}({})`",
        count(params.len()),
        names.join(", "),
        match given.len() {
            1 => "1 is".to_owned(),
            n => format!("{n} are"),
        },
        call.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;
    use amplify_api_config::routes::read_openapi;

    #[test]
    fn a_template_call_with_a_missing_parameter_shows_the_call() {
        let params = template_params("/calc/{a}/{b}/{op}");
        assert_eq!(params, ["a", "b", "op"]);
        assert_eq!(template_params("/files/{proxy+}"), ["proxy"]);
        let given = ["\"1\"".to_owned(), "\"2\"".to_owned()];
        assert_eq!(
            count_message("get", "/calc/{a}/{b}/{op}", &params, &given),
            "the template `/calc/{a}/{b}/{op}` has 3 parameters (`a`, `b`, `op`), and 2 are \
             given; write the call with the missing ones where marked: \
             `get(\"/calc/{a}/{b}/{op}\", \"1\", \"2\", /* op */)`"
        );
    }
    use amplify_api_config::{Model, Options};

    const OAS: &str = r#"{"openapi": "3.0.1", "paths": {
        "/items": {"get": {"operationId": "listItems"}},
        "/items/{id}": {"get": {}, "delete": {}},
        "/get": {"get": {"operationId": "get"}},
        "/files/{proxy+}": {"x-amazon-apigateway-any-method": {}}}}"#;

    fn table_and_endpoint() -> (Endpoint, EndpointRoutes) {
        let model = Model::from_text(
            r#"{"API": {"REST": {"itemsApi": {"endpoint": "https://a.execute-api.us-east-1.amazonaws.com/dev"}}}}"#,
            None,
            &Options::default(),
        )
        .unwrap();
        let routes = EndpointRoutes {
            name: "itemsApi".to_owned(),
            table: read_openapi(OAS).unwrap(),
            source: "items.json".to_owned(),
        };
        (model.endpoints[0].clone(), routes)
    }

    fn check(call: TokenStream) -> String {
        let (e, r) = table_and_endpoint();
        let table = table_tokens(&[(&e, &r)]);
        check_call(quote!({ #table } #call)).to_string()
    }

    #[test]
    fn names_are_unique_and_avoid_the_untyped_methods() {
        let (_, r) = table_and_endpoint();
        let names: Vec<String> = typed(&r.table).into_iter().map(|t| t.name).collect();
        assert_eq!(
            &names[..4],
            [
                "list_items",
                "get_items_by_id",
                "delete_items_by_id",
                "get_"
            ]
        );
        assert_eq!(names[4], "get_files_by_proxy");
    }

    #[test]
    fn routes_type_has_typed_methods_and_strict_removes_deref() {
        let (e, r) = table_and_endpoint();
        let loose = routes_type(&e, &r, false).to_string();
        assert!(loose.contains("pub fn get_items_by_id"), "{loose}");
        assert!(loose.contains("Deref for Routes"), "{loose}");
        assert!(loose.contains("RoutePart :: Greedy"), "{loose}");
        let strict = routes_type(&e, &r, true).to_string();
        assert!(!strict.contains("Deref"), "{strict}");
        assert!(strict.contains("StrictRoutes"), "{strict}");
    }

    #[test]
    fn checked_calls() {
        let ok = check(quote!(api.items_api().get("/items/42")));
        assert!(ok.contains("__route"), "{ok}");
        assert!(ok.contains("\"/items/{id}\""), "{ok}");
        let templated = check(quote!(api.items_api().get("/items/{id}", id)));
        assert!(templated.contains("get_items_by_id (id)"), "{templated}");
        let wrong_path = check(quote!(api.items_api().get("/itmes/42")));
        assert!(
            wrong_path.contains("no route of `itemsApi` matches `/itmes/42`; the closest: `/items/{id}` (GET, DELETE)"),
            "{wrong_path}"
        );
        let wrong_method = check(quote!(api.items_api().put("/items/42")));
        assert!(
            wrong_method.contains("does not allow PUT; it allows GET, DELETE"),
            "{wrong_method}"
        );
        assert!(
            check(quote!(api.other().get("/x"))).contains("not an endpoint with a route table")
        );
        assert!(check(quote!(api.items_api().fetch("/x"))).contains("not an untyped verb"));
        assert!(check(quote!(api.items_api())).contains("`route!` takes an untyped call"));
        assert!(check(quote!(api.items_api().get("/items/1", x))).contains("takes no parameters"));
        for out in [wrong_path, wrong_method] {
            assert_eq!(out.matches("compile_error").count(), 1, "{out}");
        }
    }

    #[test]
    fn parameter_names_avoid_the_path_the_request_methods_and_auth_headers() {
        let table = read_openapi(
            r#"{"openapi": "3.0.1", "paths": {"/items/{id}": {"get": {"parameters": [
                {"name": "id", "in": "query", "required": true, "schema": {"type": "integer"}},
                {"name": "send", "in": "query", "schema": {"type": "boolean"}},
                {"name": "Authorization", "in": "header", "required": true},
                {"name": "X-Amz-Date", "in": "header", "required": true},
                {"name": "x-trace", "in": "header", "required": true, "schema": {"type": "number"}}
            ]}}}}"#,
        )
        .unwrap();
        let all = typed(&table);
        let shape = shape(&all[0], &table, OpTypes::default());
        let args: Vec<(&str, &str, Kind, bool, bool)> = shape
            .args
            .iter()
            .map(|a| {
                (
                    a.wire.as_str(),
                    a.ident.as_str(),
                    a.kind,
                    a.header,
                    a.required,
                )
            })
            .collect();
        assert_eq!(
            args,
            [
                ("id", "id_2", Kind::Int, false, true),
                ("send", "send_", Kind::Bool, false, false),
                ("x-trace", "x_trace", Kind::Num, true, true),
            ]
        );
        assert!(shape.typed() && shape.optional());
        assert!(required_beyond_path(all[0].op));
        let (e, r) = table_and_endpoint();
        let loose = routes_type(&e, &r, false).to_string();
        // `listItems` has no parameter or schema here: the plain builder.
        assert!(
            loose.contains(
                "pub fn list_items (& self ,) -> :: amplify_api :: __private :: RequestBuilder"
            ),
            "{loose}"
        );
    }
}
