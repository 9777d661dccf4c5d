//! The Gen 2 `amplify_outputs.json` (`version` "1.x"). Its schema has no REST section, so two
//! conventions are read, in this order:
//!
//! ```json
//! { "version": "1.3",
//!   "auth": { "aws_region": "us-east-1", "identity_pool_id": "us-east-1:…",
//!             "unauthenticated_identities_enabled": true, "user_pool_id": "us-east-1_…" },
//!   "custom": { "API": { "myRestApi": { "endpoint": "https://…/prod/", "region": "us-east-1", "apiName": "myRestApi" } } },
//!   "rest_api": { "other": { "url": "https://…", "aws_region": "us-east-1",
//!                            "authorization_type": "API_KEY", "api_key": "…" } } }
//! ```
//!
//! `custom.API` is the documented `backend.addOutput` convention (it may also carry `service`,
//! `authorizationType` and `apiKey`); `rest_api` is Flutter's. Guest access only when
//! `unauthenticated_identities_enabled` is `true`.

use super::diagnostics::{ConfigError, Problems};
use super::json::Node;
use super::{EntryKeys, Fallback, Format, RawConfig, RawIdentityPool, read_map};

/// `custom.API.<name>`.
const CUSTOM_KEYS: EntryKeys = EntryKeys {
    url: "endpoint",
    region: "region",
    service: Some("service"),
    auth: Some("authorizationType"),
    api_key: Some("apiKey"),
    paths: None,
};

/// Flutter's `rest_api.<name>`.
const REST_API_KEYS: EntryKeys = EntryKeys {
    url: "url",
    region: "aws_region",
    service: None,
    auth: Some("authorization_type"),
    api_key: Some("api_key"),
    paths: None,
};

/// Reads a Gen 2 `amplify_outputs.json`.
pub(super) fn read(root: &Node<'_>) -> Result<RawConfig, Vec<ConfigError>> {
    let mut problems = Problems::default();
    let mut config = RawConfig::empty(Format::Outputs);
    let custom_api = problems
        .take(root.opt_object("custom"))
        .flatten()
        .and_then(|custom| problems.take(custom.opt_object("API")).flatten());
    let none = Fallback::default();
    read_map(custom_api, CUSTOM_KEYS, &none, &mut problems, &mut config);
    let rest_api = problems.take(root.opt_object("rest_api")).flatten();
    read_map(rest_api, REST_API_KEYS, &none, &mut problems, &mut config);
    if root.get("data").is_some() {
        config.ignored.push("the GraphQL API (`data`)".to_owned());
    }
    if let Some(auth) = problems.take(root.opt_object("auth")).flatten() {
        let guest_access = problems
            .take(auth.opt_bool("unauthenticated_identities_enabled"))
            .flatten()
            .unwrap_or(false);
        config.identity_pool = problems
            .take(auth.opt_str("identity_pool_id"))
            .flatten()
            .map(|id| RawIdentityPool {
                id,
                guest_access,
                endpoint: None,
            });
        config.user_pool_id = problems.take(auth.opt_str("user_pool_id")).flatten();
        config.user_pool_client_id = problems.take(auth.opt_str("user_pool_client_id")).flatten();
    }
    problems.finish(config)
}

#[cfg(test)]
mod tests {
    use super::super::load;
    use super::*;

    #[test]
    fn reads_custom_api_then_rest_api() {
        let config = load(
            r#"{
              "version": "1.3",
              "auth": {"aws_region": "us-east-1", "user_pool_id": "us-east-1_AbC",
                       "identity_pool_id": "us-east-1:abc", "unauthenticated_identities_enabled": true},
              "data": {"url": "https://x.appsync-api.us-east-1.amazonaws.com/graphql"},
              "custom": {"API": {"myRestApi": {"endpoint": "https://abc.execute-api.us-east-1.amazonaws.com/prod/",
                                               "region": "us-east-1", "apiName": "myRestApi"}}},
              "rest_api": {"flutterApi": {"url": "https://api.example.com", "aws_region": "eu-west-1",
                                          "authorization_type": "API_KEY", "api_key": "k"}}
            }"#,
            None,
        )
        .unwrap();
        assert_eq!(config.format, Format::Outputs);
        let names: Vec<&str> = config
            .endpoints
            .iter()
            .map(|e| e.name.value.as_str())
            .collect();
        assert_eq!(names, ["myRestApi", "flutterApi"]);
        let flutter = &config.endpoints[1];
        assert_eq!(flutter.url.path.to_string(), "rest_api.flutterApi.url");
        assert_eq!(flutter.region.as_ref().unwrap().value, "eu-west-1");
        assert_eq!(flutter.auth.as_ref().unwrap().value, "API_KEY");
        assert_eq!(flutter.api_key.as_ref().unwrap().value, "k");
        assert!(config.identity_pool.unwrap().guest_access);
        assert_eq!(config.user_pool_id.unwrap().value, "us-east-1_AbC");
        assert_eq!(config.ignored.len(), 1);
    }

    #[test]
    fn guest_access_defaults_to_off() {
        let config = load(
            r#"{"version": "1", "auth": {"identity_pool_id": "us-east-1:abc"}}"#,
            None,
        )
        .unwrap();
        assert!(!config.identity_pool.unwrap().guest_access);
    }
}
