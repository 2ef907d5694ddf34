use allocator_api2::alloc::Allocator;
use allocator_api2::collections::TryReserveError;
use allocator_api2::vec::Vec;
use cleanup_lab::check_all_allocation_failures_in;

/// Two buffers from the same allocator.
type Two<A> = (Vec<u8, A>, Vec<u8, A>);

/// Two buffers from `alloc`; the first is freed if the second cannot be
/// had (it is dropped on the way out).
fn two_buffers_in<A: Allocator + Copy>(n: usize, alloc: A) -> Result<Two<A>, TryReserveError> {
    let mut first = Vec::new_in(alloc);
    first.try_reserve_exact(n)?;
    let mut second = Vec::new_in(alloc);
    second.try_reserve_exact(n)?;
    Ok((first, second))
}

fn main() {
    // What the closure returns cannot borrow the allocator: the buffers
    // are dropped inside it, and their lengths returned.
    let check = check_all_allocation_failures_in(|alloc| {
        two_buffers_in(64, alloc).map(|(first, second)| first.capacity() + second.capacity())
    });
    assert_eq!(check.failure_points, 2);
    assert!(check.result.is_ok());
}
