//! The check of exercise ch07_allocator_param: `cargo exercise ch07_allocator_param`.

use std::process::ExitCode;

use allocator_api2::alloc::Global;
use bumpalo::Bump;
use course::lab::count_allocations;
use course_exercises::grade;

course_exercises::check_program!("ch07_allocator_param");
use answer::try_squares_in;

fn main() -> ExitCode {
    grade("ch07_allocator_param", |grader| {
        let what = "try_squares_in(5, &arena)";
        let checked = grader.without_leaks(what, || {
            // Room for the squares from the start: the arena itself
            // allocates nothing more while the function runs.
            let arena = Bump::with_capacity(1024);
            let (squares, count) = count_allocations(|| try_squares_in(5, &arena));
            let squares = squares.map(|squares| <[u64; 5]>::try_from(squares.as_slice()).ok());
            (squares, count.attempts)
        });
        if let Some((squares, allocations)) = checked {
            grader.check(
                squares == Ok(Some([0, 1, 4, 9, 16])),
                &format!("{what} is [0, 1, 4, 9, 16]"),
                || format!("{what} returned {squares:?}, not Ok([0, 1, 4, 9, 16])"),
            );
            grader.check(
                allocations == 0,
                &format!("{what} takes no memory from the global allocator"),
                || {
                    let blocks = if allocations == 1 { "block" } else { "blocks" };
                    format!(
                        "{what} allocated {allocations} {blocks} from the global allocator: the \
                     elements belong in the allocator it was given"
                    )
                },
            );
        }
        // With the global allocator as `alloc`, the lab can refuse it.
        grader.every_allocation_failure("try_squares_in(5, Global)", &["the vector"], || {
            try_squares_in(5, Global).map(drop)
        });
    })
}
