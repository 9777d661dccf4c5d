//! [`Echo`]: what the emulated API received, sent back as the body of every accepted request.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::sigv4_verify::{Authorization, WireRequest};

/// What the emulated API received and accepted, as JSON: read it with
/// `response.json::<Echo>()` to see what went on the wire.
///
/// ```no_run
/// # async fn run(api: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
/// use amplify_api::test_util::Echo;
/// let echo: Echo = api.get("/items").query("q", "a b").send().await?.json()?;
/// assert_eq!((echo.path.as_str(), echo.query.as_str()), ("/items", "q=a%20b"));
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Echo {
    /// The method, e.g. `GET`.
    pub method: String,
    /// The path as received, percent-encoding untouched.
    pub path: String,
    /// The query string as received, without `?` (empty when there was none).
    pub query: String,
    /// Every header received: lower-case name -> value (repeated headers joined with `,`, as
    /// SigV4 joins them).
    pub headers: BTreeMap<String, String>,
    /// The headers the signature covers (empty for a request that was not signed).
    pub signed_headers: Vec<String>,
    /// The access key id the request was signed with (empty when not signed).
    pub access_key_id: String,
    /// The region of the signature's scope (empty when not signed).
    pub region: String,
    /// The service of the signature's scope (empty when not signed).
    pub service: String,
    /// The body, as UTF-8 (invalid sequences replaced by U+FFFD).
    pub body: String,
    /// The body's length in bytes.
    pub body_len: usize,
}

impl Echo {
    /// The echo of `request`, accepted with `authorization` (`None`: not signed).
    pub(crate) fn new(request: &WireRequest, authorization: Option<&Authorization>) -> Echo {
        let mut headers: BTreeMap<String, String> = BTreeMap::new();
        for (name, value) in &request.headers {
            headers
                .entry(name.to_ascii_lowercase())
                .and_modify(|joined| {
                    joined.push(',');
                    joined.push_str(value);
                })
                .or_insert_with(|| value.clone());
        }
        let scope = |part: fn(&Authorization) -> &String| {
            authorization.map(part).cloned().unwrap_or_default()
        };
        Echo {
            method: request.method.clone(),
            path: request.path.clone(),
            query: request.query.clone(),
            headers,
            signed_headers: authorization
                .map(|a| a.signed_headers.clone())
                .unwrap_or_default(),
            access_key_id: scope(|a| &a.access_key_id),
            region: scope(|a| &a.region),
            service: scope(|a| &a.service),
            body: String::from_utf8_lossy(&request.body).into_owned(),
            body_len: request.body.len(),
        }
    }
}
