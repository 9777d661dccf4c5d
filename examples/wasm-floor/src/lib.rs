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
    http: &reqwest::Client,
    target: &Target,
    action: &str,
    body: serde_json::Value,
) -> Result<T, Failure> {
    let response = http
        .post(&target.cognito)
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            format!("AWSCognitoIdentityService.{action}"),
        )
        .body(body.to_string())
        .send()
        .await?;
    let status = response.status();
    let bytes = response.bytes().await?;
    if !status.is_success() {
        return Err(format!("{action}: {status}").into());
    }
    Ok(serde_json::from_slice(&bytes)?)
}

fn hmac(key: &[u8], data: &str) -> Result<Vec<u8>, Failure> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key)?;
    mac.update(data.as_bytes());
    Ok(mac.finalize().into_bytes().to_vec())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `x-amz-date` and `authorization` for a GET of `url` (no body) at `amz_date`.
fn sign(c: &Credentials, url: &url::Url, amz_date: &str) -> Result<String, Failure> {
    let host = match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        (None, _) => return Err("no host".into()),
    };
    let signed = "host;x-amz-date;x-amz-security-token";
    let canonical = format!(
        "GET\n{}\n{}\nhost:{host}\nx-amz-date:{amz_date}\nx-amz-security-token:{}\n\n{signed}\n{}",
        url.path(),
        url.query().unwrap_or(""),
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
    let http = reqwest::Client::new();
    let id: IdAnswer = cognito(
        &http,
        target,
        "GetId",
        serde_json::json!({ "IdentityPoolId": target.pool }),
    )
    .await?;
    let answer: CredentialsAnswer = cognito(
        &http,
        target,
        "GetCredentialsForIdentity",
        serde_json::json!({ "IdentityId": id.identity_id }),
    )
    .await?;
    let c = answer.credentials;
    let url = url::Url::parse(&format!("{}/items?limit=10", target.api))?;
    let date = amz_date();
    let authorization = sign(&c, &url, &date)?;
    let response = http
        .get(url)
        .header("x-amz-date", date)
        .header("x-amz-security-token", c.session_token)
        .header("authorization", authorization)
        .send()
        .await?;
    let status = response.status();
    let text = response.text().await?;
    if !status.is_success() {
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
