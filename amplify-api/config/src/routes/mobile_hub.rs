//! The Mobile Hub `paths` of an old aws-exports entry ([`mobile_hub_table`]).

use super::{Method, Operation, RouteTable, route, route_below};
use crate::RawEndpoint;
use crate::read::diagnostics::{ConfigError, Located, Problems};

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
            .map(Operation::new)
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
