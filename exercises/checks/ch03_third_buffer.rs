//! The check of exercise ch03_third_buffer: `cargo exercise ch03_third_buffer`.

use std::process::ExitCode;

use course::TwoBufError;
use course::lab::{check_leaks, count_allocations};
use course::staged::LIMIT;
use course_exercises::{Inline, Leaked, Property, grade, lengths};

course_exercises::check_program!("ch03_third_buffer");
use answer::alloc_three_raw;

/// A buffer's contents, copied out of the leak check.
type Ints = Inline<i32, 16>;

/// What a call gave the caller: the three buffers' contents, or the error.
type Given = Result<[Ints; 3], TwoBufError>;

/// alloc_two_raw's rules with a third buffer: A is acquired first, so a
/// length that cannot be had is OutOfMemory before the limit is checked.
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
    let filled = |k: i32| Ints::of(&(0..n as i32).map(|i| k * i).collect::<Vec<_>>());
    Ok([filled(1), filled(2), filled(3)])
}

fn main() -> ExitCode {
    grade("ch03_third_buffer", |grader| {
        // First, as the lab's child processes run the program again up to
        // each of these: every allocation failed in turn, for a success
        // (A, B and C allocated) and for a refusal (only A).
        let failures_ok = grader.each_in_one_line(
            "alloc_three_raw(n) for n from 0 to past LIMIT, each allocation failed in turn: \
             out of memory, nothing leaked",
            lengths::failing_each_allocation(),
            |grader, n| {
                grader.every_allocation_failure(
                    &format!("alloc_three_raw({n})"),
                    &["A", "B", "C"],
                    || given(n),
                );
            },
        );
        if !failures_ok {
            return;
        }

        // Lengths around the limit, and one that cannot be had: nothing
        // leaked or freed twice.
        let lengths = lengths::ON_EVERY_PATH;
        let summary =
            format!("alloc_three_raw(n) for n in {lengths:?}: nothing leaked, nothing freed twice");
        let leaks_ok = grader.each_in_one_line(&summary, lengths, |grader, n| {
            let what = format!("alloc_three_raw({n}), then the caller frees what it got");
            grader.without_leaks(&what, || given(n));
        });
        if !leaks_ok {
            return;
        }

        // Every length to 40, and lengths spread up to 4 Mi elements and
        // three that cannot be had: what the caller gets, refused right
        // after A is acquired (as alloc_two_raw does: a request that will
        // be refused acquires nothing more), nothing leaked.
        let mut all = lengths::up_to_40_and_three_impossible();
        all.extend(lengths::spread(1 << 22).into_iter().filter(|&n| n > 40));
        let agreed = grader.agrees_on(
            Property {
                what: "alloc_three_raw(n) for n from 0 to 40, spread up to 4 Mi and three \
                       that cannot be had (A = i, B = 2 * i, C = 3 * i; refused right after A; \
                       nothing leaked)",
                call: &|n: &usize| format!("alloc_three_raw({n})"),
                boundaries: all.clone(),
            },
            |&n| {
                let ((given, count), report) = check_leaks(|| count_allocations(|| given(n)));
                let refused_after = Refusal(
                    matches!(given, Err(TwoBufError::TooLarge { .. })).then_some(count.attempts),
                );
                (given, refused_after, Leaked::from(&report))
            },
            |&n| {
                let expected = reference(n);
                let refused_after =
                    Refusal(matches!(expected, Err(TwoBufError::TooLarge { .. })).then_some(1));
                (expected, refused_after, Leaked::NOTHING)
            },
        );
        if !agreed {
            return;
        }

        // Each allocation failed in turn for all those lengths, here.
        grader.every_allocation_failure_of(
            "alloc_three_raw(n) for the same lengths",
            &|n: &usize| format!("alloc_three_raw({n})"),
            all,
            |&n| given(n),
        );
    })
}

/// How many blocks a call acquired before it refused, if it did.
#[derive(PartialEq)]
struct Refusal(Option<u64>);

impl std::fmt::Debug for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            None => write!(f, "not refused"),
            Some(blocks) => write!(f, "refused after acquiring {blocks} blocks"),
        }
    }
}

/// What `alloc_three_raw(n)` gave, the buffers freed.
fn given(n: usize) -> Given {
    alloc_three_raw(n).map(|(a, b, c)| {
        let seen = [
            Ints::of(a.as_slice()),
            Ints::of(b.as_slice()),
            Ints::of(c.as_slice()),
        ];
        a.free();
        b.free();
        c.free();
        seen
    })
}
