//! Configs read at run time (`Client::from_config_file`, `ClientBuilder::config_*`), by the same
//! reader as `#[api_client]` (`amplify-api-config`), over the same fixtures as the macro's UI
//! tests: every valid fixture reads into exactly the endpoints the macro generated; every
//! invalid one fails with the macro's own messages; requests through such a client pass the
//! emulator's SigV4 verifier with the config's identity pool; a generated client's
//! `from_config_file` checks the file has its endpoints.

mod common;

use std::path::Path;

use amplify_api::{AuthMode, Client, ConfigFormat, Error, api_client};
use amplify_api_emulator::{Auth, Echo, Emulator};
use common::{fixed_credentials, send_echo, send_err};

#[api_client(config = "fixtures/configs/amplify-config.ts")]
struct AmplifyConfigTs;
#[api_client(config = "fixtures/configs/amplify-configure.js")]
struct AmplifyConfigureJs;
#[api_client(config = "fixtures/configs/aws-exports.js")]
struct AwsExportsJs;
#[api_client(config = "fixtures/configs/aws-exports.json")]
struct AwsExports;
#[api_client(config = "fixtures/configs/config.js", endpoints = ["adminApi", "billing"])]
struct ConfigJs;
#[api_client(config = "fixtures/configs/gen2.json")]
struct Gen2;
#[api_client(config = "fixtures/configs/many-endpoints.json")]
struct Many;
#[api_client(config = "fixtures/configs/merged-v3-v5.json")]
struct Merged;
#[api_client(config = "fixtures/configs/native-versioned.json")]
struct NativeVersioned;
#[api_client(config = "fixtures/configs/native.json")]
struct Native;
#[api_client(config = "fixtures/configs/no-identity-pool.json")]
struct NoPool;
#[api_client(config = "fixtures/configs/plain-http.json", allow_http = true)]
struct PlainHttp;
#[api_client(config = "fixtures/configs/prelude-names.json")]
struct Prelude;
#[api_client(
    config = "fixtures/configs/unicode-names.json",
    rename = { "日本" = "japan", "itemsApi" = "items" }
)]
struct Unicode;
#[api_client(config = "fixtures/configs/v5.json")]
struct V5;
#[api_client(config = "fixtures/configs/v6.json")]
struct V6;

/// `(name, url, region, service, auth)` of every endpoint of `client`, in its order.
fn facts(client: &Client) -> Vec<(String, String, String, String, AuthMode)> {
    client
        .endpoint_names()
        .map(|name| {
            let e = client.endpoint(name).unwrap();
            (
                name.to_owned(),
                e.url().to_owned(),
                e.region().to_owned(),
                e.service().to_owned(),
                e.auth_mode(),
            )
        })
        .collect()
}

/// Fixed credentials, for configs without an identity pool.
fn keys() -> aws_credential_types::Credentials {
    fixed_credentials("AKIDEXAMPLE", "secret", None)
}

/// The fixture at `fixtures/configs/<file>` read at run time (relative path: tests run in the
/// `tests` package's directory, where the macro resolves `config = "..."` too).
fn runtime(file: &str, allow_http: bool) -> Client {
    Client::builder()
        .read_env(false)
        .credentials_provider(keys())
        .allow_http(allow_http)
        .config_file(format!("fixtures/configs/{file}"))
        .build()
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn every_valid_fixture_reads_as_the_macro_generated_it() {
    macro_rules! generated {
        ($($file:literal => $client:ident $(, $http:literal)?;)*) => {
            vec![$((
                $file,
                $client::builder()
                    .read_env(false)
                    .credentials_provider(keys())
                    .build()
                    .unwrap()
                    .client()
                    .clone(),
                false $(|| $http)?,
            )),*]
        };
    }
    let cases: Vec<(&str, Client, bool)> = generated! {
        "amplify-config.ts" => AmplifyConfigTs;
        "amplify-configure.js" => AmplifyConfigureJs;
        "aws-exports.js" => AwsExportsJs;
        "aws-exports.json" => AwsExports;
        "config.js" => ConfigJs;
        "gen2.json" => Gen2;
        "many-endpoints.json" => Many;
        "merged-v3-v5.json" => Merged;
        "native-versioned.json" => NativeVersioned;
        "native.json" => Native;
        "no-identity-pool.json" => NoPool;
        "plain-http.json" => PlainHttp, true;
        "prelude-names.json" => Prelude;
        "unicode-names.json" => Unicode;
        "v5.json" => V5;
        "v6.json" => V6;
    };
    // Every valid fixture is here.
    let mut files: Vec<String> = std::fs::read_dir("fixtures/configs")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_owned())
        .collect();
    files.sort();
    let mut covered: Vec<&str> = cases.iter().map(|(f, _, _)| *f).collect();
    covered.sort_unstable();
    assert_eq!(files, covered);
    let mut endpoints = 0;
    for (file, generated, allow_http) in &cases {
        let read = runtime(file, *allow_http);
        let expected = facts(generated);
        assert!(!expected.is_empty(), "{file}");
        assert_eq!(facts(&read), expected, "{file}");
        endpoints += expected.len();
    }
    assert!(endpoints > 40, "{endpoints}");
    // And against the generated constants themselves, for one of them.
    let read = runtime("native.json", false);
    let items = read.endpoint(native::items_api::NAME).unwrap();
    assert_eq!(items.url(), native::items_api::URL);
    assert_eq!(items.region(), native::items_api::REGION);
    assert_eq!(items.service(), native::items_api::SERVICE);
    assert_eq!(items.auth_mode(), native::items_api::AUTH_MODE);
}

