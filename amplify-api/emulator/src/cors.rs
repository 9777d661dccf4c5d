//! CORS for the emulator's endpoints, so a browser page (or `wasm-bindgen-test` in headless
//! Chromium) on another origin may call them: the `OPTIONS` preflight answered, and every
//! answer readable with the headers the client reads (`date` for its clock, `retry-after`...).

use bytes::Bytes;
use http::{HeaderValue, Response};
use http_body_util::Full;

/// The request headers a client sends. `authorization` is listed by name: the `*` wildcard
/// does not cover it.
const ALLOW_HEADERS: &str = "authorization, content-type, x-amz-date, x-amz-security-token, \
     x-amz-content-sha256, x-amz-target, x-amz-user-agent, x-api-key, x-trace, x-endpoint, *";

/// The response headers a browser may show the client (the safelisted ones aside).
const EXPOSE_HEADERS: &str = "date, retry-after, x-amzn-requestid, x-amzn-errortype, \
     x-amz-apigw-id, x-amzn-trace-id, content-length, *";

/// The answer to a CORS preflight (`OPTIONS` with `access-control-request-method`), if this
/// is one; any other request, an `OPTIONS` a client sends itself included, goes on.
pub(crate) fn preflight(parts: &http::request::Parts) -> Option<Response<Full<Bytes>>> {
    if parts.method != http::Method::OPTIONS
        || !parts.headers.contains_key("access-control-request-method")
    {
        return None;
    }
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = http::StatusCode::NO_CONTENT;
    let headers = response.headers_mut();
    headers.insert(
        "access-control-allow-methods",
        HeaderValue::from_static("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"),
    );
    headers.insert(
        "access-control-allow-headers",
        HeaderValue::from_static(ALLOW_HEADERS),
    );
    headers.insert("access-control-max-age", HeaderValue::from_static("600"));
    allow(&mut response);
    Some(response)
}

/// Lets any origin read `response`.
pub(crate) fn allow<B>(response: &mut Response<B>) {
    let headers = response.headers_mut();
    headers.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    headers.insert(
        "access-control-expose-headers",
        HeaderValue::from_static(EXPOSE_HEADERS),
    );
}

#[cfg(test)]
mod tests {
    use crate::Emulator;

    #[tokio::test]
    async fn preflight_lists_authorization_and_answers_allow_any_origin() {
        let emu = Emulator::start().await.unwrap();
        let http = reqwest::Client::new();
        for url in [emu.api_url(), emu.cognito_url()] {
            let preflight = http
                .request(reqwest::Method::OPTIONS, format!("{url}/items"))
                .header("origin", "http://page.test")
                .header("access-control-request-method", "PATCH")
                .header(
                    "access-control-request-headers",
                    "authorization, x-amz-date",
                )
                .send()
                .await
                .unwrap();
            assert_eq!(preflight.status(), 204);
            let allowed = preflight.headers()["access-control-allow-headers"]
                .to_str()
                .unwrap();
            assert!(
                allowed.split(", ").any(|h| h == "authorization"),
                "{allowed}"
            );
            assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
        }
        // Not a preflight: an answer of the API's (refused: unsigned), readable cross-origin
        // with its `date` exposed; the preflight was not counted as a request.
        let response = http
            .get(format!("{}/items", emu.api_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        assert_eq!(response.headers()["access-control-allow-origin"], "*");
        let exposed = response.headers()["access-control-expose-headers"]
            .to_str()
            .unwrap();
        assert!(exposed.contains("date"), "{exposed}");
        assert_eq!(emu.api().requests_served(), 1);
    }
}
