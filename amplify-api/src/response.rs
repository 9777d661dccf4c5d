//! [`Response`]: status, headers and the whole body, read once; [`StreamingResponse`]: status
//! and headers, with the body still to read, chunk by chunk.

use bytes::Bytes;
use futures_util::Stream;
use http::{HeaderMap, Method, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::{DecodeError, Error, Result, ServiceError};
use crate::send::transmit::{Answer, AnswerBody, ReadContext};
use crate::wire::read::{BodyReader, ReadError, read_limited};

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
#[derive(Clone)]
pub struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) method: Method,
    pub(crate) url_without_query: String,
    pub(crate) attempts: u32,
}

/// `Debug` by hand: the body's length, not its bytes (an answer may carry tokens).
impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &crate::redact::RedactedHeaders(&self.headers))
            .field("method", &self.method)
            .field("url", &self.url_without_query)
            .field("attempts", &self.attempts)
            .field("body_len", &self.body.len())
            .finish()
    }
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

impl Answer {
    /// The answer with its body read whole, as [`Response`].
    pub(crate) fn into_response(self) -> Response {
        let body = match self.body {
            AnswerBody::Read { bytes, .. } => bytes,
            // Not reached: `send` asks for the whole body.
            AnswerBody::Unread(_) => Bytes::new(),
        };
        Response {
            status: self.status,
            headers: self.headers,
            body,
            method: self.method,
            url_without_query: self.url_without_query,
            attempts: self.attempts,
        }
    }

    /// The answer with its body still to read, as [`StreamingResponse`].
    pub(crate) fn into_streaming(self, max_bytes: usize) -> StreamingResponse {
        let (body, read) = match self.body {
            AnswerBody::Unread(reader) => (Some(reader), None),
            AnswerBody::Read { bytes, .. } => (None, Some(bytes)),
        };
        StreamingResponse {
            status: self.status,
            headers: self.headers,
            method: self.method,
            url_without_query: self.url_without_query,
            attempts: self.attempts,
            body,
            read,
            reads: self.reads,
            max_bytes,
        }
    }
}

/// A successful response whose body has not been read: status and headers now, the body as it
/// arrives, from [`RequestBuilder::send_streaming`](crate::RequestBuilder::send_streaming).
///
/// Read it with [`chunk`](Self::chunk) or [`bytes_stream`](Self::bytes_stream), without a size
/// limit and holding only the chunk at hand; or whole, with the client's limit, with
/// [`bytes`](Self::bytes), [`text`](Self::text) or [`json`](Self::json). The client's
/// [`read_timeout`](crate::ClientBuilder::read_timeout) applies between chunks; the request's
/// retries and timeouts ended with the head. Dropping it before the end closes the connection.
///
/// On `wasm32` the browser's `fetch` (as reqwest uses it) gives the body whole: the one chunk is
/// all of it.
///
/// ```no_run
/// # async fn run(api: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
/// let mut resp = api.get("/exports/2026.csv").send_streaming().await?;
/// let mut total = 0;
/// while let Some(chunk) = resp.chunk().await? {
///     total += chunk.len(); // write it somewhere
/// }
/// # Ok(()) }
/// ```
pub struct StreamingResponse {
    status: StatusCode,
    headers: HeaderMap,
    method: Method,
    url_without_query: String,
    attempts: u32,
    /// The body still to read (`None` once read to its end).
    body: Option<BodyReader>,
    /// A body already read by the send path (none for a successful answer today).
    read: Option<Bytes>,
    reads: ReadContext,
    max_bytes: usize,
}

/// `Debug` by hand: the body reader's would show the URL with its query (whose values may be
/// secrets).
impl std::fmt::Debug for StreamingResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamingResponse")
            .field("status", &self.status)
            .field("headers", &crate::redact::RedactedHeaders(&self.headers))
            .field("method", &self.method)
            .field("url", &self.url_without_query)
            .field("attempts", &self.attempts)
            .field("body_read", &self.body.is_none())
            .finish_non_exhaustive()
    }
}

