//! Bounded reads of response bodies: chunk by chunk, giving up past a limit, for the send path,
//! the response types and the credentials code.

use bytes::{Bytes, BytesMut};

/// Default limit on a response body's size.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// Why a body could not be read.
pub(crate) enum ReadError {
    TooLarge,
    Http(reqwest::Error),
}

/// A response body being read, chunk by chunk where the HTTP stack allows: on native targets
/// each chunk as it arrives (the read timeout of the HTTP client applies between chunks); in the
/// browser, reqwest's fetch backend gives the body whole, as one chunk.
#[derive(Debug)]
pub(crate) struct BodyReader {
    /// `None` once the body is read to its end.
    response: Option<reqwest::Response>,
}

impl BodyReader {
    /// The body of `response`, not read yet.
    pub(crate) fn new(response: reqwest::Response) -> BodyReader {
        BodyReader {
            response: Some(response),
        }
    }

    /// The length the server declared, if it did.
    pub(crate) fn content_length(&self) -> Option<u64> {
        self.response.as_ref()?.content_length()
    }

    /// The next chunk; `None` at the end of the body.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) async fn next_chunk(&mut self) -> Result<Option<Bytes>, reqwest::Error> {
        let Some(response) = &mut self.response else {
            return Ok(None);
        };
        let chunk = response.chunk().await?;
        if chunk.is_none() {
            self.response = None;
        }
        Ok(chunk)
    }

    /// The whole body, as one chunk (the fetch backend has no chunks); `None` once read.
    #[cfg(target_arch = "wasm32")]
    pub(crate) async fn next_chunk(&mut self) -> Result<Option<Bytes>, reqwest::Error> {
        match self.response.take() {
            Some(response) => Ok(Some(response.bytes().await?).filter(|b| !b.is_empty())),
            None => Ok(None),
        }
    }
}

/// Reads a body, giving up as soon as it passes `limit` bytes. A body that arrives in one chunk
/// (most small ones) is kept as it came, without a copy.
pub(crate) async fn read_limited(mut body: BodyReader, limit: usize) -> Result<Bytes, ReadError> {
    if body.content_length().is_some_and(|n| n > limit as u64) {
        return Err(ReadError::TooLarge);
    }
    let (bytes, complete) = read_prefix(&mut body, limit).await?;
    if !complete {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}

/// Reads at most `limit` bytes of a body: the bytes, and whether they are the whole body (a
/// longer body is cut at `limit`, and the rest left unread).
pub(crate) async fn read_prefix(
    body: &mut BodyReader,
    limit: usize,
) -> Result<(Bytes, bool), ReadError> {
    let mut first: Option<Bytes> = None;
    let mut joined = BytesMut::new();
    let mut total = 0;
    while let Some(mut chunk) = body.next_chunk().await.map_err(ReadError::Http)? {
        let room = limit - total;
        let cut = chunk.len() > room;
        if cut {
            chunk.truncate(room);
        }
        total += chunk.len();
        if first.is_none() && joined.is_empty() {
            first = Some(chunk);
        } else {
            if let Some(first) = first.take() {
                joined.extend_from_slice(&first);
            }
            joined.extend_from_slice(&chunk);
        }
        if cut {
            return Ok((first.unwrap_or_else(|| joined.freeze()), false));
        }
    }
    Ok((first.unwrap_or_else(|| joined.freeze()), true))
}
