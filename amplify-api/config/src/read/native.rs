//! The Gen 1 `amplifyconfiguration.json` of Swift, Android and Flutter:
//!
//! ```json
//! { "api": { "plugins": { "awsAPIPlugin": {
//!     "todoApi": { "endpointType": "REST", "endpoint": "https://…", "region": "us-east-1",
//!                  "authorizationType": "AWS_IAM", "apiKey": "…" },
//!     "todoGraphQl": { "endpointType": "GraphQL", … } } } },
//!   "auth": { "plugins": { "awsCognitoAuthPlugin": {
//!     "CredentialsProvider": { "CognitoIdentity": { "Default": { "PoolId": "us-east-1:…", "Region": "us-east-1" } } },
//!     "CognitoUserPool": { "Default": { "PoolId": "us-east-1_…" } } } } } }
//! ```
//!
//! Entries whose `endpointType` is `GraphQL` are skipped. Native clients always allow guest
//! access (the identity pool itself decides).

use super::diagnostics::{ConfigError, Problems};
use super::json::Node;
use super::{EntryKeys, EntryName, Fallback, Format, RawConfig, RawIdentityPool, read_entry};

const KEYS: EntryKeys = EntryKeys {
    url: "endpoint",
    region: "region",
    service: None,
    auth: Some("authorizationType"),
    api_key: Some("apiKey"),
    paths: None,
};

/// The object at `keys` under `node`, recording a problem if something on the way is not an
/// object.
fn object_at<'a>(node: &Node<'a>, keys: &[&str], problems: &mut Problems) -> Option<Node<'a>> {
    let mut current = node.clone();
    for key in keys {
        current = problems.take(current.opt_object(key)).flatten()?;
    }
    Some(current)
}

/// Reads a native `amplifyconfiguration.json`.
pub(super) fn read(root: &Node<'_>) -> Result<RawConfig, Vec<ConfigError>> {
    let mut problems = Problems::default();
    let mut config = RawConfig::empty(Format::Native);
    if let Some(plugin) = object_at(root, &["api", "plugins", "awsAPIPlugin"], &mut problems) {
        config.unreadable_members(&plugin);
        for (name, entry) in problems.take(plugin.members()).unwrap_or_default() {
            if config.unreadable_node(&entry) {
                continue;
            }
            let Some(kind) = problems.take(entry.req_str("endpointType")) else {
                continue;
            };
            match kind.value.as_str() {
                "REST" => {
                    let name = EntryName::Key(entry.key_located(name.to_owned()));
                    let none = Fallback::default();
                    read_entry(name, &entry, KEYS, &none, &mut problems, &mut config);
                }
                "GraphQL" => config.ignored.push(format!("`{name}` (GraphQL)")),
                other => problems.push(ConfigError::located(
                    &kind,
                    format!("unknown endpointType `{other}`; expected \"REST\" or \"GraphQL\""),
                )),
            }
        }
    }
    let plugin = object_at(
        root,
        &["auth", "plugins", "awsCognitoAuthPlugin"],
        &mut problems,
    );
    if let Some(plugin) = plugin {
        let identity = ["CredentialsProvider", "CognitoIdentity", "Default"];
        if let Some(pool) = object_at(&plugin, &identity, &mut problems) {
            config.identity_pool =
                problems
                    .take(pool.opt_str("PoolId"))
                    .flatten()
                    .map(|id| RawIdentityPool {
                        id,
                        guest_access: true,
                        endpoint: None,
                    });
        }
        if let Some(user_pool) = object_at(&plugin, &["CognitoUserPool", "Default"], &mut problems)
        {
            config.user_pool_id = problems.take(user_pool.opt_str("PoolId")).flatten();
            config.user_pool_client_id = problems.take(user_pool.opt_str("AppClientId")).flatten();
        }
    }
    problems.finish(config)
}

#[cfg(test)]
mod tests {
    use super::super::load;
    use super::*;

    const CONFIG: &str = r#"{
      "UserAgent": "aws-amplify-cli/2.0", "Version": "1.0",
      "api": {"plugins": {"awsAPIPlugin": {
        "itemsApi": {"endpointType": "REST", "endpoint": "https://abc.execute-api.us-east-1.amazonaws.com/dev",
                     "region": "us-east-1", "authorizationType": "AWS_IAM"},
        "todoGraphQl": {"endpointType": "GraphQL", "endpoint": "https://xyz.appsync-api.us-east-1.amazonaws.com/graphql",
                        "region": "us-east-1", "authorizationType": "API_KEY", "apiKey": "da2-graphql"},
        "publicApi": {"endpointType": "REST", "endpoint": "https://pub.execute-api.us-east-1.amazonaws.com/prod",
                      "region": "us-east-1", "authorizationType": "API_KEY", "apiKey": "da2-key"}
      }}},
      "auth": {"plugins": {"awsCognitoAuthPlugin": {
        "IdentityManager": {"Default": {}},
        "CredentialsProvider": {"CognitoIdentity": {"Default": {"PoolId": "us-east-1:abc", "Region": "us-east-1"}}},
        "CognitoUserPool": {"Default": {"PoolId": "us-east-1_AbC", "AppClientId": "x", "Region": "us-east-1"}}
      }}}
    }"#;

    #[test]
    fn reads_rest_entries_with_auth_and_skips_graphql() {
        let config = load(CONFIG, None).unwrap();
        assert_eq!(config.format, Format::Native);
        let names: Vec<&str> = config
            .endpoints
            .iter()
            .map(|e| e.name.value.as_str())
            .collect();
        assert_eq!(names, ["itemsApi", "publicApi"]);
        let public = &config.endpoints[1];
        assert_eq!(public.auth.as_ref().unwrap().value, "API_KEY");
        assert_eq!(public.api_key.as_ref().unwrap().value, "da2-key");
        assert_eq!(
            public.api_key.as_ref().unwrap().path.to_string(),
            "api.plugins.awsAPIPlugin.publicApi.apiKey"
        );
        assert_eq!(config.ignored, ["`todoGraphQl` (GraphQL)"]);
        let pool = config.identity_pool.unwrap();
        assert_eq!(pool.id.value, "us-east-1:abc");
        assert!(pool.guest_access);
        assert_eq!(config.user_pool_id.unwrap().value, "us-east-1_AbC");
    }

    #[test]
    fn endpoint_type_is_required_and_checked() {
        let errors = load(
            r#"{"api": {"plugins": {"awsAPIPlugin": {
                 "a": {"endpoint": "https://a.example.com"},
                 "b": {"endpointType": "WebSocket", "endpoint": "wss://b.example.com"}}}}}"#,
            None,
        )
        .unwrap_err();
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "at `api.plugins.awsAPIPlugin.a`: the required key `endpointType` is missing",
                "at `api.plugins.awsAPIPlugin.b.endpointType`: unknown endpointType `WebSocket`; \
                 expected \"REST\" or \"GraphQL\"",
            ]
        );
    }

    #[test]
    fn wrong_shapes_on_the_way_are_errors() {
        let errors = load(r#"{"api": {"plugins": []}}"#, Some(Format::Native)).unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "at `api.plugins`: expected an object, found an array"
        );
    }
}
