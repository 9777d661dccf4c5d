//! A synthesized CDK app, the cloud assembly (`cdk.out` of `cdk synth`, or
//! `.amplify/artifacts/cdk.out` of an Amplify Gen 2 `ampx sandbox`): the REST APIs
//! (`AWS::ApiGateway::*`) and HTTP APIs (`AWS::ApiGatewayV2::*`) its CloudFormation templates
//! define, nested stacks included, each with its route table ([`read_cloud_assembly`]).
//!
//! What is read, per API:
//! - REST: each `AWS::ApiGateway::Method` on the `AWS::ApiGateway::Resource` chain above it
//!   (`ParentId` a `Ref` to a resource, or `Fn::GetAtt [api, RootResourceId]`, through the
//!   `Parameters` a nested stack is given), `HttpMethod` (`ANY`: every method),
//!   `AuthorizationType` / `AuthorizerId`, `ApiKeyRequired`, `RequestParameters`
//!   (`method.request.querystring.X` / `method.request.header.X`) and `RequestModels`
//!   (`AWS::ApiGateway::Model` schemas, in [`RouteTable::schemas`]).
//! - HTTP (`ProtocolType: HTTP`): each `AWS::ApiGatewayV2::Route`'s `RouteKey` (`GET /items/{id}`;
//!   `ANY`: every method; `$default`: every method on `/` and `/{proxy+}`) and its authorization
//!   (`AWS_IAM`, `JWT`: a Cognito user pool when its issuer is one, else OpenID Connect,
//!   `CUSTOM`, `NONE`).
//!
//! Not read, each said in [`CdkApi::skipped`] rather than dropped silently: an API defined by an
//! OpenAPI `Body`/`BodyS3Location`, WebSocket APIs, and routes whose path or method is not a
//! literal in the template (a `Fn::Join`/`Fn::Sub` of values known only at deploy time).

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::{Method, Operation, Param, PathSegment, Route, RouteTable, Schema, parse_template};
use crate::AuthMode;
use crate::read::diagnostics::{ConfigError, Located};
use crate::read::json::{Json, Node, Value};
use crate::read::source;

/// Which kind of API Gateway API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiKind {
    /// A REST API (`AWS::ApiGateway::RestApi`).
    Rest,
    /// An HTTP API (`AWS::ApiGatewayV2::Api` with `ProtocolType: HTTP`).
    Http,
}

impl fmt::Display for ApiKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ApiKind::Rest => "REST API",
            ApiKind::Http => "HTTP API",
        })
    }
}

/// One API a cloud assembly defines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CdkApi {
    /// Its `Name` property (`restApiName` / `apiName` in CDK), when the template has it as a
    /// literal.
    pub name: Option<String>,
    /// Its logical id in its template (`ItemsRestApi10ACB999`).
    pub logical_id: String,
    /// REST or HTTP.
    pub kind: ApiKind,
    /// The template file defining it, relative to the assembly folder.
    pub template: String,
    /// Its routes.
    pub table: RouteTable,
    /// What was left out of its routes, and why, each at its place in its template.
    pub skipped: Vec<AssemblyError>,
}

impl CdkApi {
    /// Whether `name` names this API: its `Name`, else its logical id, or the logical id
    /// without the 8-hex-digit hash CDK appends (`ItemsRestApi10ACB999` -> `ItemsRestApi`).
    pub fn is_named(&self, name: &str) -> bool {
        let unhashed = has_cdk_hash(&self.logical_id)
            .then(|| self.logical_id.get(..self.logical_id.len() - 8))
            .flatten();
        self.name.as_deref() == Some(name) || self.logical_id == name || unhashed == Some(name)
    }

    /// How the API is named in messages: `itemsRestApi` (REST API `ItemsRestApi10ACB999` in
    /// `FixtureStack.template.json`).
    pub fn describe(&self) -> String {
        match &self.name {
            Some(name) => format!(
                "`{name}` ({} `{}` in `{}`)",
                self.kind, self.logical_id, self.template
            ),
            None => format!(
                "{} `{}` in `{}` (no literal `Name`)",
                self.kind, self.logical_id, self.template
            ),
        }
    }
}

/// Whether `id` ends with the 8 upper-case hex digits CDK appends to logical ids.
fn has_cdk_hash(id: &str) -> bool {
    id.len() > 8
        && id
            .bytes()
            .rev()
            .take(8)
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
}

