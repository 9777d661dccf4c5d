//! `Amplify.configure` as JavaScript v5 took it (the v5 reference docs):
//!
//! ```json
//! { "Auth": { "identityPoolId": "us-east-1:…", "identityPoolRegion": "us-east-1", "region": "us-east-1",
//!             "userPoolId": "us-east-1_…", "mandatorySignIn": false },
//!   "API": { "region": "us-east-1",
//!            "endpoints": [{ "name": "todoApi", "endpoint": "https://…", "service": "…", "region": "…" }] } }
//! ```
//!
//! No authorization type: every endpoint is `AWS_IAM`. `API.region` is the fallback region.
//! Guest access unless `Auth.mandatorySignIn` is `true`.

use super::diagnostics::{ConfigError, Problems};
use super::json::Node;
use super::{Fallback, Format, JS_ENTRY_KEYS as KEYS, RawConfig, RawIdentityPool, read_list};

/// Reads a v5 `Amplify.configure` config.
pub(super) fn read(root: &Node<'_>) -> Result<RawConfig, Vec<ConfigError>> {
    let mut problems = Problems::default();
    let mut config = RawConfig::empty(Format::ConfigureV5);
    // v5's REST category flattens `API` into the config and, for an aws-exports object, sets
    // the region to `aws_project_region` over `API.region` (`RestAPI.ts:43-59`). `Auth.region`
    // comes last: v5 itself would sign with its default `us-east-1` there, the Cognito
    // region is the project's in every hand-written config.
    let fallback = Fallback {
        region: super::first_string(
            root,
            &[
                &["aws_project_region"],
                &["API", "region"],
                &["Auth", "region"],
            ],
        ),
        keys: Some("`aws_project_region`, `API.region` or `Auth.region`"),
    };
    if let Some(api) = problems.take(root.opt_object("API")).flatten() {
        read_list(
            api.get("endpoints"),
            KEYS,
            &fallback,
            &mut problems,
            &mut config,
        );
        if api.get("graphql_endpoint").is_some() {
            config
                .ignored
                .push("the GraphQL API (`API.graphql_endpoint`)".to_owned());
        }
    }
    if let Some(auth) = problems.take(root.opt_object("Auth")).flatten() {
        let mandatory_sign_in = problems
            .take(auth.opt_bool("mandatorySignIn"))
            .flatten()
            .unwrap_or(false);
        config.identity_pool = problems
            .take(auth.opt_str("identityPoolId"))
            .flatten()
            .map(|id| RawIdentityPool {
                id,
                guest_access: !mandatory_sign_in,
                endpoint: None,
            });
        config.user_pool_id = problems.take(auth.opt_str("userPoolId")).flatten();
        config.user_pool_client_id = problems.take(auth.opt_str("userPoolWebClientId")).flatten();
    }
    problems.finish(config)
}

#[cfg(test)]
mod tests {
    use super::super::load;
    use super::*;

    #[test]
    fn reads_endpoints_pool_and_api_region() {
        let config = load(
            r#"{
              "Auth": {"identityPoolId": "eu-west-1:abc", "region": "eu-west-1",
                       "userPoolId": "eu-west-1_AbC", "mandatorySignIn": true},
              "API": {"region": "eu-west-1", "endpoints": [
                {"name": "todoApi", "endpoint": "https://api.example.com/v1", "service": "execute-api", "region": "eu-central-1",
                 "custom_header": "function, not data"},
                {"name": "other", "endpoint": "https://other.example.com"}
              ]}
            }"#,
            None,
        )
        .unwrap();
        assert_eq!(config.format, Format::ConfigureV5);
        let names: Vec<&str> = config
            .endpoints
            .iter()
            .map(|e| e.name.value.as_str())
            .collect();
        assert_eq!(names, ["todoApi", "other"]);
        assert_eq!(
            config.endpoints[0]
                .region
                .as_ref()
                .unwrap()
                .path
                .to_string(),
            "API.endpoints[0].region"
        );
        let fallback = config.endpoints[1].fallback_region.as_ref().unwrap();
        assert_eq!(fallback.value, "eu-west-1");
        assert_eq!(fallback.path.to_string(), "API.region");
        let pool = config.identity_pool.unwrap();
        assert!(!pool.guest_access);
        assert_eq!(config.user_pool_id.unwrap().value, "eu-west-1_AbC");
    }

    #[test]
    fn guest_access_is_the_default() {
        let config = load(
            r#"{"Auth": {"identityPoolId": "us-east-1:abc"}, "API": {"endpoints": []}}"#,
            None,
        )
        .unwrap();
        assert!(config.identity_pool.unwrap().guest_access);
    }

    #[test]
    fn wrong_shapes_are_errors_with_paths() {
        let errors = load(
            r#"{"API": {"endpoints": {"name": "a"}}, "Auth": {"mandatorySignIn": "yes"}}"#,
            Some(Format::ConfigureV5),
        )
        .unwrap_err();
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "at `API.endpoints`: expected an array, found an object",
                "at `Auth.mandatorySignIn`: expected `true` or `false`, found a string",
            ]
        );
    }
}
