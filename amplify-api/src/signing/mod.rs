//! Everything about what a request is signed with and how, in one place:
//!
//! - [`policy`]: which headers a request may carry and which are signed, for every way a
//!   request leaves (`send()`, `build()`, [`SigV4`](sigv4::SigV4) and so the tower layer and the
//!   middleware): headers the client sets itself refused, hop-by-hop headers refused, values
//!   folded, `user-agent` left unsigned, a caller's `Authorization` meaning "do not sign", the
//!   host signed as it is sent, secrets marked sensitive, and the hosts a signer may sign for.
//! - [`signer`]: SigV4 itself (the canonical request, the key cache), and the signing host and
//!   path prefix of a request sent through a proxy.
//! - [`shared`]: the signer, credentials cache and clock a client shares with the signers made
//!   from it, and the one `sign` every surface calls.
//! - [`sigv4`]: [`SigV4`](sigv4::SigV4), the public signer of any `http::Request`.

pub(crate) mod policy;
pub(crate) mod shared;
pub(crate) mod signer;
pub(crate) mod sigv4;
