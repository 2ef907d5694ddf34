//! The check of exercise ch06_arena_drop: `cargo exercise ch06_arena_drop`.

use std::process::ExitCode;

use bumpalo::Bump;
use course::lab::check_leaks;
use course_exercises::{Inline, Leaked, Property, grade};

course_exercises::check_program!("ch06_arena_drop");
use answer::lengths;

/// The lengths, copied out of the leak check.
type Lengths = Inline<usize, 4100>;

/// What `lengths` gave, where it kept the vectors, and what leaked.
#[derive(PartialEq)]
struct Kept {
    lengths: Lengths,
    in_arena: bool,
    leaked: Leaked,
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept = if self.in_arena {
            "the vectors kept in the arena"
        } else {
            "less in the arena than the vectors take"
        };
        write!(f, "{:?}, {kept}, {:?}", self.lengths, self.leaked)
    }
}

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
                what: "lengths(&arena, n) for n from 0 to 64, and spread up to 4097 (past a \
                       u8, past a kilobyte, primes): [1, 2, ..., n], the vectors in the arena, \
                       nothing leaked once it is dropped",
                call: &|n: &usize| format!("lengths(&arena, {n}), then the arena dropped"),
                boundaries: (0..=64)
                    .chain([
                        100, 128, 200, 254, 255, 256, 257, 300, 1025, 1103, 2003, 2100, 4097,
                    ])
                    .collect(),
            },
            |&n| {
                let ((lengths, in_arena), report) = check_leaks(|| {
                    let arena = Bump::new();
                    let seen = Lengths::of(&lengths(&arena, n));
                    (seen, arena.allocated_bytes())
                });
                Kept {
                    lengths,
                    // A vector takes at least a word of the arena: its
                    // elements (bumpalo's Vec) or its header (a Box of one).
                    in_arena: in_arena >= n * std::mem::size_of::<usize>(),
                    leaked: Leaked::from(&report),
                }
            },
            |&n| Kept {
                lengths: Lengths::of(&(1..=n).collect::<Vec<_>>()),
                in_arena: true,
                leaked: Leaked::NOTHING,
            },
        );
    })
}
