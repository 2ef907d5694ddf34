//! The check of exercise ch04_reuse_buffer: `cargo exercise ch04_reuse_buffer`.

use std::process::ExitCode;

use course::lab::count_allocations;
use course_exercises::grade;

course_exercises::check_program!("ch04_reuse_buffer");
use answer::keep_evens;

fn main() -> ExitCode {
    grade("ch04_reuse_buffer", |grader| {
        let what = "keep_evens(vec![1, 2, 3, 4, 5, 6])";
        // Only plain values leave the leak check: a heap block returned
        // from it would count as leaked.
        let checked = grader.without_leaks(what, || {
            let values = vec![1, 2, 3, 4, 5, 6];
            let block = values.as_ptr();
            let (evens, count) = count_allocations(|| keep_evens(values));
            let three = <[i32; 3]>::try_from(evens.as_slice()).ok();
            (three, evens.len(), evens.as_ptr() == block, count.attempts)
        });
        let Some((three, len, same_block, allocations)) = checked else {
            return;
        };
        grader.check(
            three == Some([2, 4, 6]),
            &format!("{what} is [2, 4, 6]"),
            || {
                let seen = three.map_or(format!("{len} elements"), |three| format!("{three:?}"));
                format!("{what} returned {seen}, not [2, 4, 6]")
            },
        );
        grader.check(
            allocations == 0,
            &format!("{what} allocates nothing"),
            || {
                let blocks = if allocations == 1 { "block" } else { "blocks" };
                format!(
                    "{what} allocated {allocations} {blocks}: a vector received by value can \
                 be given back, filtered in place"
                )
            },
        );
        grader.check(
            same_block,
            "the result is the block the caller handed over",
            || format!("{what} returned another block than the one it received"),
        );
    })
}
