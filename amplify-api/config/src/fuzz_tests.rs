//! Robustness of the config loader (issue #4, item 9): arbitrary bytes and structurally valid
//! but odd JSON under the real keys (wrong types, nulls, huge and empty strings, unicode, deep
//! nesting) must give a model or an error, never a panic; and whatever model comes out has
//! Rust names that are identifiers (the macro builds them with `Ident::new`, which panics on bad
//! input; its own `fuzz_pipeline` also runs code generation).
//!
//! Cases per property default to 64 to keep `cargo test` fast; `PROPTEST_CASES=100000` runs a
//! long session.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use crate::{model, names, read as config};

/// The reader on `text`: detected, then forced as each format, each model built; returns how
/// many readings made a model without errors. Panics only where an invariant is broken.
fn run(text: &str) -> usize {
    let mut clean = 0;
    let formats = std::iter::once(None).chain(config::Format::ALL.into_iter().map(Some));
    for format in formats {
        let Ok(raw) = config::load(text, format) else {
            continue;
        };
        let (model, errors) = model::build_partial(&raw, &names::Renames::default(), &[]);
        assert!(
            !errors.is_empty() || !model.endpoints.is_empty(),
            "a model without endpoints and without errors"
        );
        for e in &model.endpoints {
            assert!(
                is_ident(&e.ident) && !names::is_reserved(&e.ident),
                "{:?}",
                e.ident
            );
            assert!(is_ident(&e.variant), "{:?}", e.variant);
        }
        clean += usize::from(errors.is_empty());
    }
    clean
}

/// Whether `s` is an ASCII Rust identifier (what `names` promises).
fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s != "_"
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

/// Keys the readers look for, so random objects often hit real code paths.
const KEYS: &[&str] = &[
    "aws_project_region",
    "aws_cloud_logic_custom",
    "aws_cognito_identity_pool_id",
    "aws_mandatory_sign_in",
    "aws_user_pools_id",
    "name",
    "endpoint",
    "region",
    "service",
    "API",
    "endpoints",
    "REST",
    "Auth",
    "Cognito",
    "identityPoolId",
    "allowGuestAccess",
    "identityPoolEndpoint",
    "mandatorySignIn",
    "api",
    "plugins",
    "awsAPIPlugin",
    "endpointType",
    "authorizationType",
    "apiKey",
    "version",
    "custom",
    "rest_api",
    "url",
    "aws_region",
    "authorization_type",
    "api_key",
    "auth",
    "identity_pool_id",
    "unauthenticated_identities_enabled",
];

/// Pieces of JavaScript: punctuation, strings, templates (nested, unterminated), comments,
/// spreads, numbers, non-ASCII, and the keys the readers look for.
fn arb_js_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "{",
            "}",
            "[",
            "]",
            "(",
            ")",
            ",",
            ":",
            ";",
            "=",
            "=>",
            "||",
            "+",
            "-",
            ".",
            "...",
            "'",
            "\"",
            "`",
            "${",
            "/*",
            "*/",
            "//",
            "\n",
            " ",
            "\\",
            "1e-5",
            ".5",
            "0x1F",
            "process.env.X",
            "`${a}`",
            "`x`",
            "'s'",
            "\"d\"",
            "null",
            "true",
            "new",
            "as",
            "日本",
            "ü",
            "\u{feff}",
        ])
        .prop_map(str::to_owned),
        prop::sample::select(KEYS.to_vec()).prop_map(str::to_owned),
        "[a-z`'\"{}$:,. ]{0,6}",
    ]
}

/// Strings that matter to the readers, and odd ones.
fn arb_string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("REST".to_owned()),
        Just("GraphQL".to_owned()),
        Just("AWS_IAM".to_owned()),
        Just("API_KEY".to_owned()),
        Just("1.3".to_owned()),
        Just("enable".to_owned()),
        Just("us-east-1".to_owned()),
        Just("us-east-1:abc".to_owned()),
        Just("https://a.execute-api.us-east-1.amazonaws.com/dev/".to_owned()),
        Just("https://lambda.eu-west-1.amazonaws.com".to_owned()),
        Just("  https://api.example.com/v1  ".to_owned()),
        Just("http://[::1]:8080".to_owned()),
        Just("type".to_owned()),
        Just("2fa".to_owned()),
        Just("self".to_owned()),
        Just("日本語 API".to_owned()),
        Just("\u{0}\u{feff}\"\\".to_owned()),
        "[a-zA-Z0-9 _.-]{0,12}",
        any::<String>(),
        Just("x".repeat(100_000)),
    ]
}

fn arb_key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(KEYS).prop_map(str::to_owned),
        1 => arb_string(),
    ]
}

fn arb_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        Just(json!(u64::MAX)),
        arb_string().prop_map(Value::String),
    ]
}

