//! The check of exercise ch06_arena_reset: `cargo exercise ch06_arena_reset`.

use std::process::ExitCode;

use bumpalo::Bump;
use course::lab::count_allocations;
use course_exercises::{Property, grade};

course_exercises::check_program!("ch06_arena_reset");
use answer::run_rounds;

/// Round r adds r, r + 1, ..., r + 99.
fn expected_total(rounds: usize) -> u64 {
    (0..rounds as u64).map(|round| 100 * round + 4950).sum()
}

/// What the arena holds after `rounds` rounds run the way the exercise
/// asks (reset before each): one round's chunk.
fn held_when_reset(rounds: usize) -> usize {
    let mut arena = Bump::new();
    for round in 0..rounds {
        arena.reset();
        let values = arena.alloc_slice_fill_with(100, |i| (round + i) as u64);
        std::hint::black_box(values);
    }
    arena.allocated_bytes()
}

fn main() -> ExitCode {
    grade("ch06_arena_reset", |grader| {
        // The totals, for every number of rounds up to 50 and a few more.
        let mut counts: Vec<usize> = (0..=50).collect();
        counts.extend([1000, 43_000]);
        let ok = grader.agrees_on(
            Property {
                what: "run_rounds(&mut arena, rounds) adds up every round, for rounds from \
                       0 to 50, 1000 and 43 000 (past a u32's total)",
                call: &|rounds: &usize| format!("run_rounds(&mut arena, {rounds})"),
                boundaries: counts,
            },
            |&rounds| run_rounds(&mut Bump::new(), rounds),
            |&rounds| expected_total(rounds),
        );
        if !ok {
            return;
        }

        // The memory: after many rounds, no more than a reset arena holds,
        // and something (the rounds' numbers are the arena's); rounds after
        // the first take nothing from the global allocator.
        let what = "run_rounds(&mut arena, 70000), then the arena dropped";
        let checked = grader.without_leaks(what, || {
            let mut arena = Bump::new();
            // The first round may take the arena's first chunk.
            run_rounds(&mut arena, 1);
            let (total, count) = count_allocations(|| run_rounds(&mut arena, 70_000));
            (total, count.attempts, arena.allocated_bytes())
        });
        let Some((total, allocations, held)) = checked else {
            return;
        };
        let expected = expected_total(70_000);
        grader.check(total == expected, "", || {
            format!("run_rounds(&mut arena, 70000) returned {total}, expected {expected} (past a u16's count of rounds)")
        });
        // Reset before every round, an arena keeps one round's chunk from
        // the second round on.
        let most = held_when_reset(2);
        grader.check(
            held <= most && held > 0,
            &format!("after 70 001 rounds the arena holds {held} bytes: one round's chunk"),
            || {
                if held == 0 {
                    "after run_rounds(&mut arena, 70000), the arena holds nothing: the \
                     rounds' numbers belong in the arena"
                        .to_string()
                } else {
                    format!(
                        "after run_rounds(&mut arena, 70000), the arena holds {held} bytes, \
                         where an arena reset before every round holds {most}: it was not \
                         reset between every two rounds"
                    )
                }
            },
        );
        grader.check(
            allocations <= 1,
            "after the first round, the rounds allocate nothing",
            || {
                format!(
                    "the rounds allocated {allocations} blocks from the global allocator: \
                     a reset arena reuses its chunk"
                )
            },
        );
    })
}
