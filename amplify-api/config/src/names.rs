//! Rust names from Amplify names: `MyAPIGatewayAPI` -> `my_api_gateway_api` (accessor and
//! module) and `MyApiGatewayApi` (enum variant), with `heck` doing the case conversion.
//!
//! Rules, in order: snake_case (heck); characters other than ASCII letters, digits and `_`
//! become `_`; a leading digit gets a `_` in front (`2fa` -> `_2fa`); a Rust keyword or a name
//! the generated client already has, its own or a trait's (see [`is_reserved`]), gets a `_` behind
//! (`type` -> `type_`, `new` -> `new_`). Whether two endpoints end up with one name is checked
//! by the model, which reports both.

use std::collections::HashMap;

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

/// Methods the generated client defines besides the endpoint accessors.
const OWN_METHODS: &[&str] = &[
    "new",
    "builder",
    "client",
    "endpoint",
    "endpoint_by_name",
    "from_env",
    "from_config_file",
];

/// The methods of the traits a generated client implements (`Clone`, `Debug`, `TryFrom`),
/// gets from blanket impls (`ToOwned`, `Any`, `Borrow`, `BorrowMut`, `From`, `Into`,
/// `TryInto`) or may be given by its user (the prelude's derivable and conversion traits, and
/// `Display`/`ToString`), per trait, from the standard library's documentation. An inherent
/// method of the same name would shadow the trait's in method calls (`api.to_owned()` would
/// be an endpoint): `tests/ui/pass/prelude_method_names.rs` names endpoints after each, calls
/// each accessor and each trait method, and fails to compile if one is listed wrongly.
pub const TRAIT_METHODS: &[(&str, &[&str])] = &[
    ("Clone", &["clone", "clone_from"]),
    ("ToOwned", &["to_owned", "clone_into"]),
    ("Any", &["type_id"]),
    ("Borrow", &["borrow"]),
    ("BorrowMut", &["borrow_mut"]),
    ("From", &["from"]),
    ("Into", &["into"]),
    ("TryFrom", &["try_from"]),
    ("TryInto", &["try_into"]),
    ("Debug", &["fmt"]),
    ("Display", &["fmt"]),
    ("ToString", &["to_string"]),
    ("Default", &["default"]),
    ("PartialEq", &["eq", "ne"]),
    ("PartialOrd", &["partial_cmp", "lt", "le", "gt", "ge"]),
    ("Ord", &["cmp", "max", "min", "clamp"]),
    ("Hash", &["hash", "hash_slice"]),
    ("AsRef", &["as_ref"]),
    ("AsMut", &["as_mut"]),
];

/// Whether an endpoint whose Rust name is `ident` needs a `_` behind it: a method the client
/// has besides the accessors (an inherent `clone` would shadow `Clone::clone`, an inherent
/// `new` clash with the constructor).
pub fn is_reserved(ident: &str) -> bool {
    OWN_METHODS.contains(&ident)
        || TRAIT_METHODS
            .iter()
            .any(|(_, methods)| methods.contains(&ident))
}

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
pub fn snake_ident(name: &str) -> Result<String, String> {
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
    if KEYWORDS.contains(&ident.as_str()) || is_reserved(&ident) {
        ident.push('_');
    }
    Ok(ident)
}

/// Whether `text` is a plain Rust identifier, not a keyword (what `syn::Ident` parses, without
/// the raw `r#` form): Unicode's XID rules, which `unicode-ident` implements as rustc does.
pub fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first == '_' || unicode_ident::is_xid_start(first))
        && chars.all(unicode_ident::is_xid_continue)
        && text != "_"
        && text != "Self"
        && !KEYWORDS.contains(&text)
}

/// The Rust names `rename = { "Amplify name" = "rust_name" }` gives, by Amplify name.
#[derive(Debug, Default)]
pub struct Renames(HashMap<String, String>);

impl Renames {
    /// The renames of `pairs` (Amplify name, Rust name), each checked with
    /// [`check_rename`] by the caller.
    pub fn new(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        Self(pairs.into_iter().collect())
    }

    /// The snake_case identifier for the Amplify name `name`: its rename, else
    /// [`snake_ident`]'s, whose error then says how to rename it.
    pub fn snake_ident(&self, name: &str) -> Result<String, String> {
        if let Some(rust) = self.0.get(name) {
            return Ok(rust.clone());
        }
        snake_ident(name).map_err(|e| {
            if name.trim().is_empty() {
                e
            } else {
                format!("{e}; give it one with `rename = {{ {name:?} = \"rust_name\" }}`")
            }
        })
    }
}

/// Checks the Rust name `rust` given to an endpoint with `rename`: an identifier that is not a
/// keyword, a method of the client or a trait's, and snake_case enough for its enum variant.
pub fn check_rename(rust: &str) -> Result<(), String> {
    if !is_identifier(rust) || rust.starts_with("r#") {
        return Err(format!(
            "`{rust}` is not a Rust identifier (or is a keyword); rename to a name like \
             `items_api`"
        ));
    }
    if is_reserved(rust) {
        return Err(format!(
            "`{rust}` is a method the client already has (its own or a trait's); choose \
             another name, like `{rust}_api`"
        ));
    }
    if rust.starts_with("__") {
        return Err(format!(
            "`{rust}` starts with `__`, which the generated code keeps for itself"
        ));
    }
    Ok(())
}

