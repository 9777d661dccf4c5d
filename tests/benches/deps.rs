//! Dependency weight: a hello-world that fetches guest credentials from a Cognito Identity Pool
//! (GetId, then GetCredentialsForIdentity) with `amplify-api`, against the same program written
//! with `aws-config` + `aws-sdk-cognitoidentity`.
//!
//! `cargo bench -p tests --bench deps` (`DEPS_ROUNDS`, default 1: clean builds per crate). It
//! writes both crates under `<target>/deps-bench/`, each with its own `[workspace]` table (so
//! neither is part of this workspace) and its own target directory (so each build is clean):
//! - `hello_amplify`: `amplify-api` as a path dependency, default features, and the workspace's
//!   `Cargo.lock` (the versions this workspace builds);
//! - `hello_sdk`: `aws-config` and `aws-sdk-cognitoidentity` (latest 1.x, default features), a
//!   lock file resolved from crates.io the first time.
//!
//! For each it prints the unique crates (`name version`) of `cargo tree -e normal` and of
//! `cargo tree -e normal,build` (what a build compiles for the host), the crates a clean
//! `cargo build --release` compiled, its wall time and CPU time (user + system of cargo and
//! every rustc it ran: steadier than wall time on a shared machine), and the binary's size. The
//! sources are fetched before timing, so no download is timed. Then both binaries are run
//! against the emulator (`amplify-api-emulator`)'s Cognito Identity (`AWS_ENDPOINT_URL_COGNITO_IDENTITY`) to
//! show they do the same job. Finally `cargo tree -e normal` counts of `amplify-api` with and
//! without its `aws-config` feature.
//!
//! The first run needs crates.io (the SDK crate's lock file and sources).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use support::{cargo, target_dir};

use amplify_api_emulator::Emulator;

const AMPLIFY_MAIN: &str = r#"//! Guest credentials from an identity pool, with amplify-api.
use amplify_api::credentials::CognitoIdentityProvider;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pool = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "us-east-1:00000000-0000-0000-0000-000000000000".to_owned());
    // GetId, then GetCredentialsForIdentity.
    let provider = CognitoIdentityProvider::builder(pool).build()?;
    let credentials = provider.fetch().await?;
    println!(
        "{} {}",
        provider.identity_id().unwrap_or_default(),
        credentials.access_key_id()
    );
    Ok(())
}
"#;

const SDK_MAIN: &str = r#"//! Guest credentials from an identity pool, with aws-config + aws-sdk-cognitoidentity.
use aws_config::{BehaviorVersion, Region};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pool = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "us-east-1:00000000-0000-0000-0000-000000000000".to_owned());
    let region = pool.split(':').next().unwrap_or("us-east-1").to_owned();
    // GetId and GetCredentialsForIdentity are unsigned: no credentials for the SDK itself.
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region))
        .no_credentials()
        .load()
        .await;
    let cognito = aws_sdk_cognitoidentity::Client::new(&config);
    let id = cognito.get_id().identity_pool_id(&pool).send().await?;
    let identity_id = id.identity_id().ok_or("GetId returned no identity id")?;
    let credentials = cognito
        .get_credentials_for_identity()
        .identity_id(identity_id)
        .send()
        .await?;
    let access_key = credentials
        .credentials()
        .and_then(|c| c.access_key_id())
        .ok_or("GetCredentialsForIdentity returned no credentials")?;
    println!("{identity_id} {access_key}");
    Ok(())
}
"#;

struct Hello {
    name: &'static str,
    dir: PathBuf,
    target: PathBuf,
}

/// Writes the crate `name` with `dependencies` (TOML lines) and `main`.
fn write_crate(root: &Path, name: &'static str, dependencies: &str, main: &str) -> Hello {
    let dir = root.join(name);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\n{dependencies}\n\n[workspace]\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.join("src/main.rs"), main).unwrap();
    let target = root.join(format!("target-{name}"));
    Hello { name, dir, target }
}

fn run(hello: &Hello, args: &[&str]) -> Output {
    let out = Command::new(cargo())
        .current_dir(&hello.dir)
        .args(args)
        .env("CARGO_TARGET_DIR", &hello.target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo {args:?} in {}:\n{}",
        hello.dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Unique `name version` packages in `cargo tree -e <edges>`, the root crate left out.
fn tree_count(hello: &Hello, edges: &str, extra: &[&str]) -> usize {
    let mut args = vec!["tree", "-q", "-e", edges, "--prefix", "none", "-f", "{p}"];
    args.extend_from_slice(extra);
    let out = run(hello, &args);
    let crates: BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            Some(format!("{} {}", words.next()?, words.next()?))
        })
        .collect();
    crates.len().saturating_sub(1)
}

/// CPU time (user + system) of this process's waited-for children so far, in seconds.
fn children_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // cutime and cstime are fields 16 and 17 of the file, 14th and 15th after the name.
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let per_second = Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0);
    (ticks(13) + ticks(14)) / per_second
}

struct Build {
    wall: f64,
    cpu: f64,
    compiled: usize,
    binary_bytes: u64,
}

