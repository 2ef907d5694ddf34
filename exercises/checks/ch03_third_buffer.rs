//! The check of exercise ch03_third_buffer: `cargo exercise ch03_third_buffer`.

use std::process::ExitCode;

use course::TwoBufError;
use course::staged::LIMIT;
use course_exercises::grade;

course_exercises::check_program!("ch03_third_buffer");
use answer::alloc_three_raw;

fn main() -> ExitCode {
    grade("ch03_third_buffer", |grader| {
        let what = "alloc_three_raw(5), then the caller frees A, B and C";
        let returned = grader.without_leaks(what, || {
            let (a, b, c) = alloc_three_raw(5)?;
            // Copied into arrays: what the check returns must not be on the
            // heap, or the lab would count it as leaked.
            let copy = |buffer: &[i32]| <[i32; 5]>::try_from(buffer).ok();
            let seen = [copy(a.as_slice()), copy(b.as_slice()), copy(c.as_slice())];
            a.free();
            b.free();
            c.free();
            Ok::<_, TwoBufError>(seen)
        });
        if let Some(returned) = returned {
            let expected = [[0, 1, 2, 3, 4], [0, 2, 4, 6, 8], [0, 3, 6, 9, 12]].map(Some);
            grader.check(
                returned.as_ref() == Ok(&expected),
                "alloc_three_raw(5) returns A, B and C filled with i, 2 * i and 3 * i",
                || match returned {
                    Ok(seen) => {
                        format!("alloc_three_raw(5) returned A, B, C = {seen:?}, not {expected:?}")
                    }
                    Err(error) => format!("alloc_three_raw(5) returned Err({error:?})"),
                },
            );
        }

        let what = format!("alloc_three_raw({})", LIMIT + 1);
        let result = grader.without_leaks(&what, || alloc_three_raw(LIMIT + 1).map(|_| ()));
        if let Some(result) = result {
            grader.check(
                matches!(result, Err(TwoBufError::TooLarge { .. })),
                &format!("{what} is refused as too large"),
                || format!("{what} returned {result:?}, not Err(TooLarge)"),
            );
        }

        // Exactly LIMIT elements are allowed: the refusal starts above.
        let what = format!("alloc_three_raw({LIMIT}), then the caller frees A, B and C");
        let result = grader.without_leaks(&what, || {
            alloc_three_raw(LIMIT).map(|(a, b, c)| {
                a.free();
                b.free();
                c.free();
            })
        });
        if let Some(result) = result {
            grader.check(
                result.is_ok(),
                &format!("alloc_three_raw({LIMIT}) is accepted (LIMIT elements are allowed)"),
                || format!("alloc_three_raw({LIMIT}) returned {result:?}, not Ok"),
            );
        }

        grader.every_allocation_failure("alloc_three_raw(5)", &["A", "B", "C"], || {
            alloc_three_raw(5).map(|(a, b, c)| {
                a.free();
                b.free();
                c.free();
            })
        });
    })
}
