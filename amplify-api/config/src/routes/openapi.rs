//! API Gateway exports: OpenAPI 3 and Swagger 2 ([`read_openapi`]), with each operation's
//! query and header parameters, JSON request body and responses, and the file's models.

use super::security::Security;
use super::{Method, Operation, Param, Response, RouteTable, Schema, parse, route};
use crate::read::diagnostics::{ConfigError, Problems};
use crate::read::json::{Node, Value};

/// The models of a file: Swagger 2 `definitions` or OpenAPI 3 `components.schemas`, whose
/// `$ref`s are `#/definitions/<name>` and `#/components/schemas/<name>`.
struct Models {
    /// The model names, in file order.
    names: Vec<String>,
}

/// The prefixes of a `$ref` to a model of the file.
const MODEL_REFS: [&str; 2] = ["#/definitions/", "#/components/schemas/"];

impl Models {
    /// The model a `$ref` names (`#/definitions/Input` -> `Input`), or the reason it names
    /// none.
    fn resolve(&self, reference: &str) -> Result<String, String> {
        let Some(name) = MODEL_REFS
            .iter()
            .find_map(|prefix| reference.strip_prefix(prefix))
            .filter(|n| !n.contains('/'))
        else {
            return Err(format!(
                "the `$ref` `{reference}` is not a model of this file; a schema refers to a \
                 model as `#/definitions/<name>` (Swagger 2) or `#/components/schemas/<name>` \
                 (OpenAPI 3)"
            ));
        };
        // JSON Pointer escapes (RFC 6901).
        let name = name.replace("~1", "/").replace("~0", "~");
        if self.names.contains(&name) {
            return Ok(name);
        }
        let mut close: Vec<(usize, &String)> = self
            .names
            .iter()
            .map(|n| {
                (
                    strsim::levenshtein(&n.to_lowercase(), &name.to_lowercase()),
                    n,
                )
            })
            .filter(|(d, n)| *d <= (n.len() / 3).max(2))
            .collect();
        close.sort();
        let listed: Vec<String> = if close.is_empty() {
            self.names.iter().map(|n| format!("`{n}`")).collect()
        } else {
            close
                .iter()
                .take(3)
                .map(|(_, n)| format!("`{n}`"))
                .collect()
        };
        Err(match (close.is_empty(), listed.is_empty()) {
            (_, true) => format!(
                "the `$ref` `{reference}` names the model `{name}`, and the file has no models"
            ),
            (true, false) => format!(
                "the `$ref` `{reference}` names the model `{name}`, which the file does not \
                 have; its models: {}",
                listed.join(", ")
            ),
            (false, false) => format!(
                "the `$ref` `{reference}` names the model `{name}`, which the file does not \
                 have; did you mean {}?",
                listed.join(" or ")
            ),
        })
    }

    /// Checks every `$ref` in the schema at `node` (recording those that name no model).
    fn check_refs(&self, node: &Node<'_>, problems: &mut Problems) {
        match node.value() {
            Value::Object(_) => {
                for (key, member) in problems.take(node.members()).unwrap_or_default() {
                    if key == "$ref" {
                        if let Some(reference) = problems.take(member.as_str())
                            && let Err(message) = self.resolve(&reference.value)
                        {
                            problems.push(ConfigError::located(&reference, message));
                        }
                    } else {
                        self.check_refs(&member, problems);
                    }
                }
            }
            Value::Array(_) => {
                for item in problems.take(node.items()).unwrap_or_default() {
                    self.check_refs(&item, problems);
                }
            }
            _ => {}
        }
    }

    /// The schema at `node`: a model when it is only a `$ref` to one, else the schema itself.
    /// `None` (recorded) when it is not an object or a `$ref` in it names no model.
    fn schema(&self, node: &Node<'_>, problems: &mut Problems) -> Option<Schema> {
        if !matches!(node.value(), Value::Object(_)) {
            problems.push(node.error(format!(
                "expected a schema (an object), found {}",
                node.value().kind()
            )));
            return None;
        }
        if let Some(reference) = node.get("$ref") {
            // OpenAPI ignores the siblings of a `$ref`.
            let reference = problems.take(reference.as_str())?;
            return match self.resolve(&reference.value) {
                Ok(name) => Some(Schema::Named(name)),
                Err(message) => {
                    problems.push(ConfigError::located(&reference, message));
                    None
                }
            };
        }
        let before = problems.len();
        self.check_refs(node, problems);
        if problems.len() != before {
            return None;
        }
        problems.take(node.to_serde()).map(Schema::Inline)
    }
}

