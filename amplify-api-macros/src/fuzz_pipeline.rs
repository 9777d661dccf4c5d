//! The whole pipeline on arbitrary text, for robustness testing: load (detected, then forced
//! as each format), build the model, generate code and parse it back. Whatever the input, this
//! returns or panics only where an invariant is broken. Driven by the proptests below (generated
//! configs in each format's shape, arbitrary bytes), the fixture test in `lib.rs` and the
//! cargo-fuzz target (`fuzz/fuzz_targets/config_loader.rs`, built by `.ci/run`).

use crate::codegen::{self, ClientItem, Source};
use amplify_api_config::{self as config, Format};

/// Runs `text` through every stage (code generation even for a model with errors, as the
/// macro does); returns how many readings made a model without errors.
pub(crate) fn run(text: &str) -> usize {
    let mut generated = 0;
    let formats = std::iter::once(None).chain(Format::ALL.into_iter().map(Some));
    for format in formats {
        let Ok(raw) = config::load(text, format) else {
            continue;
        };
        // What the macro generates from: every entry that checks out, even beside errors.
        let (model, errors) = config::build_partial(&raw, &config::names::Renames::default(), &[]);
        assert!(
            !errors.is_empty() || !model.endpoints.is_empty(),
            "a model without endpoints and without errors"
        );
        let item = ClientItem {
            attrs: Vec::new(),
            vis: syn::parse_quote!(pub),
            ident: syn::parse_quote!(Api),
        };
        let source = Source {
            written: "fuzz.json",
            absolute: Some("/fuzz/fuzz.json"),
            allow_http: false,
            routes: &crate::routes::Tables::default(),
            strict_routes: false,
            unusable: &[],
        };
        let tokens = codegen::expand(
            &item,
            &model,
            &proc_macro2::Ident::new("api", proc_macro2::Span::call_site()),
            &source,
        );
        if let Err(e) = syn::parse2::<syn::File>(tokens) {
            panic!("generated code does not parse: {e}\nconfig: {text}");
        }
        generated += usize::from(errors.is_empty());
    }
    generated
}

/// The pipeline on generated configs: odd endpoint names, URLs, regions and auth modes in each
/// format's shape, and arbitrary bytes, as the cargo-fuzz target feeds it (the same `run`).
#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// Names that stress Rust identifiers: keywords, leading digits, unicode, separators,
    /// names that collide once converted, the empty name.
    const NAMES: &[&str] = &[
        "itemsApi",
        "items_api",
        "items-api",
        "ItemsApi",
        "type",
        "self",
        "crate",
        "Self",
        "_",
        "1st",
        "日本",
        "naïve",
        "a b",
        "",
        "api",
        "r#fn",
        "Ω",
        "__a",
    ];
    const URLS: &[&str] = &[
        "https://abc123.execute-api.us-east-1.amazonaws.com/dev",
        "https://xyz.lambda-url.eu-west-1.on.aws",
        "http://127.0.0.1:3000",
        "http://10.0.0.5:8080/api",
        "https://api.example.com",
        "not a url",
        "",
        "https://h/\u{0}",
        "ftp://x",
    ];
    const REGIONS: &[&str] = &["us-east-1", "eu-west-1", "", "mars-1", "us-east-1\n"];
    const AUTH: &[&str] = &[
        "AWS_IAM",
        "API_KEY",
        "AMAZON_COGNITO_USER_POOLS",
        "NONE",
        "OPENID_CONNECT",
        "AWS_LAMBDA",
        "bogus",
    ];

    fn endpoint() -> impl Strategy<Value = (String, String, String, String)> {
        (
            prop::sample::select(NAMES),
            prop::sample::select(URLS),
            prop::sample::select(REGIONS),
            prop::sample::select(AUTH),
        )
            .prop_map(|(n, u, r, a)| (n.to_owned(), u.to_owned(), r.to_owned(), a.to_owned()))
    }

    /// A config in one of the formats the reader detects, with `endpoints` in it.
    fn config() -> impl Strategy<Value = String> {
        (prop::collection::vec(endpoint(), 0..5), 0..4u8).prop_map(|(endpoints, format)| {
            let json = |s: &str| serde_json::Value::String(s.to_owned());
            match format {
                0 => {
                    let list: Vec<serde_json::Value> = endpoints
                        .iter()
                        .map(|(n, u, r, _)| {
                            serde_json::json!({"name": json(n), "endpoint": json(u), "region": json(r)})
                        })
                        .collect();
                    serde_json::json!({"aws_project_region": "us-east-1",
                        "aws_cognito_identity_pool_id": "us-east-1:0000",
                        "aws_cloud_logic_custom": list})
                    .to_string()
                }
                1 => {
                    let mut apis = serde_json::Map::new();
                    for (n, u, r, a) in &endpoints {
                        apis.insert(n.clone(), serde_json::json!({"endpointType": "REST",
                            "endpoint": json(u), "region": json(r), "authorizationType": json(a)}));
                    }
                    serde_json::json!({"api": {"plugins": {"awsAPIPlugin": apis}}}).to_string()
                }
                2 => {
                    let mut apis = serde_json::Map::new();
                    for (n, u, r, _) in &endpoints {
                        apis.insert(n.clone(), serde_json::json!({"endpoint": json(u), "region": json(r)}));
                    }
                    serde_json::json!({"version": "1.3", "custom": {"API": apis}}).to_string()
                }
                _ => {
                    let mut apis = serde_json::Map::new();
                    for (n, u, r, _) in &endpoints {
                        apis.insert(n.clone(), serde_json::json!({"endpoint": json(u), "region": json(r)}));
                    }
                    serde_json::json!({"API": {"REST": apis}}).to_string()
                }
            }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        #[test]
        fn generated_configs_give_code_that_parses(text in config()) {
            super::run(&text);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            super::run(&String::from_utf8_lossy(&bytes));
        }
    }
}
