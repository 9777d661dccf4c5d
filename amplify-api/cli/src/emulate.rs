//! `amplify-api emulate`: the emulator (`amplify-api-emulator`) as a process, serving the
//! config's endpoints, for any tool and any language. Prints its URLs and the environment that
//! points an app at it (one JSON line, then shell lines), then serves until interrupted.

use std::path::PathBuf;

use amplify_api_emulator::{AppEmulator, Emulator};
use serde_json::{Map, Value, json};

use crate::args::EmulateArgs;
use crate::{ExitCode, Failure};

/// Runs `emulate`: never returns but with an error (the process ends on a signal).
pub(crate) async fn emulate(args: &EmulateArgs) -> Result<(), Failure> {
    let config = match &args.config {
        Some(path) => Some(path.clone()),
        // Discovered as for the other commands; without one, a bare emulator.
        None => std::env::current_dir()
            .ok()
            .and_then(|dir| crate::discover::find_config(&dir).ok()),
    };
    // The emulator serves from threads of its own; this task only keeps it alive.
    match config {
        Some(path) => {
            let app = Emulator::for_config(&path)
                .await
                .map_err(|e| Failure::usage(e.to_string()))?;
            print(&app_urls(&app, path))?;
            std::future::pending::<()>().await;
            drop(app);
        }
        None => {
            let emu = Emulator::start()
                .await
                .map_err(|e| Failure::new(ExitCode::Other, format!("cannot start: {e}")))?;
            print(&bare_urls(&emu))?;
            std::future::pending::<()>().await;
            drop(emu);
        }
    }
    Ok(())
}

/// The emulator's URLs and ids, common to both forms.
fn common(emu: &Emulator) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("api_url".into(), json!(emu.api_url()));
    m.insert("cognito_url".into(), json!(emu.cognito_url()));
    m.insert("control_url".into(), json!(emu.control_url()));
    m.insert("user_pool_url".into(), json!(emu.user_pool_url()));
    m.insert("identity_pool_id".into(), json!(emu.identity_pool_id()));
    m
}

/// A bare emulator: one API (`AWS_IAM` on every path) and Cognito.
fn bare_urls(emu: &Emulator) -> Value {
    let mut m = common(emu);
    m.insert(
        "env".into(),
        json!({ "AWS_ENDPOINT_URL_COGNITO_IDENTITY": emu.cognito_url() }),
    );
    Value::Object(m)
}

/// An emulator serving `config`: each endpoint's URL, and the variables pointing an app at it.
fn app_urls(app: &AppEmulator, config: PathBuf) -> Value {
    let mut m = common(app.emulator());
    m.insert("config".into(), json!(config.display().to_string()));
    let mut endpoints = Map::new();
    let mut env = Map::new();
    env.insert(
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY".into(),
        json!(app.cognito_url()),
    );
    for name in app.endpoint_names() {
        let url = app.endpoint_url(name).unwrap_or_default();
        env.insert(amplify_api_config::endpoint_url_env_var(name), json!(url));
        endpoints.insert(name.to_owned(), json!(url));
    }
    // The token user-pool, OIDC and Lambda endpoints accept (the emulator's own, no secret).
    // Not exported as `AMPLIFY_API_ID_TOKEN`: the CLI would give it to Cognito as `Logins`.
    m.insert("token".into(), json!(app.token()));
    m.insert("endpoints".into(), Value::Object(endpoints));
    m.insert("env".into(), Value::Object(env));
    Value::Object(m)
}

/// One JSON line, then `export NAME='value'` for each variable; flushed.
fn print(urls: &Value) -> Result<(), Failure> {
    use std::io::Write;
    let mut text = format!("{urls}\n");
    if let Some(env) = urls.get("env").and_then(Value::as_object) {
        for (name, value) in env {
            let value = value.as_str().unwrap_or_default().replace('\'', r"'\''");
            text.push_str(&format!("export {name}='{value}'\n"));
        }
    }
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Failure::new(ExitCode::Other, format!("cannot write the output: {e}")))
}
