//! The browser bundle's floor: the example page's job (`examples/wasm-page`: guest credentials
//! from a Cognito identity pool, then `GET /items?limit=10` signed with SigV4) written by hand
//! with the least code, on the crates the runtime's public API is built on (reqwest's fetch
//! backend, `http`, `url`, `serde_json`) and the same `sha2`/`hmac`.
//!
//! It has none of the runtime's policy: no retries, timeouts, clock correction, redaction,
//! credential cache or typed errors, and it signs only this one request (a plain path, one
//! query pair, no body). `.ci/wasm-size.sh` builds it as the page is shipped and prints both
//! sizes: the difference is what the runtime's policy and API weigh. `tests/web.rs` runs it
//! against the emulator, whose own SigV4 verifier accepts its signature.
//!
//! With `--no-default-features --features web-sys-fetch` it sends through the browser's own
//! `fetch` instead (no reqwest, `http` or `url`): the floor of a transport on `web-sys`.

use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::*;

/// Where the page's config points (`examples/wasm-page/amplifyconfiguration.json`).
const API: &str = "https://abc123def4.execute-api.us-east-1.amazonaws.com/dev";
const COGNITO: &str = "https://cognito-identity.us-east-1.amazonaws.com/";
const POOL: &str = "us-east-1:11111111-2222-3333-4444-555555555555";
const REGION: &str = "us-east-1";

type Failure = Box<dyn std::error::Error>;

/// The Cognito Identity endpoint, the identity pool and the API's base URL.
#[derive(Debug)]
pub struct Target {
    /// The API's base URL.
    pub api: String,
    /// The Cognito Identity endpoint.
    pub cognito: String,
    /// The identity pool id.
    pub pool: String,
}

#[derive(Deserialize)]
struct IdAnswer {
    #[serde(rename = "IdentityId")]
    identity_id: String,
}

#[derive(Deserialize)]
struct CredentialsAnswer {
    #[serde(rename = "Credentials")]
    credentials: Credentials,
}

#[derive(Deserialize)]
struct Credentials {
    #[serde(rename = "AccessKeyId")]
    access_key_id: String,
    #[serde(rename = "SecretKey")]
    secret_key: String,
    #[serde(rename = "SessionToken")]
    session_token: String,
}

/// One Cognito Identity call (AWS JSON 1.1), its answer decoded.
async fn cognito<T: DeserializeOwned>(
    target: &Target,
    action: &str,
    body: serde_json::Value,
) -> Result<T, Failure> {
    let amz_target = format!("AWSCognitoIdentityService.{action}");
    let headers = [
        ("content-type", "application/x-amz-json-1.1"),
        ("x-amz-target", amz_target.as_str()),
    ];
    let (status, bytes) =
        transport::send("POST", &target.cognito, &headers, Some(body.to_string())).await?;
    if !(200..300).contains(&status) {
        return Err(format!("{action}: {status}").into());
    }
    Ok(serde_json::from_slice(&bytes)?)
}

/// reqwest's fetch back end (the runtime's transport), with `http` and `url`.
#[cfg(feature = "reqwest")]
mod transport {
    use super::Failure;

    /// Sends one request: the answer's status and body.
    pub(crate) async fn send(
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> Result<(u16, Vec<u8>), Failure> {
        let method = reqwest::Method::from_bytes(method.as_bytes())?;
        let mut request = reqwest::Client::new().request(method, url::Url::parse(url)?);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        Ok((status, response.bytes().await?.to_vec()))
    }
}

/// The browser's own `fetch` (through `web-sys`), found on the global object (a page, a worker,
/// Node).
#[cfg(all(feature = "web-sys-fetch", not(feature = "reqwest")))]
mod transport {
    use super::Failure;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    fn js(e: JsValue) -> Failure {
        format!("{e:?}").into()
    }

