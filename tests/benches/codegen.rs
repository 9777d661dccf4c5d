//! Code generation cost of `#[api_client]` as configs grow: 1, 50, 200 and 1,000 endpoints.
//!
//! `cargo bench -p tests --bench codegen` (`CODEGEN_REPS`, default 3; `CODEGEN_SIZES`, default
//! `1,50,200,1000`). For each size it writes a crate under `<target>/codegen-bench/` whose
//! `amplifyconfiguration.json` (native format) has that many REST endpoints, and a twin crate
//! without the macro. All share one target directory and the workspace's `Cargo.lock`, so
//! `amplify-api` and its dependencies are built once, before timing. Then, per crate:
//! - build time: `cargo build` after touching `src/lib.rs` (the crate alone is recompiled),
//!   median of `CODEGEN_REPS`, minus the twin's;
//! - macro expansion time: rustc's `-Z time-passes` `macro_expand_crate` (through
//!   `RUSTC_BOOTSTRAP=1`, as stable rustc hides it), minus the twin's;
//! - expanded lines: `-Z unpretty=expanded`, minus the twin's.
//!
//! Then typed routes: the same crate with one endpoint and an OpenAPI export of `CODEGEN_ROUTES`
//! routes (default 500: typed methods, the `route!` table, docs) against that crate without
//! `routes = {..}`: build time added and the ratio (target: < 1 s added for 500). And the same
//! routes with models (issue 22): a required and an optional query parameter on each GET, a
//! body model on each PUT, a response model on each and an error model, one model per path
//! (`CODEGEN_MODELS` sets how many: the paths share them in turn), as Rust types (typify); that crate depends on `amplify-api` only, so it also shows that the
//! generated types need no `serde` of the user's. `CODEGEN_SIZES=` (empty) measures the typed
//! routes only.
//!
//! The first run also builds the dependencies (a minute or two).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use support::{cargo, target_dir};

/// A native `amplifyconfiguration.json` with `n` REST endpoints (and one GraphQL API, ignored).
fn config(n: usize) -> String {
    let mut apis = String::new();
    for i in 0..n {
        let auth = ["AWS_IAM", "AWS_IAM", "API_KEY", "AMAZON_COGNITO_USER_POOLS"][i % 4];
        let key = if auth == "API_KEY" {
            format!(r#", "apiKey": "da2-key{i:04}""#)
        } else {
            String::new()
        };
        let region = ["us-east-1", "eu-west-1", "ap-southeast-2"][i % 3];
        let _ = write!(
            apis,
            r#"
        "orders{i:04}Api": {{
          "endpointType": "REST",
          "endpoint": "https://id{i:06}.execute-api.{region}.amazonaws.com/prod",
          "region": "{region}",
          "authorizationType": "{auth}"{key}
        }},"#
        );
    }
    format!(
        r#"{{
  "UserAgent": "aws-amplify-cli/2.0",
  "Version": "1.0",
  "api": {{
    "plugins": {{
      "awsAPIPlugin": {{{apis}
        "todoGraphQl": {{
          "endpointType": "GraphQL",
          "endpoint": "https://xyz.appsync-api.us-east-1.amazonaws.com/graphql",
          "region": "us-east-1",
          "authorizationType": "API_KEY",
          "apiKey": "da2-graphql"
        }}
      }}
    }}
  }},
  "auth": {{
    "plugins": {{
      "awsCognitoAuthPlugin": {{
        "CredentialsProvider": {{
          "CognitoIdentity": {{
            "Default": {{ "PoolId": "us-east-1:0a1b2c3d-1111-2222-3333-444455556666", "Region": "us-east-1" }}
          }}
        }}
      }}
    }}
  }}
}}
"#
    )
}

