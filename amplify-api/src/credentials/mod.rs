//! Where AWS credentials come from: a Cognito Identity Pool, or any
//! [`ProvideCredentials`], cached by the client.

mod cache;
mod cognito;
mod identity_store;
#[cfg(target_arch = "wasm32")]
mod local_storage;
mod role;

pub(crate) use cache::{CredentialsCache, CredentialsSource};
pub use cognito::{CognitoIdentityProvider, CognitoIdentityProviderBuilder};
#[cfg(not(target_arch = "wasm32"))]
pub use identity_store::{FileIdentityIdStore, write_private_file};
pub use identity_store::{IdentityIdStore, MemoryIdentityIdStore};
#[cfg(target_arch = "wasm32")]
pub use local_storage::LocalStorageIdentityIdStore;
pub use role::TokenRoles;

pub use aws_credential_types::Credentials;
pub use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
