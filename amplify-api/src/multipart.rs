//! `multipart/form-data` bodies (RFC 7578), encoded before signing so the bytes the signature's
//! payload hash covers are the bytes sent: [`Form`] of [`Part`]s, given to
//! [`RequestBuilder::multipart`](crate::RequestBuilder::multipart).
//!
//! Written here rather than taken from `reqwest::multipart`: reqwest's form is a body stream
//! made when the request is sent, with no way to read its bytes (or hash them) first, and SigV4
//! needs them (API Gateway refuses `UNSIGNED-PAYLOAD`). The encoding is the one browsers use
//! for `FormData` (WHATWG HTML's "multipart/form-data encoding algorithm"): CRLF line ends, `"`
//! CR and LF in names escaped as `%22`, `%0D`, `%0A`, other text as UTF-8.
//!
//! The whole form is held in memory while it is sent: for a large file on its own, use a
//! streamed body instead.

use std::fmt;

use bytes::{BufMut, Bytes, BytesMut};

use crate::error::{Error, InvalidRequestKind, Result};
use crate::platform::random_unit;

/// A `multipart/form-data` body: text fields and file parts, in order.
///
/// ```no_run
/// # async fn run(api: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
/// use amplify_api::multipart::{Form, Part};
/// let form = Form::new()
///     .text("title", "Holiday")
///     .part("photo", Part::bytes(vec![0xff, 0xd8, 0xff]).file_name("beach.jpg").content_type("image/jpeg"));
/// api.post("/photos").multipart(form).send().await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Default)]
pub struct Form {
    parts: Vec<(String, Part)>,
}

impl fmt::Debug for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Names and sizes only: a field may hold a secret.
        f.debug_list()
            .entries(
                self.parts
                    .iter()
                    .map(|(name, part)| (name, part.data.len())),
            )
            .finish()
    }
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Form::default()
    }

    /// Adds a text field.
    pub fn text(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.part(name, Part::text(value))
    }

    /// Adds a part (a file, bytes with a content type...).
    pub fn part(mut self, name: impl Into<String>, part: Part) -> Self {
        self.parts.push((name.into(), part));
        self
    }

    /// The body, with a boundary that none of its parts contain, and the `content-type` that
    /// names that boundary.
    pub(crate) fn encode(&self) -> Result<(Bytes, String)> {
        self.encode_with(new_boundary)
    }

    /// [`encode`](Self::encode) with boundaries drawn from `next_boundary`.
    fn encode_with(&self, mut next_boundary: impl FnMut() -> String) -> Result<(Bytes, String)> {
        let mut boundary = next_boundary();
        while self
            .parts
            .iter()
            .any(|(name, part)| part.mentions(name, boundary.as_bytes()))
        {
            boundary = next_boundary();
        }
        let mut body = BytesMut::with_capacity(
            self.parts
                .iter()
                .map(|(name, p)| p.data.len() + name.len() + 200)
                .sum::<usize>()
                + boundary.len()
                + 8,
        );
        for (name, part) in &self.parts {
            body.put_slice(b"--");
            body.put_slice(boundary.as_bytes());
            body.put_slice(b"\r\nContent-Disposition: form-data; name=\"");
            put_escaped(&mut body, name);
            body.put_slice(b"\"");
            if let Some(file_name) = &part.file_name {
                body.put_slice(b"; filename=\"");
                put_escaped(&mut body, file_name);
                body.put_slice(b"\"");
            }
            body.put_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                check_content_type(name, content_type)?;
                body.put_slice(b"Content-Type: ");
                body.put_slice(content_type.as_bytes());
                body.put_slice(b"\r\n");
            }
            body.put_slice(b"\r\n");
            body.put_slice(&part.data);
            body.put_slice(b"\r\n");
        }
        body.put_slice(b"--");
        body.put_slice(boundary.as_bytes());
        body.put_slice(b"--\r\n");
        Ok((
            body.freeze(),
            format!("multipart/form-data; boundary={boundary}"),
        ))
    }
}

