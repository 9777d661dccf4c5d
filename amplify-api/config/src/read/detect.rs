//! Which format a config is in, from its top-level keys, and which REST containers it has. The
//! order follows Amplify JS v6's `parseAmplifyConfig` (any `aws_` key: aws-exports; `version`
//! "1…": Gen 2), then the `Amplify.configure` shapes, except that `api.plugins` / `auth.plugins`
//! come first: only native `amplifyconfiguration.json` files have them, and some (the Amplify
//! Android test fixtures) also have a top-level `version`, which Gen 2 outputs use.

use super::Format;
use super::diagnostics::ConfigError;
use super::json::{Node, Value};

/// Whether `node` has the object `key` holding `inner`.
fn has_nested(node: &Node<'_>, key: &str, inner: &str) -> bool {
    node.get(key).is_some_and(|n| n.get(inner).is_some())
}

/// Whether `root` has the REST container `format` reads (`aws_cloud_logic_custom`...).
pub(crate) fn has_container(root: &Node<'_>, format: Format) -> bool {
    match format {
        Format::AwsExports => root.get("aws_cloud_logic_custom").is_some(),
        Format::ConfigureV5 => has_nested(root, "API", "endpoints"),
        Format::ConfigureV6 => has_nested(root, "API", "REST"),
        Format::Native => root
            .get("api")
            .and_then(|api| api.get("plugins"))
            .is_some_and(|plugins| plugins.get("awsAPIPlugin").is_some()),
        Format::Outputs => has_nested(root, "custom", "API") || root.get("rest_api").is_some(),
    }
}

/// The format `root` (the top-level object) is in.
pub(crate) fn detect(root: &Node<'_>) -> Result<Format, ConfigError> {
    let Value::Object(object) = root.value() else {
        return Err(root.error("expected a JSON object"));
    };
    if has_nested(root, "api", "plugins") || has_nested(root, "auth", "plugins") {
        return Ok(Format::Native);
    }
    if object.members.iter().any(|m| m.key.starts_with("aws_")) {
        return Ok(Format::AwsExports);
    }
    let version = root.get("version");
    if version.is_some_and(|v| matches!(v.value(), Value::String(s) if s.starts_with('1'))) {
        return Ok(Format::Outputs);
    }
    if has_nested(root, "API", "REST") || has_nested(root, "Auth", "Cognito") {
        return Ok(Format::ConfigureV6);
    }
    if has_nested(root, "API", "endpoints")
        || has_nested(root, "Auth", "identityPoolId")
        || has_nested(root, "Auth", "userPoolId")
    {
        return Ok(Format::ConfigureV5);
    }
    Err(ConfigError::whole(format!(
        "this does not look like an Amplify config: it has no `aws_...` keys (aws-exports), no \
         `version` \"1.x\" (Gen 2 amplify_outputs.json), no `api.plugins` (native \
         amplifyconfiguration.json), no `API.REST` (Amplify.configure v6) and no \
         `API.endpoints` (Amplify.configure v5); to read it as one of these anyway, add \
         `format = \"...\"` to the attribute (one of {})",
        Format::names_list()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect_str(text: &str) -> Result<Format, ConfigError> {
        let json = crate::read::source::parse(text).unwrap();
        detect(&Node::root(&json))
    }

    #[test]
    fn recognises_each_format() {
        let cases = [
            (r#"{"aws_project_region": "us-east-1"}"#, Format::AwsExports),
            (r#"{"aws_cloud_logic_custom": []}"#, Format::AwsExports),
            (r#"{"version": "1.3", "auth": {}}"#, Format::Outputs),
            (r#"{"version": "1", "custom": {}}"#, Format::Outputs),
            (
                r#"{"UserAgent": "x", "api": {"plugins": {}}}"#,
                Format::Native,
            ),
            (r#"{"auth": {"plugins": {}}}"#, Format::Native),
            // The Amplify Android test fixtures: native, with a `version`.
            (
                r#"{"version": "1.0", "api": {"plugins": {"awsAPIPlugin": {}}}}"#,
                Format::Native,
            ),
            (r#"{"API": {"REST": {}}}"#, Format::ConfigureV6),
            (r#"{"Auth": {"Cognito": {}}}"#, Format::ConfigureV6),
            (r#"{"API": {"endpoints": []}}"#, Format::ConfigureV5),
            (r#"{"Auth": {"identityPoolId": "x"}}"#, Format::ConfigureV5),
        ];
        for (text, format) in cases {
            assert_eq!(detect_str(text).unwrap(), format, "{text}");
        }
    }

    #[test]
    fn unknown_shapes_ask_for_format() {
        for text in [
            r#"{}"#,
            r#"{"version": "2.0"}"#,
            r#"{"API": {}}"#,
            r#"{"api": 1}"#,
        ] {
            let err = detect_str(text).unwrap_err();
            assert!(err.message.contains("format = "), "{text}: {err}");
            assert!(err.message.contains(r#""gen2""#), "{text}: {err}");
        }
    }
}