/// Any JSON value, objects keyed mostly by real keys.
fn arb_json() -> impl Strategy<Value = Value> {
    arb_leaf().prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((arb_key(), inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// An endpoint entry that is mostly right (so code generation runs), with odd URLs, names,
/// keys and authorization types, written with every format's keys at once.
fn arb_plausible_entry() -> impl Strategy<Value = Value> {
    let url = prop_oneof![
        Just("https://a1.execute-api.us-east-1.amazonaws.com/dev".to_owned()),
        Just(" https://b2.execute-api.cn-north-1.amazonaws.com.cn/prod/ ".to_owned()),
        Just(
            "https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/f/invocations".to_owned()
        ),
        Just("https://x.lambda-url.ap-south-1.on.aws/".to_owned()),
        Just("http://127.0.0.1:9/a b/%zz/\u{fc}".to_owned()),
        Just("https://\u{e9}xample.com/\"quoted\"/".to_owned()),
        "https://[a-z]{1,8}\\.example\\.com(/[a-zA-Z0-9 _%.-]{0,10}){0,3}/?",
        arb_string(),
    ];
    let region = prop_oneof![
        Just("us-east-1".to_owned()),
        Just("  eu-central-1 ".to_owned()),
        Just("us-gov-west-1".to_owned()),
        arb_string(),
    ];
    let auth = prop_oneof![
        proptest::sample::select(vec![
            "AWS_IAM",
            "API_KEY",
            "AMAZON_COGNITO_USER_POOLS",
            "OPENID_CONNECT",
            "AWS_LAMBDA",
            "LAMBDA",
            "NONE",
        ])
        .prop_map(str::to_owned),
        arb_string(),
    ];
    (url, region, arb_string(), auth, arb_string()).prop_map(|(url, region, service, auth, key)| {
        json!({
            "endpointType": "REST",
            "endpoint": url, "url": url,
            "region": region, "aws_region": region,
            "service": service,
            "authorizationType": auth, "authorization_type": auth,
            "apiKey": key, "api_key": key,
        })
    })
}

/// An endpoint entry: real entry keys with odd values, or a mostly right one.
fn arb_entry() -> impl Strategy<Value = Value> {
    let odd = prop::collection::vec(
        (arb_key(), prop_oneof![3 => arb_leaf(), 1 => arb_json()]),
        0..8,
    )
    .prop_map(|members| Value::Object(members.into_iter().collect()));
    prop_oneof![1 => odd, 2 => arb_plausible_entry()]
}

/// The skeleton of one of the five formats, filled with odd entries and values.
fn arb_shaped() -> impl Strategy<Value = Value> {
    let entries = prop::collection::vec((arb_string(), arb_entry()), 0..5);
    let named =
        |entries: Vec<(String, Value)>| -> Map<String, Value> { entries.into_iter().collect() };
    let listed = |entries: Vec<(String, Value)>| -> Vec<Value> {
        entries
            .into_iter()
            .map(|(name, mut entry)| {
                if let Value::Object(members) = &mut entry {
                    members.insert("name".to_owned(), Value::String(name));
                }
                entry
            })
            .collect()
    };
    // Mostly plausible Cognito values, sometimes odd ones, so whole configs often succeed.
    let pool = prop_oneof![
        2 => Just(json!("us-east-1:0a1b2c3d-1111")),
        1 => Just(Value::Null),
        1 => arb_json(),
    ];
    let flag = prop_oneof![3 => any::<bool>().prop_map(Value::Bool), 1 => arb_leaf()];
    let region = prop_oneof![3 => Just(json!("eu-west-1")), 1 => arb_leaf()];
    (0..5u8, entries, pool, flag, region).prop_map(move |(format, entries, pool, flag, region)| {
        match format {
            0 => json!({"aws_project_region": region, "aws_cognito_identity_pool_id": pool,
                        "aws_mandatory_sign_in": flag, "aws_cloud_logic_custom": listed(entries)}),
            1 => json!({"API": {"region": region, "endpoints": listed(entries)},
                        "Auth": {"identityPoolId": pool, "mandatorySignIn": flag}}),
            2 => json!({"API": {"REST": named(entries)},
                        "Auth": {"Cognito": {"identityPoolId": pool, "allowGuestAccess": flag,
                                             "identityPoolEndpoint": region}}}),
            3 => json!({"api": {"plugins": {"awsAPIPlugin": named(entries)}},
                        "auth": {"plugins": {"awsCognitoAuthPlugin": {"CredentialsProvider":
                            {"CognitoIdentity": {"Default": {"PoolId": pool}}}}}}}),
            _ => json!({"version": "1.3", "custom": {"API": named(entries.clone())},
                        "rest_api": named(entries),
                        "auth": {"identity_pool_id": pool, "unauthenticated_identities_enabled": flag}}),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        run(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn javascript_token_soup_never_panics(pieces in prop::collection::vec(arb_js_piece(), 0..48)) {
        // Whatever JavaScript-looking text sits in the config object, the lexer and masker
        // either find its values or leave a syntax error to the parser.
        let body = pieces.concat();
        run(&format!("export default {{{body}}};"));
        run(&format!("Amplify.configure({{ API: {{ REST: {{ a: {{ endpoint: {body} }} }} }} }});"));
    }

    #[test]
    fn arbitrary_json_never_panics(value in arb_json()) {
        run(&value.to_string());
    }

    #[test]
    fn odd_values_in_real_shapes_never_panic(value in arb_shaped()) {
        run(&value.to_string());
        // The same object inside an aws-exports.js.
        run(&format!("const awsmobile = {value};\nexport default awsmobile;\n"));
    }

    #[test]
    fn truncated_configs_never_panic(cut in 0usize..4096, value in arb_shaped()) {
        let text = value.to_string();
        let mut end = cut.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        run(&text[..end]);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
        let text = format!("{}1{}", open.repeat(100_000), close.repeat(100_000));
        let err = config::load(&text, None).unwrap_err();
        assert!(err[0].message.contains("levels deep"), "{:?}", err[0]);
        let js = format!("const awsmobile = {text};\nexport default awsmobile;");
        assert!(config::load(&js, None).is_err());
    }
}

#[test]
fn a_real_shape_with_good_values_makes_a_client() {
    // The generators can produce working configs; this pins one so the properties above are
    // known to reach code generation.
    let value = json!({"API": {"REST": {"a b": {"endpoint": "https://x.execute-api.us-east-1.amazonaws.com/"}}}});
    let raw = config::load(&value.to_string(), None).unwrap();
    assert_eq!(model::build(&raw).unwrap().endpoints[0].ident, "a_b");
    // Detected as v6, and forced as v6.
    assert_eq!(run(&value.to_string()), 2);
}
