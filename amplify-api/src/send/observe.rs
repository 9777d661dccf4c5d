//! What each attempt puts on the wire, shown to a caller's hook
//! ([`RequestBuilder::on_attempt`](crate::RequestBuilder::on_attempt)) with the send path's own
//! secret redaction: for tools that show what was signed and sent (`amplify-api call -v`).

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use bytes::Bytes;
use http::header::{AUTHORIZATION, HeaderValue};
use http::{HeaderMap, Method};

use crate::redact::{is_secret_header, redact, secret_values};
use crate::signing::signer::SigningDetails;

/// What replaces a secret in [`SentRequest`]'s views.
const REDACTED: &str = "** redacted **";

/// The hook a request calls before each attempt goes out.
pub(crate) type AttemptHook = Arc<dyn Fn(&SentRequest<'_>) + Send + Sync>;

/// One attempt of a request as it goes out, after authorization and signing, given to the hook
/// of [`RequestBuilder::on_attempt`](crate::RequestBuilder::on_attempt). Every view it gives
/// hides the request's secrets (the values of `authorization`, `x-api-key`,
/// `x-amz-security-token` and of every header marked sensitive, wherever they appear) except
/// [`url`](Self::url), whose query values are the caller's own. `host`, `user-agent` and the
/// transport's framing are added by the HTTP stack after this point.
pub struct SentRequest<'a> {
    pub(crate) attempt: u32,
    pub(crate) method: &'a Method,
    pub(crate) url: &'a url::Url,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) signing: Option<&'a SigningDetails>,
}

impl fmt::Debug for SentRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut url = self.url.clone();
        url.set_query(None);
        f.debug_struct("SentRequest")
            .field("attempt", &self.attempt)
            .field("method", self.method)
            .field("url_without_query", &url.as_str())
            .field("signed", &self.signing.is_some())
            .finish_non_exhaustive()
    }
}

impl SentRequest<'_> {
    /// Which attempt this is (1 for the first; a retry or a re-send counts on).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The request method.
    pub fn method(&self) -> &Method {
        self.method
    }

    /// The whole URL on the wire, query string (and its values) included.
    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    /// The headers as sent, each secret value replaced by `** redacted **` (a SigV4
    /// `authorization` keeps its algorithm, credential scope and signed headers, and loses its
    /// signature).
    pub fn headers(&self) -> HeaderMap {
        let mut shown = HeaderMap::with_capacity(self.headers.len());
        for (name, value) in self.headers {
            let value = if value.is_sensitive() || is_secret_header(name) {
                shown_secret(name == AUTHORIZATION, value)
            } else {
                value.clone()
            };
            shown.append(name.clone(), value);
        }
        shown
    }

    /// Whether the attempt is SigV4-signed.
    pub fn is_signed(&self) -> bool {
        self.signing.is_some()
    }

    /// The canonical request the signature covers (SigV4 task 1), with the value of every
    /// secret header it quotes (`x-amz-security-token`, `x-api-key`, sensitive ones) replaced
    /// by `** redacted **`; `None` when the attempt is not signed.
    pub fn canonical_request(&self) -> Option<String> {
        let details = self.signing?;
        let mut text = Bytes::copy_from_slice(details.canonical_request().as_bytes());
        for secret in secret_values(self.headers) {
            text = redact(text, secret.as_bytes());
        }
        Some(String::from_utf8_lossy(&text).into_owned())
    }

    /// The string to sign (SigV4 task 2); `None` when the attempt is not signed.
    pub fn string_to_sign(&self) -> Option<&str> {
        self.signing.map(SigningDetails::string_to_sign)
    }

    /// The signed headers, `;`-separated; `None` when the attempt is not signed.
    pub fn signed_headers(&self) -> Option<&str> {
        self.signing.map(SigningDetails::signed_headers)
    }

    /// When the credentials the attempt was signed with expire, if it is signed and they do.
    pub fn credentials_expire(&self) -> Option<SystemTime> {
        self.signing.and_then(SigningDetails::expires)
    }
}

/// A secret header's value as shown: a SigV4 `authorization` up to its signature, anything
/// else not at all.
fn shown_secret(authorization: bool, value: &HeaderValue) -> HeaderValue {
    let text = value.to_str().unwrap_or_default();
    let shown = match text.split_once("Signature=") {
        Some((before, _)) if authorization && text.starts_with("AWS4-HMAC-SHA256 ") => {
            format!("{before}Signature={REDACTED}")
        }
        _ => REDACTED.to_owned(),
    };
    HeaderValue::try_from(shown).unwrap_or(HeaderValue::from_static(REDACTED))
}
