//! The realistic config files in `tests/fixtures/configs/` (the same ones the trybuild and
//! emulator tests compile), read end to end: each format, each oddity real files have.

use std::path::PathBuf;

use crate::auth_mode::AuthMode;
use crate::model::{self, Model};
use crate::read::{self as config, Format};

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/configs")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load(name: &str) -> Result<Model, Vec<String>> {
    load_for(name, &[])
}

/// [`load`] for code that needs the endpoints `needed` (`endpoints = [...]`).
fn load_for(name: &str, needed: &[&str]) -> Result<Model, Vec<String>> {
    let raw = config::load(&fixture(name), None)
        .map_err(|e| e.iter().map(|e| e.render(name)).collect::<Vec<_>>())?;
    let needed: Vec<String> = needed.iter().map(|n| (*n).to_owned()).collect();
    let (model, errors) = model::build_partial(&raw, &crate::names::Renames::default(), &needed);
    if errors.is_empty() {
        Ok(model)
    } else {
        Err(errors.iter().map(|e| e.render(name)).collect())
    }
}

/// `(name, ident, url, region, service, auth)` of every endpoint.
type Row<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, AuthMode);

fn rows(model: &Model) -> Vec<Row<'_>> {
    model
        .endpoints
        .iter()
        .map(|e| {
            (
                e.name.as_str(),
                e.ident.as_str(),
                e.url.as_str(),
                e.region.as_str(),
                e.service.as_str(),
                e.auth,
            )
        })
        .collect()
}

fn pool(model: &Model) -> Option<(&str, &str, bool)> {
    model
        .identity_pool
        .as_ref()
        .map(|p| (p.id.as_str(), p.region.as_str(), p.guest_access))
}

use AuthMode::{ApiKey, AwsIam};

#[test]
fn aws_exports_json() {
    let m = load("aws-exports.json").unwrap();
    assert_eq!(
        m.user_pool_client_id.as_deref(),
        Some("1h2j3k4l5m6n7o8p9q0r")
    );
    assert_eq!(m.format, Format::AwsExports);
    assert_eq!(
        rows(&m),
        [
            (
                "todoApi",
                "todo_api",
                "https://abc123def4.execute-api.eu-west-1.amazonaws.com/dev",
                "eu-west-1",
                "execute-api",
                AwsIam
            ),
            // Whitespace and trailing slash trimmed; the host's region wins over the entry's.
            (
                "orders-api",
                "orders_api",
                "https://ord567xyz8.execute-api.eu-central-1.amazonaws.com/prod",
                "eu-central-1",
                "execute-api",
                AwsIam
            ),
            // A custom domain without a region: the project region.
            (
                "Custom Domain API",
                "custom_domain_api",
                "https://api.example.com/v1",
                "eu-west-1",
                "execute-api",
                AwsIam
            ),
            // A Lambda endpoint: service and region from the host.
            (
                "reportsFn",
                "reports_fn",
                "https://lambda.us-west-2.amazonaws.com/2015-03-31/functions/reports/invocations",
                "us-west-2",
                "lambda",
                AwsIam
            ),
        ]
    );
    assert_eq!(
        pool(&m),
        Some((
            "eu-west-1:0a1b2c3d-1111-2222-3333-444455556666",
            "eu-west-1",
            true
        ))
    );
    assert_eq!(m.user_pool_id.as_deref(), Some("eu-west-1_AbCdEfGhI"));
}

#[test]
fn aws_exports_js() {
    let m = load("aws-exports.js").unwrap();
    assert_eq!(
        m.user_pool_client_id.as_deref(),
        Some("2a3b4c5d6e7f8g9h0i1j")
    );
    assert_eq!(m.format, Format::AwsExports);
    assert_eq!(
        rows(&m),
        [(
            "notesApi",
            "notes_api",
            "https://nts111aaa2.execute-api.us-west-2.amazonaws.com/staging",
            "us-west-2",
            "execute-api",
            AwsIam
        )]
    );
    // `aws_mandatory_sign_in: "enable"`.
    assert_eq!(
        pool(&m),
        Some((
            "us-west-2:9f8e7d6c-1111-2222-3333-444455556666",
            "us-west-2",
            false
        ))
    );
}

#[test]
fn amplify_configure_v5() {
    let m = load("v5.json").unwrap();
    assert_eq!(
        m.user_pool_client_id.as_deref(),
        Some("3b4c5d6e7f8g9h0i1j2k")
    );
    assert_eq!(m.format, Format::ConfigureV5);
    assert_eq!(
        rows(&m),
        [
            (
                "inventory",
                "inventory",
                "https://inv222bbb3.execute-api.ap-southeast-2.amazonaws.com/v1",
                "ap-southeast-2",
                "execute-api",
                AwsIam
            ),
            (
                "legacy-billing",
                "legacy_billing",
                "https://billing.example.org/api",
                "us-east-1",
                "execute-api",
                AwsIam
            ),
            // No region of its own: `API.region`.
            (
                "search",
                "search",
                "https://search.example.org",
                "ap-southeast-2",
                "execute-api",
                AwsIam
            ),
        ]
    );
    assert_eq!(pool(&m).map(|p| p.2), Some(true));
}

