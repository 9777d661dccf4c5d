//! AWS JSON 1.1 calls (Cognito Identity, Cognito user pools): one `POST` per operation named by
//! `x-amz-target`, the answer read within a limit and its AWS error parsed, and the one retry
//! loop for them — throttling and 5xx answers, and transport errors as the retry policy
//! classifies them (one that proves the request never left always; one that may have reached
//! the service only for an idempotent operation; TLS and URL errors never).

use bytes::Bytes;
use http::StatusCode;
#[cfg(any(test, feature = "user-pool"))]
use serde::de::DeserializeOwned;

use crate::error::{AwsErrorInfo, Result};
use crate::platform;
use crate::retry::policy::{self as retry, RetryPolicy};
use crate::wire::client::{dns_suffix, parse_base_url};
use crate::wire::read::{BodyReader, ReadError, read_limited};

/// Where an AWS JSON service is, as its builder resolves it: the URL given, else the first of
/// `env_vars` set (when `read_env`), checked as `what` (`allow_http` for a plain `http://` off
/// loopback); else `https://{host_prefix}.{region}.{the region's DNS suffix}/`.
pub(crate) fn service_endpoint(
    what: &str,
    given: Option<String>,
    env_vars: &[&str],
    read_env: bool,
    allow_http: bool,
    host_prefix: &str,
    region: &str,
) -> Result<String> {
    #[cfg(not(target_arch = "wasm32"))]
    let from_env = || {
        read_env
            .then(|| {
                env_vars
                    .iter()
                    .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
            })
            .flatten()
    };
    // A browser has no environment (`std::env::var` is always unset on wasm32).
    #[cfg(target_arch = "wasm32")]
    let from_env = || {
        let _ = (env_vars, read_env);
        None
    };
    match given.or_else(from_env) {
        Some(url) => Ok(parse_base_url(what, &url, allow_http)?.to_string()),
        None => Ok(format!(
            "https://{host_prefix}.{region}.{}/",
            dns_suffix(region)
        )),
    }
}

/// The HTTP client a service's builder was given (redirects turned off), else the default.
pub(crate) fn service_http_client(
    given: Option<reqwest::ClientBuilder>,
) -> Result<reqwest::Client> {
    match given {
        Some(builder) => crate::wire::client::build_http_client(builder),
        #[cfg(not(target_arch = "wasm32"))]
        None => crate::wire::client::default_http_client(None, None),
        #[cfg(target_arch = "wasm32")]
        None => crate::wire::client::default_http_client(),
    }
}

/// A service spoken to in AWS JSON 1.1.
#[derive(Debug, Clone, Copy)]
pub(crate) struct JsonService<'a> {
    /// The HTTP client (redirects off).
    pub(crate) http: &'a reqwest::Client,
    /// The service's URL.
    pub(crate) endpoint: &'a str,
    /// The `x-amz-target` before the operation's name (`AWSCognitoIdentityService.`).
    pub(crate) target_prefix: &'static str,
    /// How failed calls are retried.
    pub(crate) retry: &'a RetryPolicy,
    /// The longest answer read.
    pub(crate) max_body: usize,
}

/// Why a call failed, after its retries.
#[derive(Debug)]
pub(crate) enum CallFailure {
    /// The request could not be sent, or its answer not read.
    Transport(reqwest::Error),
    /// The answer was longer than the limit.
    TooLarge,
    /// The service answered an error status.
    Status {
        /// The status.
        status: StatusCode,
        /// The AWS error it carried.
        info: AwsErrorInfo,
    },
    /// The answer is not the JSON expected (only from [`JsonService::call`]).
    #[cfg(any(test, feature = "user-pool"))]
    Decode(serde_json::Error),
}

