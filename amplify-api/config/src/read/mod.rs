//! Reading an Amplify config file: its text ([`source`]), its format ([`detect`], or forced by
//! `format = "..."`), and one reader per format, all producing the same [`RawConfig`] (the
//! entries as written, each with its JSON path). Checking and normalizing them is
//! [`crate::model`]'s job.

mod aws_exports;
mod configure_v5;
mod configure_v6;
pub(crate) mod detect;
pub(crate) mod diagnostics;
mod js;
pub(crate) mod json;
mod native;
mod outputs;
pub(crate) mod source;

use diagnostics::{ConfigError, Located, Problems};
use json::{Json, Node, Value};

/// The config formats Amplify clients read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
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
    pub const ALL: [Format; 5] = [
        Format::AwsExports,
        Format::ConfigureV5,
        Format::ConfigureV6,
        Format::Native,
        Format::Outputs,
    ];

    /// Where this format keeps REST endpoints.
    pub fn rest_section(self) -> &'static str {
        match self {
            Format::AwsExports => "aws_cloud_logic_custom",
            Format::ConfigureV5 => "API.endpoints",
            Format::ConfigureV6 => "API.REST",
            Format::Native => "api.plugins.awsAPIPlugin",
            Format::Outputs => "custom.API` or `rest_api",
        }
    }

    /// The name `format = "..."` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::AwsExports => "aws-exports",
            Format::ConfigureV5 => "v5",
            Format::ConfigureV6 => "v6",
            Format::Native => "native",
            Format::Outputs => "gen2",
        }
    }

    /// What the format is, for messages and docs.
    pub fn describe(self) -> &'static str {
        match self {
            Format::AwsExports => "aws-exports (Gen 1 JavaScript, `aws_cloud_logic_custom`)",
            Format::ConfigureV5 => "Amplify.configure v5 (`API.endpoints`)",
            Format::ConfigureV6 => "Amplify.configure v6 (`API.REST`)",
            Format::Native => "native amplifyconfiguration.json (`api.plugins.awsAPIPlugin`)",
            Format::Outputs => "Gen 2 amplify_outputs.json (`custom.API`, `rest_api`)",
        }
    }

    /// The format named `name`, as `format = "..."` spells it.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The accepted names, quoted, for "expected one of" messages.
    pub fn names_list() -> String {
        Format::ALL
            .iter()
            .map(|f| format!("\"{}\"", f.name()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One REST endpoint as the config writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawEndpoint {
    /// The Amplify API name (what `API.get(apiName, ...)` takes).
    pub name: Located<String>,
    /// The endpoint URL, untouched.
    pub url: Located<String>,
    /// The entry's own region.
    pub region: Option<Located<String>>,
    /// The region of its container's entries that give none (`aws_project_region`...).
    pub fallback_region: Option<Located<String>>,
    /// Where that fallback is looked for, for "no region" messages (`None`: nowhere).
    pub fallback_keys: Option<&'static str>,
    /// The entry's own signing service.
    pub service: Option<Located<String>>,
    /// `authorizationType` (formats that have one).
    pub auth: Option<Located<String>>,
    /// `apiKey` (formats that have one).
    pub api_key: Option<Located<String>>,
    /// `signingHost`: the host signatures are for, when a proxy (CloudFront) forwards to it.
    pub signing_host: Option<Located<String>>,
    /// `signingPathPrefix`: the path the proxy puts before each request's (an origin path).
    pub signing_path_prefix: Option<Located<String>>,
    /// The Mobile Hub `paths` of an old aws-exports entry (`["/items", "/items/123"]`), each a
    /// Lambda proxy path; empty when the entry has none. Read into a route table by
    /// [`crate::routes::mobile_hub_table`].
    pub paths: Vec<Located<String>>,
}

/// An endpoint, or what may hold endpoints, that is JavaScript rather than data: an entry
/// whose name or URL is an expression, a `...spread`, a container that is a variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    /// The endpoint's name, when that much is written literally.
    pub name: Option<Located<String>>,
    /// What is an expression: `"URL"`, `"name"`, `"region"`... or `None` for a whole entry,
    /// spread or container.
    pub what: Option<&'static str>,
    /// The expression, as written, and where.
    pub expression: Located<String>,
}

/// The Cognito Identity Pool as the config writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawIdentityPool {
    /// `<region>:<uuid>`.
    pub id: Located<String>,
    /// Whether signed-out users get guest credentials.
    pub guest_access: bool,
    /// A custom Cognito Identity endpoint (v6's `identityPoolEndpoint`).
    pub endpoint: Option<Located<String>>,
}

/// What one config file says, in any format: REST endpoints, fallbacks and Cognito settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawConfig {
    /// The format it was read as (the one it looks like most, when several were merged).
    pub format: Format,
    /// Every format whose REST container was read, in [`Format::ALL`] order.
    pub formats: Vec<Format>,
    /// Its REST endpoints, in file order within each container.
    pub endpoints: Vec<RawEndpoint>,
    /// Endpoints and containers written as JavaScript expressions.
    pub unreadable: Vec<Unreadable>,
    /// What was not read, and why (GraphQL APIs, containers another `format` reads...).
    pub ignored: Vec<String>,
    /// Where the formats read keep REST endpoints, for "no REST endpoints" messages.
    pub rest_section: String,
    /// The identity pool, if the config has one.
    pub identity_pool: Option<RawIdentityPool>,
    /// The Cognito user pool id, if the config has one.
    pub user_pool_id: Option<Located<String>>,
    /// The user pool's app client id, if the config has one.
    pub user_pool_client_id: Option<Located<String>>,
}