#[test]
fn amplify_configure_v6() {
    let m = load("v6.json").unwrap();
    assert_eq!(
        m.user_pool_client_id.as_deref(),
        Some("4c5d6e7f8g9h0i1j2k3l")
    );
    assert_eq!(m.format, Format::ConfigureV6);
    assert_eq!(
        rows(&m),
        [
            (
                "shopApi",
                "shop_api",
                "https://shp333ccc4.execute-api.ca-central-1.amazonaws.com/prod",
                "ca-central-1",
                "execute-api",
                AwsIam
            ),
            (
                "MyAPIGatewayAPI",
                "my_api_gateway_api",
                "https://gw444ddd5.execute-api.ca-central-1.amazonaws.com/dev",
                "ca-central-1",
                "execute-api",
                AwsIam
            ),
            (
                "fnUrl",
                "fn_url",
                "https://abcdefghijklmnop.lambda-url.ca-central-1.on.aws",
                "ca-central-1",
                "lambda",
                AwsIam
            ),
        ]
    );
    assert_eq!(
        pool(&m),
        Some((
            "ca-central-1:3c4d5e6f-1111-2222-3333-444455556666",
            "ca-central-1",
            true
        ))
    );
}

#[test]
fn native_amplifyconfiguration() {
    let m = load("native.json").unwrap();
    assert_eq!(
        m.user_pool_client_id.as_deref(),
        Some("1h2j3k4l5m6n7o8p9q0r")
    );
    assert_eq!(m.format, Format::Native);
    let auth: Vec<(&str, AuthMode, Option<&str>)> = m
        .endpoints
        .iter()
        .map(|e| (e.name.as_str(), e.auth, e.api_key.as_deref()))
        .collect();
    // The GraphQL entry is not an endpoint.
    assert_eq!(
        auth,
        [
            ("itemsApi", AwsIam, None),
            ("publicApi", ApiKey, Some("da2-exampleexampleexample")),
            ("userApi", AuthMode::AmazonCognitoUserPools, None),
        ]
    );
    assert_eq!(
        pool(&m),
        Some((
            "us-east-1:11111111-2222-3333-4444-555555555555",
            "us-east-1",
            true
        ))
    );
    assert_eq!(m.user_pool_id.as_deref(), Some("us-east-1_AbCdEfGhI"));
}

#[test]
fn gen2_amplify_outputs() {
    let m = load("gen2.json").unwrap();
    assert_eq!(
        m.user_pool_client_id.as_deref(),
        Some("5d6e7f8g9h0i1j2k3l4m")
    );
    assert_eq!(m.format, Format::Outputs);
    assert_eq!(
        rows(&m),
        [
            // CDK's stage URL ends with `/`.
            (
                "myRestApi",
                "my_rest_api",
                "https://rst555eee6.execute-api.us-east-2.amazonaws.com/prod",
                "us-east-2",
                "execute-api",
                AwsIam
            ),
            (
                "partnerApi",
                "partner_api",
                "https://partners.example.net/v2",
                "us-east-2",
                "execute-api",
                ApiKey
            ),
        ]
    );
    assert_eq!(
        m.endpoints[1].api_key.as_deref(),
        Some("partner-key-example")
    );
    assert_eq!(pool(&m).map(|p| p.2), Some(true));
}

#[test]
fn many_endpoints_with_odd_names() {
    let m = load("many-endpoints.json").unwrap();
    assert_eq!(m.endpoints.len(), 40);
    let idents: Vec<&str> = m
        .endpoints
        .iter()
        .take(10)
        .map(|e| e.ident.as_str())
        .collect();
    assert_eq!(
        idents,
        [
            "users",
            "user_profiles",
            "_2fa",
            "type_",
            "self_",
            "new_",
            "my_api",
            "my_api_gateway_api",
            "auth_v2",
            "payments_v3"
        ]
    );
    assert_eq!(m.endpoints[39].ident, "service39_api");
}