/// The node a `$ref` to another part of the file (`#/parameters/limit`,
/// `#/components/responses/Error`) stands for; `node` itself when it has no `$ref`.
fn resolve<'a>(node: Node<'a>, root: &Node<'a>, problems: &mut Problems) -> Option<Node<'a>> {
    let Some(reference) = node.get("$ref") else {
        return Some(node);
    };
    let reference = problems.take(reference.as_str())?;
    let mut target = reference.value.strip_prefix("#/").map(|_| root.clone());
    if let Some(pointer) = reference.value.strip_prefix("#/") {
        for part in pointer.split('/') {
            let part = part.replace("~1", "/").replace("~0", "~");
            target = target.and_then(|t| t.get(&part));
        }
    }
    if target.is_none() {
        problems.push(ConfigError::located(
            &reference,
            format!(
                "the `$ref` `{}` names nothing in this file (only `#/...` references to the \
                 file itself are read)",
                reference.value
            ),
        ));
    }
    target
}

/// The JSON schema of a media-type map (OpenAPI 3 `content`): that of `application/json`
/// (or another JSON type: `application/problem+json`...), if any.
fn json_content<'a>(content: &Node<'a>, problems: &mut Problems) -> Option<Node<'a>> {
    let members = problems.take(content.members())?;
    let (_, media) = members.into_iter().find(|(media_type, _)| {
        let essence = media_type.split(';').next().unwrap_or_default().trim();
        essence.eq_ignore_ascii_case("application/json")
            || essence.to_ascii_lowercase().ends_with("+json")
    })?;
    media.get("schema")
}

/// Where an operation's parameters were read into.
#[derive(Default)]
struct Parameters {
    query: Vec<Param>,
    headers: Vec<Param>,
    /// Swagger 2's `in: body` parameter's schema.
    body: Option<Schema>,
}

/// The keys of a Swagger 2 non-body parameter that make its schema.
const SWAGGER_SCHEMA_KEYS: [&str; 10] = [
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
];

