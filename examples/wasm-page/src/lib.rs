//! A minimal browser app calling an Amplify REST API with the generated client: guest
//! credentials from the config's Cognito identity pool (its identity id kept in
//! `localStorage`), every request signed with SigV4 and sent with the browser's `fetch`.
//!
//! `index.html` loads it and calls [`start`]. The query string may point it elsewhere than
//! the config's endpoints (at the emulator: `examples/examples/emulator_server.rs`):
//! `index.html?api=http://127.0.0.1:PORT&cognito=http://127.0.0.1:PORT&pool=us-east-1:...`.

use amplify_api::api_client;
use amplify_api::credentials::LocalStorageIdentityIdStore;
use wasm_bindgen::prelude::*;

/// The app's REST APIs, read from `amplifyconfiguration.json` at compile time.
#[api_client(config = "amplifyconfiguration.json")]
pub struct Api;

/// Where to send requests instead of the config's endpoints (all `None`: the config's).
#[derive(Debug, Default)]
pub struct Overrides {
    /// The `itemsApi` endpoint's URL.
    pub api: Option<String>,
    /// The Cognito Identity endpoint.
    pub cognito: Option<String>,
    /// The identity pool id.
    pub pool: Option<String>,
}

/// The generated client, with the overrides applied and the identity id in `localStorage`
/// where there is one (a browser; not Node).
pub fn client(overrides: &Overrides) -> amplify_api::Result<Api> {
    let mut builder = Api::builder();
    if let Some(url) = &overrides.api {
        builder = builder.endpoint_url(api::items_api::NAME, url.as_str());
    }
    if let Some(url) = &overrides.cognito {
        builder = builder.cognito_endpoint(url.as_str());
    }
    if let Some(pool) = &overrides.pool {
        builder = builder.identity_pool(pool.as_str());
    }
    if let Ok(store) = LocalStorageIdentityIdStore::new() {
        builder = builder.identity_id_store(store);
    }
    builder.build()
}

/// `GET /items?limit=10` through the generated client: the response body as text.
pub async fn list_items(api: &Api) -> amplify_api::Result<String> {
    let response = api
        .items_api()
        .get("/items")
        .query("limit", "10")
        .send()
        .await?;
    Ok(response.text()?.to_owned())
}

/// The page's entry point: calls `GET /items` and shows the answer (or the error) in the
/// element `#out`.
#[wasm_bindgen]
pub async fn start() -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let params = window.location().search().unwrap_or_default();
    let overrides = overrides_from_query(&params);
    let text = match client(&overrides) {
        Ok(api) => list_items(&api)
            .await
            .unwrap_or_else(|e| format!("error: {e}")),
        Err(e) => format!("error: {e}"),
    };
    if let Some(out) = window.document().and_then(|d| d.get_element_by_id("out")) {
        out.set_text_content(Some(&text));
    }
    Ok(())
}

/// The overrides in a query string (`?api=..&cognito=..&pool=..`, values percent-decoded).
pub fn overrides_from_query(query: &str) -> Overrides {
    let mut overrides = Overrides::default();
    for pair in query.trim_start_matches('?').split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = js_sys_decode(value);
        match key {
            "api" => overrides.api = Some(value),
            "cognito" => overrides.cognito = Some(value),
            "pool" => overrides.pool = Some(value),
            _ => {}
        }
    }
    overrides
}

/// `decodeURIComponent`, the value itself if it is not valid.
fn js_sys_decode(value: &str) -> String {
    js_sys::decode_uri_component(value)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| value.to_owned())
}
