//! The check of exercise ch06_arena_drop: `cargo exercise ch06_arena_drop`.

use std::process::ExitCode;

use bumpalo::Bump;
use course_exercises::grade;

course_exercises::check_program!("ch06_arena_drop");
use answer::lengths;

fn main() -> ExitCode {
    grade("ch06_arena_drop", |grader| {
        // The arena is made and dropped inside the leak check: what is
        // left after it are blocks nothing will ever free.
        let what = "lengths(&arena, 3), then the arena dropped";
        let returned = grader.without_leaks(what, || {
            let arena = Bump::new();
            <[usize; 3]>::try_from(lengths(&arena, 3).as_slice()).ok()
        });
        if let Some(returned) = returned {
            grader.check(
                returned == Some([1, 2, 3]),
                "lengths(&arena, 3) is [1, 2, 3]",
                || format!("lengths(&arena, 3) returned {returned:?}, not [1, 2, 3]"),
            );
        }
    })
}
