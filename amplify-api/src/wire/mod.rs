//! The wire, in leaf modules shared by the send path and the credentials code: [`client`]
//! builds the HTTP client (redirects off) and checks endpoint URLs; [`read`] reads response
//! bodies within a limit; [`aws_json`] makes the AWS JSON calls of Cognito, with their one
//! retry loop.

pub(crate) mod aws_json;
pub(crate) mod client;
pub(crate) mod read;
