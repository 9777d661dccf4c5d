//! Rust names from Amplify names: `MyAPIGatewayAPI` -> `my_api_gateway_api` (accessor and
//! module) and `MyApiGatewayApi` (enum variant), with `heck` doing the case conversion.
//!
//! Rules, in order: snake_case (heck); characters other than ASCII letters, digits and `_`
//! become `_`; a leading digit gets a `_` in front (`2fa` -> `_2fa`); a Rust keyword or a name
//! the generated client already uses for itself (see [`RESERVED`]) gets a `_` behind
//! (`type` -> `type_`, `new` -> `new_`). Whether two endpoints end up with one name is checked
//! by the model, which reports both.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust's strict and reserved keywords (edition 2024, so `gen` too): not usable as plain names,
/// and some (`self`, `crate`...) not even as raw identifiers, so they get a suffix instead.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Methods the generated client defines besides the endpoint accessors, and those of the traits
/// it implements (an inherent `clone` would shadow `Clone::clone`, an inherent `from` break
/// `Api::from(client)`); an endpoint whose name becomes one of these gets a `_` behind, like a
/// keyword.
pub(crate) const RESERVED: &[&str] = &[
    "new",
    "builder",
    "client",
    "endpoint",
    "endpoint_by_name",
    "from_env",
    "clone",
    "clone_from",
    "fmt",
    "from",
    "into",
];

/// `text` with every character that cannot be in an ASCII identifier made `_`, runs of `_`
/// collapsed, and `_` trimmed from both ends.
fn ascii_ident_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = if c.is_ascii_alphanumeric() { c } else { '_' };
        if !(c == '_' && (out.is_empty() || out.ends_with('_'))) {
            out.push(c);
        }
    }
    out.trim_end_matches('_').to_owned()
}

/// The snake_case identifier (accessor, module) for the Amplify name `name`; `Err` with the
/// reason if there is none.
pub(crate) fn snake_ident(name: &str) -> Result<String, String> {
    if name.trim().is_empty() {
        return Err("an endpoint name is empty".to_owned());
    }
    let mut ident = ascii_ident_chars(&name.to_snake_case());
    if ident.is_empty() {
        return Err(format!(
            "the endpoint name `{name}` has no ASCII letters or digits to make a Rust name from"
        ));
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    if KEYWORDS.contains(&ident.as_str()) || RESERVED.contains(&ident.as_str()) {
        ident.push('_');
    }
    Ok(ident)
}

/// The UpperCamelCase identifier (enum variant) for a snake_case identifier from
/// [`snake_ident`].
pub(crate) fn camel_ident(snake: &str) -> String {
    let mut ident = snake.to_upper_camel_case();
    if ident.is_empty() || ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    if ident == "Self" {
        ident.push('_');
    }
    ident
}

/// The module named after the client struct (`Api` -> `api`, `MyApi` -> `my_api`); `Err` if it
/// would be the struct's own name (a module and a type cannot share a name).
pub(crate) fn module_ident(struct_name: &str) -> Result<String, String> {
    let mut ident = ascii_ident_chars(&struct_name.trim_start_matches("r#").to_snake_case());
    if ident.is_empty() || ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    if KEYWORDS.contains(&ident.as_str()) {
        ident.push('_');
    }
    if ident == struct_name {
        return Err(format!(
            "`#[api_client]` adds a module named after the struct in snake_case, which for \
             `{struct_name}` is its own name; name the struct in UpperCamelCase (e.g. `Api`)"
        ));
    }
    Ok(ident)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_names() {
        let cases = [
            ("MyAPIGatewayAPI", "my_api_gateway_api"),
            ("itemsApi", "items_api"),
            ("my-api", "my_api"),
            ("my api", "my_api"),
            ("  spaced  name ", "spaced_name"),
            ("my.api/v2", "my_api_v2"),
            ("2fa", "_2fa"),
            ("2FA-api", "_2fa_api"),
            ("type", "type_"),
            ("Self", "self_"),
            ("gen", "gen_"),
            ("new", "new_"),
            ("Endpoint", "endpoint_"),
            ("Clone", "clone_"),
            ("from", "from_"),
            ("données", "donn_es"),
            ("already_snake", "already_snake"),
        ];
        for (name, ident) in cases {
            assert_eq!(snake_ident(name).unwrap(), ident, "{name}");
        }
    }

    #[test]
    fn names_without_identifier_characters_are_errors() {
        assert_eq!(snake_ident("").unwrap_err(), "an endpoint name is empty");
        assert_eq!(snake_ident("  ").unwrap_err(), "an endpoint name is empty");
        let err = snake_ident("日本").unwrap_err();
        assert!(err.contains("no ASCII letters or digits"), "{err}");
        assert!(snake_ident("---").is_err());
    }

    #[test]
    fn every_result_is_an_identifier_rust_accepts() {
        for name in [
            "MyAPI", "2fa", "type", "self", "crate", "super", "new", "a-b c", "x__y", "_",
        ] {
            let Ok(snake) = snake_ident(name) else {
                continue;
            };
            syn::parse_str::<syn::Ident>(&snake).unwrap();
            syn::parse_str::<syn::Ident>(&camel_ident(&snake)).unwrap();
        }
    }

    #[test]
    fn camel_case_variants() {
        assert_eq!(camel_ident("my_api_gateway_api"), "MyApiGatewayApi");
        assert_eq!(camel_ident("_2fa"), "_2fa");
        assert_eq!(camel_ident("type_"), "Type");
        assert_eq!(camel_ident("self_"), "Self_");
    }

    #[test]
    fn module_names() {
        assert_eq!(module_ident("Api").unwrap(), "api");
        assert_eq!(module_ident("MyAPIClient").unwrap(), "my_api_client");
        assert_eq!(module_ident("Type").unwrap(), "type_");
        assert!(module_ident("api").is_err());
    }
}
