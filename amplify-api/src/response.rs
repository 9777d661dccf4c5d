//! [`Response`]: status, headers and the whole body, read once.

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::{DecodeError, Error, Result, ServiceError};

/// A complete HTTP response: status, headers (names lower-case) and the body, already read.
///
/// The body is buffered (up to the client's size limit), so it can be read as often and in as
/// many forms as wanted.
///
/// ```no_run
/// # async fn run(items: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
/// #[derive(serde::Deserialize)]
/// struct Item { id: u32 }
/// let resp = items.get("/items/1").send().await?;
/// assert!(resp.status().is_success());
/// let item: Item = resp.json()?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) method: Method,
    pub(crate) url_without_query: String,
    pub(crate) attempts: u32,
}

impl Response {
    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// One header's value as text, if present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as bytes (cheap: a reference-counted buffer).
    pub fn bytes(&self) -> Bytes {
        self.body.clone()
    }

    /// The body as UTF-8 text; [`Error::Decode`] if it is not valid UTF-8.
    pub fn text(&self) -> Result<&str> {
        std::str::from_utf8(&self.body).map_err(|e| {
            Error::Decode(Box::new(DecodeError::new(
                "UTF-8 text",
                &self.body,
                Some(Box::new(e)),
            )))
        })
    }

    /// The body parsed as JSON into `T`; [`Error::Decode`] (with the start of the body) if it
    /// does not parse.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| {
            Error::Decode(Box::new(DecodeError::new(
                "JSON",
                &self.body,
                Some(Box::new(e)),
            )))
        })
    }

    /// The request method this answers.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The URL requested, without its query string (query values may be private).
    pub fn url_without_query(&self) -> &str {
        &self.url_without_query
    }

    /// How many attempts it took (1 unless retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl ServiceError {
    /// The whole response: status, headers and body (a cheap copy: the body is shared).
    pub fn response(&self) -> Response {
        Response {
            status: self.status,
            headers: self.headers.clone(),
            body: self.body.clone(),
            method: self.method.clone(),
            url_without_query: self.url_without_query.clone(),
            attempts: self.attempts,
        }
    }
    /// Takes the response out of the error.
    pub fn into_response(self) -> Response {
        Response {
            status: self.status,
            headers: self.headers,
            body: self.body,
            method: self.method,
            url_without_query: self.url_without_query,
            attempts: self.attempts,
        }
    }
}
