//! The HTTP/1.1 server the emulated services run on: the emulator's own thread and Tokio
//! runtime, a hyper accept loop per listener on `127.0.0.1:0`, one task per connection. Dropping
//! the [`Host`] shuts the runtime down, which drops every task (hung requests included).
//!
//! Its own thread, not the caller's runtime: a test may block its thread (a child process, a
//! blocking client) or run a single-threaded runtime, and the emulator still answers.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::{HeaderName, HeaderValue, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use sha2::{Digest, Sha256};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinSet;

/// The largest request body read (API Gateway's payload limit is 10 MB).
pub(crate) const MAX_BODY: usize = 10 * 1024 * 1024;

/// A request with its body: whole, or its first [`MAX_BODY`] bytes when it was longer (read to
/// its end all the same, and hashed as it arrived, never held whole).
#[derive(Debug)]
pub(crate) struct Received {
    pub(crate) parts: http::request::Parts,
    pub(crate) body: Bytes,
    /// The whole body's length.
    pub(crate) body_len: u64,
    /// The SHA-256 of the whole body.
    pub(crate) body_sha256: [u8; 32],
    /// Whether `body` is only the start of the body.
    pub(crate) truncated: bool,
}

/// What a handler answers.
#[derive(Debug)]
pub(crate) enum Reply {
    /// Send this response.
    Send(Response<Full<Bytes>>),
    /// Close the connection without a response.
    Drop,
}

/// Serves one request of a service.
pub(crate) type Handler =
    Arc<dyn Fn(Received) -> Pin<Box<dyn Future<Output = Reply> + Send>> + Send + Sync>;

/// Wraps an async function as a [`Handler`] of requests whose body fits in [`MAX_BODY`]: a
/// longer one is answered 413, as API Gateway does.
pub(crate) fn handler<F, Fut>(f: F) -> Handler
where
    F: Fn(Received) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Reply> + Send + 'static,
{
    Arc::new(move |received| {
        if received.truncated {
            return Box::pin(std::future::ready(too_long()));
        }
        Box::pin(f(received))
    })
}

/// Wraps an async function as a [`Handler`] that is also given bodies longer than
/// [`MAX_BODY`] (their start, length and hash).
pub(crate) fn handler_of_long_bodies<F, Fut>(f: F) -> Handler
where
    F: Fn(Received) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Reply> + Send + 'static,
{
    Arc::new(move |received| Box::pin(f(received)))
}

/// API Gateway's answer to a body over its payload limit.
pub(crate) fn too_long() -> Reply {
    Reply::Send(json_response(
        413,
        br#"{"message":"Request Too Long"}"#.to_vec(),
        "application/json",
        &[],
    ))
}

/// Reads a body to its end, hashing it and keeping its first [`MAX_BODY`] bytes; `None` if the
/// client went away mid-body.
async fn read_body(mut body: Incoming) -> Option<(Bytes, u64, [u8; 32], bool)> {
    let mut hasher = Sha256::new();
    let mut kept = BytesMut::new();
    let mut first: Option<Bytes> = None;
    let (mut len, mut truncated) = (0u64, false);
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.ok()?.into_data() else {
            continue;
        };
        hasher.update(&data);
        len += data.len() as u64;
        let room = MAX_BODY.saturating_sub(kept.len() + first.as_ref().map_or(0, Bytes::len));
        if data.len() > room {
            truncated = true;
        }
        let data = data.slice(..data.len().min(room));
        if data.is_empty() {
            continue;
        }
        if first.is_none() && kept.is_empty() {
            first = Some(data);
        } else {
            if let Some(first) = first.take() {
                kept.extend_from_slice(&first);
            }
            kept.extend_from_slice(&data);
        }
    }
    let body = first.unwrap_or_else(|| kept.freeze());
    Some((body, len, hasher.finalize().into(), truncated))
}

/// The error that makes hyper close a connection without answering.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for Dropped {}

/// A listening socket on `127.0.0.1`, on a free port.
pub(crate) fn bind() -> std::io::Result<(std::net::TcpListener, SocketAddr)> {
    let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    Ok((listener, addr))
}

/// The emulator's thread and runtime, serving its listeners until dropped.
#[derive(Debug)]
pub(crate) struct Host {
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Host {
    /// Serves each listener with its handler on a new thread.
    pub(crate) fn start(services: Vec<(std::net::TcpListener, Handler)>) -> std::io::Result<Host> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (shutdown, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("amplify-api-emulator".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let mut loops = JoinSet::new();
                    for (listener, handler) in services {
                        if let Ok(listener) = TcpListener::from_std(listener) {
                            loops.spawn(accept_loop(listener, handler));
                        }
                    }
                    // Until the Host is dropped (the sender with it).
                    let _ = stopped.await;
                });
                // Dropping the runtime here drops every task still on it.
            })?;
        Ok(Host {
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            // Prompt: shutting the runtime down cancels every task, it waits for none.
            let _ = thread.join();
        }
    }
}

async fn accept_loop(listener: TcpListener, handler: Handler) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, handler.clone()));
                }
                // Out of file descriptors, or a connection reset while queued: wait, go on.
                Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
            },
            // Reap finished connections so the set does not grow.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve_connection(stream: TcpStream, handler: Handler) {
    let _ = stream.set_nodelay(true);
    let service = service_fn(move |request: Request<Incoming>| {
        let handler = handler.clone();
        async move {
            let (parts, body) = request.into_parts();
            if let Some(response) = super::cors::preflight(&parts) {
                return Ok(response);
            }
            // `None`: the client went away mid-body, nobody to answer.
            let (body, body_len, body_sha256, truncated) = read_body(body).await.ok_or(Dropped)?;
            let received = Received {
                parts,
                body,
                body_len,
                body_sha256,
                truncated,
            };
            match handler(received).await {
                Reply::Send(mut response) => {
                    super::cors::allow(&mut response);
                    Ok::<_, Dropped>(response)
                }
                Reply::Drop => Err(Dropped),
            }
        }
    });
    // Errors (a client that hung up, a dropped connection) end this connection only.
    let _ = http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// A response with `status`, `body`, its content type and extra headers. A header that is not
/// valid is left out (none is: every caller builds them from ASCII).
pub(crate) fn json_response(
    status: u16,
    body: Vec<u8>,
    content_type: &'static str,
    headers: &[(&'static str, String)],
) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let map = response.headers_mut();
    map.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static(content_type),
    );
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            map.append(name, value);
        }
    }
    response
}