/// What a cloud assembly defines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CloudAssembly {
    /// Its APIs, stack by stack in manifest order, each in template order.
    pub apis: Vec<CdkApi>,
    /// Every file read (the manifest and the templates), for rebuild tracking.
    pub files: Vec<PathBuf>,
}

/// A problem in one file of a cloud assembly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssemblyError {
    /// The file, relative to the assembly folder (`FixtureStack.template.json`).
    pub file: String,
    /// What is wrong, and where in the file.
    pub error: ConfigError,
}

impl AssemblyError {
    /// The message a user sees, the file named under the assembly folder `dir` as they wrote
    /// it: `` `cdk.out/App.template.json:12:5`, at `Resources.M.Properties.HttpMethod`: … ``.
    pub fn render(&self, dir: &str) -> String {
        let dir = dir.trim_end_matches('/');
        self.error.render(&format!("{dir}/{}", self.file))
    }
}

/// Whether `dir` looks like a cloud assembly: it has a `manifest.json` or a `*.template.json`.
pub fn is_cloud_assembly(dir: &Path) -> bool {
    if dir.join("manifest.json").is_file() {
        return true;
    }
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".template.json"))
    })
}

/// Reads the cloud assembly in `dir`: its `manifest.json`'s stacks (nested assemblies of
/// stages included), else every `*.template.json` there that is not a nested stack's; then each
/// stack's nested stacks (`AWS::CloudFormation::Stack` with `aws:asset:path` metadata).
pub fn read_cloud_assembly(dir: &Path) -> Result<CloudAssembly, Vec<AssemblyError>> {
    let mut reader = Reader {
        dir,
        stacks: Vec::new(),
        files: Vec::new(),
        errors: Vec::new(),
    };
    let tops = reader.top_templates();
    for file in tops {
        reader.load_stack(file, HashMap::new(), 0);
    }
    if !reader.errors.is_empty() {
        return Err(reader.errors);
    }
    let apis = reader.apis();
    if !reader.errors.is_empty() {
        return Err(reader.errors);
    }
    Ok(CloudAssembly {
        apis,
        files: reader.files,
    })
}

/// Where a `Ref` or `Fn::GetAtt` leads, across nested stacks.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Target {
    /// The resource `id` of the stack at index `.0`.
    Resource(usize, String),
    /// The root resource of the REST API `id` of the stack at index `.0`.
    Root(usize, String),
}

/// One template read.
#[derive(Debug)]
struct Stack {
    /// Its file, relative to the assembly folder.
    file: String,
    /// Its text, parsed.
    json: Json,
    /// What its parameters are bound to by the parent stack.
    params: HashMap<String, Target>,
    /// The same text parsed by serde_json, when it has models (their schemas are taken from it
    /// as they are).
    plain: Option<serde_json::Value>,
}

impl Stack {
    /// Whether the template declares the parameter `name`.
    fn has_parameter(&self, name: &str) -> bool {
        Node::root(&self.json)
            .get("Parameters")
            .and_then(|p| p.get(name))
            .is_some()
    }
}

/// Nested stacks deeper than this are refused (a cycle in hand-edited metadata).
const MAX_DEPTH: usize = 16;

struct Reader<'d> {
    dir: &'d Path,
    stacks: Vec<Stack>,
    files: Vec<PathBuf>,
    errors: Vec<AssemblyError>,
}

