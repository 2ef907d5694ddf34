//! The check of exercise ch02_fallible_squares: `cargo exercise ch02_fallible_squares`.

use std::fmt;
use std::process::ExitCode;

use course::TwoBufError;
use course_exercises::{Property, grade, lengths};

course_exercises::check_program!("ch02_fallible_squares");
use answer::squares;

/// Lengths that cannot be had: more bytes than `isize::MAX`, and more
/// than any machine has.
const TOO_MANY: [usize; 4] = [
    usize::MAX,
    usize::MAX / 8 + 1,
    isize::MAX as usize / 8 + 1,
    1 << 42,
];

/// The capacity of a vector, as the report shows it.
#[derive(PartialEq)]
struct Capacity(usize);

impl fmt::Debug for Capacity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "capacity {}", self.0)
    }
}

fn main() -> ExitCode {
    grade("ch02_fallible_squares", |grader| {
        // First, as the lab's child processes run the program again up to
        // each of these: every allocation failed in turn, for lengths small
        // and large.
        let failures_ok = grader.each_in_one_line(
            "squares(n) for n = 0, 1, 5, 1000, 4097 and 70 000, each allocation failed in \
             turn: out of memory, nothing leaked",
            [0, 1, 5, 1000, 4097, 70_000],
            |grader, n| {
                grader.every_allocation_failure(&format!("squares({n})"), &["the vector"], || {
                    squares(n)
                });
            },
        );
        if !failures_ok {
            return;
        }

        grader.without_leaks("squares(5), then dropped", || squares(5).map(drop));

        // The values, and room for exactly them (try_reserve_exact): i²
        // needs 64 bits from i = 65 536 on.
        grader.agrees(
            Property {
                what: "squares(n) for every n, in a vector of capacity n",
                call: &|n: &usize| format!("squares({n})"),
                boundaries: vec![0, 1, 2, 3, 65_535, 65_536, 65_537, 70_000],
            },
            0usize..5000,
            100,
            |&n| squares(n).map(|squares| (Capacity(squares.capacity()), squares)),
            |&n| Ok((Capacity(n), (0..n as u64).map(|i| i * i).collect())),
        );

        // After all those calls, refusals still come back as errors.
        grader.agrees_on(
            Property {
                what: "squares(n) is Err(OutOfMemory) when n elements cannot be had",
                call: &|n: &usize| format!("squares({n})"),
                boundaries: TOO_MANY.to_vec(),
            },
            |&n| squares(n),
            |_| Err(TwoBufError::OutOfMemory),
        );
        // Many more lengths, each allocation failed in turn here, after all
        // those calls (an abort ends the check, which then says where it
        // was).
        grader.every_allocation_failure_of(
            "squares(n) for n from 0 to 131 072",
            &|n: &usize| format!("squares({n})"),
            lengths::spread(1 << 17),
            |&n| squares(n),
        );
    })
}
