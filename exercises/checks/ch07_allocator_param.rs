//! The check of exercise ch07_allocator_param: `cargo exercise ch07_allocator_param`.

use std::process::ExitCode;

use allocator_api2::alloc::Global;
use bumpalo::Bump;
use course::TwoBufError;
use course::lab::count_allocations;
use course_exercises::{Inline, Property, grade};

course_exercises::check_program!("ch07_allocator_param");
use answer::try_squares_in;

/// The first squares, copied out of the checks.
type Squares = Inline<u64, 48>;

/// What a call gave: the squares (their count and first 48), or the error.
type Given = Result<(Squares, u64), TwoBufError>;

fn reference(n: usize) -> Given {
    let all: Vec<u64> = (0..n as u64).map(|i| i * i).collect();
    Ok((Squares::of(&all), all.last().copied().unwrap_or(0)))
}

/// The squares and the last of them (i² needs 64 bits from 65 536 on).
fn seen(squares: &[u64]) -> (Squares, u64) {
    (Squares::of(squares), squares.last().copied().unwrap_or(0))
}

fn main() -> ExitCode {
    grade("ch07_allocator_param", |grader| {
        // First, as the lab's child processes run the program again up to
        // each of these: with the global allocator as `alloc`, the lab can
        // refuse each of its allocations in turn.
        let failures_ok = grader.each([5, 1, 0, 1000], |grader, n| {
            let what = format!("try_squares_in({n}, Global)");
            grader.every_allocation_failure(&what, &["the vector"], || try_squares_in(n, Global));
        });
        if !failures_ok {
            return;
        }

        // In an arena with room enough: the arena holds every element,
        // and nothing comes from the global allocator.
        let ok = grader.agrees(
            Property {
                what: "try_squares_in(n, &arena) for every n, all in the arena",
                call: &|n: &usize| format!("try_squares_in({n}, &arena)"),
                boundaries: vec![0, 1, 2, 5, 65_536, 65_537],
            },
            0usize..3000,
            60,
            |&n| {
                // Room for a vector that grows by doubling, too.
                let arena = Bump::with_capacity(4 * n * 8 + 1024);
                let (result, count) = count_allocations(|| try_squares_in(n, &arena));
                (result.map(|squares| seen(&squares)), count.attempts)
            },
            |&n| (reference(n), 0),
        );
        if !ok {
            return;
        }

        // An allocator that refuses: an arena with a limit, and lengths no
        // allocator can give.
        let mut refusals: Vec<(String, Result<(), TwoBufError>)> = Vec::new();
        for n in [100, 1000] {
            let what = format!("try_squares_in({n}, &arena) with an arena limited to 64 bytes");
            let result = grader.call(&what, || {
                let arena = Bump::new();
                arena.set_allocation_limit(Some(64));
                try_squares_in(n, &arena).map(|squares| seen(&squares))
            });
            if let Some(result) = result {
                refusals.push((what, result.map(drop)));
            }
        }
        for n in [usize::MAX, usize::MAX / 8 + 1, 1 << 42] {
            let what = format!("try_squares_in({n}, Global)");
            if let Some(result) = grader.call(&what, || try_squares_in(n, Global).map(|s| seen(&s)))
            {
                refusals.push((what, result.map(drop)));
            }
        }
        let wrong = refusals
            .iter()
            .find(|(_, result)| *result != Err(TwoBufError::OutOfMemory));
        grader.check(
            wrong.is_none(),
            "try_squares_in is Err(OutOfMemory) when its allocator refuses",
            || {
                let (what, result) = wrong.unwrap();
                format!("{what} returned {result:?}, not Err(OutOfMemory): the allocator refused")
            },
        );
    })
}
