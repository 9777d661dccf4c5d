//! The runtime on wasm32, through the generated client, against the emulator running as a
//! separate native process (`examples/examples/emulator_server.rs`, started by `.ci/wasm.sh`,
//! whose JSON line arrives at compile time as `AMPLIFY_API_EMULATOR`): guest credentials from
//! its Cognito Identity, every verb signed with SigV4 and verified by its own implementation,
//! errors, retries and timeouts, and user-pool sign-in with SRP. Runs under Node, and in headless Chromium with
//! `WASM_BINDGEN_USE_BROWSER=1` (CORS preflights answered by the emulator).
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use amplify_api::credentials::{IdentityIdStore, LocalStorageIdentityIdStore};
use amplify_api::{Error, Method, RetryPolicy};
use amplify_api_wasm_page::{Api, Overrides, client, list_items};
use serde_json::Value;
use wasm_bindgen_test::wasm_bindgen_test;

/// The emulator's URLs and pool.
struct Emu {
    api: String,
    cognito: String,
    control: String,
    pool: String,
    user_pool_url: String,
    user_pool_id: String,
    user_pool_client_id: String,
    user: String,
    password: String,
}

fn emu() -> Emu {
    let line = option_env!("AMPLIFY_API_EMULATOR")
        .expect("build with AMPLIFY_API_EMULATOR set to emulator_server's line (.ci/wasm.sh)");
    let v: Value = serde_json::from_str(line).expect("emulator_server's JSON line");
    let field = |name: &str| v[name].as_str().expect(name).to_owned();
    Emu {
        api: field("api_url"),
        cognito: field("cognito_url"),
        control: field("control_url"),
        pool: field("identity_pool_id"),
        user_pool_url: field("user_pool_url"),
        user_pool_id: field("user_pool_id"),
        user_pool_client_id: field("user_pool_client_id"),
        user: field("user"),
        password: field("password"),
    }
}

fn api(emu: &Emu) -> Api {
    client(&Overrides {
        api: Some(emu.api.clone()),
        cognito: Some(emu.cognito.clone()),
        pool: Some(emu.pool.clone()),
    })
    .expect("client")
}

/// A control request to the emulator (plain reqwest: not through the client under test).
async fn control(emu: &Emu, method: Method, path_and_query: &str) -> Value {
    let url = format!("{}{path_and_query}", emu.control);
    let response = reqwest::Client::new()
        .request(method, url)
        .send()
        .await
        .expect("control request");
    assert!(response.status().is_success(), "{}", response.status());
    response.json().await.expect("control JSON")
}

/// Held by each test for its whole run: the emulator's fault queue is shared, and
/// `wasm-bindgen-test` interleaves async tests.
static EMULATOR: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn in_browser() -> bool {
    web_sys::window().is_some()
}

#[wasm_bindgen_test]
async fn every_verb_is_signed_and_verified_with_guest_credentials() {
    let _serial = EMULATOR.lock().await;
    let emu = emu();
    let api = api(&emu);
    let items = api.items_api();
    let requests = [
        (Method::GET, items.get("/items").query("q", "blue pens")),
        (
            Method::POST,
            items
                .post("/items")
                .json(&serde_json::json!({"name": "pen"})),
        ),
        (Method::PUT, items.put("/items/42").text("red")),
        (
            Method::PATCH,
            items.patch("/items/42").header("x-trace", "wasm"),
        ),
        (Method::DELETE, items.delete("/items/42")),
        (Method::OPTIONS, items.request(Method::OPTIONS, "/items")),
    ];
    for (method, request) in requests {
        let response = request.send().await.expect("signed request");
        // The emulator answers 200 only to a signature its own verifier accepts.
        assert_eq!(response.status(), 200, "{method}");
        let echo: Value = response.json().expect("echo");
        assert_eq!(echo["method"], method.as_str());
        assert_eq!(echo["service"], "execute-api");
        assert!(
            echo["signed_headers"]
                .as_array()
                .is_some_and(|h| !h.is_empty())
        );
    }
    assert_eq!(
        items.head("/items").send().await.expect("HEAD").status(),
        200
    );
    let counters = control(&emu, Method::GET, "/counters").await;
    assert!(
        counters["get_credentials"].as_u64() >= Some(1),
        "{counters}"
    );
    // The page's own call.
    assert!(
        list_items(&api)
            .await
            .expect("list_items")
            .contains("\"/items\"")
    );
}

/// Sign-in to the emulator's user pool with SRP on wasm32 (`a` from Web Crypto, the proof
/// checked by the emulator's own server side), then the user's credentials from the identity
/// pool.
#[wasm_bindgen_test]
async fn user_pool_sign_in_with_srp_then_the_users_credentials() {
    use amplify_api::user_pool::{UserPoolError, UserPoolSession};
    let _serial = EMULATOR.lock().await;
    let emu = emu();
    let session = UserPoolSession::builder(&emu.user_pool_id, &emu.user_pool_client_id)
        .endpoint(&emu.user_pool_url)
        .read_env(false)
        .build()
        .expect("session");
    let err = session
        .sign_in(&emu.user, "wrong password")
        .await
        .expect_err("a wrong password");
    assert!(matches!(err, UserPoolError::NotAuthorized { .. }), "{err}");
    session
        .sign_in(&emu.user, &emu.password)
        .await
        .expect("SRP sign-in");
    assert_eq!(session.username().as_deref(), Some(emu.user.as_str()));
    let api = Api::builder()
        .endpoint_url("itemsApi", emu.api.as_str())
        .cognito_endpoint(emu.cognito.as_str())
        .identity_pool(emu.pool.as_str())
        .user_pool_session(session.clone())
        .build()
        .expect("client");
    let echo: Value = api
        .items_api()
        .get("/me")
        .send()
        .await
        .expect("signed as the user")
        .json()
        .expect("echo");
    assert!(
        echo["role_arn"]
            .as_str()
            .is_some_and(|r| r.ends_with("authRole") && !r.ends_with("unauthRole")),
        "{echo}"
    );
}

