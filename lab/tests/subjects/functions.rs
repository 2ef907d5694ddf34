//! Functions the subjects check, correct and broken.

use std::collections::TryReserveError;

/// Two buffers; the first is freed if the second cannot be had.
pub fn two_buffers() -> Result<(Vec<u8>, Vec<u8>), TryReserveError> {
    let mut a = Vec::new();
    a.try_reserve_exact(8)?;
    let mut b = Vec::new();
    b.try_reserve_exact(8)?;
    Ok((a, b))
}

/// Leaks its first buffer when the second allocation fails.
pub fn leaks_at_the_second() -> Result<(Vec<u8>, Vec<u8>), TryReserveError> {
    let mut a = Vec::new();
    a.try_reserve_exact(8)?;
    let mut b = Vec::new();
    if let Err(error) = b.try_reserve_exact(8) {
        std::mem::forget(a);
        return Err(error);
    }
    Ok((a, b))
}