impl RawConfig {
    /// A config of `format` with nothing in it yet.
    fn empty(format: Format) -> Self {
        RawConfig {
            format,
            formats: vec![format],
            endpoints: Vec::new(),
            unreadable: Vec::new(),
            ignored: Vec::new(),
            rest_section: format.rest_section().to_owned(),
            identity_pool: None,
            user_pool_id: None,
            user_pool_client_id: None,
        }
    }

    /// Adds what `other` read (a second container of the same file) to this one.
    fn merge(&mut self, other: RawConfig) {
        self.formats.extend(other.formats);
        self.endpoints.extend(other.endpoints);
        self.unreadable.extend(other.unreadable);
        for ignored in other.ignored {
            if !self.ignored.contains(&ignored) {
                self.ignored.push(ignored);
            }
        }
        self.rest_section = format!("{}`, `{}", self.rest_section, other.rest_section);
        self.identity_pool = self.identity_pool.take().or(other.identity_pool);
        self.user_pool_id = self.user_pool_id.take().or(other.user_pool_id);
        self.user_pool_client_id = self
            .user_pool_client_id
            .take()
            .or(other.user_pool_client_id);
    }

    /// Records that `node` (a list item, a map entry, a container) is an expression, if it is.
    fn unreadable_node(&mut self, node: &Node<'_>) -> bool {
        match node.expression() {
            Some(expression) => {
                self.unreadable.push(Unreadable {
                    name: None,
                    what: None,
                    expression,
                });
                true
            }
            None => false,
        }
    }

    /// Records the opaque members (`...spread`) of `node`, an object that may hold endpoints.
    fn unreadable_members(&mut self, node: &Node<'_>) {
        for member in node.opaque() {
            self.unreadable.push(Unreadable {
                name: None,
                what: None,
                expression: member.clone(),
            });
        }
    }
}

/// The key of an entry's signing host, in every format: not Amplify's, this crate's (for an API
/// behind CloudFront, signed for the `execute-api` host it forwards to).
pub(crate) const SIGNING_HOST_KEY: &str = "signingHost";
/// The key of an entry's signing path prefix (CloudFront's origin path), in every format.
pub(crate) const SIGNING_PATH_PREFIX_KEY: &str = "signingPathPrefix";

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
    /// The key of the Mobile Hub path list, where the format has one (aws-exports).
    pub(crate) paths: Option<&'static str>,
}

/// The keys of a REST entry in the JavaScript formats (aws-exports, `Amplify.configure` v5 and
/// v6): no authorization type or API key, every endpoint `AWS_IAM`.
pub(crate) const JS_ENTRY_KEYS: EntryKeys = EntryKeys {
    url: "endpoint",
    region: "region",
    service: Some("service"),
    auth: None,
    api_key: None,
    paths: None,
};

/// The region entries of one container fall back to, and where it is looked for.
#[derive(Clone, Debug, Default)]
pub(crate) struct Fallback {
    /// The region found.
    pub(crate) region: Option<Located<String>>,
    /// The keys looked at, for messages.
    pub(crate) keys: Option<&'static str>,
}

/// The first of `keys` (paths of nested keys from `root`) that holds a string; expressions and
/// other values are skipped, as Amplify skips values that are not strings.
pub(crate) fn first_string(root: &Node<'_>, keys: &[&[&str]]) -> Option<Located<String>> {
    keys.iter().find_map(|path| {
        let mut node = root.clone();
        for key in *path {
            node = node.get(key)?;
        }
        node.as_str().ok().filter(|s| !s.value.trim().is_empty())
    })
}

/// Where an endpoint's name comes from: the key of a map entry, or an entry's `name`.
pub(crate) enum EntryName {
    /// A map entry's key.
    Key(Located<String>),
    /// The `name` member of a list item.
    Member,
}

