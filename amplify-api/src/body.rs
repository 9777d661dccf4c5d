//! A request's body: bytes in memory, or (native targets) a file, hashed in one pass before
//! signing and streamed from disk on each attempt (opened again for a retry), never held whole;
//! or a reader of a declared length and hash, sent once and checked while sent.
//! The signature covers the hash of what was read; a file that is not the one hashed when it is
//! sent (another length, modification time or SHA-256, fewer bytes than hashed) fails the request with
//! [`Error::Body`] instead of going out with a signature that does not match.

use std::fmt;
#[cfg(not(target_arch = "wasm32"))]
use std::path::PathBuf;
#[cfg(not(target_arch = "wasm32"))]
use std::sync::Arc;

use bytes::Bytes;

use crate::error::{BodyError, Result};
#[cfg(not(target_arch = "wasm32"))]
use crate::error::{Error, InvalidRequestKind};
use crate::signing::signer::Payload;

/// What a request sends.
#[derive(Clone)]
pub(crate) enum RequestBody {
    Bytes(Bytes),
    /// A file not hashed yet ([`RequestBody::hash_file`] makes it [`RequestBody::File`]).
    #[cfg(not(target_arch = "wasm32"))]
    Path(PathBuf),
    #[cfg(not(target_arch = "wasm32"))]
    File(Arc<file::HashedFile>),
    /// A reader of a declared length and hash, sent once.
    #[cfg(not(target_arch = "wasm32"))]
    Stream(Arc<file::StreamBody>),
}

impl Default for RequestBody {
    fn default() -> Self {
        RequestBody::Bytes(Bytes::new())
    }
}

impl fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestBody::Bytes(bytes) => write!(f, "{} bytes", bytes.len()),
            #[cfg(not(target_arch = "wasm32"))]
            RequestBody::Path(path) => write!(f, "file {}", path.display()),
            #[cfg(not(target_arch = "wasm32"))]
            RequestBody::File(file) => {
                write!(f, "file {} ({} bytes)", file.path.display(), file.len)
            }
            #[cfg(not(target_arch = "wasm32"))]
            RequestBody::Stream(stream) => write!(f, "stream ({} bytes)", stream.len),
        }
    }
}

impl RequestBody {
    /// The body's length in bytes (0 for a file not hashed yet).
    pub(crate) fn len(&self) -> u64 {
        match self {
            RequestBody::Bytes(bytes) => bytes.len() as u64,
            #[cfg(not(target_arch = "wasm32"))]
            RequestBody::Path(_) => 0,
            #[cfg(not(target_arch = "wasm32"))]
            RequestBody::File(file) => file.len,
            #[cfg(not(target_arch = "wasm32"))]
            RequestBody::Stream(stream) => stream.len,
        }
    }

    /// Hashes a file body, once (before the first attempt signs it); other bodies are ready.
    pub(crate) async fn hash_file(&mut self) -> Result<()> {
        #[cfg(not(target_arch = "wasm32"))]
        if let RequestBody::Path(path) = self {
            *self = RequestBody::File(Arc::new(file::HashedFile::hash(path.clone()).await?));
        }
        Ok(())
    }

    /// What the signature covers.
    pub(crate) fn payload(&self) -> Result<Payload<'_>> {
        match self {
            RequestBody::Bytes(bytes) => Ok(Payload::Bytes(bytes)),
            #[cfg(not(target_arch = "wasm32"))]
            RequestBody::Path(_) => Err(Error::invalid(
                InvalidRequestKind::Body,
                "the file body was not hashed",
            )),
            #[cfg(not(target_arch = "wasm32"))]
            RequestBody::File(file) => Ok(Payload::Sha256(&file.sha256)),
            #[cfg(not(target_arch = "wasm32"))]
            RequestBody::Stream(stream) => Ok(Payload::Sha256(&stream.sha256)),
        }
    }

    /// The bytes, for a body in memory.
    pub(crate) fn bytes(&self) -> Option<&Bytes> {
        match self {
            RequestBody::Bytes(bytes) => Some(bytes),
            #[cfg(not(target_arch = "wasm32"))]
            _ => None,
        }
    }

    /// The body for one attempt: the bytes, or the file opened again (and checked to be the
    /// one hashed) as a stream.
    pub(crate) async fn to_reqwest(&self) -> Result<reqwest::Body> {
        match self {
            RequestBody::Bytes(bytes) => Ok(bytes.clone().into()),
            #[cfg(not(target_arch = "wasm32"))]
            RequestBody::Path(_) => Err(Error::invalid(
                InvalidRequestKind::Body,
                "the file body was not hashed",
            )),
            #[cfg(not(target_arch = "wasm32"))]
            RequestBody::File(file) => file.clone().open().await,
            #[cfg(not(target_arch = "wasm32"))]
            RequestBody::Stream(stream) => stream.clone().take(),
        }
    }

    /// Whether another attempt can send the body again (not a stream's, which is read once).
    pub(crate) fn resendable(&self) -> bool {
        #[cfg(not(target_arch = "wasm32"))]
        if let RequestBody::Stream(_) = self {
            return false;
        }
        true
    }
}

