//! The per-endpoint authorization types of Amplify configs (`authorizationType`), as the
//! variants of the runtime's `amplify_api::AuthMode` they become.

/// An endpoint's authorization type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AuthMode {
    /// `AWS_IAM`: SigV4 (the default when a format has no authorization type).
    AwsIam,
    /// `API_KEY`.
    ApiKey,
    /// `AMAZON_COGNITO_USER_POOLS`.
    AmazonCognitoUserPools,
    /// `OPENID_CONNECT`.
    OpenIdConnect,
    /// `AWS_LAMBDA` (or `LAMBDA`).
    AwsLambda,
    /// `NONE`.
    None,
}

/// The names accepted in configs, for "expected one of" messages.
pub(crate) const NAMES: &str =
    "AWS_IAM, API_KEY, AMAZON_COGNITO_USER_POOLS, OPENID_CONNECT, AWS_LAMBDA, NONE";

impl AuthMode {
    /// Parses a config's `authorizationType`, as the runtime's `AuthMode::from_str` does
    /// (`amplify-api/src/endpoint.rs`), so the config is checked at compile time.
    pub(crate) fn from_config(name: &str) -> Option<Self> {
        Some(match name {
            "AWS_IAM" => AuthMode::AwsIam,
            "API_KEY" => AuthMode::ApiKey,
            "AMAZON_COGNITO_USER_POOLS" => AuthMode::AmazonCognitoUserPools,
            "OPENID_CONNECT" => AuthMode::OpenIdConnect,
            "AWS_LAMBDA" | "LAMBDA" => AuthMode::AwsLambda,
            "NONE" => AuthMode::None,
            _ => return None,
        })
    }

    /// Amplify's name for it.
    pub(crate) fn config_name(self) -> &'static str {
        match self {
            AuthMode::AwsIam => "AWS_IAM",
            AuthMode::ApiKey => "API_KEY",
            AuthMode::AmazonCognitoUserPools => "AMAZON_COGNITO_USER_POOLS",
            AuthMode::OpenIdConnect => "OPENID_CONNECT",
            AuthMode::AwsLambda => "AWS_LAMBDA",
            AuthMode::None => "NONE",
        }
    }

    /// The name of the runtime's `AuthMode` variant.
    pub(crate) fn variant(self) -> &'static str {
        match self {
            AuthMode::AwsIam => "AwsIam",
            AuthMode::ApiKey => "ApiKey",
            AuthMode::AmazonCognitoUserPools => "AmazonCognitoUserPools",
            AuthMode::OpenIdConnect => "OpenIdConnect",
            AuthMode::AwsLambda => "AwsLambda",
            AuthMode::None => "None",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_name_parses_and_round_trips() {
        for name in NAMES.split(", ") {
            let mode = AuthMode::from_config(name).unwrap();
            assert_eq!(mode.config_name(), name);
        }
        assert_eq!(AuthMode::from_config("LAMBDA"), Some(AuthMode::AwsLambda));
        assert_eq!(AuthMode::from_config("aws_iam"), None);
        assert_eq!(AuthMode::from_config("IAM"), None);
    }
}