    /// Sends one request: the answer's status and body.
    pub(crate) async fn send(
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> Result<(u16, Vec<u8>), Failure> {
        let init = web_sys::RequestInit::new();
        init.set_method(method);
        let map = web_sys::Headers::new().map_err(js)?;
        for (name, value) in headers {
            map.append(name, value).map_err(js)?;
        }
        init.set_headers(&map);
        if let Some(body) = &body {
            init.set_body(&JsValue::from_str(body));
        }
        let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(js)?;
        let fetch: js_sys::Function =
            js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("fetch"))
                .map_err(js)?
                .dyn_into()
                .map_err(js)?;
        let promise: js_sys::Promise = fetch
            .call1(&JsValue::NULL, &request)
            .map_err(js)?
            .dyn_into()
            .map_err(js)?;
        let response: web_sys::Response = JsFuture::from(promise)
            .await
            .map_err(js)?
            .dyn_into()
            .map_err(js)?;
        let buffer = JsFuture::from(response.array_buffer().map_err(js)?)
            .await
            .map_err(js)?;
        Ok((response.status(), js_sys::Uint8Array::new(&buffer).to_vec()))
    }
}

fn hmac(key: &[u8], data: &str) -> Result<Vec<u8>, Failure> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key)?;
    mac.update(data.as_bytes());
    Ok(mac.finalize().into_bytes().to_vec())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The `authorization` for a GET of `url` (no body) at `amz_date`.
fn sign(c: &Credentials, url: &str, amz_date: &str) -> Result<String, Failure> {
    // `scheme://host[:port]/path?query`, as the page's one request has it (a plain ASCII path,
    // one query pair): the floor splits it rather than parse it.
    let rest = url.split_once("://").ok_or("no scheme")?.1;
    let (host, path_and_query) = rest.split_at(rest.find('/').ok_or("no path")?);
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let signed = "host;x-amz-date;x-amz-security-token";
    let canonical = format!(
        "GET\n{}\n{}\nhost:{host}\nx-amz-date:{amz_date}\nx-amz-security-token:{}\n\n{signed}\n{}",
        path,
        query,
        c.session_token,
        hex(&Sha256::digest(b"")),
    );
    let day = &amz_date[..8];
    let scope = format!("{day}/{REGION}/execute-api/aws4_request");
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let mut key = hmac(format!("AWS4{}", c.secret_key).as_bytes(), day)?;
    for part in [REGION, "execute-api", "aws4_request"] {
        key = hmac(&key, part)?;
    }
    Ok(format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed}, Signature={}",
        c.access_key_id,
        hex(&hmac(&key, &to_sign)?)
    ))
}

/// Now as `x-amz-date` wants it (`20261205T231500Z`), from the browser's clock.
fn amz_date() -> String {
    let iso = String::from(js_sys::Date::new_0().to_iso_string());
    iso.chars()
        .filter(|c| *c != '-' && *c != ':')
        .take(15)
        .chain(['Z'])
        .collect()
}

/// Guest credentials from the pool, then `GET /items?limit=10` signed with them: the body.
pub async fn list_items(target: &Target) -> Result<String, Failure> {
    let id: IdAnswer = cognito(
        target,
        "GetId",
        serde_json::json!({ "IdentityPoolId": target.pool }),
    )
    .await?;
    let answer: CredentialsAnswer = cognito(
        target,
        "GetCredentialsForIdentity",
        serde_json::json!({ "IdentityId": id.identity_id }),
    )
    .await?;
    let c = answer.credentials;
    let url = format!("{}/items?limit=10", target.api);
    let date = amz_date();
    let authorization = sign(&c, &url, &date)?;
    let headers = [
        ("x-amz-date", date.as_str()),
        ("x-amz-security-token", c.session_token.as_str()),
        ("authorization", authorization.as_str()),
    ];
    let (status, body) = transport::send("GET", &url, &headers, None).await?;
    let text = String::from_utf8(body)?;
    if !(200..300).contains(&status) {
        return Err(format!("{status}: {text}").into());
    }
    Ok(text)
}

/// The page's entry point, as the example page's: calls `GET /items` and shows the answer (or
/// the error) in the element `#out`.
#[wasm_bindgen]
pub async fn start() -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let target = Target {
        api: API.to_owned(),
        cognito: COGNITO.to_owned(),
        pool: POOL.to_owned(),
    };
    let text = list_items(&target)
        .await
        .unwrap_or_else(|e| format!("error: {e}"));
    if let Some(out) = window.document().and_then(|d| d.get_element_by_id("out")) {
        out.set_text_content(Some(&text));
    }
    Ok(())
}
