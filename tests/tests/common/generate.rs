//! Generated requests with odd paths, queries, headers and bodies, and what each one means
//! (the path, query pairs and header values a server must receive), for the agreement test
//! (our emulator's verifier) and the oracle test (botocore).

use amplify_api::{EndpointClient, Method, RequestBuilder};
use percent_encoding::percent_decode_str;
use rand::Rng;
use rand::rngs::StdRng;

/// Path pieces a real app may send: spaces, unicode (4-byte too), `+`, encoded slashes,
/// sub-delims, dots, `%` that is no escape.
pub const PATH_PIECES: &[&str] = &[
    "items", "a b", "ü", "日本", "😀", "𝄞x", "+", "%2F", ":", "(", ")", "!", "*", "'", "@", "=",
    "&", "$", ",", ";", "~", "-", "_", ".", "..", "%20", "%", "100%", "a.b", "[x]", "{y}", "|",
    "^", "`", "\"", "<", ">", "\\",
];

/// Query pieces: everything a key or value may hold: reserved characters, unicode (4-byte
/// too), control characters.
pub const QUERY_PIECES: &[&str] = &[
    "", "a", "a b", "a+b", "ü", "/", "?", "=", "&", "%", "%2F", "*", "'", "(", ")", "~", "日",
    "😀", "#", "[", "]", "@", ":", "!", "$", ",", ";", "\n", "\t", "\r\n", "\u{1}", "\u{7f}",
];

/// Header value words (visible ASCII) and the whitespace put between and around them.
const HEADER_WORDS: &[&str] = &[
    "a", "b", "Root=1", "x;y", "\"q\"", "*/*", "k=v,w", "(c)", "~", "%20", "1.0",
];
const WHITESPACE: &[&str] = &[" ", "  ", "\t", " \t ", "\t\t", "   \t"];
/// Header names in mixed case (sent lower-case).
const HEADER_NAMES: &[&str] = &["X-Custom", "x-MiXeD-Case", "X-Trace-Info", "x-o"];

/// The six methods.
pub const METHODS: [Method; 6] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
    Method::HEAD,
];

/// One of `from`.
pub fn pick<'a>(rng: &mut StdRng, from: &[&'a str]) -> &'a str {
    from[rng.random_range(0..from.len())]
}

/// A path of 0 to 4 segments of pieces, sometimes with an empty segment (`//`) after the first
/// and a trailing `/`.
pub fn random_path(rng: &mut StdRng) -> String {
    let segments = rng.random_range(0..5);
    let mut path = String::new();
    for i in 0..segments {
        path.push('/');
        // (Not after a `:`: `x://` reads as a full URL, which the client refuses.)
        if i == 1 && !path.ends_with(":/") && rng.random_bool(0.15) {
            path.push('/');
        }
        for _ in 0..rng.random_range(1..4) {
            path.push_str(pick(rng, PATH_PIECES));
        }
    }
    if rng.random_bool(0.1) {
        path.push('/');
    }
    path
}

/// A body of 0 B to 1 MiB (mostly small).
pub fn random_body(rng: &mut StdRng) -> Vec<u8> {
    let len = match rng.random_range(0..100) {
        0..=29 => 0,
        30..=79 => rng.random_range(1..2048),
        80..=96 => rng.random_range(2048..65_536),
        _ => rng.random_range(512 * 1024..=1024 * 1024),
    };
    (0..len).map(|_| rng.random()).collect()
}

/// Whether `path` has a `.` or `..` segment (which the client refuses).
pub fn has_dot_segment(path: &str) -> bool {
    path.split('?')
        .next()
        .unwrap_or_default()
        .split('/')
        .any(|s| s == "." || s == "..")
}

/// A generated request and what it means.
#[derive(Clone)]
pub struct Case {
    /// The method.
    pub method: Method,
    /// The path as given to the client (maybe with a `?query` written in it).
    pub path: String,
    /// The pairs the path's query part means, then those given with `.query(..)`: what the
    /// server must receive, in order.
    pub query: Vec<(String, String)>,
    /// The pairs given with `.query(..)` (the tail of `query`).
    explicit_query: usize,
    /// Headers as given: name (mixed case), value (with odd whitespace).
    pub headers: Vec<(String, String)>,
    /// The body (none for GET and HEAD).
    pub body: Vec<u8>,
}

/// Writes `s` as a form-encoded query component, escaping what must be and, at random, more
/// (`%xx` in either case, a space as `+` or `%20`).
fn form_encode(rng: &mut StdRng, s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let plain = c.is_ascii_alphanumeric() || "-._~".contains(c);
        if c == ' ' && rng.random_bool(0.5) {
            out.push('+');
        } else if plain && rng.random_bool(0.9) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                if rng.random_bool(0.5) {
                    out.push_str(&format!("%{b:02X}"));
                } else {
                    out.push_str(&format!("%{b:02x}"));
                }
            }
        }
    }
    out
}

impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Case")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl Case {
    /// A random case.
    pub fn random(rng: &mut StdRng) -> Case {
        let method = METHODS[rng.random_range(0..METHODS.len())].clone();
        let mut path = random_path(rng);
        let mut query = Vec::new();
        if rng.random_bool(0.3) {
            // A query written in the path, with keys without `=` and repeated keys.
            let mut written = Vec::new();
            for _ in 0..rng.random_range(1..4) {
                let (k, v) = (pick(rng, QUERY_PIECES), pick(rng, QUERY_PIECES));
                let (k, v) = (k.to_owned(), v.to_owned());
                if v.is_empty() && !k.is_empty() && rng.random_bool(0.5) {
                    written.push(form_encode(rng, &k));
                } else {
                    written.push(format!("{}={}", form_encode(rng, &k), form_encode(rng, &v)));
                }
                if rng.random_bool(0.2) {
                    written.push(written[written.len() - 1].clone());
                    query.push((k.clone(), v.clone()));
                }
                query.push((k, v));
            }
            // Empty pairs (`&&`) mean nothing.
            if rng.random_bool(0.2) {
                written.push(String::new());
            }
            path.push('?');
            path.push_str(&written.join("&"));
        }
        let from_path = query.len();
        for _ in 0..rng.random_range(0..4) {
            query.push((
                pick(rng, QUERY_PIECES).to_owned(),
                pick(rng, QUERY_PIECES).to_owned(),
            ));
        }
        let mut headers = Vec::new();
        for _ in 0..rng.random_range(0..4) {
            let mut value = String::new();
            if rng.random_bool(0.3) {
                value.push_str(pick(rng, WHITESPACE));
            }
            for i in 0..rng.random_range(0..4) {
                if i > 0 {
                    value.push_str(pick(rng, WHITESPACE));
                }
                value.push_str(pick(rng, HEADER_WORDS));
            }
            if rng.random_bool(0.3) {
                value.push_str(pick(rng, WHITESPACE));
            }
            headers.push((pick(rng, HEADER_NAMES).to_owned(), value));
        }
        let body = if matches!(method, Method::GET | Method::HEAD) {
            Vec::new()
        } else {
            random_body(rng)
        };
        Case {
            method,
            path,
            explicit_query: query.len() - from_path,
            query,
            headers,
            body,
        }
    }

    /// The pairs given with `.query(..)` (after those written in the path).
    pub fn explicit_query(&self) -> &[(String, String)] {
        &self.query[self.query.len() - self.explicit_query..]
    }

    /// The request, built on `api`.
    pub fn request(&self, api: &EndpointClient) -> RequestBuilder {
        let mut request = api.request(self.method.clone(), self.path.clone());
        request = request.queries(self.explicit_query().iter().cloned());
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        if !matches!(self.method, Method::GET | Method::HEAD) {
            request = request.body(self.body.clone());
        }
        request
    }

    /// The header values that must arrive: per lower-case name, the values folded (whitespace
    /// runs made one space, trimmed), in order.
    pub fn expected_headers(&self) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for (name, value) in &self.headers {
            let name = name.to_ascii_lowercase();
            let folded = value.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
            match out.iter_mut().find(|(n, _)| *n == name) {
                Some((_, values)) => values.push(folded),
                None => out.push((name, vec![folded])),
            }
        }
        out
    }

    /// Checks what a server received (`path` and `query` raw; `headers` in arrival order, a
    /// repeated name repeated or its values joined with `,`; the body, when the server echoed
    /// it) against what was meant, for an endpoint whose base path is `base_path`.
    pub fn check_received(
        &self,
        base_path: &str,
        path: &str,
        query: &str,
        headers: &[(String, String)],
        body: Option<&[u8]>,
    ) -> Result<(), String> {
        let given = self.path.split('?').next().unwrap_or_default();
        let mut meant: Vec<Vec<u8>> = base_path
            .split('/')
            .map(|s| s.as_bytes().to_vec())
            .collect();
        if !given.is_empty() {
            meant.extend(given.split('/').skip(1).map(lenient_decode));
        }
        let got: Vec<Vec<u8>> = path
            .split('/')
            .map(|s| percent_decode_str(s).collect())
            .collect();
        if got != meant {
            return Err(format!("path {path:?} does not mean {given:?}"));
        }
        let got_query: Result<Vec<(String, String)>, String> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                let decode = |s: &str| {
                    percent_decode_str(s)
                        .decode_utf8()
                        .map(|t| t.into_owned())
                        .map_err(|e| format!("{pair:?}: {e}"))
                };
                Ok((decode(k)?, decode(v)?))
            })
            .collect();
        if got_query? != self.query {
            return Err(format!("query {query:?} does not mean {:?}", self.query));
        }
        for (name, values) in self.expected_headers() {
            let got: Vec<&str> = headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case(&name))
                .map(|(_, v)| v.as_str())
                .collect();
            if got.join(",") != values.join(",") {
                return Err(format!("header {name}: got {got:?}, meant {values:?}"));
            }
        }
        if let Some(body) = body.filter(|b| *b != self.body.as_slice()) {
            return Err(format!(
                "body: got {} bytes, meant {}",
                body.len(),
                self.body.len()
            ));
        }
        Ok(())
    }
}

/// `%XX` escapes decoded, any other `%` kept (the client keeps escapes in a path as written
/// and encodes a `%` that starts none), as `percent_decode_str` reads them.
fn lenient_decode(segment: &str) -> Vec<u8> {
    percent_decode_str(segment).collect()
}
