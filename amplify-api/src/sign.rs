//! AWS Signature Version 4 for outgoing requests, with `aws-sigv4`. Nothing else signs.
//!
//! Settings are aws-sigv4's defaults (double-encoded, normalized path; session token signed; no
//! `x-amz-content-sha256`), except that every header on the request is signed but `user-agent`:
//! aws-sigv4 would also leave out `x-amzn-trace-id` and `transfer-encoding`, and an unsigned
//! header is one a proxy could change unnoticed.

use std::borrow::Cow;
use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::error::{Error, Result};

/// Who signs and for what: the credentials and the scope of the signature.
#[derive(Debug)]
pub(crate) struct SigningScope<'a> {
    pub(crate) credentials: &'a Credentials,
    pub(crate) region: &'a str,
    pub(crate) service: &'a str,
    pub(crate) time: SystemTime,
}

fn settings() -> SigningSettings {
    let mut settings = SigningSettings::default();
    settings.excluded_headers = Some(vec![Cow::Borrowed("user-agent")]);
    settings
}

/// Signs a request about to be sent: adds `x-amz-date`, `x-amz-security-token` (when the
/// credentials carry one) and `authorization` to `headers`.
///
/// `url` must be the exact URL that goes on the wire (path and query already percent-encoded)
/// and `body` the exact bytes sent.
pub(crate) fn sign_request(
    method: &str,
    url: &str,
    headers: &mut HeaderMap,
    body: &[u8],
    scope: &SigningScope<'_>,
) -> Result<()> {
    let mut header_pairs = Vec::with_capacity(headers.len());
    for (name, value) in headers.iter() {
        let value = value.to_str().map_err(|_| {
            Error::invalid(format!(
                "header `{name}` is not visible ASCII and cannot be signed"
            ))
        })?;
        header_pairs.push((name.as_str(), value));
    }
    let signable = SignableRequest::new(
        method,
        url,
        header_pairs.into_iter(),
        SignableBody::Bytes(body),
    )
    .map_err(|e| Error::invalid(format!("cannot sign {url}: {e}")))?;
    let identity: Identity = scope.credentials.clone().into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(scope.region)
        .name(scope.service)
        .time(scope.time)
        .settings(settings())
        .build()
        .map_err(|e| Error::invalid(format!("cannot sign {url}: {e}")))?
        .into();
    let (instructions, _signature) = sign(signable, &params)
        .map_err(|e| Error::invalid(format!("cannot sign {url}: {e}")))?
        .into_parts();
    let (new_headers, _params) = instructions.into_parts();
    for header in new_headers {
        let mut value = HeaderValue::from_str(header.value())
            .map_err(|e| Error::invalid(format!("signature header: {e}")))?;
        value.set_sensitive(header.sensitive() || header.name() == "authorization");
        headers.insert(HeaderName::from_static(header.name()), value);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn scope(creds: &Credentials) -> SigningScope<'_> {
        SigningScope {
            credentials: creds,
            region: "us-east-1",
            service: "service",
            time: SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160), // 2015-08-30T12:36:00Z
        }
    }

    #[test]
    fn signs_the_aws_vanilla_case() {
        // AWS test suite case `get-vanilla`: the expected signature is AWS's.
        let creds = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "test",
        );
        let mut headers = HeaderMap::new();
        sign_request(
            "GET",
            "https://example.amazonaws.com/",
            &mut headers,
            b"",
            &scope(&creds),
        )
        .unwrap();
        let auth = headers["authorization"].to_str().unwrap();
        assert_eq!(
            auth,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
        assert!(headers["authorization"].is_sensitive());
        assert_eq!(headers["x-amz-date"], "20150830T123600Z");
    }

    #[test]
    fn signs_custom_headers_but_not_user_agent() {
        let creds = Credentials::new("AKID", "SECRET", Some("TOKEN".into()), None, "test");
        let mut headers = HeaderMap::new();
        headers.insert("x-amzn-trace-id", HeaderValue::from_static("Root=1"));
        headers.insert("user-agent", HeaderValue::from_static("me"));
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        sign_request("POST", "https://h/x", &mut headers, b"{}", &scope(&creds)).unwrap();
        let auth = headers["authorization"].to_str().unwrap();
        assert!(
            auth.contains(
                "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amzn-trace-id,"
            ),
            "{auth}"
        );
        assert!(headers["x-amz-security-token"].is_sensitive());
    }

    #[test]
    fn opaque_header_values_are_an_error() {
        let creds = Credentials::new("AKID", "SECRET", None, None, "test");
        let mut headers = HeaderMap::new();
        headers.insert("x-bin", HeaderValue::from_bytes(b"\xff").unwrap());
        let err = sign_request("GET", "https://h/", &mut headers, b"", &scope(&creds)).unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
    }
}