#[wasm_bindgen_test]
async fn a_client_error_is_an_error_with_its_status_not_retried() {
    let _serial = EMULATOR.lock().await;
    let emu = emu();
    let api = api(&emu);
    control(&emu, Method::POST, "/faults?count=1&status=404").await;
    let err = api
        .items_api()
        .get("/missing")
        .send()
        .await
        .expect_err("404");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");
    let Error::Status(e) = err else {
        panic!("not a status error")
    };
    assert_eq!(e.attempts(), 1);
}

#[wasm_bindgen_test]
async fn server_errors_and_dropped_connections_are_retried() {
    let _serial = EMULATOR.lock().await;
    let emu = emu();
    let api = api(&emu);
    control(&emu, Method::POST, "/faults?count=2&status=503").await;
    let response = api
        .items_api()
        .get("/items")
        .send()
        .await
        .expect("retried to success");
    assert_eq!((response.status().as_u16(), response.attempts()), (200, 3));
    // A connection closed without an answer: a GET is tried again, by us when fetch rejects
    // (Node), or by the browser itself on a reused keep-alive connection (Chromium).
    control(&emu, Method::POST, "/faults?count=1&fault=drop").await;
    let response = api.items_api().get("/items").send().await.expect("retried");
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.attempts() <= 2, "{}", response.attempts());
    // Without retries the same 503 is the caller's.
    control(&emu, Method::POST, "/faults?count=1&status=503").await;
    let err = api
        .items_api()
        .get("/items")
        .retry(RetryPolicy::none())
        .send()
        .await
        .expect_err("503");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
}

#[wasm_bindgen_test]
async fn timeouts_run_on_the_browser_timer() {
    let _serial = EMULATOR.lock().await;
    let emu = emu();
    let api = api(&emu);
    // Warm the credentials first: the timeout is about the API call.
    api.items_api().get("/items").send().await.expect("warm-up");
    control(&emu, Method::POST, "/faults?count=1&delay_ms=3000").await;
    let err = api
        .items_api()
        .get("/slow")
        .timeout(Duration::from_millis(300))
        .send()
        .await
        .expect_err("timeout");
    assert!(matches!(err, Error::Timeout(_)), "{err}");
}

#[wasm_bindgen_test]
async fn authenticated_credentials_from_a_logins_provider_whose_future_is_not_send() {
    let _serial = EMULATOR.lock().await;
    let emu = emu();
    let key = amplify_api::user_pool_login_key("us-east-1_AbCdEf");
    let provider_key = key.clone();
    let api = Api::builder()
        .endpoint_url("itemsApi", emu.api.as_str())
        .cognito_endpoint(emu.cognito.as_str())
        .identity_pool(emu.pool.as_str())
        .logins_provider(move || {
            let key = provider_key.clone();
            async move {
                // A JS promise: this future is not `Send` (MaybeSend lets it be on wasm32).
                let promise = js_sys::Promise::resolve(&wasm_bindgen::JsValue::from_str(
                    "id-token-from-the-page",
                ));
                let token = wasm_bindgen_futures::JsFuture::from(promise)
                    .await
                    .ok()
                    .and_then(|v: wasm_bindgen::JsValue| v.as_string())
                    .unwrap_or_default();
                Ok::<_, amplify_api::BoxError>(Some(amplify_api::Logins::from([(key, token)])))
            }
        })
        .build()
        .expect("client");
    let response = api
        .items_api()
        .get("/me")
        .send()
        .await
        .expect("signed request");
    assert_eq!(response.status(), 200);
    let counters = control(&emu, Method::GET, "/counters").await;
    assert_eq!(
        counters["last_logins"],
        serde_json::json!([key]),
        "{counters}"
    );
}

#[wasm_bindgen_test]
async fn identity_id_lives_in_local_storage_in_a_browser() {
    let _serial = EMULATOR.lock().await;
    if !in_browser() {
        // Node has no `localStorage`: a clear error, not a panic.
        let err = LocalStorageIdentityIdStore::new().expect_err("no localStorage in Node");
        assert!(err.to_string().contains("localStorage"), "{err}");
        return;
    }
    let store = LocalStorageIdentityIdStore::with_prefix("test.").expect("localStorage");
    store.save("pool-a", "us-east-1:abc");
    assert_eq!(store.load("pool-a").as_deref(), Some("us-east-1:abc"));
    store.clear("pool-a");
    assert_eq!(store.load("pool-a"), None);
    // The client keeps the guest identity id there.
    let emu = emu();
    api(&emu)
        .items_api()
        .get("/items")
        .send()
        .await
        .expect("signed request");
    let id = LocalStorageIdentityIdStore::new()
        .expect("store")
        .load(&emu.pool);
    assert!(id.is_some_and(|id| id.starts_with("us-east-1:")));
}
