use std::collections::TryReserveError;

use cleanup_lab::AllocationFailures;

/// Two buffers; when the second cannot be had, the first is freed and
/// nothing more is allocated on the way out.
fn two_buffers(n: usize) -> Result<(Vec<u8>, Vec<u8>), TryReserveError> {
    let mut first = Vec::new();
    first.try_reserve_exact(n)?;
    let mut second = Vec::new();
    second.try_reserve_exact(n)?; // `first` is dropped here on error
    Ok((first, second))
}

fn main() {
    let check = AllocationFailures::new()
        .nothing_after_the_failure()
        .at_most(100)
        .check(|| two_buffers(64));
    assert_eq!(check.failure_points, 2);
    assert_eq!(check.tried, 2);
    assert!(check.never_failed.is_empty());
}
