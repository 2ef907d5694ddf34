use allocator_api2::vec::Vec;
use cleanup_lab::CheckingAllocator;

/// Code that takes an allocator: the squares of `0..n`, or an error.
fn squares_in<A: allocator_api2::alloc::Allocator>(
    n: u32,
    alloc: A,
) -> Result<Vec<u32, A>, allocator_api2::collections::TryReserveError> {
    let mut squares = Vec::new_in(alloc);
    squares.try_reserve_exact(n as usize)?;
    squares.extend((0..n).map(|i| i * i));
    Ok(squares)
}

fn main() {
    // Everything it allocates is freed once the vector is dropped.
    let alloc = CheckingAllocator::new();
    let squares = squares_in(4, &alloc).unwrap();
    assert_eq!(squares.as_slice(), [0, 1, 4, 9]);
    assert!(!alloc.report().is_clean()); // the vector is still live
    drop(squares);
    assert!(alloc.report().is_clean());
    assert_eq!(alloc.attempts(), 1);

    // Its one allocation made to fail: an error, and nothing left behind.
    let failing = CheckingAllocator::new().failing_at(0);
    assert!(squares_in(4, &failing).is_err());
    assert!(failing.injected());
    assert_eq!(failing.after_failure(), 0);
    assert!(failing.report().is_clean());
}
