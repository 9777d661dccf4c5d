//! `login`, `logout` and `whoami`: the user-pool session of the config's app client, signed in
//! with the library's [`UserPoolSession`] and kept between runs in the cache directory
//! ([`cache::tokens_path`], mode 0600), where `call` and `sign` find it ([`kept_session`]).
//! No token and no password is ever printed.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use amplify_api::credentials::{CognitoIdentityProvider, TokenRoles};
use amplify_api::user_pool::{ChallengeName, SessionTokens, UserPoolError, UserPoolSession};

use crate::args::{ConfigArgs, ConfigOnlyArgs, LoginArgs, WhoamiArgs};
use crate::cache;
use crate::commands::{Config, failure};
use crate::{ExitCode, Failure};

/// The session `login` kept, restored for this run; when dropped, tokens refreshed during the
/// run are written back (or the file removed if the refresh token was refused).
pub(crate) struct Kept {
    session: UserPoolSession,
    path: PathBuf,
    saved: SessionTokens,
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `SessionTokens`' and the session's own `Debug` show no token.
        f.debug_struct("Kept")
            .field("session", &self.session)
            .field("path", &self.path)
            .field("saved", &self.saved)
            .finish()
    }
}

impl Kept {
    /// The restored session.
    pub(crate) fn session(&self) -> &UserPoolSession {
        &self.session
    }
}

impl Drop for Kept {
    fn drop(&mut self) {
        match self.session.tokens() {
            Some(tokens) if tokens == self.saved => {}
            Some(tokens) => {
                if let Err(e) = save(&self.path, &tokens) {
                    eprintln!("amplify-api: warning: {}", e.message);
                }
            }
            // The refresh token was refused: the kept session is of no more use.
            None => {
                let _ = std::fs::remove_file(&self.path);
                eprintln!(
                    "amplify-api: the kept session has expired: sign in again with `amplify-api \
                     login`"
                );
            }
        }
    }
}

/// The config's user pool and app client ids, or why there are none.
fn pool_and_client(config: &Config) -> Result<(&str, &str), Failure> {
    match (
        config.model.user_pool_id.as_deref(),
        config.model.user_pool_client_id.as_deref(),
    ) {
        (Some(pool), Some(client)) => Ok((pool, client)),
        _ => Err(Failure::usage(
            "the config has no Cognito user pool with an app client (aws_user_pools_id and \
             aws_user_pools_web_client_id, or auth.user_pool_id and auth.user_pool_client_id)",
        )),
    }
}

/// A session (signed out) for the config's user pool and app client.
fn session_for(config: &Config, args: &ConfigArgs) -> Result<UserPoolSession, Failure> {
    let (pool, client) = pool_and_client(config)?;
    let mut builder = UserPoolSession::builder(pool, client);
    if let Some(url) = &args.user_pool_endpoint {
        builder = builder.endpoint(url);
    }
    builder.build().map_err(failure)
}

/// Where the session of the config's app client is kept.
fn tokens_path(config: &Config) -> Result<PathBuf, Failure> {
    let (pool, client) = pool_and_client(config)?;
    cache::tokens_path(pool, client).ok_or_else(|| {
        Failure::usage("there is no user cache directory (is HOME set?): nowhere to keep a session")
    })
}

fn save(path: &std::path::Path, tokens: &SessionTokens) -> Result<(), Failure> {
    // serde_json's message is not shown: it may quote what it encodes.
    let json = serde_json::to_vec(tokens)
        .map_err(|_| Failure::new(ExitCode::Other, "cannot encode the session"))?;
    amplify_api::credentials::write_private_file(path, &json).map_err(|e| {
        Failure::new(
            ExitCode::Other,
            format!("cannot write the session to `{}`: {e}", path.display()),
        )
    })
}

/// The session `login` kept for the config's app client, restored; `None` when there is none
/// (or the config has no user pool).
pub(crate) fn kept_session(config: &Config, args: &ConfigArgs) -> Result<Option<Kept>, Failure> {
    if pool_and_client(config).is_err() {
        return Ok(None);
    }
    let Ok(path) = tokens_path(config) else {
        return Ok(None);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Failure::new(
                ExitCode::Credentials,
                format!("cannot read the kept session `{}`: {e}", path.display()),
            ));
        }
    };
    // serde_json's message may quote the file's text (tokens): not shown.
    let saved: SessionTokens = serde_json::from_slice(&bytes).map_err(|_| {
        Failure::new(
            ExitCode::Credentials,
            format!(
                "the kept session `{}` is unreadable: sign in again with `amplify-api login`",
                path.display()
            ),
        )
    })?;
    let session = session_for(config, args)?;
    session.restore(saved.clone());
    Ok(Some(Kept {
        session,
        path,
        saved,
    }))
}

/// A line typed on the terminal after `prompt` (on standard error), shown as typed.
fn prompt_line(prompt: &str, what: &str) -> Result<String, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(format!(
            "no {what} given and standard input is not a terminal to ask for it"
        )));
    }
    eprint!("{prompt}");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::usage(format!("cannot read the {what}: {e}")))?;
    Ok(line.trim().to_owned())
}

/// The password: standard input's first line (`--password-stdin`), else a prompt on the
/// terminal with echo off (`rpassword`, which reads the controlling terminal).
fn password(args: &LoginArgs) -> Result<String, Failure> {
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::usage(format!("cannot read the password: {e}")))?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    } else {
        rpassword::prompt_password("Password: ").map_err(|e| {
            Failure::usage(format!(
                "cannot ask for the password on a terminal ({e}): give it on standard input \
                 with --password-stdin"
            ))
        })?
    };
    if password.is_empty() {
        return Err(Failure::usage("the password is empty"));
    }
    Ok(password)
}

