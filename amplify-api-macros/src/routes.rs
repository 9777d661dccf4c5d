//! Route tables for the endpoints (issue "Typed routes"): which file gives each endpoint its
//! routes, read with the config crate's readers ([`amplify_api_config::routes`]); the code they
//! become is [`crate::route_codegen`]'s.
//!
//! Sources, the first that applies per endpoint:
//! 1. `routes = { itemsApi = "openapi/items.json" }`: an API Gateway export (OpenAPI 3 or
//!    Swagger 2), or a Gen 1 `cli-inputs.json` when the file has that name;
//! 2. `backend = "amplify/backend"`, or found automatically (`amplify/backend` beside the
//!    `src/` of a `config = ".../src/aws-exports.js"`): `<backend>/api/<name>/cli-inputs.json`;
//!    or `backend = "cdk.out"`, a synthesized CDK app or Gen 2 backend (a folder with a
//!    `manifest.json` or `*.template.json`), found automatically as
//!    `.amplify/artifacts/cdk.out` beside a `config = ".../amplify_outputs.json"`: the REST or
//!    HTTP API whose `Name` (or logical id) is the endpoint's name;
//! 3. the Mobile Hub `paths` of the endpoint's aws-exports entry.

use std::path::{Path, PathBuf};

use syn::LitStr;

use amplify_api_config::routes::{
    CloudAssembly, RouteTable, is_cloud_assembly, read_cli_inputs, read_cloud_assembly,
    read_openapi,
};
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

/// The Gen 2 backend's synthesized templates next to a `.../amplify_outputs.json` config
/// (`.amplify/artifacts/cdk.out`, where `npx ampx sandbox` writes them), if they are there.
fn discovered_cdk(config: &str, manifest_dir: Option<&str>) -> Option<String> {
    let path = Path::new(config);
    if path.file_name()? != "amplify_outputs.json" {
        return None;
    }
    let cdk: PathBuf = path
        .parent()?
        .join(".amplify")
        .join("artifacts")
        .join("cdk.out");
    let absolute = Path::new(manifest_dir?).join(&cdk);
    is_cloud_assembly(&absolute)
        .then(|| cdk.to_str().map(str::to_owned))
        .flatten()
}

/// How to make a cloud assembly that is not there.
const SYNTH_HINT: &str = "synthesize the backend first: `npx ampx sandbox` (Amplify Gen 2, \
                          writes `.amplify/artifacts/cdk.out`) or `npx cdk synth` (a CDK app, \
                          writes `cdk.out`); the path is relative to the crate's directory \
                          (where its Cargo.toml is)";

/// The routes of the endpoints of `model` from the cloud assembly `dir` (as written), each
/// endpoint taking the API named like it. `explicit`: the folder was given with `backend`, so
/// a missing folder or an endpoint without an API is an error; a folder found automatically
/// that cannot be read is left alone.
fn cdk_tables(
    dir: &str,
    lit: &LitStr,
    explicit: bool,
    model: &Model,
    manifest_dir: Option<&str>,
    out: &mut Tables,
    errors: &mut Errors,
) {
    let Some(absolute) = manifest_dir.map(|m| Path::new(m).join(dir)) else {
        return;
    };
    let assembly: CloudAssembly = match read_cloud_assembly(&absolute) {
        Ok(assembly) => assembly,
        Err(problems) => {
            if explicit {
                for problem in problems {
                    errors.push(syn::Error::new(lit.span(), problem.render(dir)));
                }
            }
            return;
        }
    };
    out.inputs.extend(
        assembly
            .files
            .iter()
            .filter_map(|f| f.to_str().map(str::to_owned)),
    );
    let mut unmatched = Vec::new();
    for endpoint in &model.endpoints {
        if out.get(&endpoint.name).is_some() {
            continue;
        }
        let Some(api) = assembly.apis.iter().find(|a| a.is_named(&endpoint.name)) else {
            unmatched.push(format!("`{}`", endpoint.name));
            continue;
        };
        if !api.skipped.is_empty() {
            for note in &api.skipped {
                errors.push(syn::Error::new(
                    lit.span(),
                    format!(
                        "the routes of `{}` from `{dir}` are incomplete: {}",
                        endpoint.name,
                        note.render(dir)
                    ),
                ));
            }
            continue;
        }
        out.endpoints.push(EndpointRoutes {
            name: endpoint.name.clone(),
            table: api.table.clone(),
            source: format!("{}/{}", dir.trim_end_matches('/'), api.template),
        });
    }
    if explicit && !unmatched.is_empty() {
        let found: Vec<String> = assembly.apis.iter().map(|a| a.describe()).collect();
        let found = if found.is_empty() {
            "it defines no REST or HTTP API".to_owned()
        } else {
            format!("the APIs there: {}", found.join(", "))
        };
        errors.push(syn::Error::new(
            lit.span(),
            format!(
                "no API in `{dir}` is named {} (an API matches an endpoint by its `Name` — \
                 `restApiName`/`apiName` in CDK — or its logical id); {found}",
                unmatched.join(" or ")
            ),
        ));
    }
}

