//! The per-endpoint authorization types of Amplify configs (`authorizationType`): one enum for
//! the macro's generated constants and the runtime's requests (`amplify_api::AuthMode` is this).

use std::fmt;
use std::str::FromStr;

/// How requests to an endpoint are authorized (the config's `authorizationType`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthMode {
    /// Sign with AWS Signature Version 4 (`AWS_IAM`, the default, also when a format has no
    /// authorization type).
    #[default]
    AwsIam,
    /// Send the endpoint's API key as `x-api-key` (`API_KEY`).
    ApiKey,
    /// Send a Cognito user-pool token as `Authorization` (`AMAZON_COGNITO_USER_POOLS`).
    AmazonCognitoUserPools,
    /// Send an OpenID Connect token as `Authorization` (`OPENID_CONNECT`).
    OpenIdConnect,
    /// Send a token for a Lambda authorizer as `Authorization` (`AWS_LAMBDA`, or `LAMBDA`).
    AwsLambda,
    /// Send no credentials at all (`NONE`).
    None,
}

/// The names accepted in configs, for "expected one of" messages.
pub const AUTH_MODE_NAMES: &str =
    "AWS_IAM, API_KEY, AMAZON_COGNITO_USER_POOLS, OPENID_CONNECT, AWS_LAMBDA, NONE";

impl AuthMode {
    /// Every mode, in the order of [`AUTH_MODE_NAMES`].
    pub const ALL: [AuthMode; 6] = [
        AuthMode::AwsIam,
        AuthMode::ApiKey,
        AuthMode::AmazonCognitoUserPools,
        AuthMode::OpenIdConnect,
        AuthMode::AwsLambda,
        AuthMode::None,
    ];

    /// The name Amplify configs use (`AWS_IAM`, `API_KEY`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMode::AwsIam => "AWS_IAM",
            AuthMode::ApiKey => "API_KEY",
            AuthMode::AmazonCognitoUserPools => "AMAZON_COGNITO_USER_POOLS",
            AuthMode::OpenIdConnect => "OPENID_CONNECT",
            AuthMode::AwsLambda => "AWS_LAMBDA",
            AuthMode::None => "NONE",
        }
    }

    /// The name of the variant in Rust (`AwsIam`...), for generated code.
    pub fn variant_name(self) -> &'static str {
        match self {
            AuthMode::AwsIam => "AwsIam",
            AuthMode::ApiKey => "ApiKey",
            AuthMode::AmazonCognitoUserPools => "AmazonCognitoUserPools",
            AuthMode::OpenIdConnect => "OpenIdConnect",
            AuthMode::AwsLambda => "AwsLambda",
            AuthMode::None => "None",
        }
    }

    /// The mode as route docs and messages name it, with what a request carries for it, and
    /// `+ API key` when `api_key` (a route that needs `x-api-key` besides):
    /// `AWS_IAM (SigV4) + API key`.
    pub fn described(self, api_key: bool) -> String {
        let carries = match self {
            AuthMode::AwsIam => "SigV4",
            AuthMode::ApiKey => "`x-api-key`",
            AuthMode::AmazonCognitoUserPools => "user-pool token",
            AuthMode::OpenIdConnect => "OIDC token",
            AuthMode::AwsLambda => "token for a Lambda authorizer",
            AuthMode::None => "no credentials",
        };
        let key = if api_key && self != AuthMode::ApiKey {
            " + API key"
        } else {
            ""
        };
        format!("{} ({carries}){key}", self.as_str())
    }

    /// Whether requests send a bearer token from the app's token provider.
    pub fn uses_token(self) -> bool {
        matches!(
            self,
            AuthMode::AmazonCognitoUserPools | AuthMode::OpenIdConnect | AuthMode::AwsLambda
        )
    }
}

impl fmt::Display for AuthMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An `authorizationType` that is none of [`AUTH_MODE_NAMES`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownAuthMode(pub String);

impl fmt::Display for UnknownAuthMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown authorization type `{}`; expected one of {AUTH_MODE_NAMES}",
            self.0
        )
    }
}

impl std::error::Error for UnknownAuthMode {}

impl FromStr for AuthMode {
    type Err = UnknownAuthMode;

    /// Parses an Amplify `authorizationType`, case-sensitively as Amplify does (`LAMBDA` is
    /// accepted for `AWS_LAMBDA`, as Amplify JS does).
    fn from_str(s: &str) -> Result<Self, UnknownAuthMode> {
        if s == "LAMBDA" {
            return Ok(AuthMode::AwsLambda);
        }
        AuthMode::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| UnknownAuthMode(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_name_parses_and_round_trips() {
        let names: Vec<&str> = AUTH_MODE_NAMES.split(", ").collect();
        assert_eq!(names.len(), AuthMode::ALL.len());
        for (name, mode) in names.into_iter().zip(AuthMode::ALL) {
            assert_eq!(name.parse::<AuthMode>(), Ok(mode));
            assert_eq!(mode.as_str(), name);
            assert_eq!(mode.to_string(), name);
        }
        assert_eq!("LAMBDA".parse(), Ok(AuthMode::AwsLambda));
        let err = "aws_iam".parse::<AuthMode>().unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("unknown authorization type `aws_iam`; expected one of {AUTH_MODE_NAMES}")
        );
        assert!("IAM".parse::<AuthMode>().is_err());
        assert!(AuthMode::ApiKey.variant_name() == "ApiKey" && !AuthMode::ApiKey.uses_token());
        assert!(AuthMode::AwsLambda.uses_token());
        assert_eq!(
            AuthMode::AwsIam.described(true),
            "AWS_IAM (SigV4) + API key"
        );
        assert_eq!(AuthMode::None.described(false), "NONE (no credentials)");
        assert_eq!(AuthMode::ApiKey.described(true), "API_KEY (`x-api-key`)");
    }
}
