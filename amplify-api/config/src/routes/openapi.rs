//! API Gateway exports: OpenAPI 3 and Swagger 2 ([`read_openapi`]).

use super::{Method, Operation, RouteTable, parse, route};
use crate::read::diagnostics::{ConfigError, Problems};
use crate::read::json::Node;

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
        schemas: Vec::new(),
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
                        operation_id: operation_id.as_ref().map(|o| o.value.clone()),
                        ..Operation::new(method)
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
    super::security::apply(&root, &mut table, &mut problems);
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
}
