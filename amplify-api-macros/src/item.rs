//! The item `#[api_client]` is on: a unit struct, whose attributes are kept except the derives
//! the generated struct has itself (`Clone`, `Debug`) or cannot have (an error each).

use proc_macro2::TokenStream;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Data, DeriveInput, Fields, Ident, Token};

use crate::args::Errors;
use crate::codegen::ClientItem;

/// The span of the item's keyword (`fn`, `enum`...), skipping attributes and visibility.
fn item_keyword_span(item: &TokenStream) -> proc_macro2::Span {
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

/// Why the generated struct cannot derive `name`, for derives it cannot have; `None` for the
/// ones it has anyway (`Clone`, `Debug`: dropped from the user's list) and for others (kept).
fn refused_derive(name: &str) -> Option<&'static str> {
    match name {
        "Default" => Some(
            "building a client can fail (it reads the environment and needs credentials); \
             make one with `new()` or `builder()`",
        ),
        "Copy" => Some("it holds a client, which is cheap to clone but not `Copy`; use `.clone()`"),
        "PartialEq" | "Eq" | "PartialOrd" | "Ord" | "Hash" => Some(
            "clients are not compared or hashed; compare what you need, like \
             `client().endpoint_names()`",
        ),
        _ => None,
    }
}

/// The user's attributes without the derives the generated struct has itself (`Clone`,
/// `Debug`) or cannot have (each of those one error, saying why).
fn checked_attrs(attrs: Vec<Attribute>, ident: &Ident, errors: &mut Errors) -> Vec<Attribute> {
    let mut out = Vec::with_capacity(attrs.len());
    for attr in attrs {
        if !attr.path().is_ident("derive") {
            out.push(attr);
            continue;
        }
        let Ok(paths) = attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
        else {
            out.push(attr);
            continue;
        };
        let mut kept = Vec::new();
        for path in paths {
            let name = path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            if name == "Clone" || name == "Debug" {
                continue;
            }
            if let Some(why) = refused_derive(&name) {
                errors.push(syn::Error::new(
                    path.span(),
                    format!("`{ident}` cannot derive `{name}`: {why}"),
                ));
                continue;
            }
            kept.push(path);
        }
        if !kept.is_empty() {
            out.push(syn::parse_quote!(#[derive(#(#kept),*)]));
        }
    }
    out
}

/// The struct the attribute is on; `Err` if it is not a struct. What makes it other than a
/// plain unit struct (fields, generics, derives it cannot have) is recorded in `errors`.
pub(crate) fn client_item(item: &TokenStream, errors: &mut Errors) -> syn::Result<ClientItem> {
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
    // A generic struct or one with fields is one error; the client replaces it all the same,
    // so the code using it type-checks.
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        errors.push(syn::Error::new(
            input.generics.span(),
            "`#[api_client]` structs cannot be generic",
        ));
    } else if !data.fields.is_empty() || matches!(data.fields, Fields::Unnamed(_)) {
        errors.push(syn::Error::new(
            data.fields.span(),
            "`#[api_client]` goes on a unit struct, like `pub struct Api;`; it adds the field \
             (the client) itself",
        ));
    }
    Ok(ClientItem {
        attrs: checked_attrs(input.attrs, &input.ident, errors),
        vis: input.vis,
        ident: input.ident,
    })
}
