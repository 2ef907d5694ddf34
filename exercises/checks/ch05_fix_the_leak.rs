//! The check of exercise ch05_fix_the_leak: `cargo exercise ch05_fix_the_leak`.

use std::process::ExitCode;

use course::TwoBufError;
use course::staged::LIMIT;
use course_exercises::grade;

course_exercises::check_program!("ch05_fix_the_leak");
use answer::alloc_pair;

fn main() -> ExitCode {
    grade("ch05_fix_the_leak", |grader| {
        let what = "alloc_pair(5), then the caller frees A and B";
        let returned = grader.without_leaks(what, || {
            let (a, b) = alloc_pair(5)?;
            let copy = |buffer: &[i32]| <[i32; 5]>::try_from(buffer).ok();
            let seen = (copy(a.as_slice()), copy(b.as_slice()));
            a.free();
            b.free();
            Ok::<_, TwoBufError>(seen)
        });
        if let Some(returned) = returned {
            let expected = (Some([0, 1, 2, 3, 4]), Some([5, 6, 7, 8, 9]));
            grader.check(
                returned == Ok(expected),
                "alloc_pair(5) returns A = [0, ..., 4] and B = [5, ..., 9]",
                || format!("alloc_pair(5) returned {returned:?}, not Ok({expected:?})"),
            );
        }

        let what = format!("alloc_pair({})", LIMIT + 1);
        if let Some(result) = grader.without_leaks(&what, || alloc_pair(LIMIT + 1).map(drop)) {
            grader.check(
                matches!(result, Err(TwoBufError::TooLarge { .. })),
                &format!("{what} is refused as too large"),
                || format!("{what} returned {result:?}, not Err(TooLarge)"),
            );
        }

        // Exactly LIMIT elements are allowed: the refusal starts above.
        let what = format!("alloc_pair({LIMIT}), then the caller frees A and B");
        let result = grader.without_leaks(&what, || {
            alloc_pair(LIMIT).map(|(a, b)| {
                a.free();
                b.free();
            })
        });
        if let Some(result) = result {
            grader.check(
                result.is_ok(),
                &format!("alloc_pair({LIMIT}) is accepted (LIMIT elements are allowed)"),
                || format!("alloc_pair({LIMIT}) returned {result:?}, not Ok"),
            );
        }

        grader.every_allocation_failure("alloc_pair(5)", &["A", "B"], || {
            alloc_pair(5).map(|(a, b)| {
                a.free();
                b.free();
            })
        });
    })
}
