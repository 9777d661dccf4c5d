//! [`UserPoolError`]: why a sign-in, a refresh or a challenge answer failed, and
//! [`ChallengeRequired`]: a challenge the session cannot complete by itself.

use std::collections::BTreeMap;
use std::fmt;

/// Why a user-pool call failed. Never carries the password or a token: its `Debug` and
/// `Display` are safe to log.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UserPoolError {
    /// `NotAuthorizedException`: a wrong username or password, a refresh token that expired or
    /// was revoked, a disabled user, or a flow the app client does not allow.
    #[error("NotAuthorizedException: {message}")]
    NotAuthorized {
        /// Cognito's message.
        message: String,
    },
    /// `UserNotFoundException` (pools that do not hide unknown users).
    #[error("UserNotFoundException: {message}")]
    UserNotFound {
        /// Cognito's message.
        message: String,
    },
    /// `UserNotConfirmedException`: the user signed up but has not confirmed the account.
    #[error("UserNotConfirmedException: {message}")]
    UserNotConfirmed {
        /// Cognito's message.
        message: String,
    },
    /// `PasswordResetRequiredException`: an administrator reset the password.
    #[error("PasswordResetRequiredException: {message}")]
    PasswordResetRequired {
        /// Cognito's message.
        message: String,
    },
    /// Throttled (`TooManyRequestsException`, `LimitExceededException`,
    /// `TooManyFailedAttemptsException`), after the retries.
    #[error("{name}: {message}")]
    Throttled {
        /// Cognito's error name.
        name: String,
        /// Cognito's message.
        message: String,
    },
    /// Any other Cognito error (`InvalidParameterException`, `CodeMismatchException`, ...).
    #[error("{name}: {message}")]
    Service {
        /// Cognito's error name.
        name: String,
        /// Cognito's message.
        message: String,
        /// The HTTP status.
        status: u16,
    },
    /// Cognito asks for a challenge the session cannot answer by itself (MFA, a new password,
    /// a custom challenge): answer it with
    /// [`UserPoolSession::respond_to_challenge`](crate::user_pool::UserPoolSession::respond_to_challenge)
    /// or the methods for the common ones.
    #[error("{0}")]
    ChallengeRequired(Box<ChallengeRequired>),
    /// No user is signed in (never signed in, signed out, or the refresh token was refused).
    #[error("no user is signed in to the user pool")]
    NotSignedIn,
    /// The call could not be sent or its answer not received.
    #[error("Cognito user pool call {operation} failed: {message}")]
    Transport {
        /// The operation (`InitiateAuth`, ...).
        operation: &'static str,
        /// What went wrong.
        message: String,
    },
    /// Cognito answered with something this client cannot use (a malformed body, unsafe SRP
    /// values, a token that is not a JWT).
    #[error("unexpected answer from the Cognito user pool: {0}")]
    InvalidResponse(String),
    /// The session's configuration is unusable (no user pool in the config, a bad endpoint).
    #[error("invalid user pool configuration: {0}")]
    Config(String),
}

impl UserPoolError {
    /// Cognito's error name, when Cognito answered with an error.
    pub fn name(&self) -> Option<&str> {
        match self {
            UserPoolError::NotAuthorized { .. } => Some("NotAuthorizedException"),
            UserPoolError::UserNotFound { .. } => Some("UserNotFoundException"),
            UserPoolError::UserNotConfirmed { .. } => Some("UserNotConfirmedException"),
            UserPoolError::PasswordResetRequired { .. } => Some("PasswordResetRequiredException"),
            UserPoolError::Throttled { name, .. } | UserPoolError::Service { name, .. } => {
                Some(name)
            }
            _ => None,
        }
    }

    /// Cognito's message, when Cognito answered with an error.
    pub fn message(&self) -> Option<&str> {
        match self {
            UserPoolError::NotAuthorized { message }
            | UserPoolError::UserNotFound { message }
            | UserPoolError::UserNotConfirmed { message }
            | UserPoolError::PasswordResetRequired { message }
            | UserPoolError::Throttled { message, .. }
            | UserPoolError::Service { message, .. } => Some(message),
            _ => None,
        }
    }

    /// The challenge, when this is [`UserPoolError::ChallengeRequired`].
    pub fn challenge(&self) -> Option<&ChallengeRequired> {
        match self {
            UserPoolError::ChallengeRequired(c) => Some(c),
            _ => None,
        }
    }

    /// The error for Cognito's answer `name` / `message` with `status`.
    pub(crate) fn from_service(name: String, message: String, status: u16) -> Self {
        match name.as_str() {
            "NotAuthorizedException" => UserPoolError::NotAuthorized { message },
            "UserNotFoundException" => UserPoolError::UserNotFound { message },
            "UserNotConfirmedException" => UserPoolError::UserNotConfirmed { message },
            "PasswordResetRequiredException" => UserPoolError::PasswordResetRequired { message },
            "TooManyRequestsException"
            | "LimitExceededException"
            | "TooManyFailedAttemptsException"
            | "ThrottlingException" => UserPoolError::Throttled { name, message },
            _ => UserPoolError::Service {
                name,
                message,
                status,
            },
        }
    }
}