/// The [`BodyError`] a failed send carries, if the body stream failed: the HTTP stack wraps what
/// the stream gave it.
pub(crate) fn body_error(e: &(dyn std::error::Error + 'static)) -> Option<BodyError> {
    let mut current = Some(e);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<BodyError>() {
            return Some(found.clone());
        }
        current = e.source();
    }
    None
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) use file::StreamBody;

#[cfg(not(target_arch = "wasm32"))]
mod file {
    use std::path::PathBuf;
    use std::pin::Pin;
    use std::sync::{Arc, Mutex};
    use std::time::SystemTime;

    use bytes::{Bytes, BytesMut};
    use sha2::{Digest, Sha256};
    use tokio::io::{AsyncRead, AsyncReadExt};

    use crate::error::{BodyError, Error, Result};

    /// How much of a file is read at a time, hashing or sending.
    const CHUNK: usize = 256 * 1024;

    /// A file as it was hashed: what each attempt checks it still is.
    #[derive(Debug)]
    pub(crate) struct HashedFile {
        pub(crate) path: PathBuf,
        pub(crate) len: u64,
        modified: Option<SystemTime>,
        pub(crate) sha256: [u8; 32],
    }

    impl HashedFile {
        /// Reads `path` once, hashing it.
        pub(crate) async fn hash(path: PathBuf) -> Result<HashedFile> {
            let io = |e| Error::Body(Box::new(BodyError::io(Some(&path), e)));
            let mut file = tokio::fs::File::open(&path).await.map_err(io)?;
            let before = file.metadata().await.map_err(io)?;
            let mut hasher = Sha256::new();
            let mut buf = vec![0u8; CHUNK];
            let mut read = 0u64;
            loop {
                let n = file.read(&mut buf).await.map_err(io)?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
                read += n as u64;
            }
            let hashed = HashedFile {
                len: read,
                modified: before.modified().ok(),
                sha256: hasher.finalize().into(),
                path: path.clone(),
            };
            let after = file.metadata().await.map_err(io)?;
            if before.len() != read {
                return Err(Error::Body(Box::new(BodyError::changed(
                    Some(&path),
                    "changed while it was hashed",
                ))));
            }
            hashed.check(&after).map_err(|e| Error::Body(Box::new(e)))?;
            Ok(hashed)
        }

        /// An error unless `now` is the file as hashed (length and modification time).
        fn check(&self, now: &std::fs::Metadata) -> std::result::Result<(), BodyError> {
            if now.len() != self.len || now.modified().ok() != self.modified {
                return Err(BodyError::changed(
                    Some(&self.path),
                    "changed after it was hashed and signed",
                ));
            }
            Ok(())
        }