/// The messages of the `error: ...` lines of a trybuild `.stderr` file.
fn macro_errors(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("error: "))
        .collect()
}

#[test]
fn invalid_fixtures_fail_with_the_macros_messages() {
    // Problems with Rust names only: the macro's, not the runtime's (which names nothing).
    let rust_names_only = ["colliding-names.json", "variant-collision.json"];
    let mut compared = 0;
    for entry in std::fs::read_dir("fixtures/configs/invalid").unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_str().unwrap().to_owned();
        let written = format!("fixtures/configs/invalid/{file}");
        let result = Client::builder()
            .read_env(false)
            .credentials_provider(keys())
            .config_file(&written)
            .build();
        if rust_names_only.contains(&file.as_str()) {
            let client = result.unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(client.endpoint_names().count() >= 2, "{file}");
            continue;
        }
        let Err(Error::Config(message)) = result else {
            panic!("{file}: {result:?}");
        };
        assert!(
            message.contains(&format!("`{written}")),
            "{file}: {message}"
        );
        // The UI test compiling this fixture, and the macro's errors for it.
        let mut stderr = None;
        for ui in std::fs::read_dir("ui/fail").unwrap() {
            let ui = ui.unwrap().path();
            if ui.extension().is_some_and(|e| e == "rs")
                && std::fs::read_to_string(&ui)
                    .unwrap()
                    .contains(&format!("\"{written}\""))
            {
                stderr = std::fs::read_to_string(ui.with_extension("stderr")).ok();
            }
        }
        let Some(stderr) = stderr else {
            continue;
        };
        let expected = macro_errors(&stderr);
        for line in message.lines() {
            assert!(
                expected.contains(&line),
                "{file}: the runtime says\n  {line}\nthe macro says\n  {}",
                expected.join("\n  ")
            );
        }
        compared += 1;
    }
    assert!(compared >= 6, "{compared}");
}

#[test]
fn text_configs_are_detected_or_forced_and_errors_name_them() {
    let merged = std::fs::read_to_string("fixtures/configs/merged-v3-v5.json").unwrap();
    let all = Client::builder()
        .read_env(false)
        .credentials_provider(keys())
        .config_str(&merged)
        .build()
        .unwrap();
    let forced = Client::builder()
        .read_env(false)
        .credentials_provider(keys())
        .config_str_as(&merged, ConfigFormat::ConfigureV5)
        .build()
        .unwrap();
    assert!(
        forced.endpoint_names().count() < all.endpoint_names().count(),
        "{:?} vs {:?}",
        forced.endpoint_names().collect::<Vec<_>>(),
        all.endpoint_names().collect::<Vec<_>>()
    );
    let err = Client::from_config_str("{\"API\": {\"REST\": {\"a\": {\"endpoint\": 7}}}}")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "invalid client configuration: `config:1:37`, at `API.REST.a.endpoint`: expected a \
         string, found a number"
    );
    let err = Client::from_config_file("fixtures/configs/nope.json").unwrap_err();
    assert!(
        matches!(&err, Error::Config(m) if m.starts_with("cannot read the config file `fixtures/configs/nope.json`")),
        "{err}"
    );
}