/// Reads the endpoint entry `node`, recording its problems; an entry whose name, URL or other
/// keys are JavaScript expressions is recorded as [`Unreadable`].
pub(crate) fn read_entry(
    name: EntryName,
    node: &Node<'_>,
    keys: EntryKeys,
    fallback: &Fallback,
    problems: &mut Problems,
    config: &mut RawConfig,
) {
    if config.unreadable_node(node) {
        return;
    }
    let name = match name {
        EntryName::Key(name) => Ok(name),
        EntryName::Member => match node.get("name").and_then(|n| n.expression()) {
            Some(expression) => Err(expression),
            None => match problems.take(node.req_str("name")) {
                Some(name) => Ok(name),
                None => return,
            },
        },
    };
    if !matches!(node.value(), Value::Object(_)) {
        let name = name.map_or_else(|e| e.value, |n| n.value);
        problems.push(node.error(format!(
            "expected an object describing endpoint `{name}`, found {}",
            node.value().kind()
        )));
        return;
    }
    let name = match name {
        Ok(name) => name,
        Err(expression) => {
            config.unreadable.push(Unreadable {
                name: None,
                what: Some("name"),
                expression,
            });
            return;
        }
    };
    let fields = [
        (Some(keys.url), "URL"),
        (Some(keys.region), "region"),
        (keys.service, "signing service"),
        (keys.auth, "authorization type"),
        (keys.api_key, "API key"),
        (Some(SIGNING_HOST_KEY), "signing host"),
        (Some(SIGNING_PATH_PREFIX_KEY), "signing path prefix"),
    ];
    for (key, what) in fields {
        if let Some(expression) = key.and_then(|k| node.get(k)).and_then(|n| n.expression()) {
            config.unreadable.push(Unreadable {
                name: Some(name),
                what: Some(what),
                expression,
            });
            return;
        }
    }
    let optional = |key: Option<&str>, problems: &mut Problems| {
        key.and_then(|key| problems.take(node.opt_str(key)).flatten())
    };
    let url = problems.take(node.req_str(keys.url));
    let region = optional(Some(keys.region), problems);
    let service = optional(keys.service, problems);
    let auth = optional(keys.auth, problems);
    let api_key = optional(keys.api_key, problems);
    let signing_host = optional(Some(SIGNING_HOST_KEY), problems);
    let signing_path_prefix = optional(Some(SIGNING_PATH_PREFIX_KEY), problems);
    let paths = keys
        .paths
        .and_then(|key| node.get(key))
        .and_then(|list| problems.take(list.items()))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|item| problems.take(item.as_str()))
        .collect();
    let Some(url) = url else {
        return;
    };
    config.endpoints.push(RawEndpoint {
        name,
        url,
        region,
        fallback_region: fallback.region.clone(),
        fallback_keys: fallback.keys,
        service,
        auth,
        api_key,
        signing_host,
        signing_path_prefix,
        paths,
    });
}

/// Reads the list of entries `list` (each with a `name`), if present.
pub(crate) fn read_list(
    list: Option<Node<'_>>,
    keys: EntryKeys,
    fallback: &Fallback,
    problems: &mut Problems,
    config: &mut RawConfig,
) {
    let Some(list) = list else {
        return;
    };
    if config.unreadable_node(&list) {
        return;
    }
    for item in problems.take(list.items()).unwrap_or_default() {
        read_entry(EntryName::Member, &item, keys, fallback, problems, config);
    }
}

/// Reads the map of entries `map` (keyed by name), if present.
pub(crate) fn read_map(
    map: Option<Node<'_>>,
    keys: EntryKeys,
    fallback: &Fallback,
    problems: &mut Problems,
    config: &mut RawConfig,
) {
    let Some(map) = map else {
        return;
    };
    if config.unreadable_node(&map) {
        return;
    }
    config.unreadable_members(&map);
    for (name, entry) in problems.take(map.members()).unwrap_or_default() {
        let name = entry.key_located(name.to_owned());
        read_entry(
            EntryName::Key(name),
            &entry,
            keys,
            fallback,
            problems,
            config,
        );
    }
}

/// Reads `root` as `format`.
fn read_as(format: Format, root: &Node<'_>) -> Result<RawConfig, Vec<ConfigError>> {
    match format {
        Format::AwsExports => aws_exports::read(root),
        Format::ConfigureV5 => configure_v5::read(root),
        Format::ConfigureV6 => configure_v6::read(root),
        Format::Native => native::read(root),
        Format::Outputs => outputs::read(root),
    }
}

/// Reads a config file's text as `forced`, or — when no format is given — reads every REST
/// container it has (Amplify v3–v5 apps mix `aws_*` keys with `API.endpoints`) and merges them.
pub fn load(text: &str, forced: Option<Format>) -> Result<RawConfig, Vec<ConfigError>> {
    let json = source::parse(text).map_err(|e| vec![e])?;
    load_json(&json, forced)
}

