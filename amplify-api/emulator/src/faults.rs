//! Failures on demand: [`Fault`] for the API, [`CognitoFault`] for Cognito Identity, and the
//! queue both draw from.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

/// How the emulated API answers a request instead of verifying and echoing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer with this status and the body API Gateway gives it (e.g. 503
    /// `{"message":"Service Unavailable"}`), with `x-amzn-ErrorType` where API Gateway sets one.
    Status(u16),
    /// Never answer: the request hangs until the client gives up (or the emulator is dropped).
    Hang,
    /// Close the connection without answering.
    DropConnection,
    /// Wait this long, then answer as usual (verify and echo).
    Delay(Duration),
}

/// How the emulated Cognito Identity answers a call instead of serving it: Cognito's status,
/// `__type` and message for each error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CognitoFault {
    /// 400 `NotAuthorizedException`: "Unauthenticated access is not supported for this identity
    /// pool." (what a pool without guest access answers).
    NotAuthorized,
    /// 400 `ResourceNotFoundException` (an identity or pool Cognito does not know).
    ResourceNotFound,
    /// 400 `TooManyRequestsException`: "Rate exceeded".
    Throttling,
    /// 500 `InternalErrorException`.
    InternalError,
}

impl CognitoFault {
    /// The status, `__type` and message Cognito answers with.
    pub(crate) fn answer(self) -> (u16, &'static str, &'static str) {
        match self {
            CognitoFault::NotAuthorized => (
                400,
                "NotAuthorizedException",
                "Unauthenticated access is not supported for this identity pool.",
            ),
            CognitoFault::ResourceNotFound => (
                400,
                "ResourceNotFoundException",
                "Identity pool or identity not found.",
            ),
            CognitoFault::Throttling => (400, "TooManyRequestsException", "Rate exceeded"),
            CognitoFault::InternalError => (
                500,
                "InternalErrorException",
                "An internal error occurred. Please try again.",
            ),
        }
    }
}

/// The body (`{"message": ...}`) and `x-amzn-ErrorType` API Gateway answers a status with.
pub(crate) fn api_gateway_error(status: u16) -> (Option<&'static str>, &'static str) {
    match status {
        400 => (Some("BadRequestException"), "Bad Request"),
        401 => (Some("UnauthorizedException"), "Unauthorized"),
        403 => (Some("AccessDeniedException"), "Forbidden"),
        404 => (Some("NotFoundException"), "Not Found"),
        413 => (Some("RequestTooLargeException"), "Request Too Long"),
        429 => (Some("TooManyRequestsException"), "Too Many Requests"),
        500 => (
            Some("InternalServerErrorException"),
            "Internal server error",
        ),
        502 => (None, "Internal server error"),
        503 => (Some("ServiceUnavailableException"), "Service Unavailable"),
        504 => (None, "Endpoint request timed out"),
        _ => (None, "Error"),
    }
}

/// Faults waiting for the next requests: each entry answers `count` requests in turn.
#[derive(Debug)]
pub(crate) struct FaultQueue<F> {
    queue: Mutex<VecDeque<(usize, F)>>,
}

impl<F> Default for FaultQueue<F> {
    fn default() -> Self {
        FaultQueue {
            queue: Mutex::new(VecDeque::new()),
        }
    }
}

impl<F: Copy> FaultQueue<F> {
    /// Queues `fault` for the `count` requests after those already queued.
    pub(crate) fn push(&self, count: usize, fault: F) {
        if count > 0 {
            crate::util::lock(&self.queue).push_back((count, fault));
        }
    }

    /// The fault for the request being served, if one is queued.
    pub(crate) fn take(&self) -> Option<F> {
        let mut queue = crate::util::lock(&self.queue);
        let (count, fault) = queue.front_mut()?;
        let fault = *fault;
        *count -= 1;
        if *count == 0 {
            queue.pop_front();
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_served_in_order() {
        let q = FaultQueue::default();
        q.push(2, Fault::Status(503));
        q.push(0, Fault::Hang);
        q.push(1, Fault::DropConnection);
        assert_eq!(q.take(), Some(Fault::Status(503)));
        assert_eq!(q.take(), Some(Fault::Status(503)));
        assert_eq!(q.take(), Some(Fault::DropConnection));
        assert_eq!(q.take(), None);
    }
}
