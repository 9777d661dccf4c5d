//! Route tables: the paths and methods an endpoint serves, read from the files that know them —
//! an API Gateway OpenAPI 3 or Swagger 2 export ([`read_openapi`]), an Amplify Gen 1
//! `cli-inputs.json` ([`read_cli_inputs`]) and the Mobile Hub `paths` of an old aws-exports
//! ([`mobile_hub_table`]). Same JSON reader and diagnostics as the config readers: every problem
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

use crate::RawEndpoint;
use crate::read::diagnostics::{ConfigError, Located, Problems};
use crate::read::json::{Node, Value};
use crate::read::source;

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

/// The host and stage path of an OpenAPI 3 `servers[0]` (`https://{host}/{basePath}` with
/// `variables`), or of Swagger 2's `host` and `basePath`.
fn server(root: &Node<'_>, problems: &mut Problems) -> (Option<String>, Option<String>) {
    if let Some(host) = problems.take(root.opt_str("host")).flatten() {
        let base = problems.take(root.opt_str("basePath")).flatten();
        return (Some(host.value.to_ascii_lowercase()), base.map(|b| b.value));
    }
    let Some(first) = root
        .get("servers")
        .and_then(|s| problems.take(s.items()))
        .and_then(|items| items.into_iter().next())
    else {
        return (None, None);
    };
    let Some(url) = problems.take(first.req_str("url")) else {
        return (None, None);
    };
    let variable = |name: &str| {
        first
            .get("variables")
            .and_then(|v| v.get(name))
            .and_then(|v| v.get("default"))
            .and_then(|d| d.as_str().ok())
            .map(|d| d.value)
    };
    // `{basePath}` and other variables take their defaults.
    let mut text = url.value.clone();
    while let Some(start) = text.find('{') {
        let Some(len) = text[start..].find('}') else {
            break;
        };
        let name = text[start + 1..start + len].to_owned();
        let value = variable(&name).unwrap_or_default();
        text.replace_range(start..=start + len, value.trim_start_matches('/'));
    }
    match url::Url::parse(&text) {
        Ok(parsed) => {
            let path = parsed.path().trim_end_matches('/');
            (
                parsed.host_str().map(str::to_ascii_lowercase),
                (!path.is_empty()).then(|| path.to_owned()),
            )
        }
        Err(_) => (None, None),
    }
}

/// Reads an API Gateway export, OpenAPI 3 (`openapi: "3.0.1"`) or Swagger 2
/// (`swagger: "2.0"`), with or without `x-amazon-apigateway-*` extensions:
/// `x-amazon-apigateway-any-method` allows every method.
pub fn read_openapi(text: &str) -> Result<RouteTable, Vec<ConfigError>> {
    let json = parse(text)?;
    let root = Node::root(&json);
    let mut problems = Problems::default();
    if root.get("openapi").is_none() && root.get("swagger").is_none() {
        problems.push(ConfigError::whole(
            "not an OpenAPI file: it has neither `openapi` (OpenAPI 3) nor `swagger` \
             (Swagger 2) at the top level",
        ));
        return Err(problems.finish(()).err().unwrap_or_default());
    }
    let (host, base_path) = server(&root, &mut problems);
    let mut table = RouteTable {
        routes: Vec::new(),
        host,
        base_path,
    };
    let paths = match root.get("paths") {
        Some(paths) => problems.take(paths.members()).unwrap_or_default(),
        None => {
            problems.push(root.error("the required key `paths` is missing"));
            Vec::new()
        }
    };
    for (template, item) in paths {
        let template = item.key_located(template.to_owned());
        let mut operations: Vec<Operation> = Vec::new();
        for (key, op) in problems.take(item.members()).unwrap_or_default() {
            let methods: Vec<Method> = match key {
                "x-amazon-apigateway-any-method" => Method::ALL.to_vec(),
                key => match Method::from_name(key) {
                    Some(method) if key == key.to_ascii_lowercase() => vec![method],
                    // `parameters`, `summary`, `servers`, other extensions.
                    _ => continue,
                },
            };
            let operation_id = problems.take(op.opt_str("operationId")).flatten();
            for method in methods {
                if operations.iter().all(|o| o.method != method) {
                    operations.push(Operation {
                        method,
                        operation_id: operation_id.as_ref().map(|o| o.value.clone()),
                        callers: Vec::new(),
                    });
                }
            }
        }
        operations.sort_by_key(|o| o.method);
        if operations.is_empty() {
            problems.push(ConfigError::located(
                &template,
                format!("the path `{}` has no methods", template.value),
            ));
            continue;
        }
        if let Some(route) = route(template, operations, &mut problems) {
            table.routes.push(route);
        }
    }
    problems.finish(table)
}