        /// Opens the file again, checks it is the one hashed, and streams it: exactly `len`
        /// bytes, hashed again as they go, the last chunk only after a last check of length,
        /// modification time and SHA-256 (a stream error if it fails, or if the file ends
        /// early, which ends the request before its body is complete). The hash catches a
        /// file rewritten with the same length and its old modification time (`cp -p`,
        /// `rsync -t`, `tar x`), which length and time alone do not.
        pub(crate) async fn open(self: Arc<Self>) -> Result<reqwest::Body> {
            let io = |e| Error::Body(Box::new(BodyError::io(Some(&self.path), e)));
            let file = tokio::fs::File::open(&self.path).await.map_err(io)?;
            let meta = file.metadata().await.map_err(io)?;
            self.check(&meta).map_err(|e| Error::Body(Box::new(e)))?;
            let stream = futures_util::stream::try_unfold(
                (file, 0u64, self, Sha256::new()),
                |(mut file, sent, hashed, mut hasher)| async move {
                    if sent == hashed.len {
                        return Ok(None);
                    }
                    let want = usize::try_from(hashed.len - sent).map_or(CHUNK, |n| n.min(CHUNK));
                    let mut buf = BytesMut::zeroed(want);
                    let n = file
                        .read(&mut buf)
                        .await
                        .map_err(|e| BodyError::io(Some(&hashed.path), e))?;
                    if n == 0 {
                        return Err(BodyError::changed(
                            Some(&hashed.path),
                            "is shorter than when it was hashed and signed",
                        ));
                    }
                    buf.truncate(n);
                    hasher.update(&buf);
                    let sent = sent + n as u64;
                    if sent == hashed.len {
                        // Checked before the last chunk goes: once the declared length is
                        // sent, the HTTP stack asks the stream for nothing more.
                        let meta = file
                            .metadata()
                            .await
                            .map_err(|e| BodyError::io(Some(&hashed.path), e))?;
                        hashed.check(&meta)?;
                        if hasher.clone().finalize()[..] != hashed.sha256[..] {
                            return Err(BodyError::changed(
                                Some(&hashed.path),
                                "changed after it was hashed and signed (its bytes differ, \
                                 though its length and modification time do not)",
                            ));
                        }
                    }
                    let chunk: Bytes = buf.freeze();
                    Ok(Some((chunk, (file, sent, hashed, hasher))))
                },
            );
            Ok(reqwest::Body::wrap_stream(stream))
        }
    }

    /// A reader sent as a body once: `len` bytes whose SHA-256 is `sha256`, as the caller
    /// declared (and signed); checked while sent.
    pub(crate) struct StreamBody {
        reader: Mutex<Option<Pin<Box<dyn AsyncRead + Send>>>>,
        pub(crate) len: u64,
        pub(crate) sha256: [u8; 32],
    }

    impl std::fmt::Debug for StreamBody {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("StreamBody")
                .field("len", &self.len)
                .finish_non_exhaustive()
        }
    }

    impl StreamBody {
        pub(crate) fn new(
            reader: impl AsyncRead + Send + 'static,
            len: u64,
            sha256: [u8; 32],
        ) -> StreamBody {
            StreamBody {
                reader: Mutex::new(Some(Box::pin(reader))),
                len,
                sha256,
            }
        }

        /// The reader as a body stream, once: exactly `len` bytes, hashed as they go; the last
        /// chunk only if the hash is the one declared and nothing follows (a stream error
        /// otherwise, which ends the request before its body is complete).
        pub(crate) fn take(self: Arc<Self>) -> Result<reqwest::Body> {
            let reader = self
                .reader
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take()
                .ok_or_else(|| Error::Body(Box::new(BodyError::spent())))?;
            let (len, declared) = (self.len, self.sha256);
            let stream = futures_util::stream::try_unfold(
                (reader, 0u64, Sha256::new()),
                move |(mut reader, sent, mut hasher)| async move {
                    if sent == len {
                        return Ok(None);
                    }
                    let want = usize::try_from(len - sent).map_or(CHUNK, |n| n.min(CHUNK));
                    let mut buf = BytesMut::zeroed(want);
                    let n = reader
                        .read(&mut buf)
                        .await
                        .map_err(|e| BodyError::io(None, e))?;
                    if n == 0 {
                        return Err(BodyError::changed(None, "ended before its declared length"));
                    }
                    buf.truncate(n);
                    hasher.update(&buf);
                    let sent = sent + n as u64;
                    if sent == len {
                        let more = reader
                            .read(&mut [0u8; 1])
                            .await
                            .map_err(|e| BodyError::io(None, e))?;
                        if more > 0 {
                            return Err(BodyError::changed(
                                None,
                                "is longer than its declared length",
                            ));
                        }
                        if hasher.clone().finalize()[..] != declared[..] {
                            return Err(BodyError::changed(
                                None,
                                "does not have the declared SHA-256 (the one signed)",
                            ));
                        }
                    }
                    Ok(Some((buf.freeze(), (reader, sent, hasher))))
                },
            );
            Ok(reqwest::Body::wrap_stream(stream))
        }
    }
}
