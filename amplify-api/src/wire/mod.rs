//! The wire, in two leaf modules shared by the send path and the credentials code: [`client`]
//! builds the HTTP client (redirects off) and checks endpoint URLs; [`read`] reads response
//! bodies within a limit.

pub(crate) mod client;
pub(crate) mod read;