/// An OpenAPI 3 export with `n` routes: `/resource<i>` and `/resource<i>/{id}`, alternately
/// GET and PUT, some with an `operationId`.
fn openapi(n: usize) -> String {
    let mut paths = Vec::new();
    for i in 0..n {
        let (path, method) = if i % 2 == 0 {
            (format!("/resource{:04}", i / 2), "get")
        } else {
            (format!("/resource{:04}/{{id}}", i / 2), "put")
        };
        let op = if i % 3 == 0 {
            format!(r#""operationId": "op{i:04}", "#)
        } else {
            String::new()
        };
        paths.push(format!(
            r#"    "{path}": {{"{method}": {{{op}"responses": {{"200": {{"description": "ok"}}}}}}}}"#
        ));
    }
    format!(
        "{{\n  \"openapi\": \"3.0.1\",\n  \"info\": {{\"title\": \"bench\", \"version\": \"1\"}},\n  \
         \"paths\": {{\n{}\n  }}\n}}\n",
        paths.join(",\n")
    )
}

/// The export [`openapi`] writes, with models: each GET takes a required `q` and an optional
/// `limit`, answers its path's model `Resource<k>` (or the `Error` model), each PUT takes and
/// answers it.
fn openapi_with_models(n: usize) -> String {
    let distinct: usize = std::env::var("CODEGEN_MODELS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(n.div_ceil(2))
        .max(1);
    let mut paths = Vec::new();
    for i in 0..n {
        let model = format!(
            r##"{{"$ref": "#/components/schemas/Resource{:04}"}}"##,
            (i / 2) % distinct
        );
        let json = |schema: &str| format!(r#"{{"application/json": {{"schema": {schema}}}}}"#);
        let op = if i % 3 == 0 {
            format!(r#""operationId": "op{i:04}", "#)
        } else {
            String::new()
        };
        let (path, method) = if i % 2 == 0 {
            let params = r#""parameters": [{"name": "q", "in": "query", "required": true, "schema": {"type": "string"}}, {"name": "limit", "in": "query", "schema": {"type": "integer"}}], "#;
            let error = json(r##"{"$ref": "#/components/schemas/Error"}"##);
            (
                format!("/resource{:04}", i / 2),
                format!(
                    r#""get": {{{op}{params}"responses": {{"200": {{"description": "ok", "content": {}}}, "400": {{"description": "bad", "content": {error}}}}}}}"#,
                    json(&model)
                ),
            )
        } else {
            (
                format!("/resource{:04}/{{id}}", i / 2),
                format!(
                    r#""put": {{{op}"requestBody": {{"required": true, "content": {}}}, "responses": {{"200": {{"description": "ok", "content": {}}}}}}}"#,
                    json(&model),
                    json(&model)
                ),
            )
        };
        paths.push(format!(r#"    "{path}": {{{method}}}"#));
    }
    let mut models: Vec<String> = (0..distinct.min(n.div_ceil(2)))
        .map(|k| {
            format!(
                r#"      "Resource{k:04}": {{"$schema": "http://json-schema.org/draft-04/schema#", "title": "Resource {k}", "type": "object", "required": ["id"], "properties": {{"id": {{"type": "string"}}, "name": {{"type": "string"}}, "count": {{"type": "integer", "minimum": 0}}, "tags": {{"type": "array", "items": {{"type": "string"}}}}}}}}"#
            )
        })
        .collect();
    models.push(
        r#"      "Error": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}}"#
            .to_owned(),
    );
    format!(
        "{{\n  \"openapi\": \"3.0.1\",\n  \"info\": {{\"title\": \"bench\", \"version\": \"1\"}},\n  \
         \"paths\": {{\n{}\n  }},\n  \"components\": {{\"schemas\": {{\n{}\n  }}}}\n}}\n",
        paths.join(",\n"),
        models.join(",\n")
    )
}

/// Writes crate `name` in `root`; with the macro when `endpoints` is `Some`, and an OpenAPI
/// file of `routes` routes for the first endpoint when that is `Some` (with models when
/// `models`).
fn write_crate(
    root: &Path,
    name: &str,
    endpoints: Option<usize>,
    routes: Option<usize>,
    models: bool,
) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../amplify-api");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\namplify-api = {{ path = {:?} }}\n\n[workspace]\n",
            runtime.canonicalize().unwrap()
        ),
    )
    .unwrap();
    let workspace_lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    if !dir.join("Cargo.lock").exists() {
        std::fs::copy(workspace_lock, dir.join("Cargo.lock")).unwrap();
    }
    let routes_arg = match routes {
        Some(n) => {
            let export = if models {
                openapi_with_models(n)
            } else {
                openapi(n)
            };
            std::fs::write(dir.join("openapi.json"), export).unwrap();
            ", routes = { orders0000Api = \"openapi.json\" }"
        }
        None => "",
    };
    let lib = match endpoints {
        Some(n) => {
            std::fs::write(dir.join("amplifyconfiguration.json"), config(n)).unwrap();
            format!(
                "//! A client for the config's REST APIs.\n\n\
                 /// The app's REST APIs.\n\
                 #[amplify_api::api_client(config = \"amplifyconfiguration.json\"{routes_arg})]\n\
                 pub struct Api;\n"
            )
        }
        None => {
            "//! The same crate without the macro.\n\n/// Nothing generated.\npub struct Api;\n"
                .to_owned()
        }
    };
    std::fs::write(dir.join("src/lib.rs"), lib).unwrap();
    dir
}

fn run(dir: &Path, target: &Path, args: &[&str], bootstrap: bool) -> std::process::Output {
    let mut cmd = Command::new(cargo());
    cmd.current_dir(dir)
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS");
    if bootstrap {
        cmd.env("RUSTC_BOOTSTRAP", "1");
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "cargo {args:?} in {}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Seconds of an incremental-free rebuild of the crate alone.
fn build_seconds(dir: &Path, target: &Path) -> f64 {
    let lib = dir.join("src/lib.rs");
    let text = std::fs::read(&lib).unwrap();
    std::fs::write(&lib, text).unwrap(); // a new mtime: cargo rebuilds this crate only
    let started = Instant::now();
    run(dir, target, &["build", "-q"], false);
    started.elapsed().as_secs_f64()
}

/// `macro_expand_crate` seconds from rustc's `-Z time-passes`.
fn expansion_seconds(dir: &Path, target: &Path) -> f64 {
    let out = run(
        dir,
        target,
        &["rustc", "-q", "--lib", "--", "-Ztime-passes"],
        true,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    stderr
        .lines()
        .find(|l| l.trim_end().ends_with("macro_expand_crate"))
        .and_then(|l| l.split(';').next())
        .and_then(|t| t.trim_start_matches("time:").trim().parse().ok())
        .unwrap_or(f64::NAN)
}

/// Lines of the crate after expansion (`-Z unpretty=expanded`).
fn expanded_lines(dir: &Path, target: &Path) -> usize {
    let out = run(
        dir,
        target,
        &["rustc", "-q", "--lib", "--", "-Zunpretty=expanded"],
        true,
    );
    String::from_utf8_lossy(&out.stdout).lines().count()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

struct Row {
    endpoints: usize,
    build: f64,
    expand: f64,
    lines: usize,
}

fn main() {
    let reps: usize = std::env::var("CODEGEN_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let sizes: Vec<usize> = std::env::var("CODEGEN_SIZES")
        .unwrap_or_else(|_| "1,50,200,1000".to_owned())
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse().unwrap())
        .collect();
    let root = target_dir().join("codegen-bench");
    let target = root.join("target");
    let twin = write_crate(&root, "codegen_twin", None, None, false);
    println!(
        "codegen: building dependencies once in {}",
        target.display()
    );
    run(&twin, &target, &["build", "-q"], false);
    let measure = |dir: &Path| {
        let build = median((0..reps).map(|_| build_seconds(dir, &target)).collect());
        let expand = median((0..reps).map(|_| expansion_seconds(dir, &target)).collect());
        (build, expand, expanded_lines(dir, &target))
    };
    let (twin_build, twin_expand, twin_lines) = measure(&twin);
    let mut rows = Vec::new();
    for &n in &sizes {
        let dir = write_crate(&root, &format!("codegen_{n}"), Some(n), None, false);
        run(&dir, &target, &["build", "-q"], false);
        let (build, expand, lines) = measure(&dir);
        rows.push(Row {
            endpoints: n,
            build: build - twin_build,
            expand: expand - twin_expand,
            lines: lines - twin_lines,
        });
        println!("  {n} endpoints measured");
    }
    println!(
        "\n#[api_client] cost by config size (over the same crate without the macro: build {twin_build:.2} s, \
         expansion {:.0} ms, {twin_lines} lines; medians of {reps})",
        twin_expand * 1e3
    );
    println!(
        "| endpoints | build time added | per endpoint | macro expansion | per endpoint | expanded lines | per endpoint |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for r in &rows {
        let n = r.endpoints as f64;
        println!(
            "| {} | {:.2} s | {:.2} ms | {:.0} ms | {:.3} ms | {} | {:.1} |",
            r.endpoints,
            r.build,
            r.build * 1e3 / n,
            r.expand * 1e3,
            r.expand * 1e3 / n,
            r.lines,
            r.lines as f64 / n,
        );
    }
    // Linearity: the cost of each added endpoint between consecutive sizes.
    println!(
        "\n| from -> to | build per added endpoint | expansion per added endpoint | lines per added endpoint |"
    );
    println!("| --- | --- | --- | --- |");
    for pair in rows.windows(2) {
        let added = (pair[1].endpoints - pair[0].endpoints) as f64;
        println!(
            "| {} -> {} | {:.2} ms | {:.3} ms | {:.1} |",
            pair[0].endpoints,
            pair[1].endpoints,
            (pair[1].build - pair[0].build) * 1e3 / added,
            (pair[1].expand - pair[0].expand) * 1e3 / added,
            (pair[1].lines as f64 - pair[0].lines as f64) / added,
        );
    }
    if let Some(r) = rows.iter().find(|r| r.endpoints == 200) {
        println!(
            "\n200 endpoints add {:.2} s of build time: target < 2 s {}",
            r.build,
            if r.build < 2.0 { "met" } else { "MISSED" }
        );
    }
    // Typed routes: one endpoint with and without an OpenAPI file of `CODEGEN_ROUTES` routes.
    let routes: usize = std::env::var("CODEGEN_ROUTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let plain = write_crate(&root, "codegen_routes_none", Some(1), None, false);
    let typed = write_crate(
        &root,
        &format!("codegen_routes_{routes}"),
        Some(1),
        Some(routes),
        false,
    );
    let modelled = write_crate(
        &root,
        &format!("codegen_routes_{routes}_models"),
        Some(1),
        Some(routes),
        true,
    );
    run(&plain, &target, &["build", "-q"], false);
    run(&typed, &target, &["build", "-q"], false);
    run(&modelled, &target, &["build", "-q"], false);
    let (plain_build, plain_expand, plain_lines) = measure(&plain);
    let (typed_build, typed_expand, typed_lines) = measure(&typed);
    let (models_build, models_expand, models_lines) = measure(&modelled);
    let added = typed_build - plain_build;
    println!(
        "\n| typed routes | build time (crate alone) | macro expansion | expanded lines |\n\
         | --- | --- | --- | --- |\n\
         | none (1 endpoint) | {plain_build:.2} s | {:.0} ms | {plain_lines} |\n\
         | {routes} routes | {typed_build:.2} s | {:.0} ms | {typed_lines} |\n\
         | {routes} routes with models | {models_build:.2} s | {:.0} ms | {models_lines} |",
        plain_expand * 1e3,
        typed_expand * 1e3,
        models_expand * 1e3
    );
    println!(
        "\n{routes} routes add {added:.2} s of build time ({:.2}x the crate without routes; \
         {:.2} ms per route): target < 1 s {}",
        typed_build / plain_build,
        added * 1e3 / routes as f64,
        if added < 1.0 { "met" } else { "MISSED" }
    );
    let added_models = models_build - plain_build;
    println!(
        "{routes} routes with models add {added_models:.2} s of build time ({:.2}x the crate \
         without routes; {:.2} ms per route): target < 1 s {}",
        models_build / plain_build,
        added_models * 1e3 / routes as f64,
        if added_models < 1.0 { "met" } else { "MISSED" }
    );
}
