//! Shared set-up of the integration tests: an emulator and a client pointed at it, a raw HTTP
//! server for answers the emulator cannot give, a listener nobody can connect to, tracing
//! capture, and child processes for tests that need an environment variable set.
#![allow(dead_code, unreachable_pub)]

pub mod generate;
pub mod spans;
pub mod surfaces;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use amplify_api::{
    Client, ClientBuilder, Endpoint, EndpointClient, Error, RequestBuilder, RetryPolicy,
};
use amplify_api_emulator::{Echo, Emulator};
use aws_credential_types::Credentials;
use aws_credential_types::provider::ProvideCredentials;

/// The endpoint name the tests use.
pub const ECHO: &str = "echo";

/// A session of the emulator's user pool, signed in as `user` (who must exist) with
/// `password`.
pub async fn signed_in(
    emu: &Emulator,
    user: &str,
    password: &str,
) -> amplify_api::user_pool::UserPoolSession {
    let session = amplify_api::user_pool::UserPoolSession::builder(
        emu.user_pool_id(),
        emu.user_pool_client_id(),
    )
    .endpoint(emu.user_pool_url())
    .read_env(false)
    .build()
    .expect("a session for the emulator's pool");
    session
        .sign_in(user, password)
        .await
        .expect("the user signs in");
    session
}

/// Starts an emulator on 127.0.0.1:0 (stopped when dropped).
pub async fn emulator() -> Emulator {
    Emulator::start().await.expect("emulator starts")
}

/// A generated client's `builder` with guest credentials from the emulator's identity pool and
/// each endpoint of `urls` (name, URL) at the emulator.
pub fn at_emulator<A>(
    builder: ClientBuilder<A>,
    emu: &Emulator,
    urls: impl IntoIterator<Item = (&'static str, String)>,
) -> ClientBuilder<A> {
    let mut builder = builder
        .identity_pool(emu.identity_pool_id())
        .cognito_endpoint(emu.cognito_url())
        .guest_access(true)
        .read_env(false);
    for (name, url) in urls {
        builder = builder.endpoint_url(name, url);
    }
    builder
}

/// A builder with one IAM endpoint, `echo`, at the emulator, and guest credentials from its
/// identity pool.
pub fn builder(emu: &Emulator) -> ClientBuilder {
    Client::builder()
        .endpoint(Endpoint::new(ECHO, emu.api_url()).region("us-east-1"))
        .identity_pool(emu.identity_pool_id())
        .cognito_endpoint(emu.cognito_url())
        .read_env(false)
}

/// [`builder`], built.
pub fn client(emu: &Emulator) -> Client {
    builder(emu).build().expect("client builds")
}

/// `RetryPolicy::default()` (its attempts, its backoff) from a base delay of `millis` ms.
pub fn retry_with_base_delay_ms(millis: u64) -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(millis))
}

/// The `echo` endpoint of a [`builder`] client that retries with `retry`.
pub fn api_with_retry(emu: &Emulator, retry: RetryPolicy) -> EndpointClient {
    builder(emu)
        .retry(retry)
        .build()
        .expect("client builds")
        .endpoint(ECHO)
        .expect("the echo endpoint")
}

/// Credentials that never expire, from the provider `test`.
pub fn fixed_credentials(id: &str, secret: &str, token: Option<&str>) -> Credentials {
    Credentials::new(id, secret, token.map(str::to_owned), None, "test")
}

/// A builder with one IAM endpoint, `echo`, at `url` (the emulator's API, a [`RawServer`]...),
/// signing with `credentials` (no Cognito).
pub fn signing_builder(url: &str, credentials: impl ProvideCredentials + 'static) -> ClientBuilder {
    Client::builder()
        .endpoint(Endpoint::new(ECHO, url).region("us-east-1"))
        .credentials_provider(credentials)
        .read_env(false)
}

/// Sends `request`, which must succeed, and reads the emulator's [`Echo`] of it.
pub async fn send_echo(request: RequestBuilder) -> Echo {
    request
        .send()
        .await
        .expect("the request succeeds")
        .json()
        .expect("the answer is an echo")
}

/// Sends `request`, which must fail; the error.
pub async fn send_err(request: RequestBuilder) -> Error {
    request.send().await.expect_err("the request fails")
}

