//! The check of exercise ch06_arena_drop: `cargo exercise ch06_arena_drop`.

use std::process::ExitCode;

use bumpalo::Bump;
use course::lab::check_leaks;
use course_exercises::{Inline, Property, grade};

course_exercises::check_program!("ch06_arena_drop");
use answer::lengths;

/// The lengths, copied out of the leak check.
type Lengths = Inline<usize, 1100>;

fn main() -> ExitCode {
    grade("ch06_arena_drop", |grader| {
        // Where each leaked block was allocated, for a few n.
        let leaks_ok = grader.each([3, 1, 0, 40], |grader, n| {
            // The arena is made and dropped inside the leak check: what is
            // left after it are blocks nothing will ever free.
            let what = format!("lengths(&arena, {n}), then the arena dropped");
            grader.without_leaks(&what, || Lengths::of(&lengths(&Bump::new(), n)));
        });
        if !leaks_ok {
            return;
        }
        // Every n up to 60: the lengths, and nothing left after the arena.
        grader.agrees_on(
            Property {
                what: "lengths(&arena, n) for n from 0 to 64, and up to 1025 (past a u8, \
                       past a kilobyte): [1, 2, ..., n], nothing leaked once the arena is \
                       dropped",
                call: &|n: &usize| format!("lengths(&arena, {n}), then the arena dropped"),
                boundaries: (0..=64)
                    .chain([100, 128, 200, 254, 255, 256, 257, 300, 1025])
                    .collect(),
            },
            |&n| {
                let ((seen, used), report) = check_leaks(|| {
                    let arena = Bump::new();
                    let seen = Lengths::of(&lengths(&arena, n));
                    (seen, arena.allocated_bytes() > 0)
                });
                let kept = if n == 0 || used {
                    "the vectors kept in the arena"
                } else {
                    "nothing kept in the arena"
                };
                (seen, kept, report.leaks.len(), report.leaked_bytes())
            },
            |&n| {
                let kept = "the vectors kept in the arena";
                (Lengths::of(&(1..=n).collect::<Vec<_>>()), kept, 0, 0)
            },
        );
    })
}
