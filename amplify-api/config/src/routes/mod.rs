//! Route tables: the paths and methods an endpoint serves, read from the files that know them —
//! an API Gateway OpenAPI 3 or Swagger 2 export ([`read_openapi`]), an Amplify Gen 1
//! `cli-inputs.json` ([`read_cli_inputs`]) and the Mobile Hub `paths` of an old aws-exports
//! ([`mobile_hub_table`]), and the REST and HTTP APIs of a synthesized CDK app or Amplify Gen 2
//! backend ([`read_cloud_assembly`]). Same JSON reader and diagnostics as the config readers: every problem
//! is a [`ConfigError`] with its JSON path and line:column.
//!
//! ```
//! use amplify_api_config::routes::{Method, read_openapi};
//! let table = read_openapi(r#"{"openapi": "3.0.1", "paths": {
//!     "/items/{id}": {"get": {"operationId": "getItem"}, "delete": {}}}}"#).unwrap();
//! let route = table.find("/items/42").unwrap();
//! assert_eq!(route.template.value, "/items/{id}");
//! assert!(route.operation(Method::Get).is_some());
//! assert!(route.operation(Method::Put).is_none());
//! ```

use std::fmt;

use heck::ToSnakeCase;

use crate::AuthMode;
use crate::read::diagnostics::{ConfigError, Located, Problems};
use crate::read::json::Value;
use crate::read::source;

mod cdk;
mod cli_inputs;
mod mobile_hub;
mod openapi;
mod security;

pub use cdk::{
    ApiKind, AssemblyError, CdkApi, CloudAssembly, is_cloud_assembly, read_cloud_assembly,
};
pub use cli_inputs::read_cli_inputs;
pub use mobile_hub::mobile_hub_table;
pub use openapi::read_openapi;

/// An HTTP method a route may allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
    /// `HEAD`.
    Head,
    /// `OPTIONS`.
    Options,
}

impl Method {
    /// Every method, in the order they are listed (what API Gateway's `ANY` allows).
    pub const ALL: [Method; 7] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Head,
        Method::Options,
    ];

    /// The method as HTTP writes it: `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }

    /// The method named `name`, in any case (`get`, `GET`).
    pub fn from_name(name: &str) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One segment of a route template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    /// Literal text: `items`.
    Literal(String),
    /// A parameter, one segment: `{id}`.
    Param(String),
    /// A greedy parameter, the rest of the path (one segment or more): `{proxy+}`.
    Greedy(String),
}

/// A JSON Schema (draft 4, as API Gateway models are) in a route file: a model the table
/// names in [`RouteTable::schemas`], or one written in place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Schema {
    /// A model of the table, by its name there (`#/definitions/Input` -> `Input`).
    Named(String),
    /// A schema written where it is used.
    Inline(serde_json::Value),
}

/// A query or header parameter an operation declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// Its name as sent (`operand1`, `x-request-id`).
    pub name: String,
    /// Whether a request without it is refused.
    pub required: bool,
    /// Its type, when the source gives one (`{"type": "integer"}`).
    pub schema: Option<Schema>,
}

/// A response an operation declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The status as the source writes it: `200`, `4XX` or `default`.
    pub status: String,
    /// Its JSON body's schema, when it has one.
    pub schema: Option<Schema>,
}

/// One method of a route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The method.
    pub method: Method,
    /// The OpenAPI `operationId`, if any.
    pub operation_id: Option<String>,
    /// Who may call it, as the source says (`cli-inputs.json` permissions); empty when the
    /// source does not say.
    pub callers: Vec<String>,
    /// How API Gateway authorizes it (`AuthorizationType`, an export's `security`); `None`
    /// when the source does not say, and the endpoint's mode applies.
    pub auth: Option<AuthMode>,
    /// Whether it needs the API key in `x-api-key` as well (`ApiKeyRequired`, `api_key`).
    pub api_key_required: bool,
    /// The query parameters it declares, in file order.
    pub query: Vec<Param>,
    /// The header parameters it declares, in file order.
    pub headers: Vec<Param>,
    /// Its JSON request body's schema, when it declares one.
    pub body: Option<Schema>,
    /// The responses it declares, in file order.
    pub responses: Vec<Response>,
}

impl Operation {
    /// The operation `method` with nothing else known about it.
    pub fn new(method: Method) -> Operation {
        Operation {
            method,
            operation_id: None,
            callers: Vec::new(),
            auth: None,
            api_key_required: false,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            responses: Vec::new(),
        }
    }
}