/// Reads the parameter lists `lists` (path level, then operation level: an operation's
/// parameter replaces the path's of the same name and place).
fn parameters(
    lists: &[Option<Node<'_>>],
    root: &Node<'_>,
    models: &Models,
    problems: &mut Problems,
) -> Parameters {
    let mut out = Parameters::default();
    for list in lists.iter().flatten() {
        for item in problems.take(list.items()).unwrap_or_default() {
            let Some(param) = resolve(item, root, problems) else {
                continue;
            };
            let (Some(name), Some(place)) = (
                problems.take(param.req_str("name")),
                problems.take(param.req_str("in")),
            ) else {
                continue;
            };
            let required = problems.take(param.opt_bool("required")).flatten();
            let schema = match (place.value.as_str(), param.get("schema")) {
                (_, Some(schema)) => models.schema(&schema, problems),
                ("body", None) => {
                    problems.push(param.error("the body parameter has no `schema`"));
                    None
                }
                _ => {
                    // Swagger 2: the schema is the parameter's own `type`, `format`...
                    let mut object = serde_json::Map::new();
                    for key in SWAGGER_SCHEMA_KEYS {
                        if let Some(value) =
                            param.get(key).and_then(|v| problems.take(v.to_serde()))
                        {
                            object.insert(key.to_owned(), value);
                        }
                    }
                    (!object.is_empty()).then_some(Schema::Inline(object.into()))
                }
            };
            let (list, is_header) = match place.value.as_str() {
                "query" => (&mut out.query, false),
                "header" => (&mut out.headers, true),
                "body" => {
                    out.body = schema;
                    continue;
                }
                "path" | "formData" | "cookie" => continue,
                other => {
                    problems.push(ConfigError::located(
                        &place,
                        format!(
                            "unknown parameter place `{other}`; expected \"query\", \"header\", \
                             \"path\", \"cookie\", \"body\" or \"formData\""
                        ),
                    ));
                    continue;
                }
            };
            let param = Param {
                required: required.unwrap_or(false),
                name: name.value,
                schema,
            };
            // Header names are case-insensitive.
            let same = |p: &Param| {
                p.name == param.name || (is_header && p.name.eq_ignore_ascii_case(&param.name))
            };
            match list.iter().position(same) {
                Some(i) => list[i] = param,
                None => list.push(param),
            }
        }
    }
    out
}

/// The operation `op` (of method `method`, in the path item `item`) with its parameters,
/// body and responses.
fn operation(
    method: Method,
    op: &Node<'_>,
    item: &Node<'_>,
    root: &Node<'_>,
    models: &Models,
    problems: &mut Problems,
) -> Operation {
    let operation_id = problems.take(op.opt_str("operationId")).flatten();
    let params = parameters(
        &[item.get("parameters"), op.get("parameters")],
        root,
        models,
        problems,
    );
    let mut body = params.body;
    if let Some(request) = op
        .get("requestBody")
        .and_then(|r| resolve(r, root, problems))
    {
        body = request
            .get("content")
            .and_then(|c| json_content(&c, problems))
            .and_then(|s| models.schema(&s, problems));
    }
    let mut responses = Vec::new();
    if let Some(declared) = op.get("responses") {
        for (status, response) in problems.take(declared.members()).unwrap_or_default() {
            let Some(response) = resolve(response, root, problems) else {
                continue;
            };
            // Swagger 2: `schema`; OpenAPI 3: `content`.
            let schema = match (response.get("schema"), response.get("content")) {
                (Some(schema), _) => Some(schema),
                (None, Some(content)) => json_content(&content, problems),
                (None, None) => None,
            };
            responses.push(Response {
                status: status.to_owned(),
                schema: schema.and_then(|s| models.schema(&s, problems)),
            });
        }
    }
    Operation {
        operation_id: operation_id.map(|o| o.value),
        query: params.query,
        headers: params.headers,
        body,
        responses,
        ..Operation::new(method)
    }
}

/// The file's models (Swagger 2 `definitions`, OpenAPI 3 `components.schemas`), each checked.
fn models(root: &Node<'_>, problems: &mut Problems) -> (Models, Vec<(String, serde_json::Value)>) {
    let node = match (root.get("definitions"), root.get("components")) {
        (Some(definitions), _) => Some(definitions),
        (None, Some(components)) => components.get("schemas"),
        (None, None) => None,
    };
    let members = node
        .and_then(|n| problems.take(n.members()))
        .unwrap_or_default();
    let models = Models {
        names: members.iter().map(|(name, _)| (*name).to_owned()).collect(),
    };
    let mut schemas = Vec::with_capacity(members.len());
    for (name, schema) in members {
        if !matches!(schema.value(), Value::Object(_)) {
            problems.push(schema.error(format!(
                "the model `{name}` is not a schema (an object) but {}",
                schema.value().kind()
            )));
            continue;
        }
        models.check_refs(&schema, problems);
        if let Some(value) = problems.take(schema.to_serde()) {
            schemas.push((name.to_owned(), value));
        }
    }
    (models, schemas)
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
/// `x-amazon-apigateway-any-method` allows every method. Each operation's query and header
/// parameters (path-level ones merged, the operation's replacing them by name), its JSON request
/// body (Swagger 2 `in: body`, OpenAPI 3 `requestBody`) and responses are read, with the file's
/// models in [`RouteTable::schemas`]; a `$ref` to a model the file lacks is an error naming the
/// closest ones.
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
    let (models, schemas) = models(&root, &mut problems);
    let security = Security::read(&root, &mut problems);
    let mut table = RouteTable {
        routes: Vec::new(),
        host,
        base_path,
        schemas,
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
            let Some(&first) = methods.first() else {
                continue;
            };
            let mut read = operation(first, &op, &item, &root, &models, &mut problems);
            security.apply(&op, &mut read, &mut problems);
            for method in methods {
                if operations.iter().all(|o| o.method != method) {
                    operations.push(Operation {
                        method,
                        ..read.clone()
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

    const CALC: &str = r##"{"swagger": "2.0", "paths": {
      "/calc": {
        "parameters": [{"name": "operand1", "in": "query", "type": "string"}],
        "get": {
          "parameters": [
            {"name": "operand2", "in": "query", "required": true, "type": "string"},
            {"name": "operand1", "in": "query", "required": true, "type": "string"},
            {"name": "X-Trace", "in": "header", "type": "integer", "format": "int32"}
          ],
          "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Result"}},
                        "400": {"description": "bad", "schema": {"type": "object"}},
                        "500": {"description": "oops"}}
        },
        "post": {
          "parameters": [{"in": "body", "name": "Input", "required": true,
                          "schema": {"$ref": "#/definitions/Input"}}],
          "responses": {"200": {"$ref": "#/responses/Ok"}}
        }
      }},
      "responses": {"Ok": {"description": "ok", "schema": {"$ref": "#/definitions/Result"}}},
      "definitions": {
        "Input": {"$schema": "http://json-schema.org/draft-04/schema#", "title": "Input",
                  "type": "object", "properties": {"a": {"type": "number", "minimum": 0,
                  "exclusiveMinimum": true}}},
        "Result": {"type": "object", "properties": {"input": {"$ref": "#/definitions/Input"}}}
      }}"##;

    #[test]
    fn swagger_2_parameters_body_responses_and_models() {
        let table = read_openapi(CALC).unwrap();
        let names: Vec<&str> = table.schemas.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["Input", "Result"]);
        assert_eq!(
            table.schemas[0].1["exclusiveMinimum"],
            serde_json::Value::Null
        );
        assert_eq!(
            table.schemas[0].1["properties"]["a"]["exclusiveMinimum"],
            serde_json::json!(true)
        );
        let get = table.routes[0].operation(Method::Get).unwrap();
        // The path-level `operand1` is replaced by the operation's (required).
        let query: Vec<(&str, bool)> = get
            .query
            .iter()
            .map(|p| (p.name.as_str(), p.required))
            .collect();
        assert_eq!(query, [("operand1", true), ("operand2", true)]);
        assert_eq!(
            get.query[1].schema,
            Some(Schema::Inline(serde_json::json!({"type": "string"})))
        );
        assert_eq!(get.headers[0].name, "X-Trace");
        assert_eq!(
            get.headers[0].schema,
            Some(Schema::Inline(
                serde_json::json!({"type": "integer", "format": "int32"})
            ))
        );
        assert_eq!(get.body, None);
        let responses: Vec<(&str, Option<&Schema>)> = get
            .responses
            .iter()
            .map(|r| (r.status.as_str(), r.schema.as_ref()))
            .collect();
        assert_eq!(
            responses,
            [
                ("200", Some(&Schema::Named("Result".to_owned()))),
                (
                    "400",
                    Some(&Schema::Inline(serde_json::json!({"type": "object"})))
                ),
                ("500", None)
            ]
        );
        let post = table.routes[0].operation(Method::Post).unwrap();
        assert_eq!(post.body, Some(Schema::Named("Input".to_owned())));
        // The path-level parameter applies to every operation.
        assert_eq!(post.query.len(), 1);
        assert!(!post.query[0].required);
        // A response `$ref` is followed.
        assert_eq!(
            post.responses[0].schema,
            Some(Schema::Named("Result".to_owned()))
        );
    }

    #[test]
    fn openapi_3_request_bodies_content_and_components() {
        let table = read_openapi(
            r##"{"openapi": "3.0.1", "paths": {"/orders/{id}": {
              "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                             {"$ref": "#/components/parameters/Limit"}],
              "put": {
                "parameters": [{"name": "x-id", "in": "header", "required": true,
                                "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/json; charset=utf-8":
                                {"schema": {"$ref": "#/components/schemas/Order"}}}},
                "responses": {"201": {"description": "made", "content": {"application/json":
                                {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}}}}},
                              "default": {"description": "error", "content": {"text/plain": {"schema": {"type": "string"}}}}}
              },
              "x-amazon-apigateway-any-method": {"requestBody": {"content": {"text/csv": {}}}}
            }},
            "components": {
              "parameters": {"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}},
              "schemas": {"Order": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}
            }}"##,
        )
        .unwrap();
        assert_eq!(table.schemas.len(), 1);
        assert_eq!(table.schemas[0].0, "Order");
        let route = &table.routes[0];
        let put = route.operation(Method::Put).unwrap();
        assert_eq!(put.query.len(), 1);
        assert_eq!(put.query[0].name, "limit");
        assert!(!put.query[0].required);
        assert_eq!(
            put.query[0].schema,
            Some(Schema::Inline(serde_json::json!({"type": "integer"})))
        );
        assert_eq!(put.headers[0].name, "x-id");
        assert!(put.headers[0].required);
        assert_eq!(put.body, Some(Schema::Named("Order".to_owned())));
        assert_eq!(
            put.responses[0].schema,
            Some(Schema::Inline(serde_json::json!(
                {"type": "array", "items": {"$ref": "#/components/schemas/Order"}}
            )))
        );
        // A response without a JSON type has no schema.
        assert_eq!(put.responses[1].status, "default");
        assert_eq!(put.responses[1].schema, None);
        // `x-amazon-apigateway-any-method` gives the other methods one operation each.
        let get = route.operation(Method::Get).unwrap();
        assert_eq!(get.body, None);
        assert_eq!(get.query[0].name, "limit");
    }

    #[test]
    fn a_ref_to_a_missing_model_is_one_error_naming_the_close_ones() {
        let errors = read_openapi(
            "{\"swagger\": \"2.0\", \"paths\": {\"/calc\": {\"post\": {\"parameters\": [\n\
             {\"in\": \"body\", \"name\": \"b\", \"schema\": {\"$ref\": \"#/definitions/Inptu\"}}],\n\
             \"responses\": {\"200\": {\"schema\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/definitions/Zzz\"}}}}}}},\n\
             \"definitions\": {\"Input\": {\"type\": \"object\"}, \"Output\": {\"type\": \"object\"},\n\
             \"Result\": {\"properties\": {\"x\": {\"$ref\": \"#/definitions/Outptu\"}}}, \"Bad\": 3}}",
        )
        .unwrap_err();
        let messages: Vec<String> = errors.iter().map(|e| e.render("calc.json")).collect();
        assert_eq!(
            messages,
            [
                "`calc.json:5:41`, at `definitions.Result.properties.x.$ref`: the `$ref` \
                 `#/definitions/Outptu` names the model `Outptu`, which the file does not have; \
                 did you mean `Output`?",
                "`calc.json:5:75`, at `definitions.Bad`: the model `Bad` is not a schema (an \
                 object) but a number",
                "`calc.json:2:48`, at `paths[\"/calc\"].post.parameters[0].schema.$ref`: the \
                 `$ref` `#/definitions/Inptu` names the model `Inptu`, which the file does not \
                 have; did you mean `Input`?",
                "`calc.json:3:69`, at `paths[\"/calc\"].post.responses[\"200\"].schema.items.$ref`: \
                 the `$ref` `#/definitions/Zzz` names the model `Zzz`, which the file does not \
                 have; its models: `Input`, `Output`, `Result`, `Bad`",
            ]
        );
        let errors = read_openapi(
            r##"{"openapi": "3.0.1", "paths": {"/a": {"get": {"parameters": [
                {"$ref": "#/components/parameters/Nope"}, {"name": "q", "in": "cookies"},
                {"name": "b", "in": "query", "schema": "string"}]}}},
                "components": {"schemas": {"A": {"$ref": "other.json#/A"}}}}"##,
        )
        .unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the `$ref` `other.json#/A` is not a model of this file; a schema refers to a \
                 model as `#/definitions/<name>` (Swagger 2) or `#/components/schemas/<name>` \
                 (OpenAPI 3)",
                "the `$ref` `#/components/parameters/Nope` names nothing in this file (only \
                 `#/...` references to the file itself are read)",
                "unknown parameter place `cookies`; expected \"query\", \"header\", \"path\", \
                 \"cookie\", \"body\" or \"formData\"",
                "expected a schema (an object), found a string",
            ]
        );
    }
}
