//! Reading an Amplify config file: its text ([`source`]), its format ([`detect`], or forced by
//! `format = "..."`), and one reader per format, all producing the same [`RawConfig`] (the
//! entries as written, each with its JSON path). Checking and normalizing them is
//! [`crate::model`]'s job.

mod aws_exports;
mod configure_v5;
mod configure_v6;
pub(crate) mod detect;
pub(crate) mod diagnostics;
pub(crate) mod json;
mod native;
mod outputs;
pub(crate) mod source;

use diagnostics::{ConfigError, Located, Problems};
use json::{Json, Node};

/// The config formats Amplify clients read (DESIGN.md section 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// Gen 1 JavaScript `aws-exports.js` / its JSON twin: `aws_cloud_logic_custom`.
    AwsExports,
    /// `Amplify.configure` as JavaScript v5 took it: `API.endpoints`.
    ConfigureV5,
    /// `Amplify.configure` as JavaScript v6 takes it: `API.REST`.
    ConfigureV6,
    /// Gen 1 `amplifyconfiguration.json` of Swift, Android and Flutter: `api.plugins.awsAPIPlugin`.
    Native,
    /// Gen 2 `amplify_outputs.json`: `custom.API` and Flutter's `rest_api`.
    Outputs,
}

impl Format {
    /// Every format, in the order they are listed to users.
    pub(crate) const ALL: [Format; 5] = [
        Format::AwsExports,
        Format::ConfigureV5,
        Format::ConfigureV6,
        Format::Native,
        Format::Outputs,
    ];

