//! The check of exercise ch07_fill_squares: `cargo exercise ch07_fill_squares`.

use std::process::ExitCode;

use course::lab::count_allocations;
use course_exercises::grade;

course_exercises::check_program!("ch07_fill_squares");
use answer::fill_squares;

fn main() -> ExitCode {
    grade("ch07_fill_squares", |grader| {
        // A buffer on the stack, filled with 7s: every slot must change.
        let mut out = [7u64; 5];
        let counted = grader.without_leaks("fill_squares on a buffer of 5", || {
            count_allocations(|| fill_squares(&mut out)).1
        });
        if let Some(count) = counted {
            grader.check(
                out == [0, 1, 4, 9, 16],
                "fill_squares on [7, 7, 7, 7, 7] leaves [0, 1, 4, 9, 16]",
                || format!("fill_squares on [7, 7, 7, 7, 7] left {out:?}, not [0, 1, 4, 9, 16]"),
            );
            grader.check(
                count.attempts == 0,
                "fill_squares allocates nothing",
                || {
                    let blocks = if count.attempts == 1 {
                        "block"
                    } else {
                        "blocks"
                    };
                    format!(
                        "fill_squares on a buffer of 5 allocated {} {blocks}: it must write \
                         into the caller's buffer and allocate nothing",
                        count.attempts
                    )
                },
            );
        }
        // The same values as `squares`, the allocating design it replaces.
        if let Some(owned) = grader.call("squares(5)", || answer::squares(5)) {
            grader.check(
                owned == out,
                "fill_squares writes what squares(5) returns",
                || format!("squares(5) returned {owned:?}, fill_squares wrote {out:?}"),
            );
        }
        let mut empty: [u64; 0] = [];
        grader.call("fill_squares on an empty buffer", || {
            fill_squares(&mut empty)
        });
    })
}