/// The routes of the endpoints of `model` from the Gen 1 backend folder `backend`:
/// `api/<name>/cli-inputs.json`; none at all is an error when the folder was given
/// (`explicit`).
#[allow(clippy::too_many_arguments)]
fn gen1_tables(
    backend: &str,
    lit: &LitStr,
    explicit: bool,
    written: &str,
    model: &Model,
    manifest_dir: Option<&str>,
    out: &mut Tables,
    errors: &mut Errors,
) {
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
        if let Some(table) = read_table(&file, manifest_dir, lit, &mut out.inputs, errors) {
            out.endpoints.push(EndpointRoutes {
                name: endpoint.name.clone(),
                table,
                source: file,
            });
        }
    }
    if found == 0 && explicit {
        errors.push(syn::Error::new(
            lit.span(),
            format!(
                "`{backend}` has no `api/<name>/cli-inputs.json` for any endpoint of \
                 `{written}`, nor is it a synthesized CDK app (`manifest.json`, \
                 `*.template.json`); the path is relative to the crate's directory (where its \
                 Cargo.toml is)"
            ),
        ));
    }
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
    // 2. The backend: the Gen 1 folder, or a synthesized CDK app / Gen 2 backend.
    let backend = match &args.backend {
        Some(lit) => Some((lit.value(), lit.clone(), true)),
        None => discovered_backend(&written, manifest_dir)
            .or_else(|| discovered_cdk(&written, manifest_dir))
            .and_then(|b| Some((b, args.config.clone()?, false))),
    };
    if let Some((backend, lit, explicit)) = backend {
        // The same path rules as `config` (relative to the crate, never absolute).
        let absolute = manifest_path::resolve(&backend, manifest_dir)
            .map_err(|message| errors.push(syn::Error::new(lit.span(), message)))
            .ok();
        let is_cdk = absolute.as_deref().is_some_and(is_cloud_assembly);
        let gen1 = absolute
            .as_deref()
            .is_some_and(|a| a.join("api").is_dir() || a.join("backend-config.json").is_file());
        let exists = absolute.as_deref().is_some_and(Path::is_dir);
        // A folder meant to be a CDK output: named so, or given with a Gen 2 config.
        let cdk_like = backend.trim_end_matches('/').ends_with("cdk.out")
            || written.ends_with("amplify_outputs.json");
        if absolute.is_none() {
            // Said above.
        } else if is_cdk {
            cdk_tables(
                &backend,
                &lit,
                explicit,
                model,
                manifest_dir,
                &mut out,
                errors,
            );
        } else if explicit && !gen1 && cdk_like {
            let what = if exists {
                "has no `manifest.json` or `*.template.json`"
            } else {
                "does not exist"
            };
            errors.push(syn::Error::new(
                lit.span(),
                format!("the backend folder `{backend}` {what}; {SYNTH_HINT}"),
            ));
        } else {
            gen1_tables(
                &backend,
                &lit,
                explicit,
                &written,
                model,
                manifest_dir,
                &mut out,
                errors,
            );
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
