//! The normalized model every config format becomes: endpoints with everything needed to sign
//! for them (URL, region, service, auth mode) and their Rust names, and the identity pool.
//! Normalizes what is safe (whitespace, trailing slashes, regions from hosts) and rejects the
//! rest with the JSON path of the value at fault.

use std::collections::HashMap;

use crate::auth_mode::AuthMode;
use crate::names;
use crate::read::diagnostics::{ConfigError, Located, Problems};
use crate::read::{Format, RawConfig, RawEndpoint, RawIdentityPool, Unreadable};
use crate::signing_scope;

/// The signing service of endpoints whose host names none and whose entry gives none.
const DEFAULT_SERVICE: &str = "execute-api";

/// One REST endpoint, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The Amplify name, exactly as in the config.
    pub name: String,
    /// The snake_case Rust name (accessor and module); empty with [`Options::without_rust_names`].
    pub ident: String,
    /// The UpperCamelCase Rust name (enum variant); empty with [`Options::without_rust_names`].
    pub variant: String,
    /// The URL, trimmed, without a trailing `/` (as the runtime resolves it).
    pub url: String,
    /// The region requests are signed for.
    pub region: String,
    /// The service requests are signed for.
    pub service: String,
    /// How requests are authorized.
    pub auth: AuthMode,
    /// The API key for `API_KEY` endpoints.
    pub api_key: Option<String>,
    /// The host requests are signed for instead of the URL's (`signingHost`), as
    /// `host[:port]`, lower-cased.
    pub signing_host: Option<String>,
    /// The path put before each request's path in the signature (`signingPathPrefix`).
    pub signing_path_prefix: Option<String>,
}

/// The Cognito Identity Pool, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityPool {
    /// `<region>:<uuid>`.
    pub id: String,
    /// The region before the `:`, where Cognito is called.
    pub region: String,
    /// Whether signed-out users get guest credentials.
    pub guest_access: bool,
    /// A custom Cognito Identity endpoint.
    pub endpoint: Option<String>,
}

/// What the generated client is made from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Model {
    /// The format the config was read as.
    pub format: Format,
    /// The REST endpoints, in file order; never empty.
    pub endpoints: Vec<Endpoint>,
    /// The identity pool, if the config has one.
    pub identity_pool: Option<IdentityPool>,
    /// The Cognito user pool id (the key of `Logins`), if the config has one.
    pub user_pool_id: Option<String>,
    /// The user pool's app client id (for sign-in), if the config has one.
    pub user_pool_client_id: Option<String>,
}

/// The value trimmed, or `None` if that leaves nothing.
fn non_empty(value: Option<&Located<String>>) -> Option<Located<String>> {
    value.and_then(|v| {
        let trimmed = v.value.trim();
        (!trimmed.is_empty()).then(|| Located {
            value: trimmed.to_owned(),
            path: v.path.clone(),
            pos: v.pos,
        })
    })
}

/// `region` if it is a region name.
fn checked_region(region: Located<String>) -> Result<String, ConfigError> {
    if signing_scope::is_region(&region.value) {
        Ok(region.value)
    } else {
        Err(ConfigError::located(
            &region,
            format!(
                "`{}` is not an AWS region name (like `us-east-1`)",
                region.value
            ),
        ))
    }
}

