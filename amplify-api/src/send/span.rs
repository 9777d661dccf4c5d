//! The request span, `amplify_api.request`, with the attributes of OpenTelemetry's HTTP client
//! conventions: `http.request.method`, `server.address`, `server.port`, `url.full` (query values
//! redacted), `http.response.status_code`, `http.request.resend_count` (when re-sent),
//! `error.type` (when it failed) and `aws.request_id`; plus `amplify.endpoint`, the endpoint's
//! Amplify name, and `latency_ms`. A typed route adds `url.template` (`/items/{id}`) and names
//! the span `{method} {template}` through `otel.name`, as the conventions ask.

use std::fmt::Write as _;
use std::time::Duration;

use tracing::Span;
use tracing::field::Empty;

use crate::endpoint::ResolvedEndpoint;
use crate::error::{Error, request_id};
use crate::send::resolve::PreparedRequest;
use crate::send::transmit::Answer;

/// The span of one request (all its attempts) to `endpoint`.
pub(crate) fn request_span(endpoint: &ResolvedEndpoint, req: &PreparedRequest) -> Span {
    let span = tracing::info_span!(
        "amplify_api.request",
        otel.kind = "client",
        http.request.method = %req.method,
        server.address = req.url.host_str().unwrap_or_default(),
        server.port = req.url.port_or_known_default(),
        url.full = %redacted_url(&req.url),
        amplify.endpoint = %endpoint.name,
        http.response.status_code = Empty,
        http.request.resend_count = Empty,
        error.type = Empty,
        aws.request_id = Empty,
        latency_ms = Empty,
        url.template = Empty,
        otel.name = Empty,
    );
    // With no subscriber (or one that leaves the span out) the span is disabled: nothing is
    // formatted for it.
    if let Some(template) = req.route.filter(|_| !span.is_disabled()) {
        span.record("url.template", template);
        span.record("otel.name", format!("{} {template}", req.method).as_str());
    }
    span
}

/// Records how the request ended: after `attempts` attempts and `elapsed`, `result`.
pub(crate) fn record_outcome(
    span: &Span,
    result: &Result<Answer, Error>,
    attempts: u32,
    elapsed: Duration,
) {
    // A disabled span (no subscriber, or one that leaves it out) records nothing: no header is
    // looked up and nothing formatted for it.
    if !span.is_disabled() {
        if attempts > 1 {
            span.record("http.request.resend_count", attempts - 1);
        }
        span.record("latency_ms", elapsed.as_millis() as u64);
        let (status, request_id) = match result {
            Ok(response) => (Some(response.status), request_id(&response.headers)),
            Err(Error::Status(e)) => (Some(e.status()), e.request_id()),
            Err(_) => (None, None),
        };
        if let Some(status) = status {
            span.record("http.response.status_code", status.as_u16());
        }
        if let Some(id) = request_id {
            span.record("aws.request_id", id);
        }
        if let Err(e) = result {
            span.record("error.type", error_type(e).as_ref());
        }
    }
    if let Err(e) = result {
        span.in_scope(|| tracing::debug!(error = %e, "request failed"));
    }
}

/// OpenTelemetry's `error.type`: the status code of an answered request, else a low-cardinality
/// name of what failed.
fn error_type(e: &Error) -> std::borrow::Cow<'static, str> {
    let name = match e {
        Error::Status(status) => return status.status().as_u16().to_string().into(),
        Error::Credentials(_) => "credentials",
        Error::Transport(_) => "transport",
        Error::Timeout(_) => "timeout",
        Error::InvalidRequest(_) => "invalid_request",
        Error::Decode(_) => "decode",
        Error::ResponseTooLarge { .. } => "response_too_large",
        Error::UnknownEndpoint(_) => "unknown_endpoint",
        Error::Config(_) => "config",
        Error::Body(_) => "body",
    };
    name.into()
}

/// `url` with every query value replaced by `REDACTED` (keys kept), as OpenTelemetry asks of
/// `url.full`: a query may carry secrets.
fn redacted_url(url: &url::Url) -> String {
    let Some(query) = url.query() else {
        return url.as_str().to_owned();
    };
    let mut out = url[..url::Position::AfterPath].to_owned();
    out.push('?');
    for (i, pair) in query.split('&').enumerate() {
        if i > 0 {
            out.push('&');
        }
        match pair.split_once('=') {
            Some((key, _)) => {
                let _ = write!(out, "{key}=REDACTED");
            }
            None => out.push_str(pair),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_redacted() {
        let url = url::Url::parse("https://h:8443/p/a?code=s3cret&flag&x=1").unwrap();
        assert_eq!(
            redacted_url(&url),
            "https://h:8443/p/a?code=REDACTED&flag&x=REDACTED"
        );
        let plain = url::Url::parse("https://h/p").unwrap();
        assert_eq!(redacted_url(&plain), "https://h/p");
    }
}
