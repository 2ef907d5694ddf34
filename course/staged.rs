//! Staged acquisition with owned buffers: the function of chapter 3, used
//! again by later chapters.

// ANCHOR: alloc_two
use course::TwoBufError;

/// The most elements `alloc_two` accepts.
pub const LIMIT: usize = 10;

/// Returns A = [0, 1, ..., n - 1] and B = [0, 2, ..., 2(n - 1)].
pub fn alloc_two(n: usize) -> Result<(Vec<i32>, Vec<i32>), TwoBufError> {
    // ---- acquire A ----
    let mut a = Vec::new();
    a.try_reserve_exact(n)?;

    // ---- fail in between, on purpose ----
    if n > LIMIT {
        // `a` goes out of scope here, so its `Drop` frees it. B was never
        // allocated, so there is nothing else to free.
        return Err(TwoBufError::TooLarge {
            requested: n,
            limit: LIMIT,
        });
    }

    // ---- acquire B ----
    let mut b = Vec::new();
    b.try_reserve_exact(n)?; // on failure, `a` is freed here

    // ---- fill both; the capacity is there, so nothing allocates ----
    a.extend((0..n).map(|i| i as i32));
    b.extend((0..n).map(|i| 2 * i as i32));

    // ---- success: both buffers move out to the caller ----
    Ok((a, b))
}
// ANCHOR_END: alloc_two