/// One part of a [`Form`]: its bytes, and the file name and content type it is sent with.
#[derive(Clone)]
pub struct Part {
    data: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl fmt::Debug for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Part")
            .field("len", &self.data.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl Part {
    /// A text part (sent without a content type, as browsers send text fields).
    pub fn text(value: impl Into<String>) -> Self {
        Part::bytes(value.into())
    }

    /// A part of raw bytes (add a [`file_name`](Self::file_name) to send it as a file).
    pub fn bytes(data: impl Into<Bytes>) -> Self {
        Part {
            data: data.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// The file at `path`, read now, sent as a file part named as the file is, with content
    /// type `application/octet-stream` unless [`content_type`](Self::content_type) says
    /// otherwise. A file that cannot be read is [`Error::InvalidRequest`].
    #[cfg(not(target_arch = "wasm32"))]
    pub async fn file(path: impl AsRef<std::path::Path>) -> Result<Self> {
        let path = path.as_ref();
        let data = tokio::fs::read(path).await.map_err(|e| {
            Error::invalid(
                InvalidRequestKind::Body,
                format!("cannot read `{}` for a form part: {e}", path.display()),
            )
        })?;
        let name = path
            .file_name()
            .map_or_else(|| "file".to_owned(), |n| n.to_string_lossy().into_owned());
        Ok(Part::bytes(data)
            .file_name(name)
            .content_type("application/octet-stream"))
    }

    /// Sends this part as a file called `name`.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's content type (`image/png`, `application/json; charset=utf-8`...): visible
    /// ASCII, else `send` reports an [`Error::InvalidRequest`].
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Whether `boundary` occurs anywhere this part puts bytes.
    fn mentions(&self, name: &str, boundary: &[u8]) -> bool {
        let contains = |hay: &[u8]| hay.windows(boundary.len()).any(|w| w == boundary);
        contains(&self.data)
            || contains(name.as_bytes())
            || self
                .file_name
                .as_deref()
                .is_some_and(|n| contains(n.as_bytes()))
            || self
                .content_type
                .as_deref()
                .is_some_and(|t| contains(t.as_bytes()))
    }
}

/// A boundary of 32 random hex digits after a fixed prefix (70 characters at most, RFC 2046).
fn new_boundary() -> String {
    let mut boundary = String::from("amplify-api-");
    for _ in 0..4 {
        // 2^32 values from each draw of [0, 1): 128 random bits in all.
        let draw = (random_unit() * 4_294_967_296.0) as u32;
        boundary.push_str(&format!("{draw:08x}"));
    }
    boundary
}

/// A field or file name, with `"`, CR and LF escaped as browsers escape them.
fn put_escaped(out: &mut BytesMut, name: &str) {
    for byte in name.bytes() {
        match byte {
            b'"' => out.put_slice(b"%22"),
            b'\r' => out.put_slice(b"%0D"),
            b'\n' => out.put_slice(b"%0A"),
            other => out.put_u8(other),
        }
    }
}

fn check_content_type(name: &str, content_type: &str) -> Result<()> {
    if content_type.is_empty()
        || !content_type
            .bytes()
            .all(|b| b == b' ' || b.is_ascii_graphic())
    {
        return Err(Error::invalid(
            InvalidRequestKind::Body,
            format!("the form part `{name}` has a content type that is not visible ASCII"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_as_browsers_do() {
        let form = Form::new().text("a\"b\r\nc", "x").part(
            "f",
            Part::bytes(&b"\x00\xff"[..])
                .file_name("ü.bin")
                .content_type("application/octet-stream"),
        );
        let (body, content_type) = form.encode().unwrap();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        assert_eq!(boundary.len(), 12 + 32);
        let expected = [
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"a%22b%0D%0Ac\"\r\n\r\nx\r\n").into_bytes(),
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"ü.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes(),
            b"\x00\xff\r\n".to_vec(),
            format!("--{boundary}--\r\n").into_bytes(),
        ]
        .concat();
        assert_eq!(body.as_ref(), expected.as_slice());
    }

    #[test]
    fn boundaries_differ_and_bad_content_types_are_errors() {
        let (_, first) = Form::new().text("a", "b").encode().unwrap();
        let (_, second) = Form::new().text("a", "b").encode().unwrap();
        assert_ne!(first, second);
        let mut draws = ["taken", "free"].into_iter().map(str::to_owned);
        let form = Form::new().text("a", "text that says taken");
        let (body, content_type) = form.encode_with(|| draws.next().unwrap()).unwrap();
        assert_eq!(content_type, "multipart/form-data; boundary=free");
        assert!(body.starts_with(b"--free\r\n"));
        let bad = Form::new().part("p", Part::text("x").content_type("text/plain\r\nX-Evil: 1"));
        assert!(matches!(bad.encode(), Err(Error::InvalidRequest(_))));
    }
}
