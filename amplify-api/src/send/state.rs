//! What every stage of the send path reads: the HTTP client, the endpoints, the signing state
//! and the policies, shared by a client's clones and by the requests it starts.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::endpoint::ResolvedEndpoint;
use crate::retry::policy::{RetryPolicy, TokenBucket};
use crate::signing::shared::Signing;

/// A client's state, shared by its clones, its endpoints and its requests. Built by
/// [`ClientBuilder`](crate::ClientBuilder).
pub(crate) struct Shared {
    pub(crate) http: reqwest::Client,
    /// One signer, one credentials cache and one clock, shared with the layers made from the
    /// client's endpoints.
    pub(crate) signing: Arc<Signing>,
    pub(crate) endpoints: Vec<ResolvedEndpoint>,
    pub(crate) retry: RetryPolicy,
    /// The client-wide limit on retries.
    pub(crate) retry_budget: TokenBucket,
    pub(crate) timeout: Option<Duration>,
    /// The limit on each attempt (a request's own replaces it).
    pub(crate) attempt_timeout: Option<Duration>,
    /// The default HTTP client's read timeout: what a read timeout from the HTTP stack elapsed.
    pub(crate) read_timeout: Option<Duration>,
    /// The HTTP client's connect timeout: what a timeout reported by the HTTP stack elapsed.
    pub(crate) connect_timeout: Duration,
    pub(crate) max_response_bytes: usize,
}

impl Shared {
    /// The endpoint at `index` (in range: indices come from the client's own endpoint list).
    pub(crate) fn endpoint(&self, index: usize) -> &ResolvedEndpoint {
        &self.endpoints[index]
    }
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field(
                "endpoints",
                &self.endpoints.iter().map(|e| &e.name).collect::<Vec<_>>(),
            )
            .field("has_credentials", &self.signing.credentials.is_some())
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}
