//! Chapter 7: how functions take and return buffers. One function per
//! design, each the Rust form of a Zig signature.

use allocator_api2::alloc::Allocator;
use allocator_api2::vec::Vec as VecIn;
use course::TwoBufError;
use course::staged::LIMIT;

// ANCHOR: borrow
/// Reads a buffer it does not own: `&[i32]`, like Zig's `[]const i32`.
/// It accepts a `Vec`, an array, a `Box<[i32]>`, a slice in an arena, or
/// any part of one of them.
pub fn sum(values: &[i32]) -> i64 {
    values.iter().map(|&v| i64::from(v)).sum()
}

/// Changes a buffer it does not own: `&mut [i32]`, like Zig's `[]i32`.
/// The length is fixed, so it cannot grow, shrink or free the buffer.
pub fn double_all(values: &mut [i32]) {
    for value in values {
        *value *= 2;
    }
}
// ANCHOR_END: borrow

// ANCHOR: owned
/// Returns new memory: an owned `Vec` that frees itself when the caller
/// drops it.
pub fn evens(n: usize) -> Vec<i32> {
    (0..n).map(|i| 2 * i as i32).collect() // aborts if allocation fails
}

/// The same, but an allocation failure is an error the caller can handle.
pub fn try_evens(n: usize) -> Result<Vec<i32>, TwoBufError> {
    let mut values = Vec::new();
    values.try_reserve_exact(n)?;
    values.extend((0..n).map(|i| 2 * i as i32));
    Ok(values)
}
// ANCHOR_END: owned

// ANCHOR: fill
/// Lets the caller provide the memory: fills `out` and allocates nothing.
/// The caller chooses where the buffer lives: the stack, a reused `Vec`,
/// an arena.
pub fn fill_evens(out: &mut [i32]) {
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = 2 * i as i32;
    }
}
// ANCHOR_END: fill

// ANCHOR: allocator_param
/// Takes the allocator as a parameter, like a Zig function that takes an
/// `std.mem.Allocator`. The returned `Vec` remembers its allocator, so
/// dropping it frees the memory in the right place.
pub fn try_evens_in<A: Allocator>(n: usize, alloc: A) -> Result<VecIn<i32, A>, TwoBufError> {
    let mut values = VecIn::new_in(alloc);
    values.try_reserve_exact(n)?;
    values.extend((0..n).map(|i| 2 * i as i32));
    Ok(values)
}
// ANCHOR_END: allocator_param

// ANCHOR: alloc_two_in
/// Chapter 3's `alloc_two`, for any allocator.
pub type Two<A> = (VecIn<i32, A>, VecIn<i32, A>);

pub fn alloc_two_in<A: Allocator + Copy>(n: usize, alloc: A) -> Result<Two<A>, TwoBufError> {
    let mut a = VecIn::new_in(alloc);
    a.try_reserve_exact(n)?;

    if n > LIMIT {
        // `a` is dropped here and gives its memory back to `alloc`.
        return Err(TwoBufError::TooLarge {
            requested: n,
            limit: LIMIT,
        });
    }

    let mut b = VecIn::new_in(alloc);
    b.try_reserve_exact(n)?; // on failure, `a` is dropped the same way

    a.extend((0..n).map(|i| i as i32));
    b.extend((0..n).map(|i| 2 * i as i32));
    Ok((a, b))
}
// ANCHOR_END: alloc_two_in