/// A clean `cargo build --release` (its target directory removed first).
fn clean_build(hello: &Hello) -> Build {
    let _ = std::fs::remove_dir_all(&hello.target);
    let cpu_before = children_cpu_seconds();
    let started = Instant::now();
    let out = run(hello, &["build", "--release", "--offline"]);
    let wall = started.elapsed().as_secs_f64();
    let cpu = children_cpu_seconds() - cpu_before;
    let compiled = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.trim_start().starts_with("Compiling "))
        .count();
    let binary_bytes =
        std::fs::metadata(hello.target.join("release").join(hello.name)).map_or(0, |m| m.len());
    Build {
        wall,
        cpu,
        compiled,
        binary_bytes,
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let rounds: usize = std::env::var("DEPS_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1);
    let root = target_dir().join("deps-bench");
    let runtime_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../amplify-api")
        .canonicalize()
        .unwrap();
    let tokio = r#"tokio = { version = "1", features = ["macros", "rt-multi-thread"] }"#;
    let amplify = write_crate(
        &root,
        "hello_amplify",
        &format!("amplify-api = {{ path = {runtime_path:?} }}\n{tokio}"),
        AMPLIFY_MAIN,
    );
    let workspace_lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    if !amplify.dir.join("Cargo.lock").exists() {
        std::fs::copy(workspace_lock, amplify.dir.join("Cargo.lock")).unwrap();
    }
    let sdk = write_crate(
        &root,
        "hello_sdk",
        &format!("aws-config = \"1\"\naws-sdk-cognitoidentity = \"1\"\n{tokio}"),
        SDK_MAIN,
    );
    let hellos = [&amplify, &sdk];
    for hello in hellos {
        run(hello, &["fetch", "-q"]);
    }

    println!(
        "deps: crates in {}; {rounds} clean release build(s) each; load average before: {}",
        root.display(),
        load_average()
    );
    let mut builds: Vec<Vec<Build>> = vec![Vec::new(), Vec::new()];
    for round in 0..rounds {
        // Alternate the order so neither always builds first.
        for k in 0..2 {
            let i = (k + round) % 2;
            let build = clean_build(hellos[i]);
            println!(
                "  {}: {:.1} s wall, {:.1} s CPU, {} crates compiled (load average now {})",
                hellos[i].name,
                build.wall,
                build.cpu,
                build.compiled,
                load_average()
            );
            builds[i].push(build);
        }
    }

    // Same job: both binaries against the emulator's Cognito Identity.
    let agreed = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let emu = Emulator::start().await.unwrap();
            let mut outputs = Vec::new();
            for hello in hellos {
                let out = Command::new(hello.target.join("release").join(hello.name))
                    .arg(emu.identity_pool_id())
                    .env("AWS_ENDPOINT_URL_COGNITO_IDENTITY", emu.cognito_url())
                    .env_remove("AWS_ENDPOINT_URL")
                    .env_remove("AWS_PROFILE")
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}: {}",
                    hello.name,
                    String::from_utf8_lossy(&out.stderr)
                );
                outputs.push(String::from_utf8_lossy(&out.stdout).trim().to_owned());
            }
            let calls = (
                emu.cognito().get_id_calls(),
                emu.cognito().get_credentials_calls(),
            );
            (outputs, calls)
        });

    let figures: Vec<(usize, usize, f64, f64, f64, f64)> = hellos
        .iter()
        .zip(&builds)
        .map(|(hello, b)| {
            (
                tree_count(hello, "normal", &[]),
                tree_count(hello, "normal,build", &[]),
                median(b.iter().map(|b| b.compiled as f64).collect()),
                median(b.iter().map(|b| b.wall).collect()),
                median(b.iter().map(|b| b.cpu).collect()),
                median(b.iter().map(|b| b.binary_bytes as f64).collect()),
            )
        })
        .collect();
    let (a, s) = (figures[0], figures[1]);
    println!(
        "\nDependency weight: guest credentials (GetId + GetCredentialsForIdentity) hello-world, \
         medians of {rounds} clean build(s)"
    );
    println!(
        "| | crates, `cargo tree -e normal` | crates, `-e normal,build` | crates compiled by a clean release build | clean `cargo build --release` wall | CPU (user + sys) | binary |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for (label, f) in [
        ("amplify-api (default features)", a),
        ("aws-config + aws-sdk-cognitoidentity", s),
    ] {
        println!(
            "| {label} | {} | {} | {:.0} | {:.1} s | {:.1} s | {:.1} MiB |",
            f.0,
            f.1,
            f.2,
            f.3,
            f.4,
            f.5 / (1024.0 * 1024.0)
        );
    }
    println!(
        "| amplify-api / SDK | {:.2}x | {:.2}x | {:.2}x | {:.2}x | {:.2}x | {:.2}x |",
        a.0 as f64 / s.0 as f64,
        a.1 as f64 / s.1 as f64,
        a.2 / s.2,
        a.3 / s.3,
        a.4 / s.4,
        a.5 / s.5
    );
    let (outputs, calls) = agreed;
    println!(
        "\nBoth against the emulator (identity id, access key id): amplify-api `{}`, SDK `{}`; \
         Cognito calls (GetId, GetCredentialsForIdentity): {calls:?}",
        outputs[0], outputs[1]
    );

    let without = tree_count(&amplify, "normal", &[]);
    let with = tree_count(
        &amplify,
        "normal",
        &["--features", "amplify-api/aws-config"],
    );
    println!("\n`amplify-api`'s `aws-config` feature, `cargo tree -e normal` unique crates");
    println!("| amplify-api features | crates | x default |");
    println!("| --- | --- | --- |");
    println!("| default (`macros`) | {without} | 1.00 |");
    println!(
        "| default + `aws-config` | {with} | {:.2} |",
        with as f64 / without as f64
    );
}