impl JsonService<'_> {
    /// The operation `operation` with the JSON `body`, retried as the module says
    /// (`idempotent`: whether a request that may have reached the service can be sent again),
    /// its answer decoded as `Answer` (a decode failure is final).
    #[cfg(any(test, feature = "user-pool"))]
    pub(crate) async fn call<Answer: DeserializeOwned>(
        &self,
        operation: &'static str,
        body: Bytes,
        idempotent: bool,
    ) -> Result<Answer, CallFailure> {
        let bytes = self.call_bytes(operation, body, idempotent).await?;
        serde_json::from_slice(&bytes).map_err(CallFailure::Decode)
    }

    /// `call` up to the answer's bytes: not generic, so the retry loop and the
    /// HTTP exchange are compiled once, not once per answer type (the size of the wasm).
    pub(crate) async fn call_bytes(
        &self,
        operation: &'static str,
        body: Bytes,
        idempotent: bool,
    ) -> Result<Bytes, CallFailure> {
        let mut attempt = 1;
        loop {
            match self.call_once(operation, body.clone(), idempotent).await {
                Err((failure, true)) if attempt < self.retry.max_attempts => {
                    let delay = self.retry.delay(attempt);
                    tracing::debug!(
                        target_prefix = self.target_prefix,
                        operation,
                        attempt,
                        ?delay,
                        error = ?failure,
                        "retrying Cognito"
                    );
                    platform::sleep(delay).await;
                    attempt += 1;
                }
                Err((failure, _)) => return Err(failure),
                Ok(answer) => return Ok(answer),
            }
        }
    }

    /// One attempt: the answer's bytes, or an error that says whether trying again may help.
    async fn call_once(
        &self,
        operation: &'static str,
        body: Bytes,
        idempotent: bool,
    ) -> Result<Bytes, (CallFailure, bool)> {
        let transport = |e: reqwest::Error| {
            let retryable = match retry::classify_transport(&e) {
                retry::TransportFailure::NeverSent => true,
                retry::TransportFailure::MaybeSent => idempotent,
                retry::TransportFailure::Final => false,
            };
            (CallFailure::Transport(e), retryable)
        };
        let response = self
            .http
            .post(self.endpoint)
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", format!("{}{operation}", self.target_prefix))
            .header("cache-control", "no-store")
            .body(body)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = read_limited(BodyReader::new(response), self.max_body)
            .await
            .map_err(|e| match e {
                ReadError::Http(e) => transport(e),
                ReadError::TooLarge => (CallFailure::TooLarge, false),
            })?;
        if !status.is_success() {
            let info = AwsErrorInfo::parse(&headers, &bytes);
            let retryable = retry::is_retryable_status(status, info.name.as_deref());
            return Err((CallFailure::Status { status, info }, retryable));
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;

    /// A server on 127.0.0.1 that reads each request's head and answers with `answer(n)` (the
    /// n-th request, from 0): `Some(raw response)`, or `None` to close the connection unanswered.
    async fn server(
        answer: impl Fn(usize) -> Option<String> + Send + 'static,
    ) -> (String, Arc<AtomicUsize>, tokio::task::JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let seen = Arc::new(AtomicUsize::new(0));
        let counted = seen.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if stream.read(&mut byte).await.unwrap_or(0) == 0 {
                        break;
                    }
                    head.push(byte[0]);
                }
                let n = counted.fetch_add(1, Ordering::SeqCst);
                if let Some(response) = answer(n) {
                    let _ = stream.write_all(response.as_bytes()).await;
                }
            }
        });
        (url, seen, task)
    }

    /// Calls `Op` at `url` (3 attempts, 1 ms apart, answers up to `max_body` bytes).
    async fn call(
        url: &str,
        max_body: usize,
        idempotent: bool,
    ) -> Result<serde_json::Value, CallFailure> {
        let http = reqwest::Client::new();
        let retry = RetryPolicy::default()
            .max_attempts(3)
            .base_delay(Duration::from_millis(1));
        let service = JsonService {
            http: &http,
            endpoint: url,
            target_prefix: "Test.",
            retry: &retry,
            max_body,
        };
        service.call("Op", Bytes::new(), idempotent).await
    }

    /// A whole answer with `status` and the JSON `body`.
    fn answer(status: &str, body: &str) -> String {
        format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/x-amz-json-1.1\r\n\
             content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    }

    fn throttled() -> String {
        answer(
            "400 Bad Request",
            r#"{"__type":"TooManyRequestsException","message":"slow"}"#,
        )
    }

    fn ok() -> String {
        answer("200 OK", r#"{"a": 1}"#)
    }

    #[tokio::test]
    async fn throttling_is_retried_until_an_answer() {
        let (url, seen, task) = server(|n| Some(if n < 2 { throttled() } else { ok() })).await;
        let answer = call(&url, 1024, false).await.unwrap();
        assert_eq!(answer["a"], 1);
        assert_eq!(seen.load(Ordering::SeqCst), 3);
        task.abort();
    }

    #[tokio::test]
    async fn a_request_that_may_have_arrived_is_sent_again_only_when_idempotent() {
        for (idempotent, attempts) in [(false, 1), (true, 3)] {
            // The connection closes after the request was read: it may have been acted on.
            let (url, seen, task) = server(|_| None).await;
            let failure = call(&url, 1024, idempotent).await.unwrap_err();
            assert!(matches!(failure, CallFailure::Transport(_)), "{failure:?}");
            assert_eq!(
                seen.load(Ordering::SeqCst),
                attempts,
                "idempotent: {idempotent}"
            );
            task.abort();
        }
    }

    #[tokio::test]
    async fn an_answer_over_the_limit_is_final() {
        let (url, seen, task) = server(|_| Some(ok())).await;
        let failure = call(&url, 4, true).await.unwrap_err();
        assert!(matches!(failure, CallFailure::TooLarge), "{failure:?}");
        assert_eq!(seen.load(Ordering::SeqCst), 1);
        task.abort();
    }
}
