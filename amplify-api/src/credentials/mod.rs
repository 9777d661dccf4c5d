//! Where AWS credentials come from: a Cognito Identity Pool, or any
//! [`ProvideCredentials`](aws_credential_types::provider::ProvideCredentials), cached by the client.

mod cache;
mod cognito;

pub(crate) use cache::CredentialsCache;
pub use cognito::{CognitoIdentityProvider, CognitoIdentityProviderBuilder};

pub use aws_credential_types::Credentials;
pub use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
