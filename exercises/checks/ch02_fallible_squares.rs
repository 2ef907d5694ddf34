//! The check of exercise ch02_fallible_squares: `cargo exercise ch02_fallible_squares`.

use std::process::ExitCode;

use course::TwoBufError;
use course_exercises::grade;

course_exercises::check_program!("ch02_fallible_squares");
use answer::squares;

fn main() -> ExitCode {
    grade("ch02_fallible_squares", |grader| {
        let returned = grader.without_leaks("squares(5), then dropped", || {
            squares(5).map(|v| <[u64; 5]>::try_from(v.as_slice()).ok())
        });
        if let Some(returned) = returned {
            grader.check(
                returned == Ok(Some([0, 1, 4, 9, 16])),
                "squares(5) is [0, 1, 4, 9, 16]",
                || format!("squares(5) returned {returned:?}, not Ok([0, 1, 4, 9, 16])"),
            );
        }

        let what = format!("squares({})", usize::MAX);
        if let Some(result) = grader.call(&what, || squares(usize::MAX).map(drop)) {
            grader.check(
                result == Err(TwoBufError::OutOfMemory),
                &format!("{what} is Err(OutOfMemory): that many bytes cannot be had"),
                || format!("{what} returned {result:?}, not Err(OutOfMemory)"),
            );
        }

        grader.every_allocation_failure("squares(5)", &["the vector"], || squares(5));
    })
}