    /// The name `format = "..."` takes.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::AwsExports => "aws-exports",
            Format::ConfigureV5 => "v5",
            Format::ConfigureV6 => "v6",
            Format::Native => "native",
            Format::Outputs => "gen2",
        }
    }

    /// What the format is, for messages and docs.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Format::AwsExports => "aws-exports (Gen 1 JavaScript, `aws_cloud_logic_custom`)",
            Format::ConfigureV5 => "Amplify.configure v5 (`API.endpoints`)",
            Format::ConfigureV6 => "Amplify.configure v6 (`API.REST`)",
            Format::Native => "native amplifyconfiguration.json (`api.plugins.awsAPIPlugin`)",
            Format::Outputs => "Gen 2 amplify_outputs.json (`custom.API`, `rest_api`)",
        }
    }

    /// The format named `name`, as `format = "..."` spells it.
    pub(crate) fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The accepted names, quoted, for "expected one of" messages.
    pub(crate) fn names_list() -> String {
        Format::ALL
            .iter()
            .map(|f| format!("\"{}\"", f.name()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One REST endpoint as the config writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawEndpoint {
    /// The Amplify API name (what `API.get(apiName, ...)` takes).
    pub(crate) name: Located<String>,
    /// The endpoint URL, untouched.
    pub(crate) url: Located<String>,
    /// The entry's own region.
    pub(crate) region: Option<Located<String>>,
    /// The entry's own signing service.
    pub(crate) service: Option<Located<String>>,
    /// `authorizationType` (formats that have one).
    pub(crate) auth: Option<Located<String>>,
    /// `apiKey` (formats that have one).
    pub(crate) api_key: Option<Located<String>>,
}

/// The Cognito Identity Pool as the config writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawIdentityPool {
    /// `<region>:<uuid>`.
    pub(crate) id: Located<String>,
    /// Whether signed-out users get guest credentials.
    pub(crate) guest_access: bool,
    /// A custom Cognito Identity endpoint (v6's `identityPoolEndpoint`).
    pub(crate) endpoint: Option<Located<String>>,
}

/// What one config file says, in any format: REST endpoints, fallbacks and Cognito settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawConfig {
    /// The format it was read as.
    pub(crate) format: Format,
    /// Its REST endpoints, in file order.
    pub(crate) endpoints: Vec<RawEndpoint>,
    /// Entries that are not REST endpoints (GraphQL...), described for messages.
    pub(crate) ignored: Vec<String>,
    /// The region of endpoints that give none, and the key it came from.
    pub(crate) project_region: Option<Located<String>>,
    /// The key the project region is read from in this format, if it has one.
    pub(crate) project_region_key: Option<&'static str>,
    /// Where this format keeps REST endpoints, for "no REST endpoints" messages.
    pub(crate) rest_section: &'static str,
    /// The identity pool, if the config has one.
    pub(crate) identity_pool: Option<RawIdentityPool>,
    /// The Cognito user pool id, if the config has one.
    pub(crate) user_pool_id: Option<Located<String>>,
}

impl RawConfig {
    /// A config of `format` with nothing in it yet.
    fn empty(format: Format, rest_section: &'static str) -> Self {
        RawConfig {
            format,
            endpoints: Vec::new(),
            ignored: Vec::new(),
            project_region: None,
            project_region_key: None,
            rest_section,
            identity_pool: None,
            user_pool_id: None,
        }
    }
}

/// The keys one format uses inside an endpoint entry.
#[derive(Clone, Copy, Debug)]
pub(crate) struct EntryKeys {
    /// The URL's key (`endpoint`, or `url` in Flutter's `rest_api`).
    pub(crate) url: &'static str,
    /// The region's key.
    pub(crate) region: &'static str,
    /// The signing service's key, where the format has one.
    pub(crate) service: Option<&'static str>,
    /// The authorization type's key, where the format has one.
    pub(crate) auth: Option<&'static str>,
    /// The API key's key, where the format has one.
    pub(crate) api_key: Option<&'static str>,
}

/// Reads the endpoint entry `node` named `name`, recording its problems; `None` if it has any.
pub(crate) fn read_entry(
    name: Located<String>,
    node: &Node<'_>,
    keys: EntryKeys,
    problems: &mut Problems,
) -> Option<RawEndpoint> {
    if !matches!(node.value(), Json::Object(_)) {
        problems.push(node.error(format!(
            "expected an object describing endpoint `{}`, found {}",
            name.value,
            node.value().kind()
        )));
        return None;
    }
    let optional = |key: Option<&str>, problems: &mut Problems| {
        key.and_then(|key| problems.take(node.opt_str(key)).flatten())
    };
    let url = problems.take(node.req_str(keys.url));
    let region = optional(Some(keys.region), problems);
    let service = optional(keys.service, problems);
    let auth = optional(keys.auth, problems);
    let api_key = optional(keys.api_key, problems);
    Some(RawEndpoint {
        name,
        url: url?,
        region,
        service,
        auth,
        api_key,
    })
}

/// Reads a config file's text as `forced`, or as the format it looks like.
pub(crate) fn load(text: &str, forced: Option<Format>) -> Result<RawConfig, Vec<ConfigError>> {
    let json = source::parse(text).map_err(|e| vec![e])?;
    if !matches!(json, Json::Object(_)) {
        return Err(vec![ConfigError::whole(format!(
            "expected a JSON object at the top level, found {}",
            json.kind()
        ))]);
    }
    let root = Node::root(&json);
    let format = match forced {
        Some(format) => format,
        None => detect::detect(&root).map_err(|e| vec![e])?,
    };
    match format {
        Format::AwsExports => aws_exports::read(&root),
        Format::ConfigureV5 => configure_v5::read(&root),
        Format::ConfigureV6 => configure_v6::read(&root),
        Format::Native => native::read(&root),
        Format::Outputs => outputs::read(&root),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for format in Format::ALL {
            assert_eq!(Format::from_name(format.name()), Some(format));
        }
        assert_eq!(Format::from_name("xml"), None);
        assert_eq!(
            Format::names_list(),
            r#""aws-exports", "v5", "v6", "native", "gen2""#
        );
    }

    #[test]
    fn top_level_must_be_an_object() {
        let err = load("[1, 2]", None).unwrap_err();
        assert_eq!(
            err[0].message,
            "expected a JSON object at the top level, found an array"
        );
    }

    #[test]
    fn forced_format_wins_over_detection() {
        // Looks like aws-exports (an `aws_` key), read as v6 because the attribute says so.
        let text = r#"{"aws_project_region": "us-east-1",
                       "API": {"REST": {"a": {"endpoint": "https://a.example.com"}}}}"#;
        assert_eq!(load(text, None).unwrap().endpoints.len(), 0);
        let v6 = load(text, Some(Format::ConfigureV6)).unwrap();
        assert_eq!(v6.format, Format::ConfigureV6);
        assert_eq!(v6.endpoints[0].name.value, "a");
    }
}
