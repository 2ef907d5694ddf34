// family: wrong-elsewhere
// wrong because: the indices go through u32, so n is truncated and squares overflow from i = 65536: try_squares_in(70_000, alloc) panics in a debug build, and try_squares_in(1 << 32, alloc) returns an empty vector.
// Written by a tester who had not read the check.
// expect: try_squares_in(65537, &arena): panicked: attempt to multiply with overflow (at exercises/wrong/ch07_allocator_param/square_in_u32.rs:13)

use allocator_api2::alloc::Allocator;
use allocator_api2::vec::Vec as VecIn;
use course::TwoBufError;

pub fn try_squares_in<A: Allocator>(n: usize, alloc: A) -> Result<VecIn<u64, A>, TwoBufError> {
    let mut squares = VecIn::new_in(alloc);
    squares.try_reserve_exact(n)?;
    squares.extend((0..n as u32).map(|i| (i * i) as u64));
    Ok(squares)
}
