// Exercise ch05_catch_the_leak: a solution.

use course::TwoBufError;
use course::lab::{check_leaks, count_allocations, with_failure_at};
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;

/// A function shaped like `alloc_two_raw`.
pub type AllocTwo = fn(usize) -> Result<(RawBuffer, RawBuffer), TwoBufError>;

pub fn leaks_nothing(alloc_two: AllocTwo) -> bool {
    // On success the caller frees both: that is part of the path.
    let run = |n: usize| {
        if let Ok((a, b)) = alloc_two(n) {
            a.free();
            b.free();
        }
    };
    let clean = |path: &dyn Fn()| check_leaks(path).1.is_clean();
    // How many allocations the success path makes: each is made to fail.
    let (_, count) = count_allocations(|| run(5));
    clean(&|| run(5))
        && clean(&|| run(LIMIT + 1))
        && (0..count.attempts).all(|index| {
            clean(&|| {
                with_failure_at(index, || run(5));
            })
        })
}