/// A path template and the methods it allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// The template as written (`/items/{id}`), where it is in its file.
    pub template: Located<String>,
    /// Its segments.
    pub segments: Vec<PathSegment>,
    /// Its methods, in [`Method::ALL`] order.
    pub operations: Vec<Operation>,
}

impl Route {
    /// The operation for `method`, if the route allows it.
    pub fn operation(&self, method: Method) -> Option<&Operation> {
        self.operations.iter().find(|o| o.method == method)
    }

    /// The allowed methods, comma separated: `GET, PUT`.
    pub fn methods_list(&self) -> String {
        let methods: Vec<&str> = self.operations.iter().map(|o| o.method.as_str()).collect();
        methods.join(", ")
    }

    /// The parameter names, in path order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            PathSegment::Param(p) | PathSegment::Greedy(p) => Some(p.as_str()),
            PathSegment::Literal(_) => None,
        })
    }

    /// How well the concrete path `segments` matches: `None` if it does not; else the number
    /// of literal segments matched (API Gateway prefers the route with the most).
    fn score(&self, segments: &[&str]) -> Option<usize> {
        let mut literals = 0;
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                PathSegment::Greedy(_) => return (segments.len() > i).then_some(literals),
                PathSegment::Literal(l) => {
                    if segments.get(i) != Some(&l.as_str()) {
                        return None;
                    }
                    literals += 1;
                }
                PathSegment::Param(_) => {
                    if segments.get(i).is_none_or(|s| s.is_empty()) {
                        return None;
                    }
                }
            }
        }
        (segments.len() == self.segments.len()).then_some(literals)
    }

    /// The Rust method name of the operation `op` of this route: the `operationId` in
    /// snake_case, else the method and the path (`GET /items/{id}` -> `get_items_by_id`).
    pub fn rust_name(&self, op: &Operation) -> String {
        let base = match &op.operation_id {
            Some(id) if id.chars().any(|c| c.is_ascii_alphanumeric()) => id.to_snake_case(),
            _ => {
                let mut words = vec![op.method.as_str().to_ascii_lowercase()];
                for segment in &self.segments {
                    match segment {
                        PathSegment::Literal(l) => words.push(l.to_snake_case()),
                        PathSegment::Param(p) | PathSegment::Greedy(p) => {
                            words.push(format!("by_{}", p.to_snake_case()));
                        }
                    }
                }
                if self.segments.is_empty() {
                    words.push("root".to_owned());
                }
                words.join("_")
            }
        };
        let mut ident: String = base
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        while ident.contains("__") {
            ident = ident.replace("__", "_");
        }
        let mut ident = ident.trim_matches('_').to_owned();
        if ident.starts_with(|c: char| c.is_ascii_digit()) {
            ident.insert(0, '_');
        }
        if !crate::names::is_identifier(&ident) || crate::names::is_reserved(&ident) {
            ident.push('_');
        }
        ident
    }
}

impl Route {
    /// The route `template` (`/items/{id}`) allowing `operations`, without a place in a file
    /// (what `route!` rebuilds from the table `#[api_client]` embedded); the reason when the
    /// template is malformed.
    pub fn from_template(template: &str, operations: Vec<Operation>) -> Result<Route, String> {
        Ok(Route {
            segments: parse_template(template)?,
            template: Located {
                value: template.to_owned(),
                path: crate::JsonPath::default(),
                pos: crate::Pos::default(),
            },
            operations,
        })
    }

    /// How far the path or template `wanted` is from this route, segment by segment: edits
    /// in literal segments, none for a value where the route has a parameter, a whole
    /// segment's length for one too many or missing.
    fn distance(&self, wanted: &[&str]) -> usize {
        let mut total = 0;
        for (i, segment) in self.segments.iter().enumerate() {
            let got = wanted.get(i);
            match (segment, got) {
                (PathSegment::Greedy(_), Some(_)) => return total,
                (PathSegment::Param(_), Some(_)) => {}
                (PathSegment::Literal(l), Some(got)) => total += strsim::levenshtein(l, got),
                (PathSegment::Literal(l), None) => total += l.len().max(1),
                (PathSegment::Param(p) | PathSegment::Greedy(p), None) => total += p.len() + 2,
            }
        }
        total
            + wanted
                .iter()
                .skip(self.segments.len())
                .map(|s| s.len().max(1))
                .sum::<usize>()
    }
}