impl Reader<'_> {
    fn error(&mut self, file: &str, error: ConfigError) {
        self.errors.push(AssemblyError {
            file: file.to_owned(),
            error,
        });
    }

    /// The text of `file` under the folder, recorded as read.
    fn read(&mut self, file: &str) -> Option<String> {
        let path = self.dir.join(file);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                self.files.push(path);
                Some(text)
            }
            Err(e) => {
                self.error(
                    file,
                    ConfigError::whole(format!(
                        "cannot be read ({e}); synthesize the app again (`npx ampx sandbox` or \
                         `npx cdk synth`)"
                    )),
                );
                None
            }
        }
    }

    /// The templates of the top-level stacks.
    fn top_templates(&mut self) -> Vec<String> {
        if self.dir.join("manifest.json").is_file() {
            let mut out = Vec::new();
            self.manifest_templates("", &mut out, 0);
            return out;
        }
        let mut out: Vec<String> = std::fs::read_dir(self.dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| {
                        n.ends_with(".template.json") && !n.ends_with(".nested.template.json")
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }

    /// The stack templates `<prefix>manifest.json` lists, nested assemblies included.
    fn manifest_templates(&mut self, prefix: &str, out: &mut Vec<String>, depth: usize) {
        let file = format!("{prefix}manifest.json");
        let Some(text) = self.read(&file) else {
            return;
        };
        let json = match source::parse(&text) {
            Ok(json) => json,
            Err(e) => return self.error(&file, e),
        };
        let root = Node::root(&json);
        let Some(artifacts) = root.get("artifacts") else {
            return;
        };
        let members = match artifacts.members() {
            Ok(m) => m,
            Err(e) => return self.error(&file, e),
        };
        for (_, artifact) in members {
            let kind = artifact.opt_str("type").ok().flatten().map(|t| t.value);
            let props = artifact.get("properties");
            match kind.as_deref() {
                Some("aws:cloudformation:stack") => {
                    match props.as_ref().map(|p| p.req_str("templateFile")) {
                        Some(Ok(t)) => out.push(format!("{prefix}{}", t.value)),
                        Some(Err(e)) => self.error(&file, e),
                        None => self.error(
                            &file,
                            artifact.error("a stack artifact without `properties.templateFile`"),
                        ),
                    }
                }
                Some("cdk:cloud-assembly") if depth < MAX_DEPTH => {
                    match props.as_ref().map(|p| p.req_str("directoryName")) {
                        Some(Ok(d)) => {
                            let inner = format!("{prefix}{}/", d.value.trim_end_matches('/'));
                            self.manifest_templates(&inner, out, depth + 1);
                        }
                        Some(Err(e)) => self.error(&file, e),
                        None => {}
                    }
                }
                _ => {}
            }
        }
    }

    /// Reads the stack template `file` (its parameters bound to `params`) and its nested
    /// stacks.
    fn load_stack(&mut self, file: String, params: HashMap<String, Target>, depth: usize) {
        if depth > MAX_DEPTH {
            let message = format!("nested stacks deeper than {MAX_DEPTH}: a cycle?");
            return self.error(&file, ConfigError::whole(message));
        }
        let Some(text) = self.read(&file) else {
            return;
        };
        let json = match source::parse(&text) {
            Ok(json) => json,
            Err(e) => return self.error(&file, e),
        };
        let plain = text
            .contains("AWS::ApiGateway::Model")
            .then(|| serde_json::from_str(&text).ok())
            .flatten();
        let index = self.stacks.len();
        self.stacks.push(Stack {
            file: file.clone(),
            json,
            params,
            plain,
        });
        // The nested stacks, with their parameters resolved here.
        let mut nested = Vec::new();
        {
            let stack = &self.stacks[index];
            let root = Node::root(&stack.json);
            for (_, resource) in resources(&root) {
                if type_of(&resource).as_deref() != Some("AWS::CloudFormation::Stack") {
                    continue;
                }
                let asset = resource
                    .get("Metadata")
                    .and_then(|m| m.opt_str("aws:asset:path").ok().flatten());
                let Some(asset) = asset else {
                    // A stack from a URL outside the assembly: nothing to read.
                    continue;
                };
                let mut bound = HashMap::new();
                if let Some(Ok(members)) = resource
                    .get("Properties")
                    .and_then(|p| p.get("Parameters"))
                    .map(|p| p.members())
                {
                    for (name, value) in members {
                        if let Some(target) = resolve(&self.stacks, index, &value) {
                            bound.insert(name.to_owned(), target);
                        }
                    }
                }
                let dir = Path::new(&file)
                    .parent()
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let path = if dir.is_empty() {
                    asset.value
                } else {
                    format!("{dir}/{}", asset.value)
                };
                nested.push((path, bound));
            }
        }
        for (path, bound) in nested {
            self.load_stack(path, bound, depth + 1);
        }
    }

    /// Every API of every stack read, with its routes.
    fn apis(&mut self) -> Vec<CdkApi> {
        let mut apis = Vec::new();
        let mut skipped: HashMap<Target, Vec<AssemblyError>> = HashMap::new();
        let mut errors: Vec<AssemblyError> = Vec::new();
        // Per API: its routes under construction, keyed by template.
        let mut routes: HashMap<Target, Vec<Route>> = HashMap::new();
        let mut schemas: HashMap<Target, Vec<(String, serde_json::Value)>> = HashMap::new();
        // Model logical id -> its name, per stack.
        let mut model_names: HashMap<Target, String> = HashMap::new();
        let context = Context {
            stacks: &self.stacks,
        };
        // 1. The APIs, and the models.
        for (i, stack) in self.stacks.iter().enumerate() {
            let root = Node::root(&stack.json);
            for (id, resource) in resources(&root) {
                let kind = match type_of(&resource).as_deref() {
                    Some("AWS::ApiGateway::RestApi") => ApiKind::Rest,
                    Some("AWS::ApiGatewayV2::Api") => ApiKind::Http,
                    Some("AWS::ApiGateway::Model") => {
                        context.model(i, id, &resource, &mut schemas, &mut model_names);
                        continue;
                    }
                    _ => continue,
                };
                let props = resource.get("Properties");
                let prop = |key: &str| props.as_ref().and_then(|p| p.get(key));
                let name = prop("Name").and_then(|n| n.as_str().ok()).map(|n| n.value);
                let target = Target::Resource(i, id.to_owned());
                let mut notes = Vec::new();
                if kind == ApiKind::Http {
                    let protocol = prop("ProtocolType").and_then(|p| p.as_str().ok());
                    if protocol.as_ref().is_some_and(|p| p.value != "HTTP") {
                        continue; // A WebSocket API: no HTTP routes.
                    }
                }
                for key in ["Body", "BodyS3Location"] {
                    if let Some(body) = prop(key) {
                        notes.push(AssemblyError {
                            file: stack.file.clone(),
                            error: ConfigError::at(
                                &body_path(id, key),
                                body.pos(),
                                format!(
                                    "the API is defined by an OpenAPI `{key}`, not read here; give \
                                 the export with `routes = {{ <endpoint> = \"<file>\" }}`"
                                ),
                            ),
                        });
                    }
                }
                skipped.insert(target.clone(), notes);
                apis.push((target, name, id.to_owned(), kind, stack.file.clone()));
            }
        }
        // 2. The routes.
        for (i, stack) in self.stacks.iter().enumerate() {
            let root = Node::root(&stack.json);
            for (_, resource) in resources(&root) {
                let found = match type_of(&resource).as_deref() {
                    Some("AWS::ApiGateway::Method") => {
                        context.rest_method(i, &resource, &model_names)
                    }
                    Some("AWS::ApiGatewayV2::Route") => context.http_route(i, &resource),
                    _ => continue,
                };
                match found {
                    Ok(Some((api, found_routes))) => {
                        let list = routes.entry(api).or_default();
                        for route in found_routes {
                            merge(list, route);
                        }
                    }
                    Ok(None) => {}
                    Err(Problem::Error(e)) => errors.push(AssemblyError {
                        file: stack.file.clone(),
                        error: e,
                    }),
                    Err(Problem::Skip(api, e)) => {
                        skipped.entry(api).or_default().push(AssemblyError {
                            file: stack.file.clone(),
                            error: e,
                        });
                    }
                }
            }
        }
        self.errors.extend(errors);
        apis.into_iter()
            .map(|(target, name, logical_id, kind, template)| CdkApi {
                name,
                logical_id,
                kind,
                template,
                table: RouteTable {
                    routes: routes.remove(&target).unwrap_or_default(),
                    host: None,
                    base_path: None,
                    schemas: schemas.remove(&target).unwrap_or_default(),
                },
                skipped: skipped.remove(&target).unwrap_or_default(),
            })
            .collect()
    }
}

/// Where `value` (a `Ref`, or `Fn::GetAtt [x, RootResourceId]` in either of its forms) in
/// the stack `stack` leads, through the parameters a parent bound; `None` for anything else
/// (a literal id, a parameter no parent bound).
fn resolve(stacks: &[Stack], stack: usize, value: &Node<'_>) -> Option<Target> {
    if let Some(reference) = value.opt_str("Ref").ok().flatten() {
        if let Some(bound) = stacks.get(stack)?.params.get(&reference.value) {
            return Some(bound.clone());
        }
        if stacks.get(stack)?.has_parameter(&reference.value) {
            return None;
        }
        return Some(Target::Resource(stack, reference.value));
    }
    let att = value.get("Fn::GetAtt")?;
    let (id, attribute) = match att.value() {
        Value::String(s) => {
            let (id, attribute) = s.split_once('.')?;
            (id.to_owned(), attribute.to_owned())
        }
        _ => {
            let items = att.items().ok()?;
            let id = items.first()?.as_str().ok()?.value;
            let attribute = items.get(1)?.as_str().ok()?.value;
            (id, attribute)
        }
    };
    (attribute == "RootResourceId").then_some(Target::Root(stack, id))
}

/// `Resources.<id>.Properties.<key>`.
fn body_path(id: &str, key: &str) -> crate::JsonPath {
    crate::JsonPath::root()
        .key("Resources")
        .key(id)
        .key("Properties")
        .key(key)
}

/// Adds `route` to `list`, merging its operations into the route with the same template (an
/// operation already there stays: an explicit method wins over `ANY`).
fn merge(list: &mut Vec<Route>, route: Route) {
    match list
        .iter_mut()
        .find(|r| r.template.value == route.template.value)
    {
        Some(existing) => {
            for op in route.operations {
                if existing.operation(op.method).is_none() {
                    existing.operations.push(op);
                }
            }
            existing.operations.sort_by_key(|o| o.method);
        }
        None => list.push(route),
    }
}

/// Why a method or route was not read.
enum Problem {
    /// The template is wrong.
    Error(ConfigError),
    /// The API's route cannot be known from the template: left out, with this note.
    Skip(Target, ConfigError),
}

/// The members of `Resources`.
fn resources<'a>(root: &Node<'a>) -> Vec<(&'a str, Node<'a>)> {
    root.get("Resources")
        .and_then(|r| r.members().ok())
        .unwrap_or_default()
}