/// How a request that [`send_timing_out`] sent ended.
pub struct TimedOut {
    /// The [`Error::Timeout`] itself (for its text).
    pub err: Error,
    /// The attempts it reports.
    pub attempts: u32,
    /// How long the send took.
    pub elapsed: Duration,
}

/// Sends `request` and expects [`Error::Timeout`] reporting `after` as the limit that elapsed,
/// no sooner than `after` and within `within` of wall-clock time (loose: the machine may be
/// loaded). `what` names the case in failure messages.
pub async fn send_timing_out(
    what: &str,
    request: RequestBuilder,
    after: Duration,
    within: Duration,
) -> TimedOut {
    let started = Instant::now();
    let err = request.send().await.unwrap_err();
    let elapsed = started.elapsed();
    let Error::Timeout(e) = &err else {
        panic!("{what}: {err:?}")
    };
    assert_eq!(e.after(), after, "{what}: the limit that elapsed");
    assert!(
        elapsed >= after && elapsed < within,
        "{what}: {elapsed:?} (limit {after:?}, bound {within:?})"
    );
    let attempts = e.attempts();
    TimedOut {
        err,
        attempts,
        elapsed,
    }
}

/// Asserts that `emu`'s Cognito answered no call at all (neither `GetId` nor
/// `GetCredentialsForIdentity`).
pub fn assert_no_cognito_calls(emu: &Emulator, why: &str) {
    assert_eq!(
        emu.cognito().get_id_calls() + emu.cognito().get_credentials_calls(),
        0,
        "{why}"
    );
}

/// Collects tracing output in memory (a `MakeWriter` for `tracing_subscriber::fmt`).
#[derive(Clone, Default)]
pub struct Captured(pub Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Everything written so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// What a [`RawServer`] does with a request.
#[derive(Clone, Debug)]
pub enum Answer {
    /// Write these bytes (a whole HTTP/1.1 response, see [`http_response`]) and close the
    /// connection.
    Send(String),
    /// Answer nothing: hold the connection until the client closes it (counted by
    /// [`RawServer::closed_by_client`]).
    Silent,
}

/// A whole HTTP/1.1 response with `connection: close` and the body's `content-length`.
pub fn http_response(status: &str, headers: &[(&str, &str)], body: &str) -> String {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    ));
    out
}

#[derive(Default)]
struct RawState {
    requests: Mutex<Vec<String>>,
    accepted: AtomicUsize,
    closed_by_client: AtomicUsize,
    stop: AtomicBool,
}

/// A bare HTTP/1.1 server on 127.0.0.1:0, one request per connection, on threads of its own (it
/// needs no runtime and leaves no task on the test's): for answers the emulator does not give
/// (garbage bodies, odd error names, silence) and for counting exactly what arrived.
pub struct RawServer {
    addr: SocketAddr,
    state: Arc<RawState>,
}

impl RawServer {
    /// Starts a server that answers the request numbered `n` (from 0, in arrival order) with
    /// `answer(n, request_text)`.
    pub fn start(answer: impl Fn(usize, &str) -> Answer + Send + Sync + 'static) -> RawServer {
        RawServer::start_on("127.0.0.1:0".parse().unwrap(), answer)
    }

