//! Small helpers the emulator's servers share.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Locks `m`, whether or not a panicking thread poisoned it (the data stays consistent: every
/// critical section is a single assignment or collection call).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A random (version 4) UUID, lower-case.
pub(crate) fn random_uuid() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// `t` moved by `offset_ms` (negative: earlier), saturating at what `SystemTime` can hold: the
/// emulator's clock skew.
pub(crate) fn shift(t: std::time::SystemTime, offset_ms: i64) -> std::time::SystemTime {
    let magnitude = std::time::Duration::from_millis(offset_ms.unsigned_abs());
    if offset_ms >= 0 {
        t.checked_add(magnitude).unwrap_or(t)
    } else {
        t.checked_sub(magnitude).unwrap_or(t)
    }
}