#[test]
fn invalid_fixtures_fail_with_the_file_and_path() {
    let cases = [
        (
            "invalid/bad-json.json",
            "`invalid/bad-json.json`: invalid JSON at line 6, column 79: expected comma",
        ),
        (
            "invalid/graphql-only.json",
            "`invalid/graphql-only.json`: no REST endpoints: read as native \
             amplifyconfiguration.json (`api.plugins.awsAPIPlugin`), the file has none under \
             `api.plugins.awsAPIPlugin` (it has only `todoGraphQl` (GraphQL)); `#[api_client]` \
             needs at least one",
        ),
        (
            "invalid/colliding-names.json",
            "`invalid/colliding-names.json:5:15`, at `aws_cloud_logic_custom[1].name`: the \
             endpoints `my-api` (at `aws_cloud_logic_custom[0].name` (4:15)) and `myApi` both \
             become the accessor `my_api()` in Rust; give one another Rust name with \
             `rename = { \"myApi\" = \"rust_name\" }`",
        ),
        (
            "invalid/duplicate-names.json",
            "`invalid/duplicate-names.json:5:15`, at `aws_cloud_logic_custom[1].name`: the \
             endpoint name `items` is used twice (also at `aws_cloud_logic_custom[0].name` \
             (4:15)); names must be unique",
        ),
    ];
    for (file, expected) in cases {
        let errors = load(file).unwrap_err();
        assert_eq!(errors, [expected], "{file}");
    }
    let errors = load("invalid/no-region.json").unwrap_err();
    assert!(
        errors[0]
            .starts_with("`invalid/no-region.json:4:7`, at `API.REST.customDomain`: no region"),
        "{errors:?}"
    );
    let errors = load("invalid/unrecognised.json").unwrap_err();
    assert!(
        errors[0].contains("does not look like an Amplify config"),
        "{errors:?}"
    );
}

#[test]
fn flat_aws_keys_merged_with_api_endpoints() {
    // Amplify v3-v5: `{...awsExports, API: {endpoints: [...]}}` written out.
    let m = load("merged-v3-v5.json").unwrap();
    assert_eq!(
        m.user_pool_client_id.as_deref(),
        Some("5k6l7m8n9o0p1q2r3s4t")
    );
    assert_eq!(m.format, Format::AwsExports);
    assert_eq!(
        rows(&m),
        [
            (
                "ordersApi",
                "orders_api",
                "https://ord888hhh9.execute-api.us-west-2.amazonaws.com/dev",
                "us-west-2",
                "execute-api",
                AwsIam
            ),
            // No region of its own: `aws_project_region`, as v5 signs it.
            (
                "stripeWebhooks",
                "stripe_webhooks",
                "https://hooks.example.com/stripe",
                "us-west-2",
                "execute-api",
                AwsIam
            ),
            (
                "reporting",
                "reporting",
                "https://reports.example.com/v2",
                "eu-west-1",
                "lambda",
                AwsIam
            ),
        ]
    );
    assert_eq!(
        pool(&m),
        Some((
            "us-west-2:7e8f9a0b-1111-2222-3333-444455556666",
            "us-west-2",
            true
        ))
    );
    assert_eq!(m.user_pool_id.as_deref(), Some("us-west-2_QwErTyUiO"));
}

#[test]
fn hand_written_config_js_with_comments_single_quotes_and_expressions() {
    let m = load("config.js").unwrap();
    assert_eq!(
        m.user_pool_client_id, None,
        "an expression is not a client id"
    );
    assert_eq!(m.format, Format::ConfigureV5);
    // `featureFlags` has an expression for a URL and the code does not need it: skipped.
    assert_eq!(
        rows(&m),
        [
            (
                "adminApi",
                "admin_api",
                "https://adm999iii0.execute-api.eu-central-1.amazonaws.com/prod",
                "eu-central-1",
                "execute-api",
                AwsIam
            ),
            // No `API.region`: `Auth.region`.
            (
                "billing",
                "billing",
                "https://billing.example.eu/api",
                "eu-central-1",
                "execute-api",
                AwsIam
            ),
        ]
    );
    // `mandatorySignIn: true`.
    assert_eq!(pool(&m).map(|p| p.2), Some(false));
    assert_eq!(m.user_pool_id.as_deref(), Some("eu-central-1_MnBvCxZaS"));
}

#[test]
fn an_expression_url_the_code_needs_is_an_error_quoting_it() {
    let errors = load_for("config.js", &["featureFlags"]).unwrap_err();
    assert_eq!(
        errors,
        [
            "`config.js:27:19`, at `API.endpoints[2].endpoint`: the URL of endpoint `featureFlags` \
          is the JavaScript expression `process.env.FLAGS_URL || 'http://localhost:4000'`, which \
          `#[api_client]` cannot evaluate at compile time; write the URL as a string here (the \
          deployed one), and change it at run time with the `AMPLIFY_API_FEATUREFLAGS_URL` \
          environment variable or the builder's `.endpoint_url(\"featureFlags\", url)`"
        ]
    );
    // Needing only literal endpoints is fine.
    assert!(load_for("config.js", &["adminApi", "billing"]).is_ok());
}

