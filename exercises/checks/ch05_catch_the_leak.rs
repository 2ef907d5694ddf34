//! The check of exercise ch05_catch_the_leak: `cargo exercise ch05_catch_the_leak`.
//!
//! The answer is itself a check: `leaks_nothing` must say true of
//! functions that free what they acquire on every path, however they do
//! it, and false of each function that leaks on one path only: the
//! success, the refusal, or the failure of any one of its allocations.

use std::process::ExitCode;

use course::TwoBufError;
use course::errdefer::alloc_two_raw;
use course::forgetful::alloc_two_forgetful;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use course_exercises::grade;

course_exercises::check_program!("ch05_catch_the_leak");
use answer::{AllocTwo, leaks_nothing};

type Pair = Result<(RawBuffer, RawBuffer), TwoBufError>;

fn too_large(n: usize) -> TwoBufError {
    TwoBufError::TooLarge {
        requested: n,
        limit: LIMIT,
    }
}

/// Where a function of the check leaks, and how it is built: A, then
/// scratch blocks (freed before returning), then B.
#[derive(Clone, Copy, PartialEq)]
enum Leak {
    Nowhere,
    /// On success: the scratch blocks are never freed.
    OnSuccess,
    /// When more than LIMIT elements are asked for: A is never freed.
    WhenRefused,
    WhenAFails,
    /// When the allocation of scratch block number N (from 1) fails: A is
    /// never freed.
    WhenScratchFails(usize),
    /// When the allocation of B, the last, fails: A is never freed.
    WhenBFails,
}

/// A, `scratches` scratch blocks (at most 8) and B acquired in turn, the
/// scratch blocks freed before returning; freeing what it holds on every
/// path but the one `leak` names.
fn with_scratches(n: usize, scratches: usize, leak: Leak) -> Pair {
    let a = match RawBuffer::alloc(n) {
        Ok(a) => a,
        // Nothing is held yet: a leak "when A fails" leaks a block of its
        // own, made after the failure.
        Err(error) => {
            if leak == Leak::WhenAFails {
                std::mem::forget(Box::<[u8; 32]>::new([0; 32]));
            }
            return Err(error);
        }
    };
    if n > LIMIT {
        if leak != Leak::WhenRefused {
            a.free();
        }
        return Err(too_large(n));
    }
    // Held in an array: a vector would be one more allocation to fail.
    let mut held: [Option<RawBuffer>; 8] = Default::default();
    let free_all = |held: &mut [Option<RawBuffer>; 8]| {
        held.iter_mut()
            .filter_map(Option::take)
            .for_each(RawBuffer::free);
    };
    for number in 1..=scratches {
        match RawBuffer::alloc(1) {
            Ok(scratch) => held[number - 1] = Some(scratch),
            Err(error) => {
                free_all(&mut held);
                if leak != Leak::WhenScratchFails(number) {
                    a.free();
                }
                return Err(error);
            }
        }
    }
    let b = match RawBuffer::alloc(n) {
        Ok(b) => b,
        Err(error) => {
            free_all(&mut held);
            if leak != Leak::WhenBFails {
                a.free();
            }
            return Err(error);
        }
    };
    // A RawBuffer has no Drop: one not freed is leaked.
    if leak != Leak::OnSuccess {
        free_all(&mut held);
    }
    Ok((a, b))
}

fn clean_with_scratch(n: usize) -> Pair {
    with_scratches(n, 1, Leak::Nowhere)
}
fn leaks_scratch_on_success(n: usize) -> Pair {
    with_scratches(n, 1, Leak::OnSuccess)
}
fn leaks_a_when_refused(n: usize) -> Pair {
    with_scratches(n, 1, Leak::WhenRefused)
}
fn leaks_when_a_fails(n: usize) -> Pair {
    with_scratches(n, 1, Leak::WhenAFails)
}
fn leaks_a_when_scratch_fails(n: usize) -> Pair {
    with_scratches(n, 1, Leak::WhenScratchFails(1))
}
fn leaks_a_when_b_fails(n: usize) -> Pair {
    with_scratches(n, 1, Leak::WhenBFails)
}
fn leaks_a_when_the_fifth_fails(n: usize) -> Pair {
    with_scratches(n, 3, Leak::WhenBFails)
}
fn leaks_a_when_the_sixth_fails(n: usize) -> Pair {
    with_scratches(n, 4, Leak::WhenBFails)
}
fn leaks_a_when_the_fourth_of_ten_fails(n: usize) -> Pair {
    with_scratches(n, 8, Leak::WhenScratchFails(3))
}
fn leaks_a_when_the_tenth_fails(n: usize) -> Pair {
    with_scratches(n, 8, Leak::WhenBFails)
}
fn clean_with_eight_scratches(n: usize) -> Pair {
    with_scratches(n, 8, Leak::Nowhere)
}