/// The UpperCamelCase identifier (enum variant) for a snake_case identifier from
/// [`snake_ident`].
pub fn camel_ident(snake: &str) -> String {
    let mut ident = snake.to_upper_camel_case();
    if ident.is_empty() || ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    if ident == "Self" {
        ident.push('_');
    }
    ident
}

/// The module named after the client struct (`Api` -> `api`, `MyApi` -> `my_api`, `Ü` ->
/// `ü`); `Err` if there is no such identifier or it would be the struct's own name (a module
/// and a type cannot share a name).
pub fn module_ident(struct_name: &str) -> Result<String, String> {
    let bare = struct_name.trim_start_matches("r#");
    let snake = bare.to_snake_case();
    let mut ident = if bare.is_ascii() {
        ascii_ident_chars(&snake)
    } else {
        snake
    };
    if ident.is_empty() || ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    if KEYWORDS.contains(&ident.as_str()) {
        ident.push('_');
    }
    if ident == bare {
        return Err(format!(
            "`#[api_client]` adds a module named after the struct in snake_case, which for \
             `{struct_name}` is its own name; name the struct in UpperCamelCase (e.g. `Api`) \
             or the module with `module = \"...\"`"
        ));
    }
    if !is_identifier(&ident) {
        return Err(format!(
            "`#[api_client]` adds a module named after the struct in snake_case, and \
             `{ident}` (from `{struct_name}`) is not an identifier; name it with \
             `module = \"...\"`"
        ));
    }
    Ok(ident)
}

/// Checks the module name given with `module = "..."` for the struct `struct_name`.
pub fn check_module(module: &str, struct_name: &str) -> Result<(), String> {
    if !is_identifier(module) || module.starts_with("r#") {
        return Err(format!(
            "`{module}` is not a Rust identifier (or is a keyword); name the module like `api`"
        ));
    }
    if module == struct_name.trim_start_matches("r#") {
        return Err(format!(
            "the module cannot be named `{module}` like the struct: a module and a type \
             cannot share a name"
        ));
    }
    Ok(())
}

/// The environment variable that overrides the URL of endpoint `name` at run time: the name
/// upper-cased, every character that is not an ASCII letter or digit made `_`, between
/// `AMPLIFY_API_` and `_URL`.
///
/// ```
/// assert_eq!(amplify_api_config::endpoint_url_env_var("my-api"), "AMPLIFY_API_MY_API_URL");
/// ```
pub fn endpoint_url_env_var(name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("AMPLIFY_API_{name}_URL")
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
            assert!(is_identifier(&snake), "{snake}");
            assert!(is_identifier(&camel_ident(&snake)), "{snake}");
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
        assert_eq!(module_ident("Ü").unwrap(), "ü");
        assert_eq!(module_ident("ÜberApi").unwrap(), "über_api");
        let err = module_ident("日本").unwrap_err();
        assert!(err.contains("module = "), "{err}");
    }

    #[test]
    fn module_arguments() {
        check_module("amplify", "Api").unwrap();
        check_module("ü", "Api").unwrap();
        assert!(
            check_module("Api", "Api")
                .unwrap_err()
                .contains("like the struct")
        );
        assert!(check_module("type", "Api").unwrap_err().contains("keyword"));
        assert!(check_module("a-b", "Api").is_err());
        assert!(check_module("", "Api").is_err());
    }

    #[test]
    fn renames_win_and_are_checked() {
        let renames = Renames::new([("日本".to_owned(), "japan".to_owned())]);
        assert_eq!(renames.snake_ident("日本").unwrap(), "japan");
        assert_eq!(renames.snake_ident("itemsApi").unwrap(), "items_api");
        let err = renames.snake_ident("中国").unwrap_err();
        assert!(
            err.contains("rename = { \"中国\" = \"rust_name\" }"),
            "{err}"
        );
        check_rename("japan").unwrap();
        for bad in ["type", "a-b", "", "1a", "r#x"] {
            assert!(
                check_rename(bad).unwrap_err().contains("identifier"),
                "{bad}"
            );
        }
        for bad in ["to_owned", "new", "clone"] {
            assert!(
                check_rename(bad).unwrap_err().contains("already has"),
                "{bad}"
            );
        }
        assert!(check_rename("__x").is_err());
    }

    /// `tests/ui/pass/prelude_method_names.rs` names an endpoint after every reserved method:
    /// the fixture must list exactly those, so a method added here is tested there.
    #[test]
    fn the_prelude_names_fixture_lists_every_reserved_method() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/configs/prelude-names.json"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut in_fixture: Vec<&str> = json["API"]["REST"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut reserved: Vec<&str> = OWN_METHODS
            .iter()
            .copied()
            .chain(TRAIT_METHODS.iter().flat_map(|(_, m)| m.iter().copied()))
            .collect();
        in_fixture.sort_unstable();
        reserved.sort_unstable();
        reserved.dedup();
        assert_eq!(in_fixture, reserved);
    }

    #[test]
    fn trait_method_names_get_a_suffix() {
        for (_, methods) in TRAIT_METHODS {
            for method in *methods {
                assert_eq!(snake_ident(method).unwrap(), format!("{method}_"));
            }
        }
    }
}
