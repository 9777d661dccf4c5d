//! The emulator's control endpoint, for a client in another process (a `wasm-bindgen-test` in
//! Node or a browser, which cannot hold an [`Emulator`](super::Emulator)): queue API faults and
//! read the counters over HTTP.
//!
//! - `POST /faults?count=N&status=S` queues `count` answers with status `S`
//!   ([`Fault::Status`]); `fault=drop` instead of `status` closes the connection
//!   ([`Fault::DropConnection`]), `delay_ms=D` delays the answer ([`Fault::Delay`]).
//! - `GET /counters` answers `{"api": N, "get_id": N, "get_credentials": N, "last_logins":
//!   [provider names] or null}` (the `Logins` of Cognito's last call, without their tokens).

use std::time::Duration;

use super::api::ApiControl;
use super::cognito::CognitoControl;
use super::faults::Fault;
use super::server::{Received, Reply, json_response};

/// Serves one control request.
pub(crate) fn handle(api: &ApiControl, cognito: &CognitoControl, request: &Received) -> Reply {
    let query: Vec<(String, String)> = request
        .parts
        .uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let (status, body) = match (request.parts.method.as_str(), request.parts.uri.path()) {
        ("POST", "/faults") => match fault(param("status"), param("fault"), param("delay_ms")) {
            Some(fault) => {
                let count = param("count").and_then(|c| c.parse().ok()).unwrap_or(1);
                api.respond_next(count, fault);
                (200, format!(r#"{{"queued":{count}}}"#))
            }
            None => (
                400,
                r#"{"message":"give status=S, fault=drop or delay_ms=D"}"#.to_owned(),
            ),
        },
        ("GET", "/counters") => (
            200,
            serde_json::json!({
                "api": api.requests_served(),
                "get_id": cognito.get_id_calls(),
                "get_credentials": cognito.get_credentials_calls(),
                // Provider names only: the tokens are secrets.
                "last_logins": cognito
                    .last_logins()
                    .map(|logins| logins.into_keys().collect::<Vec<_>>()),
            })
            .to_string(),
        ),
        _ => (404, r#"{"message":"unknown control request"}"#.to_owned()),
    };
    Reply::Send(json_response(
        status,
        body.into_bytes(),
        "application/json",
        &[],
    ))
}

/// The fault the query names.
fn fault(status: Option<&str>, fault: Option<&str>, delay_ms: Option<&str>) -> Option<Fault> {
    if let Some(status) = status {
        return status.parse().ok().map(Fault::Status);
    }
    if let Some(ms) = delay_ms {
        return ms
            .parse()
            .ok()
            .map(|ms| Fault::Delay(Duration::from_millis(ms)));
    }
    match fault {
        Some("drop") => Some(Fault::DropConnection),
        Some("hang") => Some(Fault::Hang),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::Emulator;

    #[tokio::test]
    async fn faults_queued_over_http_answer_the_next_requests() {
        let emu = Emulator::start().await.unwrap();
        let http = reqwest::Client::new();
        let control = emu.control_url();
        let queued = http
            .post(format!("{control}/faults?count=2&status=503"))
            .send()
            .await
            .unwrap();
        assert_eq!(queued.status(), 200);
        for _ in 0..2 {
            let r = http
                .get(format!("{}/x", emu.api_url()))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 503);
        }
        let r = http
            .get(format!("{}/x", emu.api_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "the queue is empty: unsigned, refused");
        let counters: serde_json::Value = http
            .get(format!("{control}/counters"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(counters["api"], 3);
        assert_eq!(counters["last_logins"], serde_json::Value::Null);
        let bad = http
            .post(format!("{control}/faults?count=1"))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 400);
    }
}