/// Clean, and B twice as long as A: what a clean run leaves for the
/// caller is not always 2 × n integers.
fn b_twice_as_long(n: usize) -> Pair {
    let a = RawBuffer::alloc(n)?;
    if n > LIMIT {
        a.free();
        return Err(too_large(n));
    }
    match RawBuffer::alloc(2 * n) {
        Ok(b) => Ok((a, b)),
        Err(error) => {
            a.free();
            Err(error)
        }
    }
}

/// Refuses before it acquires anything, then acquires B before A: a
/// different shape, and clean.
fn refuses_first(n: usize) -> Pair {
    if n > LIMIT {
        return Err(too_large(n));
    }
    let b = RawBuffer::alloc(n)?;
    match RawBuffer::alloc(n) {
        Ok(a) => Ok((a, b)),
        Err(error) => {
            b.free();
            Err(error)
        }
    }
}

/// Refuses after A and B: clean, but the refusal path frees two blocks.
fn refuses_last(n: usize) -> Pair {
    let a = RawBuffer::alloc(n)?;
    let b = match RawBuffer::alloc(n) {
        Ok(b) => b,
        Err(error) => {
            a.free();
            return Err(error);
        }
    };
    if n > LIMIT {
        a.free();
        b.free();
        return Err(too_large(n));
    }
    Ok((a, b))
}

fn main() -> ExitCode {
    grade("ch05_catch_the_leak", |grader| {
        let cases: [(&str, AllocTwo, bool, &str); 16] = [
            (
                "clean_with_eight_scratches",
                clean_with_eight_scratches,
                true,
                "it frees everything on every path (it makes ten allocations)",
            ),
            (
                "alloc_two_raw",
                alloc_two_raw,
                true,
                "it frees everything on every path",
            ),
            (
                "clean_with_scratch",
                clean_with_scratch,
                true,
                "it frees everything on every path (it allocates A, a scratch block, then B)",
            ),
            (
                "refuses_first",
                refuses_first,
                true,
                "it frees everything on every path (it refuses before allocating)",
            ),
            (
                "refuses_last",
                refuses_last,
                true,
                "it frees everything on every path (it refuses after allocating A and B)",
            ),
            (
                "b_twice_as_long",
                b_twice_as_long,
                true,
                "it frees everything on every path (its B is twice as long as A)",
            ),
            (
                "alloc_two_forgetful",
                alloc_two_forgetful,
                false,
                "alloc_two_forgetful leaks A when n > LIMIT and when the allocation of B fails",
            ),
            (
                "leaks_scratch_on_success",
                leaks_scratch_on_success,
                false,
                "that function leaks a block on success, and only then",
            ),
            (
                "leaks_a_when_refused",
                leaks_a_when_refused,
                false,
                "that function leaks A when more than LIMIT elements are asked for, and only then",
            ),
            (
                "leaks_when_a_fails",
                leaks_when_a_fails,
                false,
                "that function leaks a block when its first allocation fails, and only then",
            ),
            (
                "leaks_a_when_scratch_fails",
                leaks_a_when_scratch_fails,
                false,
                "that function leaks A when its second allocation fails, and only then",
            ),
            (
                "leaks_a_when_b_fails",
                leaks_a_when_b_fails,
                false,
                "that function leaks A when its third allocation (B) fails, and only then: \
              every allocation must be made to fail, not only the first two",
            ),
            (
                "leaks_a_when_the_fifth_fails",
                leaks_a_when_the_fifth_fails,
                false,
                "that function leaks A when its fifth allocation (B) fails, and only then: \
                 every allocation must be made to fail, however many there are",
            ),
            (
                "leaks_a_when_the_sixth_fails",
                leaks_a_when_the_sixth_fails,
                false,
                "that function leaks A when its sixth allocation (B) fails, and only then: \
                 every allocation must be made to fail, however many there are",
            ),
            (
                "leaks_a_when_the_fourth_of_ten_fails",
                leaks_a_when_the_fourth_of_ten_fails,
                false,
                "that function leaks A when the fourth of its ten allocations fails, and only \
                 then: every allocation must be made to fail",
            ),
            (
                "leaks_a_when_the_tenth_fails",
                leaks_a_when_the_tenth_fails,
                false,
                "that function leaks A when the last of its ten allocations fails, and only \
                 then: every allocation must be made to fail, however many there are",
            ),
        ];
        for (name, function, expected, why) in cases {
            let what = format!("leaks_nothing({name})");
            let Some(answer) = grader.call(&what, || leaks_nothing(function)) else {
                break;
            };
            grader.check(answer == expected, &format!("{what} is {expected}"), || {
                format!("{what} returned {answer}, but {why}")
            });
        }
    })
}