/// The challenges Cognito may ask for after the password.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChallengeName {
    /// A code from an authenticator app ([`UserPoolSession::answer_totp`]).
    ///
    /// [`UserPoolSession::answer_totp`]: crate::user_pool::UserPoolSession::answer_totp
    SoftwareTokenMfa,
    /// A code sent by SMS.
    SmsMfa,
    /// A code sent by email.
    EmailOtp,
    /// The user must choose a new password ([`UserPoolSession::answer_new_password`]).
    ///
    /// [`UserPoolSession::answer_new_password`]: crate::user_pool::UserPoolSession::answer_new_password
    NewPasswordRequired,
    /// A Lambda-defined challenge.
    CustomChallenge,
    /// The user must set up MFA first.
    MfaSetup,
    /// The user must choose an MFA type.
    SelectMfaType,
    /// Another challenge, by Cognito's name.
    Other(String),
}

impl ChallengeName {
    pub(crate) fn parse(name: &str) -> ChallengeName {
        match name {
            "SOFTWARE_TOKEN_MFA" => ChallengeName::SoftwareTokenMfa,
            "SMS_MFA" => ChallengeName::SmsMfa,
            "EMAIL_OTP" => ChallengeName::EmailOtp,
            "NEW_PASSWORD_REQUIRED" => ChallengeName::NewPasswordRequired,
            "CUSTOM_CHALLENGE" => ChallengeName::CustomChallenge,
            "MFA_SETUP" => ChallengeName::MfaSetup,
            "SELECT_MFA_TYPE" => ChallengeName::SelectMfaType,
            other => ChallengeName::Other(other.to_owned()),
        }
    }

    /// Cognito's name for it (`SOFTWARE_TOKEN_MFA`, ...).
    pub fn as_str(&self) -> &str {
        match self {
            ChallengeName::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA",
            ChallengeName::SmsMfa => "SMS_MFA",
            ChallengeName::EmailOtp => "EMAIL_OTP",
            ChallengeName::NewPasswordRequired => "NEW_PASSWORD_REQUIRED",
            ChallengeName::CustomChallenge => "CUSTOM_CHALLENGE",
            ChallengeName::MfaSetup => "MFA_SETUP",
            ChallengeName::SelectMfaType => "SELECT_MFA_TYPE",
            ChallengeName::Other(name) => name,
        }
    }
}

impl fmt::Display for ChallengeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A challenge Cognito asked for: its name, its parameters (`CODE_DELIVERY_DESTINATION`,
/// `requiredAttributes`, ...) and the `Session` an answer must carry (not shown by `Debug`).
#[derive(Clone)]
pub struct ChallengeRequired {
    pub(crate) name: ChallengeName,
    pub(crate) username: String,
    pub(crate) session: Option<String>,
    pub(crate) parameters: BTreeMap<String, String>,
}

impl ChallengeRequired {
    /// Which challenge.
    pub fn name(&self) -> &ChallengeName {
        &self.name
    }

    /// The user's name in the pool (`USERNAME` of the answer).
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The challenge's parameters, as Cognito gave them.
    pub fn parameters(&self) -> &BTreeMap<String, String> {
        &self.parameters
    }

    /// Cognito's `Session` for the answer (secret: valid for one answer, a few minutes).
    pub fn session(&self) -> Option<&str> {
        self.session.as_deref()
    }
}

impl fmt::Debug for ChallengeRequired {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChallengeRequired")
            .field("name", &self.name)
            .field("username", &self.username)
            .field("parameters", &self.parameters)
            .field("has_session", &self.session.is_some())
            .finish()
    }
}

impl fmt::Display for ChallengeRequired {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the user pool asks for the {} challenge before signing in",
            self.name
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_names_round_trip_and_errors_keep_cognitos_words() {
        for name in [
            "SOFTWARE_TOKEN_MFA",
            "SMS_MFA",
            "EMAIL_OTP",
            "NEW_PASSWORD_REQUIRED",
            "CUSTOM_CHALLENGE",
            "MFA_SETUP",
            "SELECT_MFA_TYPE",
            "DEVICE_SRP_AUTH",
        ] {
            assert_eq!(ChallengeName::parse(name).as_str(), name);
        }
        assert_eq!(
            ChallengeName::parse("DEVICE_SRP_AUTH"),
            ChallengeName::Other("DEVICE_SRP_AUTH".into())
        );
        let e = UserPoolError::from_service("LimitExceededException".into(), "slow".into(), 400);
        assert!(matches!(e, UserPoolError::Throttled { .. }));
        assert_eq!(e.to_string(), "LimitExceededException: slow");
        let e = UserPoolError::from_service("CodeMismatchException".into(), "bad".into(), 400);
        assert_eq!(
            (e.name(), e.message()),
            (Some("CodeMismatchException"), Some("bad"))
        );
        let challenge = ChallengeRequired {
            name: ChallengeName::SmsMfa,
            username: "u".into(),
            session: Some("SESSION-SENTINEL".into()),
            parameters: BTreeMap::from([("CODE_DELIVERY_DESTINATION".into(), "+***1234".into())]),
        };
        let e = UserPoolError::ChallengeRequired(Box::new(challenge));
        let shown = format!("{e:?} {e}");
        assert!(
            shown.contains("SMS_MFA") || shown.contains("SmsMfa"),
            "{shown}"
        );
        assert!(!shown.contains("SESSION-SENTINEL"), "{shown}");
    }
}
