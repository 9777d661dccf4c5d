//! `Amplify.configure` as JavaScript v6 takes it (`ResourcesConfig`):
//!
//! ```json
//! { "Auth": { "Cognito": { "identityPoolId": "us-east-1:…", "allowGuestAccess": true,
//!                          "identityPoolEndpoint": "https://…", "userPoolId": "us-east-1_…" } },
//!   "API": { "REST": { "todoApi": { "endpoint": "https://…", "region": "us-east-1", "service": "…" } } } }
//! ```
//!
//! No authorization type (every endpoint is `AWS_IAM`) and no fallback region. Guest access only
//! when `allowGuestAccess` is `true`, as in v6, where it defaults to off.

use super::diagnostics::{ConfigError, Problems};
use super::json::Node;
use super::{Fallback, Format, JS_ENTRY_KEYS as KEYS, RawConfig, RawIdentityPool, read_map};

/// Reads a v6 `Amplify.configure` config.
pub(super) fn read(root: &Node<'_>) -> Result<RawConfig, Vec<ConfigError>> {
    let mut problems = Problems::default();
    let mut config = RawConfig::empty(Format::ConfigureV6);
    if let Some(api) = problems.take(root.opt_object("API")).flatten() {
        let rest = api.get("REST");
        read_map(rest, KEYS, &Fallback::default(), &mut problems, &mut config);
        if api.get("GraphQL").is_some() {
            config
                .ignored
                .push("the GraphQL API (`API.GraphQL`)".to_owned());
        }
    }
    let cognito = problems
        .take(root.opt_object("Auth"))
        .flatten()
        .and_then(|auth| problems.take(auth.opt_object("Cognito")).flatten());
    if let Some(cognito) = cognito {
        let guest_access = problems
            .take(cognito.opt_bool("allowGuestAccess"))
            .flatten()
            .unwrap_or(false);
        let endpoint = problems
            .take(cognito.opt_str("identityPoolEndpoint"))
            .flatten();
        config.identity_pool = problems
            .take(cognito.opt_str("identityPoolId"))
            .flatten()
            .map(|id| RawIdentityPool {
                id,
                guest_access,
                endpoint,
            });
        config.user_pool_id = problems.take(cognito.opt_str("userPoolId")).flatten();
        config.user_pool_client_id = problems.take(cognito.opt_str("userPoolClientId")).flatten();
    }
    problems.finish(config)
}

#[cfg(test)]
mod tests {
    use super::super::load;
    use super::*;

    #[test]
    fn reads_rest_map_in_file_order_and_cognito() {
        let config = load(
            r#"{
              "Auth": {"Cognito": {"identityPoolId": "us-east-1:abc", "allowGuestAccess": true,
                                   "identityPoolEndpoint": "https://cognito.example.com",
                                   "userPoolId": "us-east-1_Xyz", "userPoolClientId": "c"}},
              "API": {"REST": {
                "zeta": {"endpoint": "https://z.execute-api.us-east-1.amazonaws.com/dev"},
                "alpha": {"endpoint": "https://api.example.com", "region": "eu-west-1", "service": "lambda"}
              }}
            }"#,
            None,
        )
        .unwrap();
        assert_eq!(config.format, Format::ConfigureV6);
        let names: Vec<&str> = config
            .endpoints
            .iter()
            .map(|e| e.name.value.as_str())
            .collect();
        assert_eq!(names, ["zeta", "alpha"]);
        assert_eq!(
            config.endpoints[1]
                .service
                .as_ref()
                .unwrap()
                .path
                .to_string(),
            "API.REST.alpha.service"
        );
        let pool = config.identity_pool.unwrap();
        assert!(pool.guest_access);
        assert_eq!(pool.endpoint.unwrap().value, "https://cognito.example.com");
        assert_eq!(config.user_pool_id.unwrap().value, "us-east-1_Xyz");
        assert_eq!(config.endpoints[0].fallback_keys, None);
    }

    #[test]
    fn guest_access_defaults_to_off() {
        let config = load(
            r#"{"Auth": {"Cognito": {"identityPoolId": "us-east-1:abc"}}, "API": {"REST": {}}}"#,
            None,
        )
        .unwrap();
        assert!(!config.identity_pool.unwrap().guest_access);
    }

    #[test]
    fn a_name_given_twice_is_an_error() {
        let errors = load(
            r#"{"API": {"REST": {"a": {"endpoint": "https://a.example.com"},
                                 "a": {"endpoint": "https://b.example.com"}}}}"#,
            None,
        )
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .to_string()
                .starts_with("at `API.REST.a`: the key `a` appears twice (first at 1:19)"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn entries_must_be_objects() {
        let errors =
            load(r#"{"API": {"REST": {"a": "https://a.example.com"}}}"#, None).unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "at `API.REST.a`: expected an object describing endpoint `a`, found a string"
        );
    }
}
