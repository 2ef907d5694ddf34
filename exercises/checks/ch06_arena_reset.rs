//! The check of exercise ch06_arena_reset: `cargo exercise ch06_arena_reset`.

use std::process::ExitCode;

use bumpalo::Bump;
use course::lab::count_allocations;
use course_exercises::grade;

course_exercises::check_program!("ch06_arena_reset");
use answer::run_rounds;

/// One round's numbers: 100 of them, 8 bytes each.
const ROUND_BYTES: usize = 800;

fn main() -> ExitCode {
    grade("ch06_arena_reset", |grader| {
        let what = "run_rounds(&mut arena, 1000), then the arena dropped";
        let checked = grader.without_leaks(what, || {
            let mut arena = Bump::new();
            // The first round may take the arena's first chunk.
            run_rounds(&mut arena, 1);
            let (total, count) = count_allocations(|| run_rounds(&mut arena, 1000));
            (total, count.attempts, arena.allocated_bytes())
        });
        let Some((total, allocations, held)) = checked else {
            return;
        };
        // Round r adds r..r + 100: 100 r + 4950.
        let expected: u64 = (0..1000u64).map(|round| 100 * round + 4950).sum();
        grader.check(
            total == expected,
            "run_rounds(&mut arena, 1000) adds up every round",
            || format!("run_rounds(&mut arena, 1000) returned {total}, not {expected}"),
        );
        grader.check(
            held <= 4 * ROUND_BYTES,
            "the arena holds at most four rounds' worth of memory",
            || {
                format!(
                    "after run_rounds(&mut arena, 1000), the arena holds {held} bytes, \
                     {} rounds' worth: it was not reset between rounds",
                    held / ROUND_BYTES
                )
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
