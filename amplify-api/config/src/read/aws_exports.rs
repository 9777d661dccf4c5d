//! The Gen 1 JavaScript config (`aws-exports.js`, or its JSON twin):
//!
//! ```json
//! { "aws_project_region": "us-east-1",
//!   "aws_cognito_identity_pool_id": "us-east-1:…", "aws_mandatory_sign_in": "enable",
//!   "aws_user_pools_id": "us-east-1_…",
//!   "aws_cloud_logic_custom": [{ "name": "todoApi", "endpoint": "https://…", "region": "us-east-1", "service": "…" }] }
//! ```
//!
//! No authorization type: every endpoint is `AWS_IAM`. Guest access unless
//! `aws_mandatory_sign_in` is `"enable"`.

use super::diagnostics::{ConfigError, Problems};
use super::json::Node;
use super::{EntryKeys, Fallback, Format, JS_ENTRY_KEYS, RawConfig, RawIdentityPool, read_list};

/// The JavaScript entry keys, and the Mobile Hub `paths` list older aws-exports have.
const KEYS: EntryKeys = EntryKeys {
    paths: Some("paths"),
    ..JS_ENTRY_KEYS
};

/// Reads an aws-exports config.
pub(super) fn read(root: &Node<'_>) -> Result<RawConfig, Vec<ConfigError>> {
    let mut problems = Problems::default();
    let mut config = RawConfig::empty(Format::AwsExports);
    let fallback = Fallback {
        region: problems.take(root.opt_str("aws_project_region")).flatten(),
        keys: Some("`aws_project_region`"),
    };
    let list = root.get("aws_cloud_logic_custom");
    read_list(list, KEYS, &fallback, &mut problems, &mut config);
    if root.get("aws_appsync_graphqlEndpoint").is_some() {
        config
            .ignored
            .push("the AppSync GraphQL API (`aws_appsync_graphqlEndpoint`)".to_owned());
    }
    let mandatory_sign_in = problems
        .take(root.opt_str("aws_mandatory_sign_in"))
        .flatten()
        .is_some_and(|v| v.value == "enable");
    config.identity_pool = problems
        .take(root.opt_str("aws_cognito_identity_pool_id"))
        .flatten()
        .map(|id| RawIdentityPool {
            id,
            guest_access: !mandatory_sign_in,
            endpoint: None,
        });
    config.user_pool_id = problems.take(root.opt_str("aws_user_pools_id")).flatten();
    config.user_pool_client_id = problems
        .take(root.opt_str("aws_user_pools_web_client_id"))
        .flatten();
    problems.finish(config)
}

#[cfg(test)]
mod tests {
    use super::super::load;
    use super::*;

    #[test]
    fn reads_endpoints_pool_and_fallback_region() {
        let config = load(
            r#"{
              "aws_project_region": "eu-west-1",
              "aws_cognito_identity_pool_id": "eu-west-1:0a1b2c3d-1111-2222-3333-444455556666",
              "aws_user_pools_id": "eu-west-1_AbCdEfGhI",
              "aws_cloud_logic_custom": [
                {"name": "todoApi", "endpoint": "https://abc.execute-api.eu-west-1.amazonaws.com/dev", "region": "eu-west-1"},
                {"name": "custom", "endpoint": "https://api.example.com", "service": "lambda"}
              ]
            }"#,
            Some(Format::AwsExports),
        )
        .unwrap();
        assert_eq!(config.endpoints.len(), 2);
        let todo = &config.endpoints[0];
        assert_eq!(todo.name.value, "todoApi");
        assert_eq!(
            todo.url.path.to_string(),
            "aws_cloud_logic_custom[0].endpoint"
        );
        assert_eq!(todo.region.as_ref().unwrap().value, "eu-west-1");
        assert_eq!(todo.auth, None);
        let custom = &config.endpoints[1];
        assert_eq!(custom.region, None);
        assert_eq!(custom.service.as_ref().unwrap().value, "lambda");
        assert_eq!(todo.fallback_region.as_ref().unwrap().value, "eu-west-1");
        let pool = config.identity_pool.unwrap();
        assert!(pool.guest_access);
        assert_eq!(
            pool.id.value,
            "eu-west-1:0a1b2c3d-1111-2222-3333-444455556666"
        );
        assert_eq!(config.user_pool_id.unwrap().value, "eu-west-1_AbCdEfGhI");
    }

    #[test]
    fn mandatory_sign_in_turns_guest_access_off() {
        let config = load(
            r#"{"aws_project_region": "us-east-1", "aws_mandatory_sign_in": "enable",
                "aws_cognito_identity_pool_id": "us-east-1:x"}"#,
            None,
        )
        .unwrap();
        assert!(!config.identity_pool.unwrap().guest_access);
    }

    #[test]
    fn graphql_only_has_no_endpoints_and_says_what_it_ignored() {
        let config = load(
            r#"{"aws_project_region": "us-east-1",
                "aws_appsync_graphqlEndpoint": "https://x.appsync-api.us-east-1.amazonaws.com/graphql"}"#,
            None,
        )
        .unwrap();
        assert!(config.endpoints.is_empty());
        assert_eq!(config.ignored.len(), 1);
    }

    #[test]
    fn reports_every_bad_entry_with_its_path() {
        let errors = load(
            r#"{"aws_cloud_logic_custom": [
                 {"name": "a", "endpoint": "https://a.example.com"},
                 {"endpoint": "https://b.example.com"},
                 {"name": "c", "endpoint": 7, "region": ["us-east-1"]},
                 "d"
               ]}"#,
            None,
        )
        .unwrap_err();
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "at `aws_cloud_logic_custom[1]`: the required key `name` is missing",
                "at `aws_cloud_logic_custom[2].endpoint`: expected a string, found a number",
                "at `aws_cloud_logic_custom[2].region`: expected a string, found an array",
                "at `aws_cloud_logic_custom[3]`: expected an object, found a string",
            ]
        );
    }
}
