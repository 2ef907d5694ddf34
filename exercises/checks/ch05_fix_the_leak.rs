//! The check of exercise ch05_fix_the_leak: `cargo exercise ch05_fix_the_leak`.

use std::process::ExitCode;

use course::TwoBufError;
use course::lab::check_leaks;
use course::staged::LIMIT;
use course_exercises::{Inline, Leaked, Property, grade, lengths};

course_exercises::check_program!("ch05_fix_the_leak");
use answer::alloc_pair;

/// A buffer's contents, copied out of the leak check.
type Ints = Inline<i32, 48>;

/// What a call gave the caller: both buffers' contents, or the error.
type Given = Result<[Ints; 2], TwoBufError>;

/// A = [0, ..., n - 1], B = [n, ..., 2n - 1]; more than LIMIT refused; a
/// length that cannot be had is OutOfMemory (A fails first).
fn reference(n: usize) -> Given {
    if lengths::cannot_be_had(n) {
        return Err(TwoBufError::OutOfMemory);
    }
    if n > LIMIT {
        return Err(TwoBufError::TooLarge {
            requested: n,
            limit: LIMIT,
        });
    }
    let a: Vec<i32> = (0..n as i32).collect();
    let b: Vec<i32> = (n as i32..2 * n as i32).collect();
    Ok([Ints::of(&a), Ints::of(&b)])
}

/// What `alloc_pair(n)` gave, the buffers freed.
fn given(n: usize) -> Given {
    alloc_pair(n).map(|(a, b)| {
        let seen = [Ints::of(a.as_slice()), Ints::of(b.as_slice())];
        a.free();
        b.free();
        seen
    })
}

fn main() -> ExitCode {
    grade("ch05_fix_the_leak", |grader| {
        // First, as the lab's child processes run the program again up to
        // each of these: every allocation failed in turn.
        let failures_ok = grader.each_in_one_line(
            "alloc_pair(n) for n from 0 to past LIMIT, each allocation failed in turn: out of \
             memory, nothing leaked",
            lengths::failing_each_allocation(),
            |grader, n| {
                grader.every_allocation_failure(&format!("alloc_pair({n})"), &["A", "B"], || {
                    given(n)
                });
            },
        );
        if !failures_ok {
            return;
        }

        // Every path: success, refusal, a length that cannot be had.
        let lengths = lengths::ON_EVERY_PATH;
        let summary =
            format!("alloc_pair(n) for n in {lengths:?}: nothing leaked, nothing freed twice");
        let leaks_ok = grader.each_in_one_line(&summary, lengths, |grader, n| {
            let what = format!("alloc_pair({n}), then the caller frees what it got");
            grader.without_leaks(&what, || given(n));
        });
        if !leaks_ok {
            return;
        }

        // Every length to 40, and lengths spread up to 4 Mi elements and
        // three that cannot be had: what the caller gets, nothing leaked.
        let mut all = lengths::up_to_40_and_three_impossible();
        all.extend(lengths::spread(1 << 22).into_iter().filter(|&n| n > 40));
        let agreed = grader.agrees_on(
            Property {
                what: "alloc_pair(n) for n from 0 to 40, spread up to 4 Mi and three that \
                       cannot be had (A = i, B = n + i; nothing leaked)",
                call: &|n: &usize| format!("alloc_pair({n})"),
                boundaries: all.clone(),
            },
            |&n| {
                let (given, report) = check_leaks(|| given(n));
                (given, Leaked::from(&report))
            },
            |&n| (reference(n), Leaked::NOTHING),
        );
        if !agreed {
            return;
        }

        // Each allocation failed in turn for all those lengths, here.
        grader.every_allocation_failure_of(
            "alloc_pair(n) for the same lengths",
            &|n: &usize| format!("alloc_pair({n})"),
            all,
            |&n| given(n),
        );
    })
}