impl StreamingResponse {
    /// The status code (2xx: a status over 299 is [`Error::Status`]).
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

    /// The request method this answers.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The URL requested, without its query string.
    pub fn url_without_query(&self) -> &str {
        &self.url_without_query
    }

    /// How many attempts it took to get the head (1 unless retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The next chunk of the body, as it arrives; `None` at its end. A stall longer than the
    /// client's read timeout is [`Error::Timeout`]; a connection lost mid-body is
    /// [`Error::Transport`].
    pub async fn chunk(&mut self) -> Result<Option<Bytes>> {
        if let Some(read) = self.read.take() {
            return Ok(Some(read).filter(|b| !b.is_empty()));
        }
        let Some(body) = &mut self.body else {
            return Ok(None);
        };
        match body.next_chunk().await {
            Ok(Some(chunk)) => Ok(Some(chunk)),
            Ok(None) => {
                self.body = None;
                Ok(None)
            }
            Err(e) => {
                self.body = None;
                Err(self.reads.error(e, &self.method, &self.url_without_query))
            }
        }
    }

    /// The body as a stream of chunks (what [`chunk`](Self::chunk) gives, until `None`).
    ///
    /// ```no_run
    /// # async fn run(api: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
    /// use futures_util::TryStreamExt;
    /// let resp = api.get("/events").send_streaming().await?;
    /// let lengths: Vec<usize> = resp.bytes_stream().map_ok(|chunk| chunk.len()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn bytes_stream(self) -> impl Stream<Item = Result<Bytes>> {
        futures_util::stream::unfold(self, |mut response| async move {
            response
                .chunk()
                .await
                .transpose()
                .map(|item| (item, response))
        })
    }

    /// The rest of the body, whole, within the client's
    /// [`max_response_bytes`](crate::ClientBuilder::max_response_bytes)
    /// ([`Error::ResponseTooLarge`] past it).
    pub async fn bytes(mut self) -> Result<Bytes> {
        let limit = self.max_bytes;
        match (self.read.take(), self.body.take()) {
            (Some(read), _) => Ok(read),
            (None, None) => Ok(Bytes::new()),
            (None, Some(body)) => read_limited(body, limit).await.map_err(|e| match e {
                ReadError::TooLarge => Error::ResponseTooLarge { limit },
                ReadError::Http(e) => self.reads.error(e, &self.method, &self.url_without_query),
            }),
        }
    }

    /// The rest of the body as UTF-8 text, as [`bytes`](Self::bytes) reads it;
    /// [`Error::Decode`] if it is not UTF-8.
    pub async fn text(self) -> Result<String> {
        let body = self.bytes().await?;
        String::from_utf8(body.to_vec()).map_err(|e| {
            Error::Decode(Box::new(DecodeError::new(
                "UTF-8 text",
                &body,
                Some(Box::new(e.utf8_error())),
            )))
        })
    }

    /// The rest of the body parsed as JSON into `T`, as [`bytes`](Self::bytes) reads it.
    pub async fn json<T: DeserializeOwned>(self) -> Result<T> {
        let body = self.bytes().await?;
        serde_json::from_slice(&body).map_err(|e| {
            Error::Decode(Box::new(DecodeError::new("JSON", &body, Some(Box::new(e)))))
        })
    }

    /// The response with the rest of its body read whole (with [`bytes`](Self::bytes)'s limit).
    pub async fn into_response(self) -> Result<Response> {
        let (status, headers, method, url_without_query, attempts) = (
            self.status,
            self.headers.clone(),
            self.method.clone(),
            self.url_without_query.clone(),
            self.attempts,
        );
        let body = self.bytes().await?;
        Ok(Response {
            status,
            headers,
            body,
            method,
            url_without_query,
            attempts,
        })
    }
}