/// The routes of one endpoint.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RouteTable {
    /// The routes, in file order.
    pub routes: Vec<Route>,
    /// The host of the OpenAPI file's server URL (links the file to the endpoint with that
    /// host), lower case.
    pub host: Option<String>,
    /// The stage path the file names (`servers[0].variables.basePath.default`, `basePath`).
    pub base_path: Option<String>,
    /// The models [`Schema::Named`] refers to, by name, in file order (OpenAPI 3
    /// `components.schemas`, Swagger 2 `definitions`, `AWS::ApiGateway::Model`).
    pub schemas: Vec<(String, serde_json::Value)>,
}

impl RouteTable {
    /// The route that serves the concrete path `path` (`/items/42`), the most specific one
    /// when several do.
    pub fn find(&self, path: &str) -> Option<&Route> {
        let segments = split(path);
        self.routes
            .iter()
            .filter_map(|r| r.score(&segments).map(|s| (s, r)))
            .max_by_key(|(s, _)| *s)
            .map(|(_, r)| r)
    }

    /// The routes closest to `wanted` (a path or a template that matches none), closest
    /// first (ties: fewer parameters first), at most `n`.
    pub fn closest(&self, wanted: &str, n: usize) -> Vec<&Route> {
        let segments = split(wanted.split('?').next().unwrap_or_default());
        let mut ranked: Vec<(usize, &Route)> = self
            .routes
            .iter()
            .map(|r| (r.distance(&segments), r))
            .collect();
        // Ties: the route with fewer parameters (more of it was compared) first.
        ranked.sort_by_key(|(d, r)| (*d, r.params().count()));
        ranked.into_iter().take(n).map(|(_, r)| r).collect()
    }

    /// The route whose template is `template` exactly.
    pub fn template(&self, template: &str) -> Option<&Route> {
        let wanted = normalize(template);
        self.routes
            .iter()
            .find(|r| normalize(&r.template.value) == wanted)
    }
}

/// The segments of a path, without the leading and trailing `/`.
fn split(path: &str) -> Vec<&str> {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        Vec::new()
    } else {
        trimmed.split('/').collect()
    }
}

/// A template with a leading `/` and none trailing.
fn normalize(template: &str) -> String {
    format!("/{}", template.trim_matches('/'))
}

/// The segments of `template`, or the reason it is not one.
fn parse_template(template: &str) -> Result<Vec<PathSegment>, String> {
    if !template.starts_with('/') {
        return Err(format!("the path `{template}` does not start with `/`"));
    }
    let parts = split(template);
    let mut segments = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let segment = match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) => match name.strip_suffix('+') {
                Some(name) if i + 1 == parts.len() && !name.is_empty() => {
                    PathSegment::Greedy(name.to_owned())
                }
                Some(_) => {
                    return Err(format!(
                        "the path `{template}` has the greedy parameter `{part}` before its \
                         end; only the last segment may be greedy"
                    ));
                }
                None if !name.is_empty() && !name.contains(['{', '}']) => {
                    PathSegment::Param(name.to_owned())
                }
                None => return Err(format!("the path `{template}` has a malformed `{part}`")),
            },
            None if part.contains(['{', '}']) => {
                return Err(format!(
                    "the path `{template}` has `{part}`: a parameter must be a whole segment"
                ));
            }
            None if part.is_empty() => {
                return Err(format!("the path `{template}` has an empty segment"));
            }
            None => PathSegment::Literal((*part).to_owned()),
        };
        segments.push(segment);
    }
    Ok(segments)
}

/// The route `template` with `operations`, recording a bad template (at its key).
fn route(
    template: Located<String>,
    operations: Vec<Operation>,
    problems: &mut Problems,
) -> Option<Route> {
    match parse_template(&template.value) {
        Ok(segments) => Some(Route {
            template,
            segments,
            operations,
        }),
        Err(message) => {
            problems.push(ConfigError::located(&template, message));
            None
        }
    }
}

/// Parses `text` into its root object.
fn parse(text: &str) -> Result<crate::read::json::Json, Vec<ConfigError>> {
    let json = source::parse(text).map_err(|e| vec![e])?;
    if !matches!(json.value, Value::Object(_)) {
        return Err(vec![ConfigError::whole(format!(
            "expected an object at the top level, found {}",
            json.value.kind()
        ))]);
    }
    Ok(json)
}

/// The greedy route below a Lambda proxy path (its template is already checked).
fn route_below(template: Located<String>, operations: Vec<Operation>) -> Option<Route> {
    let segments = parse_template(&template.value).ok()?;
    Some(Route {
        template,
        segments,
        operations,
    })
}