/// A resource's `Type`.
fn type_of(resource: &Node<'_>) -> Option<String> {
    resource.opt_str("Type").ok().flatten().map(|t| t.value)
}

/// The stacks, read-only, for the route readers.
struct Context<'s> {
    stacks: &'s [Stack],
}

/// One REST method or HTTP route: its API and routes (`$default` gives two).
type Found = Result<Option<(Target, Vec<Route>)>, Problem>;

impl Context<'_> {
    /// [`resolve`] in these stacks.
    fn resolve(&self, stack: usize, value: &Node<'_>) -> Option<Target> {
        resolve(self.stacks, stack, value)
    }

    /// The resource `target` leads to, with its stack.
    fn resource(&self, target: &Target) -> Option<(usize, Node<'_>)> {
        let (Target::Resource(stack, id) | Target::Root(stack, id)) = target;
        let root = Node::root(&self.stacks.get(*stack)?.json);
        let node = root.get("Resources")?.get(id)?;
        Some((*stack, node))
    }

    /// Records the `AWS::ApiGateway::Model` `id`: its name and its schema for its API.
    fn model(
        &self,
        stack: usize,
        id: &str,
        resource: &Node<'_>,
        schemas: &mut HashMap<Target, Vec<(String, serde_json::Value)>>,
        names: &mut HashMap<Target, String>,
    ) {
        let Some(props) = resource.get("Properties") else {
            return;
        };
        let Some(api) = props.get("RestApiId").and_then(|a| self.resolve(stack, &a)) else {
            return;
        };
        let name = props
            .get("Name")
            .and_then(|n| n.as_str().ok())
            .map_or_else(|| id.to_owned(), |n| n.value);
        names.insert(Target::Resource(stack, id.to_owned()), name.clone());
        let schema = self.stacks[stack]
            .plain
            .as_ref()
            .and_then(|p| {
                p.get("Resources")?
                    .get(id)?
                    .get("Properties")?
                    .get("Schema")
            })
            .and_then(|s| match s {
                // CloudFormation also takes the schema as a JSON string.
                serde_json::Value::String(text) => serde_json::from_str(text).ok(),
                other => Some(other.clone()),
            });
        if let Some(schema) = schema {
            schemas.entry(api).or_default().push((name, schema));
        }
    }

    /// The path of the REST resource `target` (`/items/{id}`) and the place of its last
    /// `PathPart`, walking `ParentId`s up to the API's root; the API too.
    fn rest_path(
        &self,
        target: &Target,
    ) -> Result<(Target, String, Option<Located<String>>), Problem> {
        let mut parts: Vec<Located<String>> = Vec::new();
        let mut current = target.clone();
        for _ in 0..256 {
            match &current {
                Target::Root(stack, api) => {
                    let api = Target::Resource(*stack, api.clone());
                    let last = parts.first().cloned();
                    parts.reverse();
                    let path: Vec<&str> = parts.iter().map(|p| p.value.as_str()).collect();
                    return Ok((api, format!("/{}", path.join("/")), last));
                }
                Target::Resource(..) => {
                    let Some((stack, node)) = self.resource(&current) else {
                        let Target::Resource(stack, id) = &current else {
                            break;
                        };
                        let path = crate::JsonPath::root().key("Resources");
                        let root = Node::root(&self.stacks[*stack].json);
                        return Err(Problem::Error(ConfigError::at(
                            &path,
                            root.get("Resources").map_or(root.pos(), |r| r.pos()),
                            format!("a method's resource `{id}` is not in this template"),
                        )));
                    };
                    let props = node.get("Properties");
                    let part = props.as_ref().and_then(|p| p.get("PathPart"));
                    let parent = props.as_ref().and_then(|p| p.get("ParentId"));
                    let (Some(part), Some(parent)) = (part, parent) else {
                        return Err(Problem::Error(node.error(
                            "an `AWS::ApiGateway::Resource` needs `Properties.PathPart` and \
                             `Properties.ParentId`",
                        )));
                    };
                    let api = props
                        .as_ref()
                        .and_then(|p| p.get("RestApiId"))
                        .and_then(|a| self.resolve(stack, &a));
                    match part.as_str() {
                        Ok(p) => parts.push(p),
                        Err(_) => {
                            let message = format!(
                                "this path part is not a literal string but {}, known only at \
                                 deploy time; the routes below it are left out",
                                describe_value(&part)
                            );
                            let error = ConfigError::at(&node_path(&part), part.pos(), message);
                            return Err(match api {
                                Some(api) => Problem::Skip(api, error),
                                None => Problem::Error(error),
                            });
                        }
                    }
                    current = match self.resolve(stack, &parent) {
                        Some(t) => t,
                        None => {
                            let message = format!(
                                "`ParentId` is {}; expected a `Ref` to a resource or \
                                 `Fn::GetAtt [api, RootResourceId]`",
                                describe_value(&parent)
                            );
                            let error = ConfigError::at(&node_path(&parent), parent.pos(), message);
                            return Err(match api {
                                Some(api) => Problem::Skip(api, error),
                                None => Problem::Error(error),
                            });
                        }
                    };
                }
            }
        }
        Err(Problem::Error(ConfigError::whole(
            "the `ParentId` chain of a resource does not reach the API's root (a cycle?)",
        )))
    }

    /// The `AWS::ApiGateway::Method` `resource` of stack `stack`.
    fn rest_method(
        &self,
        stack: usize,
        resource: &Node<'_>,
        models: &HashMap<Target, String>,
    ) -> Found {
        let Some(props) = resource.get("Properties") else {
            return Err(Problem::Error(
                resource.error("a method without `Properties`"),
            ));
        };
        let http = props.req_str("HttpMethod").map_err(Problem::Error)?;
        let on = props.get("ResourceId").ok_or_else(|| {
            Problem::Error(props.error("the required key `ResourceId` is missing"))
        })?;
        let Some(on) = self.resolve(stack, &on) else {
            let message = format!(
                "`ResourceId` is {}; expected a `Ref` to a resource or `Fn::GetAtt [api, \
                 RootResourceId]`",
                describe_value(&on)
            );
            return Err(Problem::Error(ConfigError::at(
                &node_path(&on),
                on.pos(),
                message,
            )));
        };
        let (api, path, place) = self.rest_path(&on)?;
        let Some(methods) = methods_named(&http.value) else {
            return Err(Problem::Error(ConfigError::located(
                &http,
                format!("unknown `HttpMethod` `{}`", http.value),
            )));
        };
        // Auth: the authorizer's type when there is one, else `AuthorizationType`.
        let kind = props
            .opt_str("AuthorizationType")
            .map_err(Problem::Error)?
            .map_or_else(|| "NONE".to_owned(), |t| t.value);
        let authorizer = props
            .get("AuthorizerId")
            .and_then(|a| self.resolve(stack, &a))
            .and_then(|t| self.resource(&t))
            .and_then(|(_, n)| n.get("Properties")?.opt_str("Type").ok().flatten());
        let auth = match authorizer.as_ref().map(|a| a.value.as_str()) {
            Some("COGNITO_USER_POOLS") => AuthMode::AmazonCognitoUserPools,
            Some("TOKEN" | "REQUEST") => AuthMode::AwsLambda,
            _ => match kind.as_str() {
                "AWS_IAM" => AuthMode::AwsIam,
                "COGNITO_USER_POOLS" => AuthMode::AmazonCognitoUserPools,
                "CUSTOM" => AuthMode::AwsLambda,
                "NONE" => AuthMode::None,
                other => {
                    let at = props.get("AuthorizationType");
                    let message = format!(
                        "unknown `AuthorizationType` `{other}`; expected \"NONE\", \"AWS_IAM\", \
                         \"COGNITO_USER_POOLS\" or \"CUSTOM\""
                    );
                    return Err(Problem::Error(match at {
                        Some(at) => ConfigError::at(&node_path(&at), at.pos(), message),
                        None => props.error(message),
                    }));
                }
            },
        };
        let api_key_required = props
            .opt_bool("ApiKeyRequired")
            .ok()
            .flatten()
            .or_else(|| {
                // `"true"`, as YAML-born templates write it.
                props
                    .opt_str("ApiKeyRequired")
                    .ok()
                    .flatten()
                    .map(|s| s.value == "true")
            })
            .unwrap_or(false);
        let (query, headers) = request_parameters(&props);
        let body = props.get("RequestModels").and_then(|m| {
            let members = m.members().ok()?;
            let (_, model) = members
                .iter()
                .find(|(ct, _)| ct.starts_with("application/json"))
                .or_else(|| members.first())?;
            let name = match model.as_str() {
                Ok(name) => name.value,
                Err(_) => models.get(&self.resolve(stack, model)?).cloned()?,
            };
            // `Empty` is API Gateway's built-in "no body" model.
            (name != "Empty").then_some(Schema::Named(name))
        });
        let operations = methods
            .into_iter()
            .map(|method| Operation {
                auth: Some(auth),
                api_key_required,
                query: query.clone(),
                headers: headers.clone(),
                body: body.clone(),
                ..Operation::new(method)
            })
            .collect();
        let template = match place {
            Some(p) => Located {
                value: path.clone(),
                path: p.path,
                pos: p.pos,
            },
            None => http.clone(),
        };
        let template = Located {
            value: path,
            ..template
        };
        let route = route_at(template, operations).map_err(Problem::Error)?;
        Ok(Some((api, vec![route])))
    }

    /// The `AWS::ApiGatewayV2::Route` `resource` of stack `stack`.
    fn http_route(&self, stack: usize, resource: &Node<'_>) -> Found {
        let Some(props) = resource.get("Properties") else {
            return Err(Problem::Error(
                resource.error("a route without `Properties`"),
            ));
        };
        let api_node = props
            .get("ApiId")
            .ok_or_else(|| Problem::Error(props.error("the required key `ApiId` is missing")))?;
        let Some(api) = self.resolve(stack, &api_node) else {
            return Ok(None); // An API imported by id: not defined here.
        };
        let Some(key_node) = props.get("RouteKey") else {
            return Err(Problem::Error(
                props.error("the required key `RouteKey` is missing"),
            ));
        };
        let key = match key_node.as_str() {
            Ok(k) => k,
            Err(_) => {
                let message = format!(
                    "this route key is not a literal string but {}, known only at deploy \
                     time; the route is left out",
                    describe_value(&key_node)
                );
                let error = ConfigError::at(&node_path(&key_node), key_node.pos(), message);
                return Err(Problem::Skip(api, error));
            }
        };
        let kind = props
            .opt_str("AuthorizationType")
            .map_err(Problem::Error)?
            .map_or_else(|| "NONE".to_owned(), |t| t.value);
        let auth = match kind.as_str() {
            "AWS_IAM" => AuthMode::AwsIam,
            "CUSTOM" => AuthMode::AwsLambda,
            "NONE" => AuthMode::None,
            "JWT" => {
                let issuer = props
                    .get("AuthorizerId")
                    .and_then(|a| self.resolve(stack, &a))
                    .and_then(|t| self.resource(&t))
                    .and_then(|(_, n)| n.get("Properties")?.get("JwtConfiguration")?.get("Issuer"));
                if issuer.is_some_and(|i| mentions(&i, "cognito-idp.")) {
                    AuthMode::AmazonCognitoUserPools
                } else {
                    AuthMode::OpenIdConnect
                }
            }
            other => {
                return Err(Problem::Error(props.error(format!(
                    "unknown `AuthorizationType` `{other}`; expected \"NONE\", \"AWS_IAM\", \
                     \"JWT\" or \"CUSTOM\""
                ))));
            }
        };
        let ops = |methods: &[Method]| -> Vec<Operation> {
            methods
                .iter()
                .map(|&method| Operation {
                    auth: Some(auth),
                    ..Operation::new(method)
                })
                .collect()
        };
        if key.value == "$default" {
            // Every request no other route takes: every method on every path.
            let at = |template: &str| Located {
                value: template.to_owned(),
                path: key.path.clone(),
                pos: key.pos,
            };
            let root = route_at(at("/"), ops(&Method::ALL)).map_err(Problem::Error)?;
            let rest = route_at(at("/{proxy+}"), ops(&Method::ALL)).map_err(Problem::Error)?;
            return Ok(Some((api, vec![root, rest])));
        }
        let Some((method, path)) = key.value.split_once(' ') else {
            return Err(Problem::Error(ConfigError::located(
                &key,
                format!(
                    "the route key `{}` is neither `$default` nor `METHOD /path`",
                    key.value
                ),
            )));
        };
        let Some(methods) = methods_named(method) else {
            return Err(Problem::Error(ConfigError::located(
                &key,
                format!(
                    "the route key `{}` has an unknown method `{method}`",
                    key.value
                ),
            )));
        };
        let template = Located {
            value: path.to_owned(),
            path: key.path.clone(),
            pos: key.pos,
        };
        let route = route_at(template, ops(&methods)).map_err(Problem::Error)?;
        Ok(Some((api, vec![route])))
    }
}

