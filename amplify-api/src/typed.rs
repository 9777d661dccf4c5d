//! Typed routes with schemas: what a typed method of a route whose export declares a request
//! body, response, query or header schema returns ([`TypedRequest`]), and what sending it
//! gives ([`TypedResponse`], [`TypedError`]).
//!
//! The request is an ordinary [`RequestBuilder`] underneath (the path, the query and header
//! parameters and the JSON body already set by the typed method), sent by the one send path:
//! the same signing, retries and errors as an untyped call. Only the answer is typed:
//! [`TypedResponse::json`] decodes the route's success model, [`TypedError::json`] its declared
//! error model.
//!
//! ```no_run
//! # use amplify_api::TypedRequest;
//! # #[derive(serde::Deserialize)] struct Result { c: Option<f64> }
//! # #[derive(serde::Deserialize)] struct Fault { message: String }
//! # async fn run(request: TypedRequest<Result, Fault>) -> amplify_api::Result<()> {
//! // `api.lambda_calc().get_calc("1", "2", "+")` gives such a request.
//! match request.send().await {
//!     Ok(response) => {
//!         assert!(response.status().is_success());
//!         let result: Result = response.json()?;
//!     }
//!     Err(error) => {
//!         let declared: Option<Fault> = error.json();
//!         return Err(error.into());
//!     }
//! }
//! # Ok(()) }
//! ```

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::header_text::HeaderText;
use crate::request::RequestBuilder;
use crate::response::Response;

/// The model of a response the export gives no schema for: it has no `json()` (the body is
/// still there, as [`TypedResponse::response`] or the error's [`ServiceError`](crate::ServiceError)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoSchema {}

/// A request of a typed route whose answer is typed: `T` is the success model (the schema of
/// the route's 2XX responses), `E` the declared error model (that of its 4XX, 5XX or `default`
/// responses); [`NoSchema`] where the export has none. Several different schemas for one side
/// make it `serde_json::Value`.
///
/// Made by a generated typed method with the route's required parameters and body; its
/// optional parameters are methods of the per-route type in the endpoint's `requests` module,
/// or [`query`](Self::query) / [`header`](Self::header) here; [`with`](Self::with) reaches every
/// other setting of the [`RequestBuilder`] (timeouts, region...).
#[must_use = "a request does nothing until it is sent"]
pub struct TypedRequest<T, E = NoSchema> {
    builder: RequestBuilder,
    models: PhantomData<fn() -> (T, E)>,
}

/// By hand: the models need not be `Debug`.
impl<T, E> fmt::Debug for TypedRequest<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypedRequest")
            .field("builder", &self.builder)
            .finish()
    }
}

impl<T, E> TypedRequest<T, E> {
    /// The typed request sending `builder` (what generated code calls).
    #[doc(hidden)]
    pub fn __new(builder: RequestBuilder) -> Self {
        TypedRequest {
            builder,
            models: PhantomData,
        }
    }

    /// Applies `change` to the request builder underneath: `.with(|b| b.timeout(d))`.
    pub fn with(self, change: impl FnOnce(RequestBuilder) -> RequestBuilder) -> Self {
        TypedRequest::__new(change(self.builder))
    }

    /// Adds a query parameter, as [`RequestBuilder::query`] (what the optional parameter
    /// methods call).
    pub fn query(self, key: impl Into<String>, value: impl fmt::Display) -> Self {
        self.with(|b| b.query(key, value))
    }

    /// Adds a header, as [`RequestBuilder::header`].
    pub fn header(self, name: impl HeaderText, value: impl HeaderText) -> Self {
        self.with(|b| b.header(name, value))
    }

    /// The untyped request builder underneath (its answer is then a plain [`Response`]).
    pub fn into_untyped(self) -> RequestBuilder {
        self.builder
    }

    /// Sends the request ([`RequestBuilder::send`]): the answer of a status up to 299, or the
    /// error, whose [`json`](TypedError::json) decodes the declared error model.
    pub async fn send(self) -> Result<TypedResponse<T>, TypedError<E>> {
        match self.builder.send().await {
            Ok(response) => Ok(TypedResponse {
                response,
                model: PhantomData,
            }),
            Err(error) => Err(TypedError::from(error)),
        }
    }
}

/// The answer to a [`TypedRequest`]: status, headers, and the body as the route's success
/// model `T` ([`json`](Self::json)).
pub struct TypedResponse<T> {
    response: Response,
    model: PhantomData<fn() -> T>,
}

/// By hand: the model need not be `Debug`.
impl<T> fmt::Debug for TypedResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypedResponse")
            .field("response", &self.response)
            .finish()
    }
}

impl<T> TypedResponse<T> {
    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.response.status()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// One header's value as text, if present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.response.header(name)
    }

    /// The untyped response (bytes, text, another JSON type).
    pub fn response(&self) -> &Response {
        &self.response
    }

    /// Takes the untyped response out.
    pub fn into_response(self) -> Response {
        self.response
    }
}

impl<T: DeserializeOwned> TypedResponse<T> {
    /// The body as the route's success model; [`Error::Decode`] (with the start of the body)
    /// if it is not.
    pub fn json(&self) -> Result<T, Error> {
        self.response.json()
    }
}

/// The error of a [`TypedRequest`]: an [`Error`] (it derefs to it and converts into it, so `?`
/// works where `amplify_api::Error` is expected) whose answer [`json`](Self::json) decodes as
/// the route's declared error model `E`.
pub struct TypedError<E> {
    error: Error,
    model: PhantomData<fn() -> E>,
}

impl<E> TypedError<E> {
    /// The untyped error.
    pub fn into_error(self) -> Error {
        self.error
    }
}

impl<E: DeserializeOwned> TypedError<E> {
    /// The body of the error answer as the route's declared error model: `None` when there was
    /// no answer with a status over 299 ([`Error::Status`]) or its body is not that model.
    pub fn json(&self) -> Option<E> {
        match &self.error {
            Error::Status(answer) => serde_json::from_slice(answer.body()).ok(),
            _ => None,
        }
    }
}

impl<E> Deref for TypedError<E> {
    type Target = Error;

    fn deref(&self) -> &Error {
        &self.error
    }
}

impl<E> From<TypedError<E>> for Error {
    fn from(typed: TypedError<E>) -> Error {
        typed.error
    }
}

impl<E> From<Error> for TypedError<E> {
    fn from(error: Error) -> TypedError<E> {
        TypedError {
            error,
            model: PhantomData,
        }
    }
}

/// By hand: the model need not be `Debug`; the error's own `Debug` (which holds no secret).
impl<E> fmt::Debug for TypedError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.error, f)
    }
}

impl<E> fmt::Display for TypedError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl<E> std::error::Error for TypedError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.error)
    }
}
