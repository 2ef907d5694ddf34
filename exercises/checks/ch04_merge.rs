//! The check of exercise ch04_merge: `cargo exercise ch04_merge`.

use std::process::ExitCode;

use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course_exercises::grade;

course_exercises::check_program!("ch04_merge");
use answer::merge;

/// A = [0, 1, 2, 3, 4] and B = [10, 11, 12, 13, 14], merged.
fn merge_two() -> Result<RawBuffer, TwoBufError> {
    let mut a = RawBuffer::alloc(5)?; // A
    a.fill(|i| i as i32);
    let mut b = match RawBuffer::alloc(5) {
        // B
        Ok(b) => b,
        Err(error) => {
            a.free();
            return Err(error);
        }
    };
    b.fill(|i| 10 + i as i32);
    merge(a, b)
}

fn main() -> ExitCode {
    grade("ch04_merge", |grader| {
        let what = "merge(A, B), then the caller frees the result";
        let returned = grader.without_leaks(what, || {
            let merged = merge_two()?;
            let seen = <[i32; 10]>::try_from(merged.as_slice()).ok();
            merged.free();
            Ok::<_, TwoBufError>(seen)
        });
        if let Some(returned) = returned {
            let expected = Some([0, 1, 2, 3, 4, 10, 11, 12, 13, 14]);
            grader.check(
                returned == Ok(expected),
                "merge(A, B) holds A's elements, then B's",
                || format!("merge(A, B) returned {returned:?}, not Ok({expected:?})"),
            );
        }
        // A and B are allocated by the check (#0, #1), then merge's own
        // buffer (#2).
        grader.every_allocation_failure("merge(A, B)", &["A", "B", "the merged buffer"], || {
            merge_two().map(RawBuffer::free)
        });
    })
}