/// The endpoint names of a file [`load`] refuses, as far as they can be read (a missing comma
/// is skipped over; a file whose shape is wrong yields none): for code generation that keeps
/// every accessor the file names while the one error about the file is reported.
pub fn endpoint_names(text: &str, forced: Option<Format>) -> Vec<String> {
    let Ok(json) = source::parse_lenient(text) else {
        return Vec::new();
    };
    let Ok(config) = load_json(&json, forced) else {
        return Vec::new();
    };
    let literal = config.endpoints.iter().map(|e| e.name.value.clone());
    let unreadable = config.unreadable.iter().filter_map(|u| u.name.as_ref());
    literal.chain(unreadable.map(|n| n.value.clone())).collect()
}

/// [`load`] from the parsed tree.
fn load_json(json: &Json, forced: Option<Format>) -> Result<RawConfig, Vec<ConfigError>> {
    if !matches!(json.value, Value::Object(_)) {
        return Err(vec![ConfigError::whole(format!(
            "expected an object at the top level, found {}",
            json.value.kind()
        ))]);
    }
    let root = Node::root(json);
    let present: Vec<Format> = Format::ALL
        .into_iter()
        .filter(|f| detect::has_container(&root, *f))
        .collect();
    let (primary, formats) = match forced {
        Some(format) => (format, vec![format]),
        None if present.is_empty() => match detect::detect(&root) {
            Ok(format) => (format, vec![format]),
            // `{...awsExports}`: what it spreads is reported, not the shape.
            Err(_) if !root.opaque().is_empty() => (Format::AwsExports, Vec::new()),
            Err(e) => return Err(vec![e]),
        },
        None => {
            let looks_like = detect::detect(&root).ok().filter(|f| present.contains(f));
            (looks_like.unwrap_or(present[0]), present.clone())
        }
    };
    let mut errors = Vec::new();
    let mut merged: Option<RawConfig> = None;
    // The primary format first, so its Cognito settings win.
    let order = std::iter::once(primary).chain(formats.iter().copied().filter(|f| *f != primary));
    for format in order {
        match read_as(format, &root) {
            Ok(config) => match &mut merged {
                Some(merged) => merged.merge(config),
                None => merged = Some(config),
            },
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut config = merged.unwrap_or_else(|| RawConfig::empty(primary));
    config.format = primary;
    config
        .formats
        .sort_by_key(|f| Format::ALL.iter().position(|a| a == f));
    config.unreadable_members(&root);
    if let Some(api) = root.get("API") {
        config.unreadable_members(&api);
    }
    if forced.is_some() {
        for other in present.into_iter().filter(|f| *f != primary) {
            config.ignored.push(format!(
                "`{}` (not read: `format = \"{}\"` reads only `{}`; `format = \"{}\"` reads \
                 it, and without `format` every container is read)",
                other.rest_section(),
                primary.name(),
                primary.rest_section(),
                other.name()
            ));
        }
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_names_of_a_file_with_a_missing_comma() {
        let text = r#"{"aws_cloud_logic_custom": [
            {"name": "todoApi", "endpoint": "https://a.example.com" "region": "us-east-1"},
            {"name": "js", "endpoint": process.env.URL}]}"#;
        assert!(load(text, None).is_err());
        assert_eq!(endpoint_names(text, None), ["todoApi", "js"]);
        assert!(endpoint_names("{", None).is_empty());
    }

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
            "expected an object at the top level, found an array"
        );
    }

    #[test]
    fn every_container_is_read_unless_a_format_is_forced() {
        // Flat `aws_` keys and `API.REST`: both read, merged.
        let text = r#"{"aws_project_region": "us-east-1",
                       "aws_cloud_logic_custom": [{"name": "b", "endpoint": "https://b.example.com"}],
                       "API": {"REST": {"a": {"endpoint": "https://a.example.com"}}}}"#;
        let merged = load(text, None).unwrap();
        assert_eq!(merged.format, Format::AwsExports);
        assert_eq!(merged.formats, [Format::AwsExports, Format::ConfigureV6]);
        let names: Vec<&str> = merged
            .endpoints
            .iter()
            .map(|e| e.name.value.as_str())
            .collect();
        assert_eq!(names, ["b", "a"]);
        assert!(merged.ignored.is_empty());
        // Forced: one reader, and what it left is said, with the format that reads it.
        let v6 = load(text, Some(Format::ConfigureV6)).unwrap();
        assert_eq!(v6.format, Format::ConfigureV6);
        assert_eq!(v6.endpoints.len(), 1);
        assert_eq!(v6.endpoints[0].name.value, "a");
        assert_eq!(
            v6.ignored,
            [
                "`aws_cloud_logic_custom` (not read: `format = \"v6\"` reads only `API.REST`; \
              `format = \"aws-exports\"` reads it, and without `format` every container is read)"
            ]
        );
    }
}
