//! Amplify Gen 1 `amplify/backend/api/<name>/cli-inputs.json` ([`read_cli_inputs`]).

use super::{Method, Operation, RouteTable, parse, route, route_below};
use crate::read::diagnostics::{ConfigError, Located, Problems};
use crate::read::json::Node;

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
                callers,
                ..Operation::new(method)
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
