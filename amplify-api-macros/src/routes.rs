//! Route tables for the endpoints (issue "Typed routes"): which file gives each endpoint its
//! routes, read with the config crate's readers ([`amplify_api_config::routes`]); the code they
//! become is [`crate::route_codegen`]'s.
//!
//! Sources, the first that applies per endpoint:
//! 1. `routes = { itemsApi = "openapi/items.json" }`: an API Gateway export (OpenAPI 3 or
//!    Swagger 2), or a Gen 1 `cli-inputs.json` when the file has that name;
//! 2. `backend = "amplify/backend"`, or found automatically (`amplify/backend` beside the
//!    `src/` of a `config = ".../src/aws-exports.js"`): `<backend>/api/<name>/cli-inputs.json`;
//! 3. the Mobile Hub `paths` of the endpoint's aws-exports entry.

use std::path::{Path, PathBuf};

use syn::LitStr;

use amplify_api_config::routes::{RouteTable, read_cli_inputs, read_openapi};
use amplify_api_config::{ConfigError, Model};

use crate::args::{Args, Errors};
use crate::{manifest_path, required};

/// One endpoint's route table and where it came from.
#[derive(Debug)]
pub(crate) struct EndpointRoutes {
    /// The endpoint's Amplify name.
    pub(crate) name: String,
    /// Its routes.
    pub(crate) table: RouteTable,
    /// The file they were read from, as written or found (for docs).
    pub(crate) source: String,
}

/// The route tables found, and the files read (build inputs).
#[derive(Debug, Default)]
pub(crate) struct Tables {
    /// One per endpoint that has routes, in config order.
    pub(crate) endpoints: Vec<EndpointRoutes>,
    /// The absolute paths of the files read, for `include_bytes!`.
    pub(crate) inputs: Vec<String>,
}

impl Tables {
    /// The table of the endpoint named `name`, if it has one.
    pub(crate) fn get(&self, name: &str) -> Option<&EndpointRoutes> {
        self.endpoints.iter().find(|e| e.name == name)
    }
}

/// Reads the file `written` (relative to the crate) as routes; errors on `span_lit`.
fn read_table(
    written: &str,
    manifest_dir: Option<&str>,
    span_lit: &LitStr,
    inputs: &mut Vec<String>,
    errors: &mut Errors,
) -> Option<RouteTable> {
    let result = manifest_path::resolve(written, manifest_dir).and_then(|absolute| {
        let text = manifest_path::read_file("route file", written, &absolute)?;
        if let Some(path) = absolute.to_str() {
            inputs.push(path.to_owned());
        }
        Ok(text)
    });
    let text = match result {
        Ok(text) => text,
        Err(message) => {
            errors.push(syn::Error::new(span_lit.span(), message));
            return None;
        }
    };
    let cli_inputs = Path::new(written)
        .file_name()
        .is_some_and(|n| n == "cli-inputs.json");
    let read = if cli_inputs {
        read_cli_inputs(&text)
    } else {
        read_openapi(&text)
    };
    read.map_err(|problems| file_errors(problems, written, span_lit, errors))
        .ok()
}

/// Route file errors, rendered with the file's name (and JSON path, line:column).
pub(crate) fn file_errors(
    problems: Vec<ConfigError>,
    file: &str,
    span_lit: &LitStr,
    errors: &mut Errors,
) {
    for problem in problems {
        errors.push(syn::Error::new(span_lit.span(), problem.render(file)));
    }
}

/// The Gen 1 backend folder next to a `.../src/aws-exports.js` config, if there is one.
fn discovered_backend(config: &str, manifest_dir: Option<&str>) -> Option<String> {
    let path = Path::new(config);
    if path.file_name()? != "aws-exports.js" {
        return None;
    }
    let src = path.parent()?;
    if src.file_name()? != "src" {
        return None;
    }
    let backend: PathBuf = src.parent()?.join("amplify").join("backend");
    let absolute = Path::new(manifest_dir?).join(&backend);
    absolute
        .is_dir()
        .then(|| backend.to_str().map(str::to_owned))
        .flatten()
}

/// Every endpoint's route table from the sources above; `mobile_hub` are the tables of the
/// config's Mobile Hub `paths`, by name. Problems are recorded.
pub(crate) fn tables(
    args: &Args,
    model: &Model,
    mobile_hub: Vec<(String, RouteTable)>,
    manifest_dir: Option<&str>,
    errors: &mut Errors,
) -> Tables {
    let mut out = Tables::default();
    let written = args.config.as_ref().map(LitStr::value).unwrap_or_default();
    // 1. `routes = {..}`.
    for (name, file) in &args.routes {
        if !model.endpoints.iter().any(|e| e.name == name.value()) {
            errors.push(required::unknown_name(name, model, &written, "routes"));
            continue;
        }
        if out.get(&name.value()).is_some() {
            errors.push(syn::Error::new(
                name.span(),
                format!("`{}` is given twice in `routes`", name.value()),
            ));
            continue;
        }
        let Some(table) = read_table(&file.value(), manifest_dir, file, &mut out.inputs, errors)
        else {
            continue;
        };
        out.endpoints.push(EndpointRoutes {
            name: name.value(),
            table,
            source: file.value(),
        });
    }
    // 2. The Gen 1 backend.
    let backend = match &args.backend {
        Some(lit) => Some((lit.value(), lit.clone())),
        None => discovered_backend(&written, manifest_dir).and_then(|b| {
            let lit = args.config.clone()?;
            Some((b, lit))
        }),
    };
    if let Some((backend, lit)) = backend {
        let mut found = 0;
        for endpoint in &model.endpoints {
            let file = format!("{backend}/api/{}/cli-inputs.json", endpoint.name);
            let exists = manifest_dir.is_some_and(|dir| Path::new(dir).join(&file).is_file());
            if !exists {
                continue;
            }
            found += 1;
            if out.get(&endpoint.name).is_some() {
                continue;
            }
            if let Some(table) = read_table(&file, manifest_dir, &lit, &mut out.inputs, errors) {
                out.endpoints.push(EndpointRoutes {
                    name: endpoint.name.clone(),
                    table,
                    source: file,
                });
            }
        }
        if found == 0 && args.backend.is_some() {
            errors.push(syn::Error::new(
                lit.span(),
                format!(
                    "`{backend}` has no `api/<name>/cli-inputs.json` for any endpoint of \
                     `{written}`; the path is relative to the crate's directory (where its \
                     Cargo.toml is)"
                ),
            ));
        }
    }
    // 3. Mobile Hub `paths`.
    for (name, table) in mobile_hub {
        if out.get(&name).is_none() {
            out.endpoints.push(EndpointRoutes {
                name,
                table,
                source: written.clone(),
            });
        }
    }
    // Config order.
    out.endpoints.sort_by_key(|e| {
        model
            .endpoints
            .iter()
            .position(|m| m.name == e.name)
            .unwrap_or(usize::MAX)
    });
    out
}
