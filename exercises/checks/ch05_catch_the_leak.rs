//! The check of exercise ch05_catch_the_leak: `cargo exercise ch05_catch_the_leak`.

use std::process::ExitCode;

use course::TwoBufError;
use course::errdefer::alloc_two_raw;
use course::forgetful::alloc_two_forgetful;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use course_exercises::grade;

course_exercises::check_program!("ch05_catch_the_leak");
use answer::{AllocTwo, leaks_nothing};

/// The path on which [`alloc_two_leaking`] forgets to free A.
#[derive(PartialEq)]
enum Forgets {
    WhenRefused,
    WhenBFails,
}

/// Chapter 3's `alloc_two` with its cleanup written by hand, forgetting A
/// on one path.
fn alloc_two_leaking(n: usize, forgets: Forgets) -> Result<(RawBuffer, RawBuffer), TwoBufError> {
    let mut a = RawBuffer::alloc(n)?;
    if n > LIMIT {
        if forgets != Forgets::WhenRefused {
            a.free();
        }
        return Err(TwoBufError::TooLarge {
            requested: n,
            limit: LIMIT,
        });
    }
    let mut b = match RawBuffer::alloc(n) {
        Ok(b) => b,
        Err(error) => {
            if forgets != Forgets::WhenBFails {
                a.free();
            }
            return Err(error);
        }
    };
    a.fill(|i| i as i32);
    b.fill(|i| 2 * i as i32);
    Ok((a, b))
}

/// Frees A on every path but one: when the allocation of B fails.
fn leaks_a_when_b_fails(n: usize) -> Result<(RawBuffer, RawBuffer), TwoBufError> {
    alloc_two_leaking(n, Forgets::WhenBFails)
}

/// Frees A on every path but one: when more than LIMIT elements are asked
/// for.
fn leaks_a_when_refused(n: usize) -> Result<(RawBuffer, RawBuffer), TwoBufError> {
    alloc_two_leaking(n, Forgets::WhenRefused)
}

fn main() -> ExitCode {
    grade("ch05_catch_the_leak", |grader| {
        let cases: [(&str, AllocTwo, bool, &str); 4] = [
            (
                "alloc_two_raw",
                alloc_two_raw,
                true,
                "it frees everything on every path",
            ),
            (
                "alloc_two_forgetful",
                alloc_two_forgetful,
                false,
                "alloc_two_forgetful leaks A when n > LIMIT and when the allocation of B fails",
            ),
            (
                "leaks_a_when_b_fails",
                leaks_a_when_b_fails,
                false,
                "that function leaks A when the allocation of B fails",
            ),
            (
                "leaks_a_when_refused",
                leaks_a_when_refused,
                false,
                "that function leaks A when more than LIMIT elements are asked for",
            ),
        ];
        for (name, function, expected, why) in cases {
            let what = format!("leaks_nothing({name})");
            if let Some(answer) = grader.call(&what, || leaks_nothing(function)) {
                grader.check(answer == expected, &format!("{what} is {expected}"), || {
                    format!("{what} returned {answer}, but {why}")
                });
            }
        }
    })
}
