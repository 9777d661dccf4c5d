//! A typed route's auth, from its table ([`Operation::auth`], [`Operation::api_key_required`]):
//! the call that gives it to the request ([`call`]) and the line of the method's docs that
//! says it ([`doc_line`]).
//!
//! `strict_routes` cannot refuse at compile time a route whose mode needs a provider the client
//! lacks: the token provider, API key and credentials are given to the builder at run time.
//! Such a call is refused before sending instead (`Error::InvalidRequest` of kind `Auth`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;
use syn::parse::ParseStream;

use amplify_api_config::AuthMode;
use amplify_api_config::routes::Operation;

/// The operation's auth in the table `route!` checks against: the mode's variant (or `Unset`)
/// and whether it needs the key (`AwsIam true`); read back by [`parse_embedded`].
pub(crate) fn embed(op: &Operation) -> TokenStream {
    let mode = format_ident!("{}", op.auth.map_or("Unset", |m| m.variant_name()));
    let api_key = op.api_key_required;
    quote!(#mode #api_key)
}

/// Reads what [`embed`] wrote into `op`.
pub(crate) fn parse_embedded(input: ParseStream<'_>, op: &mut Operation) -> syn::Result<()> {
    let mode: Ident = input.parse()?;
    let api_key: syn::LitBool = input.parse()?;
    op.auth = AuthMode::ALL.into_iter().find(|m| mode == m.variant_name());
    op.api_key_required = api_key.value;
    Ok(())
}

/// What follows `self.0.__route(..)` in a typed method: `.__route_auth(mode, api_key)` when the
/// table says how the route is authorized; nothing when it does not (the endpoint's mode).
pub(crate) fn call(op: &Operation) -> TokenStream {
    if op.auth.is_none() && !op.api_key_required {
        return TokenStream::new();
    }
    let mode = match op.auth {
        Some(mode) => {
            let variant = format_ident!("{}", mode.variant_name());
            quote!(::core::option::Option::Some(::amplify_api::AuthMode::#variant))
        }
        None => quote!(::core::option::Option::None),
    };
    let api_key = op.api_key_required;
    quote!(.__route_auth(#mode, #api_key))
}

/// The doc line of a typed method naming its auth: "Auth: `AWS_IAM (SigV4) + API key`, from
/// the route table; `.auth(..)` on the request overrides it."
pub(crate) fn doc_line(op: &Operation) -> String {
    match op.auth {
        Some(mode) => format!(
            "Auth: {}, from the route table (sent without choosing it per call; \
             `.auth(AuthMode::..)` on the request overrides it).",
            mode.described(op.api_key_required)
        ),
        None if op.api_key_required => "Auth: the endpoint's mode + API key (`x-api-key`), \
             from the route table; `.auth(AuthMode::..)` on the request overrides it."
            .to_owned(),
        None => "Auth: the endpoint's mode (the route table does not say).".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use amplify_api_config::routes::Method;

    #[test]
    fn a_route_with_auth_gets_the_call_and_the_doc_line() {
        let mut op = Operation::new(Method::Get);
        assert!(call(&op).is_empty());
        assert_eq!(
            doc_line(&op),
            "Auth: the endpoint's mode (the route table does not say)."
        );
        op.auth = Some(AuthMode::AwsIam);
        op.api_key_required = true;
        let expected = quote!(.__route_auth(
            ::core::option::Option::Some(::amplify_api::AuthMode::AwsIam),
            true
        ));
        assert_eq!(call(&op).to_string(), expected.to_string());
        assert!(doc_line(&op).starts_with("Auth: AWS_IAM (SigV4) + API key, from the route table"));
        let mut back = Operation::new(Method::Get);
        syn::parse::Parser::parse2(
            |input: ParseStream<'_>| parse_embedded(input, &mut back),
            embed(&op),
        )
        .unwrap();
        assert_eq!((back.auth, back.api_key_required), (op.auth, true));
    }
}