#[test]
fn amplify_config_ts_with_export_default_and_satisfies() {
    let m = load("amplify-config.ts").unwrap();
    assert_eq!(
        m.user_pool_client_id, None,
        "an expression is not a client id"
    );
    assert_eq!(m.format, Format::ConfigureV6);
    assert_eq!(
        rows(&m),
        [
            // A template literal without `${}` is a string.
            (
                "catalog",
                "catalog",
                "https://cat000jjj1.execute-api.ap-northeast-1.amazonaws.com/prod",
                "ap-northeast-1",
                "execute-api",
                AwsIam
            ),
            (
                "search-v2",
                "search_v2",
                "https://search.example.jp/v2",
                "ap-northeast-1",
                "lambda",
                AwsIam
            ),
        ]
    );
    assert_eq!(
        pool(&m),
        Some((
            "ap-northeast-1:4d5e6f7a-1111-2222-3333-444455556666",
            "ap-northeast-1",
            true
        ))
    );
}

#[test]
fn amplify_configure_call_in_index_js() {
    let m = load("amplify-configure.js").unwrap();
    assert_eq!(m.format, Format::ConfigureV5);
    assert_eq!(
        rows(&m),
        [
            // Neither `aws_project_region` nor `API.region`: `Auth.region`.
            (
                "payments",
                "payments",
                "https://pay.example.com.br/v1",
                "sa-east-1",
                "execute-api",
                AwsIam
            ),
            (
                "ledger",
                "ledger",
                "https://led111kkk2.execute-api.sa-east-1.amazonaws.com/live",
                "sa-east-1",
                "execute-api",
                AwsIam
            ),
        ]
    );
    assert_eq!(pool(&m).map(|p| p.2), Some(true));
}

#[test]
fn native_with_a_top_level_version_is_native() {
    let m = load("native-versioned.json").unwrap();
    assert_eq!(m.format, Format::Native);
    assert_eq!(
        rows(&m),
        [(
            "androidRestApi",
            "android_rest_api",
            "https://and222lll3.execute-api.us-east-1.amazonaws.com/beta",
            "us-east-1",
            "execute-api",
            AwsIam
        )]
    );
    assert_eq!(
        pool(&m),
        Some((
            "us-east-1:8a9b0c1d-1111-2222-3333-444455556666",
            "us-east-1",
            true
        ))
    );
}

#[test]
fn javascript_and_merge_errors_name_their_places() {
    let cases = [
        (
            "invalid/expression-url.js",
            "`invalid/expression-url.js:7:17`, at `aws_cloud_logic_custom[0].endpoint`: the URL of \
             endpoint `todoApi` is the JavaScript expression `process.env.TODO_API_URL`, which \
             `#[api_client]` cannot evaluate at compile time; write the URL as a string here (the \
             deployed one), and change it at run time with the `AMPLIFY_API_TODOAPI_URL` \
             environment variable or the builder's `.endpoint_url(\"todoApi\", url)`",
        ),
        (
            "invalid/duplicate-across-containers.json",
            "`invalid/duplicate-across-containers.json:8:17`, at `API.endpoints[0].name`: the \
             endpoint name `items` is used twice (also at `aws_cloud_logic_custom[0].name` \
             (4:15)); names must be unique",
        ),
        (
            "invalid/spread-only.js",
            "`invalid/spread-only.js:4:3`: `...awsExports` is JavaScript, which `#[api_client]` \
             cannot evaluate at compile time or follow into another file; the endpoints it holds \
             are not read: point `config = \"...\"` at the file that defines them \
             (`aws-exports.js`...), or write them here as literals",
        ),
    ];
    for (file, expected) in cases {
        let errors = load(file).unwrap_err();
        assert_eq!(errors, [expected], "{file}");
    }
}

#[test]
fn a_forced_format_says_which_container_it_ignored() {
    let raw = config::load(&fixture("merged-v3-v5.json"), Some(Format::ConfigureV6)).unwrap();
    let errors = model::build(&raw).unwrap_err();
    assert_eq!(
        errors[0].render("merged-v3-v5.json"),
        "`merged-v3-v5.json`: no REST endpoints: read as Amplify.configure v6 (`API.REST`), the \
         file has none under `API.REST` (it has only `aws_cloud_logic_custom` (not read: \
         `format = \"v6\"` reads only `API.REST`; `format = \"aws-exports\"` reads it, and \
         without `format` every container is read), `API.endpoints` (not read: `format = \"v6\"` \
         reads only `API.REST`; `format = \"v5\"` reads it, and without `format` every \
         container is read)); `#[api_client]` needs at least one"
    );
}
