//! The check of exercise ch02_parse_count: `cargo exercise ch02_parse_count`.

use std::process::ExitCode;

use course::lab::count_allocations;
use course_exercises::grade;

course_exercises::check_program!("ch02_parse_count");
use answer::{CountError, LIMIT, parse_count};

fn main() -> ExitCode {
    grade("ch02_parse_count", |grader| {
        let limit = LIMIT;
        let cases = [
            ("7", Ok(7)),
            (" 42 ", Ok(42)),
            ("1000", Ok(1000)),
            ("", Err(CountError::Empty)),
            ("   ", Err(CountError::Empty)),
            ("abc", Err(CountError::NotANumber)),
            ("-3", Err(CountError::NotANumber)),
            ("1001", Err(CountError::TooLarge { limit })),
            ("99999999999999999999999", Err(CountError::NotANumber)),
        ];
        for (text, expected) in cases {
            let what = format!("parse_count({text:?})");
            let Some((result, count)) =
                grader.call(&what, || count_allocations(|| parse_count(text)))
            else {
                continue;
            };
            grader.check(
                result == expected,
                &format!("{what} is {expected:?}"),
                || format!("{what} returned {result:?}, not {expected:?}"),
            );
            grader.check(
                count.attempts == 0,
                &format!("{what} allocates nothing"),
                || {
                    format!(
                        "{what} allocated {} times: an error must not need memory",
                        count.attempts
                    )
                },
            );
        }
    })
}
