use std::collections::TryReserveError;

use cleanup_lab::check_all_allocation_failures;

fn two_buffers() -> Result<(Vec<u8>, Vec<u8>), TryReserveError> {
    let mut a = Vec::new();
    a.try_reserve(16)?;
    let mut b = Vec::new();
    b.try_reserve(16)?;
    Ok((a, b))
}

fn main() {
    let check = check_all_allocation_failures(two_buffers);
    assert_eq!(check.failure_points, 2);
    assert!(check.result.is_ok()); // the two buffers were dropped
}