/// A v6 config whose endpoints and Cognito are the emulator's.
fn emulator_config(emu: &Emulator, guest_access: bool) -> String {
    format!(
        r#"{{"Auth": {{"Cognito": {{"identityPoolId": "{pool}", "allowGuestAccess": {guest_access},
                                   "identityPoolEndpoint": "{cognito}"}}}},
            "API": {{"REST": {{
                "itemsApi": {{"endpoint": "{api}/items-stage", "region": "eu-west-2"}},
                "openApi": {{"endpoint": "{api}/open", "region": "eu-west-2", "authorizationType": "NONE"}}
            }}}}}}"#,
        pool = emu.identity_pool_id(),
        cognito = emu.cognito_url(),
        api = emu.api_url(),
    )
}

#[tokio::test]
async fn requests_through_a_runtime_config_client_are_verified() {
    let emu = Emulator::start().await.unwrap();
    emu.api().require_for("/open", Auth::None);
    let dir = std::env::temp_dir().join(format!("runtime-configs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("amplify_outputs.json");
    std::fs::write(&path, emulator_config(&emu, true)).unwrap();
    let client = Client::builder()
        .read_env(false)
        .config_file(&path)
        .build()
        .unwrap();
    // Signed for the config's region, with guest credentials from the config's pool and
    // Cognito endpoint (the emulator's verifier checked the signature).
    let seen: Echo = send_echo(client.endpoint("itemsApi").unwrap().get("/items")).await;
    assert_eq!(seen.path, "/items-stage/items");
    assert_eq!(seen.region, "eu-west-2");
    assert_eq!(seen.service, "execute-api");
    assert!(seen.access_key_id.starts_with("ASIA"), "{seen:?}");
    assert_eq!(emu.cognito().get_id_calls(), 1);
    let open: Echo = send_echo(client.endpoint("openApi").unwrap().get("/x")).await;
    assert!(open.access_key_id.is_empty(), "{open:?}");
    // The same overrides as for generated clients.
    let moved = Client::builder()
        .read_env(false)
        .config_file(&path)
        .endpoint_url("itemsApi", format!("{}/other", emu.api_url()))
        .build()
        .unwrap();
    let seen: Echo = send_echo(moved.endpoint("itemsApi").unwrap().get("/items")).await;
    assert_eq!(seen.path, "/other/items");
    let unknown = Client::builder()
        .read_env(false)
        .config_file(&path)
        .endpoint_url("nope", "https://x.example.com")
        .build()
        .unwrap_err();
    assert!(matches!(unknown, Error::UnknownEndpoint(_)), "{unknown}");
    // Guest access off in the config: no guest credentials asked for, an error instead.
    std::fs::write(&path, emulator_config(&emu, false)).unwrap();
    let calls = emu.cognito().get_id_calls();
    let signed_in_only = Client::from_config_file(&path).unwrap();
    let err = send_err(signed_in_only.endpoint("itemsApi").unwrap().get("/items")).await;
    assert!(matches!(err, Error::Credentials(_)), "{err}");
    assert!(
        err.to_string().contains("guest access is disabled"),
        "{err}"
    );
    assert_eq!(emu.cognito().get_id_calls(), calls);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_generated_clients_from_config_file_needs_its_endpoints() {
    let dir = std::env::temp_dir().join(format!("runtime-configs-gen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // This stage's file: the same names, other URLs.
    let stage = dir.join("prod.json");
    let native = std::fs::read_to_string("fixtures/configs/native.json").unwrap();
    let prod = native.replace("/dev", "/prod");
    assert_ne!(prod, native);
    std::fs::write(&stage, &prod).unwrap();
    let api = Native::from_config_file(&stage).unwrap();
    assert!(
        api.items_api().url().ends_with("/prod"),
        "{}",
        api.items_api().url()
    );
    assert_eq!(api.items_api().region(), native::items_api::REGION);
    // A file without two of its endpoints: both listed.
    let partial = dir.join("partial.json");
    std::fs::write(
        &partial,
        r#"{"API": {"REST": {"itemsApi": {"endpoint": "https://i.execute-api.us-east-1.amazonaws.com/prod"}}}}"#,
    )
    .unwrap();
    let err = Native::from_config_file(&partial).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "invalid client configuration: `{}` has no endpoint `publicApi`, `userApi` that \
             `Native` needs (it has: `itemsApi`)",
            partial.display()
        )
    );
    // A file with an error: the reader's message.
    let bad = Native::from_config_file(Path::new("fixtures/configs/invalid/no-region.json"))
        .unwrap_err()
        .to_string();
    assert!(
        bad.contains("no-region.json:4:7`, at `API.REST.customDomain`"),
        "{bad}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