/// The exit status and message of a failed sign-in (Cognito's name and message; never the
/// password: no error of the library carries it).
fn sign_in_failure(e: UserPoolError) -> Failure {
    let message = match &e {
        UserPoolError::ChallengeRequired(c) => format!(
            "sign-in failed: the user pool asks for the {} challenge, which the command line \
             cannot answer: complete it in the app, then log in again",
            c.name()
        ),
        _ => format!("sign-in failed: {e}"),
    };
    let code = match e {
        UserPoolError::Transport { .. } => ExitCode::Transport,
        UserPoolError::Config(_) => ExitCode::Usage,
        _ => ExitCode::Credentials,
    };
    Failure::new(code, message)
}

/// `amplify-api login`.
pub(crate) async fn login(args: &LoginArgs) -> Result<(), Failure> {
    let config = Config::load(&args.config)?;
    let session = session_for(&config, &args.config)?;
    let path = tokens_path(&config)?;
    let username = match &args.username {
        Some(username) => username.clone(),
        None => prompt_line("Username: ", "username")?,
    };
    if username.is_empty() {
        return Err(Failure::usage("the username is empty"));
    }
    let password = password(args)?;
    match session.sign_in(&username, &password).await {
        Ok(()) => {}
        Err(UserPoolError::ChallengeRequired(challenge))
            if *challenge.name() == ChallengeName::SoftwareTokenMfa =>
        {
            let code = match &args.totp {
                Some(code) => code.clone(),
                None if !args.password_stdin => {
                    prompt_line("Authenticator code: ", "authenticator code (--totp)")?
                }
                None => {
                    return Err(Failure::usage(
                        "the user pool asks for an authenticator code: give it with --totp CODE",
                    ));
                }
            };
            session
                .answer_totp(&challenge, &code)
                .await
                .map_err(sign_in_failure)?;
        }
        Err(e) => return Err(sign_in_failure(e)),
    }
    let tokens = session
        .tokens()
        .ok_or_else(|| Failure::new(ExitCode::Other, "signed in, but no tokens were kept"))?;
    save(&path, &tokens)?;
    let groups = session.groups();
    eprintln!(
        "Signed in as {}{}; the session is kept in `{}` (`amplify-api logout` forgets it).",
        tokens.username(),
        if groups.is_empty() {
            String::new()
        } else {
            format!(" (groups: {})", groups.join(", "))
        },
        path.display()
    );
    Ok(())
}

/// `amplify-api logout`.
pub(crate) fn logout(args: &ConfigOnlyArgs) -> Result<(), Failure> {
    let config = Config::load(&args.config)?;
    let path = tokens_path(&config)?;
    match std::fs::remove_file(&path) {
        Ok(()) => {
            eprintln!("Signed out (`{}` removed).", path.display());
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("Not signed in.");
            Ok(())
        }
        Err(e) => Err(Failure::new(
            ExitCode::Other,
            format!("cannot remove `{}`: {e}", path.display()),
        )),
    }
}

/// `amplify-api whoami`.
pub(crate) async fn whoami(args: &WhoamiArgs) -> Result<(), Failure> {
    let config = Config::load(&args.config)?;
    let kept = kept_session(&config, &args.config)?.ok_or_else(|| {
        Failure::new(
            ExitCode::Credentials,
            "not signed in: sign in with `amplify-api login`",
        )
    })?;
    let session = kept.session().clone();
    // Refreshed first if due, so the groups and roles are the current token's.
    session.id_token().await.map_err(sign_in_failure)?;
    let mut out = format!(
        "user:        {}\ngroups:      {}\n",
        session.username().unwrap_or_default(),
        match session.groups() {
            groups if groups.is_empty() => "(none)".to_owned(),
            groups => groups.join(", "),
        }
    );
    match &config.model.identity_pool {
        Some(pool) => {
            // The identity pool's answer for this user, as `call` gets it (the same
            // `CustomRoleArn` as `call --role`); the token's roles are seen on the way.
            let seen: Arc<Mutex<Option<TokenRoles>>> = Arc::default();
            let role = args.role.clone();
            let record = Arc::clone(&seen);
            let mut builder = CognitoIdentityProvider::builder(&pool.id)
                .logins_provider(session.clone())
                .role_from_token(move |roles: &TokenRoles| {
                    *record.lock().unwrap_or_else(PoisonError::into_inner) = Some(roles.clone());
                    role.clone()
                });
            if let Some(url) = args
                .config
                .cognito_endpoint
                .as_ref()
                .or(pool.endpoint.as_ref())
            {
                builder = builder.endpoint(url);
            }
            if let Some(store) = cache::identity_store() {
                builder = builder.identity_id_store(store);
            }
            let provider = builder.build().map_err(failure)?;
            provider
                .fetch()
                .await
                .map_err(|e| failure(amplify_api::Error::Credentials(Box::new(e))))?;
            let roles = seen
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
                .unwrap_or_default();
            let role = match (&args.role, &roles.preferred) {
                (Some(role), _) => format!("{role} (--role)"),
                (None, Some(preferred)) => format!(
                    "the identity pool's choice: the token's preferred role {preferred} if \
                     the pool takes roles from the token, else its authenticated role"
                ),
                (None, None) => "the identity pool's authenticated role".to_owned(),
            };
            out.push_str(&format!(
                "identity id: {}\nrole:        {role}\n",
                provider.identity_id().unwrap_or_default()
            ));
            if !roles.roles.is_empty() {
                out.push_str(&format!(
                    "roles:       {} (for --role)\n",
                    roles.roles.join(", ")
                ));
            }
        }
        None => out.push_str("identity id: (the config has no identity pool)\n"),
    }
    print!("{out}");
    drop(kept);
    Ok(())
}