/// The methods `name` allows: `ANY` every one, else the method so named (any case).
fn methods_named(name: &str) -> Option<Vec<Method>> {
    if name.eq_ignore_ascii_case("ANY") {
        Some(Method::ALL.to_vec())
    } else {
        Method::from_name(name).map(|m| vec![m])
    }
}

/// The route `template` with `operations`; an error at the template if it is malformed.
fn route_at(template: Located<String>, operations: Vec<Operation>) -> Result<Route, ConfigError> {
    let segments: Vec<PathSegment> =
        parse_template(&template.value).map_err(|m| ConfigError::located(&template, m))?;
    Ok(Route {
        template,
        segments,
        operations,
    })
}

/// The query and header parameters of a method's `RequestParameters`
/// (`"method.request.querystring.limit": false`), in file order.
fn request_parameters(props: &Node<'_>) -> (Vec<Param>, Vec<Param>) {
    let mut query = Vec::new();
    let mut headers = Vec::new();
    let members = props
        .get("RequestParameters")
        .and_then(|p| p.members().ok())
        .unwrap_or_default();
    for (key, value) in members {
        let required = value
            .as_bool()
            .ok()
            .or_else(|| value.as_str().ok().map(|s| s.value == "true"))
            .unwrap_or(false);
        let param = |name: &str| Param {
            name: name.to_owned(),
            required,
            schema: None,
        };
        if let Some(name) = key.strip_prefix("method.request.querystring.") {
            query.push(param(name));
        } else if let Some(name) = key.strip_prefix("method.request.header.") {
            headers.push(param(name));
        }
    }
    (query, headers)
}

/// Whether `value` is, or joins, a string containing `needle`.
fn mentions(value: &Node<'_>, needle: &str) -> bool {
    match value.value() {
        Value::String(s) => s.contains(needle),
        Value::Array(_) => value
            .items()
            .unwrap_or_default()
            .iter()
            .any(|i| mentions(i, needle)),
        Value::Object(_) => value
            .members()
            .unwrap_or_default()
            .iter()
            .any(|(_, v)| mentions(v, needle)),
        _ => false,
    }
}

/// How a non-literal value is named in messages: "a `Fn::Join`".
fn describe_value(value: &Node<'_>) -> String {
    match value.value() {
        Value::Object(o) => match o.members.first() {
            Some(m) => format!("a `{}`", m.key),
            None => "an empty object".to_owned(),
        },
        other => other.kind().to_owned(),
    }
}

/// The JSON path of `node`.
fn node_path(node: &Node<'_>) -> crate::JsonPath {
    node.located(()).path
}

#[cfg(test)]
mod tests;
