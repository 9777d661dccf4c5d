//! [`Echo`]: what the emulated API received, sent back as the body of every accepted request.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::sigv4_verify::{Authorization, WireRequest};

/// What the emulated API received and accepted, as JSON: read it with
/// `response.json::<Echo>()` to see what went on the wire.
///
/// ```no_run
/// # async fn run(api: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
/// use amplify_api_emulator::Echo;
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
    /// The IAM role whose credentials signed the request (Cognito-minted credentials; empty
    /// otherwise).
    #[serde(default)]
    pub role_arn: String,
    /// The user-pool user (`cognito:username`) of a valid user-pool token in `Authorization`
    /// (empty when there is none).
    #[serde(default)]
    pub user: String,
    /// The body, as UTF-8 (invalid sequences replaced by U+FFFD).
    pub body: String,
    /// The body's length in bytes.
    pub body_len: usize,
    /// The hex SHA-256 of the whole body, hashed as it arrived.
    #[serde(default)]
    pub body_sha256: String,
    /// An `application/x-www-form-urlencoded` body's pairs, decoded (by the `url` crate's
    /// `form_urlencoded`, not ours); empty for other bodies.
    #[serde(default)]
    pub form: Vec<(String, String)>,
    /// A `multipart/form-data` body's parts, decoded (by `multer`); empty for other bodies.
    #[serde(default)]
    pub parts: Vec<EchoPart>,
}

/// One part of a `multipart/form-data` body, as the emulator decoded it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EchoPart {
    /// The field name.
    pub name: String,
    /// The file name, for file parts.
    pub file_name: Option<String>,
    /// The part's content type, if it has one.
    pub content_type: Option<String>,
    /// The part's bytes, as UTF-8 (invalid sequences replaced by U+FFFD).
    pub text: String,
    /// The part's length in bytes.
    pub len: usize,
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
            role_arn: String::new(),
            user: String::new(),
            body: String::from_utf8_lossy(&request.body).into_owned(),
            body_len: request.body.len(),
            body_sha256: super::sigv4_verify::sha256_hex(&request.body),
            form: match request.header("content-type") {
                Some(t) if t.starts_with("application/x-www-form-urlencoded") => {
                    url::form_urlencoded::parse(&request.body)
                        .into_owned()
                        .collect()
                }
                _ => Vec::new(),
            },
            parts: Vec::new(),
        }
    }
}

/// The parts of `request`'s body if it is `multipart/form-data` (none otherwise), or why they
/// cannot be read.
pub(crate) async fn multipart_parts(request: &WireRequest) -> Result<Vec<EchoPart>, String> {
    let Some(content_type) = request.header("content-type") else {
        return Ok(Vec::new());
    };
    if !content_type.starts_with("multipart/form-data") {
        return Ok(Vec::new());
    }
    let boundary = multer::parse_boundary(content_type).map_err(|e| e.to_string())?;
    let body = bytes::Bytes::from(request.body.clone());
    let stream = futures_util::stream::once(std::future::ready(Ok::<_, std::io::Error>(body)));
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|e| e.to_string())? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        let data = field.bytes().await.map_err(|e| e.to_string())?;
        parts.push(EchoPart {
            name,
            file_name,
            content_type,
            text: String::from_utf8_lossy(&data).into_owned(),
            len: data.len(),
        });
    }
    Ok(parts)
}
