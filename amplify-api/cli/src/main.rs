//! `amplify-api`: call the REST APIs of an Amplify app by their Amplify names, with the app's
//! own identity (see `amplify-api --help`). Every request goes through the `amplify-api`
//! library's send path; this crate parses arguments and prints.

mod args;
mod cache;
mod commands;
mod discover;
mod emulate;
mod login;
mod output;

use clap::Parser;

use args::{Cli, Command};

/// The exit statuses (listed in `--help`, in `args`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ExitCode {
    /// Anything else (writing the output failed).
    Other = 1,
    /// Usage or config error.
    Usage = 2,
    /// Credentials could not be obtained.
    Credentials = 3,
    /// The server answered 4xx (or another status that is not 2xx or 5xx).
    ClientError = 4,
    /// The server answered 5xx.
    ServerError = 5,
    /// Connection, TLS or timeout.
    Transport = 6,
}

/// Why a command failed: its exit status and what is printed on standard error.
#[derive(Debug)]
pub(crate) struct Failure {
    code: ExitCode,
    message: String,
}

impl Failure {
    pub(crate) fn new(code: ExitCode, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn usage(message: impl Into<String>) -> Failure {
        Failure::new(ExitCode::Usage, message)
    }
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("amplify-api: cannot start the runtime: {e}");
            return std::process::ExitCode::from(ExitCode::Other as u8);
        }
    };
    let result = runtime.block_on(async {
        match &cli.command {
            Command::Call(args) => commands::call(args).await,
            Command::Sign(args) => commands::sign(args).await,
            Command::Endpoints(args) => commands::endpoints(args).await,
            Command::Login(args) => login::login(args).await,
            Command::Logout(args) => login::logout(args),
            Command::Whoami(args) => login::whoami(args).await,
            Command::Emulate(args) => emulate::emulate(args).await,
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("amplify-api: {}", failure.message);
            std::process::ExitCode::from(failure.code as u8)
        }
    }
}
