//! Where AWS credentials come from: a Cognito Identity Pool, or any
//! [`ProvideCredentials`], cached by the client.

mod cache;
mod cognito;
mod identity_store;

pub(crate) use cache::{CredentialsCache, CredentialsSource};
pub use cognito::{CognitoIdentityProvider, CognitoIdentityProviderBuilder};
pub use identity_store::{FileIdentityIdStore, IdentityIdStore, MemoryIdentityIdStore};

pub use aws_credential_types::Credentials;
pub use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