/// The parsed URL and its normalized text: trimmed, `http(s)`, with a host, no query, fragment
/// or user info, without trailing `/` (what the runtime's `parse_base_url` accepts and
/// `ResolvedEndpoint` keeps).
fn checked_url(raw: &Located<String>, what: &str) -> Result<(url::Url, String), ConfigError> {
    let error = |message: String| ConfigError::located(raw, message);
    let trimmed = raw.value.trim();
    if trimmed.is_empty() {
        return Err(error(format!("the {what} URL is empty")));
    }
    let url = url::Url::parse(trimmed)
        .map_err(|e| error(format!("`{trimmed}` is not a valid URL: {e}")))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(error(format!(
            "`{trimmed}` has scheme `{}`; expected https",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(error(format!("`{trimmed}` has no host")));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(error(format!(
            "`{trimmed}` has a query, fragment or user name; an endpoint URL is scheme, host \
             and an optional path"
        )));
    }
    let normalized = url.as_str().trim_end_matches('/').to_owned();
    Ok((url, normalized))
}

/// Checks one endpoint; its names are checked against the others later.
fn endpoint(raw: &RawEndpoint, renames: Option<&names::Renames>) -> Result<Endpoint, ConfigError> {
    let name = raw.name.value.clone();
    let ident = match renames {
        Some(renames) => renames
            .snake_ident(&name)
            .map_err(|e| ConfigError::located(&raw.name, e))?,
        None => String::new(),
    };
    let (url, url_text) = checked_url(&raw.url, "endpoint")?;
    let signing_host = non_empty(raw.signing_host.as_ref())
        .map(|host| {
            signing_scope::checked_signing_host(&host.value)
                .map(|(name, port)| match port {
                    Some(port) => format!("{name}:{port}"),
                    None => name,
                })
                .map_err(|e| ConfigError::located(&host, e))
        })
        .transpose()?;
    let signing_path_prefix = non_empty(raw.signing_path_prefix.as_ref())
        .map(|prefix| match signing_host {
            None => Err(ConfigError::located(
                &prefix,
                format!("endpoint `{name}` has a `signingPathPrefix` but no `signingHost`"),
            )),
            Some(_) => signing_scope::checked_path_prefix(&prefix.value)
                .map_err(|e| ConfigError::located(&prefix, e)),
        })
        .transpose()?;
    let host = match &signing_host {
        // The scope comes from the host signatures are for; its port says nothing.
        Some(signing) => signing
            .rsplit_once(':')
            .map_or(signing.as_str(), |(h, _)| h),
        None => url.host_str().unwrap_or_default(),
    };
    let (service, region) = match signing_scope::infer_signing_scope(host) {
        Some((service, region)) => (service.to_owned(), region.to_owned()),
        None => {
            let service = non_empty(raw.service.as_ref())
                .map_or_else(|| DEFAULT_SERVICE.to_owned(), |s| s.value);
            let region = non_empty(raw.region.as_ref())
                .or_else(|| non_empty(raw.fallback_region.as_ref()))
                .ok_or_else(|| no_region(raw, host))?;
            (service, checked_region(region)?)
        }
    };
    let auth = match non_empty(raw.auth.as_ref()) {
        None => AuthMode::AwsIam,
        Some(auth) => auth
            .value
            .parse::<AuthMode>()
            .map_err(|e| ConfigError::located(&auth, e.to_string()))?,
    };
    Ok(Endpoint {
        variant: if renames.is_some() {
            names::camel_ident(&ident)
        } else {
            String::new()
        },
        ident,
        name,
        url: url_text,
        region,
        service,
        auth,
        api_key: non_empty(raw.api_key.as_ref()).map(|k| k.value),
        signing_host,
        signing_path_prefix,
    })
}

/// The error for an endpoint whose region cannot be found, saying where it could be given.
fn no_region(raw: &RawEndpoint, host: &str) -> ConfigError {
    let fallback = match raw.fallback_keys {
        Some(keys) => format!(", and the config has no {keys}"),
        None => String::new(),
    };
    ConfigError::located(
        &raw.name,
        format!(
            "no region to sign requests to endpoint `{}` for: its host `{host}` names none \
             (only `*.execute-api.<region>.amazonaws.com` and Lambda hosts do), the entry has \
             no region{fallback}; add the region (like \"us-east-1\") to the entry",
            raw.name.value
        ),
    )
}

/// Checks the identity pool.
fn identity_pool(raw: &RawIdentityPool) -> Result<Option<IdentityPool>, ConfigError> {
    // Amplify treats an empty id as no identity pool.
    let Some(id) = non_empty(Some(&raw.id)) else {
        return Ok(None);
    };
    let region = match id.value.split_once(':') {
        Some((region, rest)) if signing_scope::is_region(region) && !rest.is_empty() => region,
        _ => {
            return Err(ConfigError::located(
                &id,
                format!(
                    "`{}` is not a Cognito identity pool id (`<region>:<uuid>`)",
                    id.value
                ),
            ));
        }
    };
    let endpoint = match non_empty(raw.endpoint.as_ref()) {
        Some(endpoint) => Some(checked_url(&endpoint, "identity pool endpoint")?.1),
        None => None,
    };
    Ok(Some(IdentityPool {
        region: region.to_owned(),
        id: id.value.clone(),
        guest_access: raw.guest_access,
        endpoint,
    }))
}

/// Two endpoints with one name, or with names that become one Rust name.
///
/// Each endpoint is compared with the first earlier one of the same name, else the first earlier
/// one with the same Rust name, through maps of first occurrences: linear in the number of
/// endpoints (comparing every pair took a fifth of the macro's time at 2,000 endpoints).
fn check_unique<'a>(
    endpoints: Vec<(Endpoint, &'a RawEndpoint)>,
    problems: &mut Problems,
) -> Vec<(Endpoint, &'a RawEndpoint)> {
    let mut names: HashMap<String, usize> = HashMap::with_capacity(endpoints.len());
    let mut idents: HashMap<String, usize> = HashMap::with_capacity(endpoints.len());
    let mut variants: HashMap<String, usize> = HashMap::with_capacity(endpoints.len());
    let mut kept: Vec<(Endpoint, &RawEndpoint)> = Vec::with_capacity(endpoints.len());
    for (endpoint, raw) in endpoints {
        if let Some(&first) = names.get(&endpoint.name) {
            problems.push(ConfigError::located(
                &raw.name,
                format!(
                    "the endpoint name `{}` is used twice (also at {}); names must be unique",
                    endpoint.name,
                    kept[first].1.name.place()
                ),
            ));
            continue;
        }
        // The form that collides: the accessor/module name, else the enum variant (none
        // without Rust names).
        let clash = match (idents.get(&endpoint.ident), variants.get(&endpoint.variant)) {
            _ if endpoint.ident.is_empty() => None,
            (Some(&j), _) => Some((j, format!("the accessor `{}()`", endpoint.ident))),
            (None, Some(&j)) => Some((j, format!("the enum variant `{}`", endpoint.variant))),
            (None, None) => None,
        };
        if let Some((j, form)) = clash {
            let (other, other_raw) = &kept[j];
            problems.push(ConfigError::located(
                &raw.name,
                format!(
                    "the endpoints `{}` (at {}) and `{}` both become {form} in Rust; give one \
                     another Rust name with `rename = {{ {:?} = \"rust_name\" }}`",
                    other.name,
                    other_raw.name.place(),
                    endpoint.name,
                    endpoint.name
                ),
            ));
            continue;
        }
        names.insert(endpoint.name.clone(), kept.len());
        idents.insert(endpoint.ident.clone(), kept.len());
        variants.insert(endpoint.variant.clone(), kept.len());
        kept.push((endpoint, raw));
    }
    kept
}

impl Unreadable {
    /// Why this JavaScript cannot be read, quoting it, with the way out (an environment
    /// variable, `.endpoint_url`, a literal): the error `build_partial` reports for it when
    /// code needs it.
    pub fn error(&self) -> ConfigError {
        unreadable_error(self)
    }
}

/// The error for an endpoint, or what may hold endpoints, that is JavaScript: it quotes the
/// expression and says how to give the value instead.
fn unreadable_error(u: &Unreadable) -> ConfigError {
    let expression = &u.expression.value;
    let cannot = "which `#[api_client]` cannot evaluate at compile time";
    let message = match (&u.name, u.what) {
        (Some(name), Some("URL")) => format!(
            "the URL of endpoint `{name}` is the JavaScript expression `{expression}`, {cannot}; \
             write the URL as a string here (the deployed one), and change it at run time with \
             the `{var}` environment variable or the builder's \
             `.endpoint_url(\"{name}\", url)`",
            name = name.value,
            var = names::endpoint_url_env_var(&name.value),
        ),
        (Some(name), Some(what)) => format!(
            "the {what} of endpoint `{}` is the JavaScript expression `{expression}`, {cannot}; \
             write it as a string here",
            name.value
        ),
        (None, Some(what)) => format!(
            "an endpoint's {what} is the JavaScript expression `{expression}`, {cannot}; write \
             the name as a string here (then its URL can still come from the \
             `AMPLIFY_API_<NAME>_URL` environment variable at run time)"
        ),
        (_, None) => format!(
            "`{expression}` is JavaScript, {cannot} or follow into another file; the endpoints \
             it holds are not read: point `config = \"...\"` at the file that defines them \
             (`aws-exports.js`...), or write them here as literals"
        ),
    };
    ConfigError::located(&u.expression, message)
}

/// Errors for the JavaScript in the config that the code needs: every piece when the file
/// defines no endpoint literally, else the entries named in `needed`, and the pieces that may
/// hold a needed name the file does not define. Other expressions are ignored.
fn check_unreadable(raw: &RawConfig, needed: &[String], problems: &mut Problems) {
    if raw.endpoints.is_empty() {
        raw.unreadable
            .iter()
            .for_each(|u| problems.push(unreadable_error(u)));
        return;
    }
    let defined = |name: &str| raw.endpoints.iter().any(|e| e.name.value == name);
    let missing = needed.iter().any(|n| !defined(n));
    for u in &raw.unreadable {
        let needed_here = match &u.name {
            Some(name) => needed.contains(&name.value),
            None => missing,
        };
        if needed_here {
            problems.push(unreadable_error(u));
        }
    }
}

/// How [`Model::from_text`] names and checks endpoints.
#[derive(Debug, Default)]
pub struct Options {
    /// Rust names given to endpoints instead of the derived ones (`rename = {...}`).
    pub renames: names::Renames,
    /// Endpoint names the caller relies on: JavaScript values in the config are an error only
    /// where they may hide one of these (or where the config defines no endpoint literally).
    pub needed: Vec<String>,
    /// Skip Rust names (for run-time use): [`Endpoint::ident`] and [`Endpoint::variant`] are
    /// left empty, and names without a Rust form (`日本`) or that share one are no error.
    pub without_rust_names: bool,
}

impl Model {
    /// Reads a config file's text (as `format`, or every REST container it has when `None`)
    /// and checks it into the model; every problem found, each with its JSON path and
    /// line:column (render them with [`ConfigError::render`]).
    ///
    /// ```
    /// use amplify_api_config::{Model, Options};
    /// let text = r#"{"API": {"REST": {"itemsApi": {
    ///     "endpoint": "https://abc.execute-api.eu-west-1.amazonaws.com/dev"}}}}"#;
    /// let model = Model::from_text(text, None, &Options::default()).unwrap();
    /// assert_eq!(model.endpoints[0].name, "itemsApi");
    /// assert_eq!(model.endpoints[0].region, "eu-west-1");
    /// assert_eq!(model.endpoints[0].ident, "items_api");
    /// ```
    pub fn from_text(
        text: &str,
        format: Option<Format>,
        options: &Options,
    ) -> Result<Model, Vec<ConfigError>> {
        let raw = crate::read::load(text, format)?;
        let renames = (!options.without_rust_names).then_some(&options.renames);
        let (model, errors) = build_with(&raw, renames, &options.needed);
        if errors.is_empty() {
            Ok(model)
        } else {
            Err(errors)
        }
    }

    /// The endpoint named `name` (its Amplify name).
    pub fn endpoint(&self, name: &str) -> Option<&Endpoint> {
        self.endpoints.iter().find(|e| e.name == name)
    }
}

/// Checks and normalizes a raw config into the model, for code that names no endpoint it needs.
#[cfg(test)]
pub(crate) fn build(raw: &RawConfig) -> Result<Model, Vec<ConfigError>> {
    let (model, errors) = build_partial(raw, &names::Renames::default(), &[]);
    if errors.is_empty() {
        Ok(model)
    } else {
        Err(errors)
    }
}

/// The model of everything in `raw` that checks out (endpoints with `renames` applied; of two
/// that clash, the first), and the problems with the rest. `needed` are the names the code
/// relies on (`endpoints = [...]`), which decide whether JavaScript in the config is an error.
pub fn build_partial(
    raw: &RawConfig,
    renames: &names::Renames,
    needed: &[String],
) -> (Model, Vec<ConfigError>) {
    build_with(raw, Some(renames), needed)
}

/// [`build_partial`], with Rust names from `renames`, or none.
fn build_with(
    raw: &RawConfig,
    renames: Option<&names::Renames>,
    needed: &[String],
) -> (Model, Vec<ConfigError>) {
    let mut problems = Problems::default();
    if raw.endpoints.is_empty() && raw.unreadable.is_empty() {
        let ignored = if raw.ignored.is_empty() {
            String::new()
        } else {
            format!(" (it has only {})", raw.ignored.join(", "))
        };
        problems.push(ConfigError::whole(format!(
            "no REST endpoints: read as {}, the file has none under `{}`{ignored}; \
             `#[api_client]` needs at least one",
            raw.format.describe(),
            raw.rest_section,
        )));
    }
    check_unreadable(raw, needed, &mut problems);
    let checked: Vec<(Endpoint, &RawEndpoint)> = raw
        .endpoints
        .iter()
        .filter_map(|e| {
            problems
                .take(endpoint(e, renames))
                .map(|checked| (checked, e))
        })
        .collect();
    let checked = check_unique(checked, &mut problems);
    let identity_pool = match &raw.identity_pool {
        Some(pool) => problems.take(identity_pool(pool)).flatten(),
        None => None,
    };
    let model = Model {
        format: raw.format,
        endpoints: checked.into_iter().map(|(e, _)| e).collect(),
        identity_pool,
        user_pool_id: non_empty(raw.user_pool_id.as_ref()).map(|u| u.value),
        user_pool_client_id: non_empty(raw.user_pool_client_id.as_ref()).map(|u| u.value),
    };
    let errors = problems.finish(()).err().unwrap_or_default();
    (model, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read as config;

    fn model(text: &str) -> Result<Model, Vec<String>> {
        let raw = config::load(text, None).map_err(|e| to_strings(&e))?;
        build(&raw).map_err(|e| to_strings(&e))
    }

    fn to_strings(errors: &[ConfigError]) -> Vec<String> {
        errors.iter().map(ToString::to_string).collect()
    }

    fn aws_exports(project_region: Option<&str>, entries: &str) -> String {
        let region = project_region
            .map(|r| format!(r#""aws_project_region": "{r}","#))
            .unwrap_or_default();
        format!(r#"{{ {region} "aws_cloud_logic_custom": [{entries}] }}"#)
    }

    #[test]
    fn normalizes_urls_and_infers_scope_from_hosts() {
        let m = model(&aws_exports(
            Some("eu-west-1"),
            r#"{"name": "a", "endpoint": "  https://abc.execute-api.us-west-2.amazonaws.com/dev/ ", "region": "eu-central-1", "service": "x"},
               {"name": "b", "endpoint": "https://lambda.ap-south-1.amazonaws.com/2015-03-31/functions/f/invocations"},
               {"name": "c", "endpoint": "https://xyz.lambda-url.ca-central-1.on.aws/"},
               {"name": "d", "endpoint": "https://API.Example.com/v1/", "region": "eu-north-1", "service": "lambda"},
               {"name": "e", "endpoint": "https://api.example.com"}"#,
        ))
        .unwrap();
        let facts: Vec<(&str, &str, &str)> = m
            .endpoints
            .iter()
            .map(|e| (e.url.as_str(), e.region.as_str(), e.service.as_str()))
            .collect();
        assert_eq!(
            facts,
            [
                // The host wins over the entry's region and service, as in the runtime.
                (
                    "https://abc.execute-api.us-west-2.amazonaws.com/dev",
                    "us-west-2",
                    "execute-api"
                ),
                (
                    "https://lambda.ap-south-1.amazonaws.com/2015-03-31/functions/f/invocations",
                    "ap-south-1",
                    "lambda"
                ),
                (
                    "https://xyz.lambda-url.ca-central-1.on.aws",
                    "ca-central-1",
                    "lambda"
                ),
                // Custom domains: the entry's region and service; the host lower-cased.
                ("https://api.example.com/v1", "eu-north-1", "lambda"),
                // ... or the project region and `execute-api`.
                ("https://api.example.com", "eu-west-1", "execute-api"),
            ]
        );
        assert!(m.endpoints.iter().all(|e| e.auth == AuthMode::AwsIam));
    }

    #[test]
    fn no_region_is_an_error_that_says_where_to_add_one() {
        let errors = model(&aws_exports(
            None,
            r#"{"name": "custom", "endpoint": "https://api.example.com/prod"}"#,
        ))
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("at `aws_cloud_logic_custom[0].name`: no region to sign"),
            "{}",
            errors[0]
        );
        assert!(errors[0].contains("the config has no `aws_project_region`"));
        let v6 = model(r#"{"API": {"REST": {"a": {"endpoint": "https://api.example.com"}}}}"#)
            .unwrap_err();
        assert!(v6[0].contains("the entry has no region; add"), "{}", v6[0]);
        // A blank region is no region; a malformed one is named.
        let errors = model(&aws_exports(
            Some("us-east-1"),
            r#"{"name": "a", "endpoint": "https://api.example.com", "region": "  "},
               {"name": "b", "endpoint": "https://api.example.com", "region": "US East"}"#,
        ))
        .unwrap_err();
        assert_eq!(
            errors,
            [
                "at `aws_cloud_logic_custom[1].region`: `US East` is not an AWS region name (like `us-east-1`)"
            ]
        );
    }

    #[test]
    fn bad_urls_are_errors_at_their_path() {
        let errors = model(&aws_exports(
            Some("us-east-1"),
            r#"{"name": "a", "endpoint": ""},
               {"name": "b", "endpoint": "abc.execute-api.us-east-1.amazonaws.com/dev"},
               {"name": "c", "endpoint": "ftp://files.example.com"},
               {"name": "d", "endpoint": "https://api.example.com/dev?stage=1"},
               {"name": "e", "endpoint": "https://user@api.example.com"}"#,
        ))
        .unwrap_err();
        assert_eq!(errors.len(), 5, "{errors:#?}");
        assert_eq!(
            errors[0],
            "at `aws_cloud_logic_custom[0].endpoint`: the endpoint URL is empty"
        );
        assert!(errors[1].contains("is not a valid URL: relative URL without a base"));
        assert!(errors[2].contains("has scheme `ftp`"));
        assert!(errors[3].contains("query"));
        assert!(errors[4].contains("user name"));
    }

    #[test]
    fn signing_hosts_give_the_scope_and_bad_ones_are_errors_at_their_path() {
        let m = model(&aws_exports(
            Some("us-east-1"),
            r#"{"name": "cf", "endpoint": "https://api.example.com", "region": "us-east-1",
                "signingHost": " ABC.execute-api.eu-west-1.amazonaws.com ", "signingPathPrefix": "/prod/"},
               {"name": "plain", "endpoint": "https://api.example.com"}"#,
        ))
        .unwrap();
        let cf = &m.endpoints[0];
        assert_eq!(
            cf.signing_host.as_deref(),
            Some("abc.execute-api.eu-west-1.amazonaws.com")
        );
        assert_eq!(cf.signing_path_prefix.as_deref(), Some("/prod"));
        // The scope is the signing host's, not the entry's region.
        assert_eq!(
            (cf.region.as_str(), cf.service.as_str()),
            ("eu-west-1", "execute-api")
        );
        assert_eq!(m.endpoints[1].signing_host, None);

        let errors = model(&aws_exports(
            Some("us-east-1"),
            r#"{"name": "a", "endpoint": "https://a.example.com", "signingHost": "https://x.example.com"},
               {"name": "b", "endpoint": "https://b.example.com", "signingPathPrefix": "/prod"},
               {"name": "c", "endpoint": "https://c.example.com", "signingHost": "x.example.com", "signingPathPrefix": "prod"}"#,
        ))
        .unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:#?}");
        assert!(
            errors[0].starts_with("at `aws_cloud_logic_custom[0].signingHost`: `https://x.example.com` is not a signing host"),
            "{}",
            errors[0]
        );
        assert!(
            errors[1].starts_with("at `aws_cloud_logic_custom[1].signingPathPrefix`: endpoint `b` has a `signingPathPrefix` but no `signingHost`"),
            "{}",
            errors[1]
        );
        assert!(errors[2].contains("must start with `/`"), "{}", errors[2]);
    }

    #[test]
    fn auth_modes_and_api_keys() {
        let m = model(
            r#"{"api": {"plugins": {"awsAPIPlugin": {
                 "k": {"endpointType": "REST", "endpoint": "https://k.example.com", "region": "us-east-1",
                       "authorizationType": "API_KEY", "apiKey": " da2-key "},
                 "n": {"endpointType": "REST", "endpoint": "https://n.example.com", "region": "us-east-1",
                       "authorizationType": "NONE"},
                 "l": {"endpointType": "REST", "endpoint": "https://l.example.com", "region": "us-east-1",
                       "authorizationType": "LAMBDA"}}}}}"#,
        )
        .unwrap();
        let modes: Vec<(AuthMode, Option<&str>)> = m
            .endpoints
            .iter()
            .map(|e| (e.auth, e.api_key.as_deref()))
            .collect();
        assert_eq!(
            modes,
            [
                (AuthMode::ApiKey, Some("da2-key")),
                (AuthMode::None, None),
                (AuthMode::AwsLambda, None)
            ]
        );
        let errors = model(
            r#"{"api": {"plugins": {"awsAPIPlugin": {
                 "k": {"endpointType": "REST", "endpoint": "https://k.example.com", "region": "us-east-1",
                       "authorizationType": "IAM"}}}}}"#,
        )
        .unwrap_err();
        assert_eq!(
            errors,
            [
                "at `api.plugins.awsAPIPlugin.k.authorizationType`: unknown authorization type `IAM`; \
              expected one of AWS_IAM, API_KEY, AMAZON_COGNITO_USER_POOLS, OPENID_CONNECT, AWS_LAMBDA, NONE"
            ]
        );
    }

    #[test]
    fn duplicate_and_colliding_names_name_both_entries() {
        let errors = model(&aws_exports(
            Some("us-east-1"),
            r#"{"name": "items", "endpoint": "https://a.example.com"},
               {"name": "my-api", "endpoint": "https://b.example.com"},
               {"name": "items", "endpoint": "https://c.example.com"},
               {"name": "myApi", "endpoint": "https://d.example.com"},
               {"name": "", "endpoint": "https://e.example.com"}"#,
        ))
        .unwrap_err();
        assert_eq!(
            errors,
            [
                "at `aws_cloud_logic_custom[4].name`: an endpoint name is empty",
                "at `aws_cloud_logic_custom[2].name`: the endpoint name `items` is used twice \
                 (also at `aws_cloud_logic_custom[0].name` (1:74)); names must be unique",
                "at `aws_cloud_logic_custom[3].name`: the endpoints `my-api` (at \
                 `aws_cloud_logic_custom[1].name` (2:25)) and `myApi` both become the accessor \
                 `my_api()` in Rust; give one another Rust name with `rename = { \"myApi\" = \
                 \"rust_name\" }`",
            ]
        );
    }

    #[test]
    fn a_collision_names_the_form_that_collides_and_keeps_the_first() {
        // `a1` and `a_1` are two accessors but one enum variant, `A1`.
        let raw = config::load(
            &aws_exports(
                Some("us-east-1"),
                r#"{"name": "a1", "endpoint": "https://a.example.com"},
                   {"name": "a_1", "endpoint": "https://b.example.com"},
                   {"name": "日本", "endpoint": "https://c.example.com"}"#,
            ),
            None,
        )
        .unwrap();
        let (model, errors) = build_partial(&raw, &names::Renames::default(), &[]);
        let errors = to_strings(&errors);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains("no ASCII letters"), "{errors:?}");
        assert!(
            errors[1].contains("both become the enum variant `A1` in Rust"),
            "{errors:?}"
        );
        let kept: Vec<&str> = model.endpoints.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(kept, ["a1"]);
        // Renames are the way out of both.
        let renames = names::Renames::new([
            ("a_1".to_owned(), "a_one".to_owned()),
            ("日本".to_owned(), "japan".to_owned()),
        ]);
        let (model, errors) = build_partial(&raw, &renames, &[]);
        assert!(errors.is_empty(), "{:?}", to_strings(&errors));
        let idents: Vec<(&str, &str)> = model
            .endpoints
            .iter()
            .map(|e| (e.ident.as_str(), e.variant.as_str()))
            .collect();
        assert_eq!(
            idents,
            [("a1", "A1"), ("a_one", "AOne"), ("japan", "Japan")]
        );
    }

    #[test]
    fn no_rest_endpoints_says_what_was_read_and_ignored() {
        let errors = model(
            r#"{"api": {"plugins": {"awsAPIPlugin": {
                 "gql": {"endpointType": "GraphQL", "endpoint": "https://x.appsync-api.us-east-1.amazonaws.com/graphql",
                         "region": "us-east-1", "authorizationType": "API_KEY"}}}}}"#,
        )
        .unwrap_err();
        assert_eq!(
            errors,
            [
                "no REST endpoints: read as native amplifyconfiguration.json \
              (`api.plugins.awsAPIPlugin`), the file has none under `api.plugins.awsAPIPlugin` \
              (it has only `gql` (GraphQL)); `#[api_client]` needs at least one"
            ]
        );
    }

    #[test]
    fn identity_pools() {
        let m = model(
            r#"{"Auth": {"Cognito": {"identityPoolId": " eu-west-1:abc ", "allowGuestAccess": true,
                                      "identityPoolEndpoint": "http://127.0.0.1:9000/"}},
                "API": {"REST": {"a": {"endpoint": "https://a.execute-api.eu-west-1.amazonaws.com/x"}}}}"#,
        )
        .unwrap();
        assert_eq!(
            m.identity_pool,
            Some(IdentityPool {
                id: "eu-west-1:abc".into(),
                region: "eu-west-1".into(),
                guest_access: true,
                endpoint: Some("http://127.0.0.1:9000".into()),
            })
        );
        for bad in ["abc", "eu-west-1:", "EU:abc"] {
            let errors = model(&format!(
                r#"{{"aws_cognito_identity_pool_id": "{bad}", "aws_cloud_logic_custom": [
                     {{"name": "a", "endpoint": "https://a.execute-api.eu-west-1.amazonaws.com/x"}}]}}"#
            ))
            .unwrap_err();
            assert_eq!(
                errors,
                [format!(
                    "at `aws_cognito_identity_pool_id`: `{bad}` is not a Cognito identity pool id \
                     (`<region>:<uuid>`)"
                )]
            );
        }
        // An empty id is no identity pool, as in Amplify.
        let m = model(
            r#"{"aws_cognito_identity_pool_id": "", "aws_user_pools_id": "us-east-1_X", "aws_cloud_logic_custom": [
                 {"name": "a", "endpoint": "https://a.execute-api.eu-west-1.amazonaws.com/x"}]}"#,
        )
        .unwrap();
        assert_eq!(m.identity_pool, None);
        assert_eq!(m.user_pool_id.as_deref(), Some("us-east-1_X"));
    }

    #[test]
    fn rust_names_follow_the_amplify_names() {
        let m = model(&aws_exports(
            Some("us-east-1"),
            r#"{"name": "MyAPIGatewayAPI", "endpoint": "https://a.example.com"},
               {"name": "2fa", "endpoint": "https://b.example.com"},
               {"name": "type", "endpoint": "https://c.example.com"}"#,
        ))
        .unwrap();
        let idents: Vec<(&str, &str, &str)> = m
            .endpoints
            .iter()
            .map(|e| (e.name.as_str(), e.ident.as_str(), e.variant.as_str()))
            .collect();
        assert_eq!(
            idents,
            [
                ("MyAPIGatewayAPI", "my_api_gateway_api", "MyApiGatewayApi"),
                ("2fa", "_2fa", "_2fa"),
                ("type", "type_", "Type"),
            ]
        );
    }

    #[test]
    fn endpoint_url_env_var_rule() {
        // Upper case; anything but an ASCII letter or digit becomes `_` (the runtime re-exports
        // this function as `amplify_api::endpoint_url_env_var` and reads the variable).
        let cases = [
            ("my-api", "AMPLIFY_API_MY_API_URL"),
            ("todoApi", "AMPLIFY_API_TODOAPI_URL"),
            ("orders.v2", "AMPLIFY_API_ORDERS_V2_URL"),
            ("2fa", "AMPLIFY_API_2FA_URL"),
            ("Custom Domain API", "AMPLIFY_API_CUSTOM_DOMAIN_API_URL"),
            ("日本", "AMPLIFY_API____URL"),
        ];
        for (name, var) in cases {
            assert_eq!(names::endpoint_url_env_var(name), var, "{name}");
        }
    }
}