    /// [`RawServer::start`] on `addr` (a port known in advance, e.g. one that refused
    /// connections until now).
    pub fn start_on(
        addr: SocketAddr,
        answer: impl Fn(usize, &str) -> Answer + Send + Sync + 'static,
    ) -> RawServer {
        let listener = TcpListener::bind(addr).unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(RawState::default());
        let answer = Arc::new(answer);
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if shared.stop.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                shared.accepted.fetch_add(1, Ordering::SeqCst);
                let (state, answer) = (shared.clone(), answer.clone());
                std::thread::spawn(move || serve(stream, &state, &*answer));
            }
        });
        RawServer { addr, state }
    }

    /// A server that answers every request with `response`.
    pub fn always(response: String) -> RawServer {
        RawServer::start(move |_, _| Answer::Send(response.clone()))
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received, as text (head and body), in arrival order.
    pub fn requests(&self) -> Vec<String> {
        self.state.requests.lock().unwrap().clone()
    }

    /// How many connections were accepted.
    pub fn accepted(&self) -> usize {
        self.state.accepted.load(Ordering::SeqCst)
    }

    /// How many [`Answer::Silent`] connections the client closed.
    pub fn closed_by_client(&self) -> usize {
        self.state.closed_by_client.load(Ordering::SeqCst)
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

/// Reads one request (head, then `content-length` bytes of body); `None` if the client closed
/// before sending a whole one.
fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        if let Some(head_end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..head_end]).to_lowercase();
            let body_len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= head_end + 4 + body_len {
                return Some(String::from_utf8_lossy(&buf).into_owned());
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

fn serve(mut stream: TcpStream, state: &RawState, answer: &(dyn Fn(usize, &str) -> Answer + Sync)) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let Some(request) = read_request(&mut stream) else {
        return;
    };
    let index = {
        let mut requests = state.requests.lock().unwrap();
        requests.push(request.clone());
        requests.len() - 1
    };
    match answer(index, &request) {
        Answer::Send(response) => {
            let _ = stream.write_all(response.as_bytes());
            let _ = stream.shutdown(std::net::Shutdown::Write);
            // Let the client read everything before the socket goes.
            let _ = stream.read(&mut [0u8; 1024]);
        }
        Answer::Silent => {
            let mut sink = [0u8; 1024];
            loop {
                match stream.read(&mut sink) {
                    Ok(0) => {
                        state.closed_by_client.fetch_add(1, Ordering::SeqCst);
                        return;
                    }
                    Ok(_) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                        state.closed_by_client.fetch_add(1, Ordering::SeqCst);
                        return;
                    }
                    // The read timeout: the client never closed.
                    Err(_) => return,
                }
            }
        }
    }
}

/// A listener on 127.0.0.1 whose accept queue is full, so the kernel drops every further SYN:
/// a connection to it hangs until the connect timeout, as to a black-holed address. Keep it
/// alive while it is used.
pub struct BlackHole {
    addr: SocketAddr,
    _listener: tokio::net::TcpListener,
    _fillers: Vec<std::net::TcpStream>,
}

impl BlackHole {
    /// Binds with a backlog of 0 and fills the queue. Panics if a probe connection still gets
    /// through (then the kernel does not drop SYNs on overflow, and no test can rely on it).
    pub async fn new() -> BlackHole {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let listener = socket.listen(0).unwrap();
        let addr = listener.local_addr().unwrap();
        let mut fillers = Vec::new();
        let mut probe_failed = false;
        for _ in 0..16 {
            match std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
                Ok(stream) => fillers.push(stream),
                Err(_) => {
                    probe_failed = true;
                    break;
                }
            }
        }
        assert!(
            probe_failed,
            "the accept queue never filled: connects to a full listener are not dropped here"
        );
        BlackHole {
            addr,
            _listener: listener,
            _fillers: fillers,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Runs the one test `name` of this test binary (an `#[ignore]`d test that does nothing
/// without its variables) in a child process, with the variables of `set` in its environment
/// and those of `remove` taken out, and panics unless it ran, passed and said it did its work
/// ([`child_done`]). Environment variables
/// are process-wide: a test that needs one set gets a process of its own.
pub fn run_child_test(name: &str, set: &[(&str, &str)], remove: &[&str]) -> String {
    let mut command = std::process::Command::new(std::env::current_exe().unwrap());
    command.args(["--exact", name, "--ignored", "--nocapture"]);
    for var in remove {
        command.env_remove(var);
    }
    for (var, value) in set {
        command.env(var, value);
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "child {name} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("1 passed") && stdout.contains(CHILD_DONE),
        "child {name} did not do its work (no `{CHILD_DONE}` line: it returned early?):\n{stdout}"
    );
    stdout
}

/// What a child test prints when it did its work, which [`run_child_test`] requires: a child
/// that returned early (its variables missing) passes as a test but proves nothing.
const CHILD_DONE: &str = "CHILD DONE:";

/// Ends a child test that did its work: prints the line [`run_child_test`] requires, with
/// `what` it proved.
pub fn child_done(what: &str) {
    println!("{CHILD_DONE} {what}");
}

/// A builder with one IAM endpoint, `echo`, at `url` (a [`RawServer`], say), signing with
/// fixed credentials (no Cognito).
pub fn static_builder(url: &str) -> ClientBuilder {
    signing_builder(
        url,
        fixed_credentials("AKIDRAWSERVER", "raw-server-secret", None),
    )
}