/// What a Gen 1 permission grants: `create` -> POST, `read` -> GET, `update` -> PUT
/// and PATCH, `delete` -> DELETE.
fn granted(permission: &str) -> Option<&'static [Method]> {
    match permission {
        "create" => Some(&[Method::Post]),
        "read" => Some(&[Method::Get]),
        "update" => Some(&[Method::Put, Method::Patch]),
        "delete" => Some(&[Method::Delete]),
        _ => None,
    }
}

/// The permissions list at `node` (`["create", "read"]`), each checked.
fn permissions(node: &Node<'_>, problems: &mut Problems) -> Vec<&'static [Method]> {
    let mut out = Vec::new();
    for item in problems.take(node.items()).unwrap_or_default() {
        if let Some(p) = problems.take(item.as_str()) {
            match granted(&p.value) {
                Some(methods) => out.push(methods),
                None => problems.push(ConfigError::located(
                    &p,
                    format!(
                        "unknown permission `{}`; expected \"create\", \"read\", \"update\" or \
                         \"delete\"",
                        p.value
                    ),
                )),
            }
        }
    }
    out
}

/// Records that `who` may call `methods` (callers per method, in [`Method::ALL`] order).
fn grant(callers: &mut Vec<(Method, Vec<String>)>, methods: &[Method], who: String) {
    for &method in methods {
        match callers.iter_mut().find(|(m, _)| *m == method) {
            Some((_, list)) if !list.contains(&who) => list.push(who.clone()),
            Some(_) => {}
            None => callers.push((method, vec![who.clone()])),
        }
    }
}

/// Reads an Amplify Gen 1 `amplify/backend/api/<name>/cli-inputs.json`: each path is a Lambda
/// proxy, so it serves the path and everything below it (`/items` and `/items/{proxy+}`), with
/// the methods its permissions grant to signed-in users (`auth`), guests (`guest`) and groups.
pub fn read_cli_inputs(text: &str) -> Result<RouteTable, Vec<ConfigError>> {
    let json = parse(text)?;
    let root = Node::root(&json);
    let mut problems = Problems::default();
    let mut table = RouteTable::default();
    let Some(paths) = problems.take(root.opt_object("paths")).flatten() else {
        problems.push(root.error("the required key `paths` is missing"));
        return Err(problems.finish(()).err().unwrap_or_default());
    };
    for (template, entry) in problems.take(paths.members()).unwrap_or_default() {
        let template = entry.key_located(template.to_owned());
        // Callers per method, in [`Method::ALL`] order.
        let mut callers: Vec<(Method, Vec<String>)> = Vec::new();
        match problems.take(entry.opt_object("permissions")).flatten() {
            // No permissions: the Lambda answers everything, unrestricted by IAM.
            None => grant(&mut callers, &Method::ALL, "anyone".to_owned()),
            Some(perms) => {
                let setting = problems.take(perms.opt_str("setting")).flatten();
                if let Some(auth) = perms.get("auth") {
                    for methods in permissions(&auth, &mut problems) {
                        grant(&mut callers, methods, "signed-in users".to_owned());
                    }
                }
                if let Some(guest) = perms.get("guest") {
                    for methods in permissions(&guest, &mut problems) {
                        grant(&mut callers, methods, "guests".to_owned());
                    }
                }
                if let Some(groups) = problems.take(perms.opt_object("groups")).flatten() {
                    for (group, list) in problems.take(groups.members()).unwrap_or_default() {
                        for methods in permissions(&list, &mut problems) {
                            grant(&mut callers, methods, format!("the group `{group}`"));
                        }
                    }
                }
                if setting.as_ref().is_some_and(|s| s.value == "open") && callers.is_empty() {
                    grant(&mut callers, &Method::ALL, "anyone".to_owned());
                }
            }
        }
        let mut operations: Vec<Operation> = callers
            .into_iter()
            .map(|(method, callers)| Operation {
                method,
                operation_id: None,
                callers,
            })
            .collect();
        operations.sort_by_key(|o| o.method);
        if operations.is_empty() {
            problems.push(ConfigError::located(
                &template,
                format!(
                    "the path `{}` grants no permission to anyone; no call to it can succeed",
                    template.value
                ),
            ));
            continue;
        }
        let base = template.value.trim_end_matches('/').to_owned();
        let proxy = Located {
            value: format!("{base}/{{proxy+}}"),
            path: template.path.clone(),
            pos: template.pos,
        };
        if let Some(route) = route(template, operations.clone(), &mut problems) {
            table.routes.push(route);
            if let Some(route) = route_below(proxy, operations) {
                table.routes.push(route);
            }
        }
    }
    problems.finish(table)
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

/// The route table of the Mobile Hub `paths` of an old aws-exports entry
/// (`aws_cloud_logic_custom[].paths`, read with the entry by [`crate::load`] into
/// [`RawEndpoint::paths`]): each path is a Lambda proxy allowing every method on it and below
/// it. `None` when the entry has no paths.
pub fn mobile_hub_table(endpoint: &RawEndpoint) -> Result<Option<RouteTable>, Vec<ConfigError>> {
    if endpoint.paths.is_empty() {
        return Ok(None);
    }
    let mut problems = Problems::default();
    let mut table = RouteTable::default();
    let all = || {
        Method::ALL
            .into_iter()
            .map(|method| Operation {
                method,
                operation_id: None,
                callers: Vec::new(),
            })
            .collect::<Vec<_>>()
    };
    for path in &endpoint.paths {
        let below = Located {
            value: format!("{}/{{proxy+}}", path.value.trim_end_matches('/')),
            path: path.path.clone(),
            pos: path.pos,
        };
        if let Some(route) = route(path.clone(), all(), &mut problems) {
            table.routes.push(route);
            table.routes.extend(route_below(below, all()));
        }
    }
    problems.finish(Some(table))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OAS3: &str = r#"{
      "openapi": "3.0.1",
      "info": {"title": "itemsApi", "version": "2024-01-01T00:00:00Z"},
      "servers": [{"url": "https://abc123.execute-api.us-east-1.amazonaws.com/{basePath}",
                   "variables": {"basePath": {"default": "dev"}}}],
      "paths": {
        "/items": {"get": {"operationId": "listItems"}, "post": {}},
        "/items/{id}": {"parameters": [], "get": {}, "put": {}, "delete": {}},
        "/items/search": {"get": {}},
        "/files/{proxy+}": {"x-amazon-apigateway-any-method": {"x-amazon-apigateway-integration": {}}}
      }
    }"#;

    #[test]
    fn reads_openapi_3_with_server_and_any_method() {
        let table = read_openapi(OAS3).unwrap();
        assert_eq!(
            table.host.as_deref(),
            Some("abc123.execute-api.us-east-1.amazonaws.com")
        );
        assert_eq!(table.base_path.as_deref(), Some("/dev"));
        let templates: Vec<&str> = table
            .routes
            .iter()
            .map(|r| r.template.value.as_str())
            .collect();
        assert_eq!(
            templates,
            ["/items", "/items/{id}", "/items/search", "/files/{proxy+}"]
        );
        assert_eq!(table.routes[1].methods_list(), "GET, PUT, DELETE");
        assert_eq!(table.routes[3].operations.len(), Method::ALL.len());
        let names: Vec<String> = table.routes[..2]
            .iter()
            .flat_map(|r| r.operations.iter().map(|o| r.rust_name(o)))
            .collect();
        assert_eq!(
            names,
            [
                "list_items",
                "post_items",
                "get_items_by_id",
                "put_items_by_id",
                "delete_items_by_id"
            ]
        );
        assert_eq!(
            table.routes[1].template.path.to_string(),
            r#"paths["/items/{id}"]"#
        );
    }

    #[test]
    fn finds_the_most_specific_route() {
        let table = read_openapi(OAS3).unwrap();
        let find = |p: &str| table.find(p).map(|r| r.template.value.as_str());
        assert_eq!(find("/items/42"), Some("/items/{id}"));
        assert_eq!(find("/items/search"), Some("/items/search"));
        assert_eq!(find("/items"), Some("/items"));
        assert_eq!(find("/files/a/b/c"), Some("/files/{proxy+}"));
        assert_eq!(find("/files"), None);
        assert_eq!(find("/itmes/42"), None);
        assert_eq!(find("/items/42/extra"), None);
        assert!(table.template("/items/{id}/").is_some());
        let closest = |p: &str| -> Vec<&str> {
            table
                .closest(p, 2)
                .iter()
                .map(|r| r.template.value.as_str())
                .collect()
        };
        assert_eq!(closest("/itmes/42"), ["/items/{id}", "/files/{proxy+}"]);
        assert_eq!(
            closest("/items/search/x?q=1"),
            ["/items/search", "/items/{id}"]
        );
        assert_eq!(closest("/file/a/b"), ["/files/{proxy+}", "/items/{id}"]);
    }

    #[test]
    fn reads_swagger_2() {
        let table = read_openapi(
            r#"{"swagger": "2.0", "host": "ABC.execute-api.eu-west-1.amazonaws.com",
                "basePath": "/prod", "paths": {"/": {"get": {}}, "/users/{userId}": {"patch": {}}}}"#,
        )
        .unwrap();
        assert_eq!(
            table.host.as_deref(),
            Some("abc.execute-api.eu-west-1.amazonaws.com")
        );
        assert_eq!(table.base_path.as_deref(), Some("/prod"));
        let root = &table.routes[0];
        assert_eq!(root.rust_name(&root.operations[0]), "get_root");
        assert_eq!(table.find("/").unwrap().template.value, "/");
        let users = &table.routes[1];
        assert_eq!(users.params().collect::<Vec<_>>(), ["userId"]);
        assert_eq!(
            users.rust_name(&users.operations[0]),
            "patch_users_by_user_id"
        );
    }

    #[test]
    fn bad_files_are_errors_with_path_and_position() {
        let errors = read_openapi(
            "{\"openapi\": \"3.0.1\", \"paths\": {\n  \"/a/{x+}/b\": {\"get\": {}},\n  \"/c\": {\"summary\": \"x\"},\n  \"d\": {\"get\": {}}}}",
        )
        .unwrap_err();
        let messages: Vec<String> = errors.iter().map(|e| e.render("items.json")).collect();
        assert_eq!(
            messages,
            [
                "`items.json:2:3`, at `paths[\"/a/{x+}/b\"]`: the path `/a/{x+}/b` has the greedy \
                 parameter `{x+}` before its end; only the last segment may be greedy",
                "`items.json:3:3`, at `paths[\"/c\"]`: the path `/c` has no methods",
                "`items.json:4:3`, at `paths.d`: the path `d` does not start with `/`",
            ]
        );
        let errors = read_openapi(r#"{"paths": {}}"#).unwrap_err();
        assert!(errors[0].message.starts_with("not an OpenAPI file"));
        let errors = read_openapi("{\"openapi\": \"3.0.1\",\n \"paths\": {\"/a\" 1}}").unwrap_err();
        assert!(
            errors[0].message.starts_with("invalid JSON at line 2"),
            "{errors:?}"
        );
    }

    #[test]
    fn reads_cli_inputs_permissions() {
        let table = read_cli_inputs(
            r#"{"version": 1, "paths": {
              "/items": {"name": "/items", "lambdaFunction": "itemsLambda",
                "permissions": {"setting": "protected", "auth": ["create", "read", "update", "delete"],
                                "guest": ["read"], "groups": {"Admins": ["delete"]}}},
              "/public": {"lambdaFunction": "publicLambda", "permissions": {"setting": "open"}}}}"#,
        )
        .unwrap();
        let templates: Vec<&str> = table
            .routes
            .iter()
            .map(|r| r.template.value.as_str())
            .collect();
        assert_eq!(
            templates,
            ["/items", "/items/{proxy+}", "/public", "/public/{proxy+}"]
        );
        let items = &table.routes[0];
        assert_eq!(items.methods_list(), "GET, POST, PUT, PATCH, DELETE");
        assert_eq!(
            items.operation(Method::Get).unwrap().callers,
            ["signed-in users", "guests"]
        );
        assert_eq!(
            items.operation(Method::Delete).unwrap().callers,
            ["signed-in users", "the group `Admins`"]
        );
        assert_eq!(
            table.find("/items/a/b").unwrap().template.value,
            "/items/{proxy+}"
        );
        assert_eq!(table.routes[2].operations.len(), Method::ALL.len());
        let errors = read_cli_inputs(
            r#"{"paths": {"/x": {"permissions": {"setting": "private", "auth": ["write"]}}}}"#,
        )
        .unwrap_err();
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "at `paths[\"/x\"].permissions.auth[0]`: unknown permission `write`; expected \
                 \"create\", \"read\", \"update\" or \"delete\"",
                "at `paths[\"/x\"]`: the path `/x` grants no permission to anyone; no call to it \
                 can succeed",
            ]
        );
    }

    #[test]
    fn reads_mobile_hub_paths() {
        let config = crate::load(
            r#"{"aws_project_region": "us-east-1", "aws_cloud_logic_custom": [
                 {"name": "notes", "endpoint": "https://n.execute-api.us-east-1.amazonaws.com/Development",
                  "region": "us-east-1", "paths": ["/notes", "/notes/123"]},
                 {"name": "other", "endpoint": "https://o.example.com"}]}"#,
            None,
        )
        .unwrap();
        let table = mobile_hub_table(&config.endpoints[0]).unwrap().unwrap();
        assert_eq!(table.routes.len(), 4);
        assert_eq!(
            table.find("/notes/9").unwrap().template.value,
            "/notes/{proxy+}"
        );
        assert_eq!(
            table.routes[0].template.path.to_string(),
            "aws_cloud_logic_custom[0].paths[0]"
        );
        assert_eq!(mobile_hub_table(&config.endpoints[1]).unwrap(), None);
        let errors = crate::load(
            r#"{"aws_cloud_logic_custom": [{"name": "n", "endpoint": "https://n.example.com", "paths": "/x"}]}"#,
            None,
        )
        .unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "at `aws_cloud_logic_custom[0].paths`: expected an array, found a string"
        );
        let config = crate::load(
            r#"{"aws_cloud_logic_custom": [{"name": "n", "endpoint": "https://n.example.com", "paths": ["x"]}]}"#,
            None,
        )
        .unwrap();
        let errors = mobile_hub_table(&config.endpoints[0]).unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "at `aws_cloud_logic_custom[0].paths[0]`: the path `x` does not start with `/`"
        );
    }
}
