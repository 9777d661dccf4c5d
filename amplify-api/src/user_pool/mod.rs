//! Sign-in to the app's Amazon Cognito user pool (feature `user-pool`): [`UserPoolSession`]
//! signs a user in with SRP (`USER_SRP_AUTH`, Cognito's SRP-6a; `USER_PASSWORD_AUTH` where the
//! app client allows only that), keeps the tokens fresh with the refresh token, and hands the ID
//! token to the identity pool (authenticated credentials) and to `AMAZON_COGNITO_USER_POOLS`
//! endpoints (the bearer token), wired by one builder line,
//! [`ClientBuilder::user_pool_session`](crate::ClientBuilder::user_pool_session).
//!
//! Challenges it cannot answer by itself (MFA, a new password, a custom challenge) come back as
//! [`UserPoolError::ChallengeRequired`], with what answering needs.

mod error;
mod session;
mod srp;

pub use error::{ChallengeName, ChallengeRequired, UserPoolError};
pub use session::{AuthFlow, BearerToken, SessionTokens, UserPoolSession, UserPoolSessionBuilder};
