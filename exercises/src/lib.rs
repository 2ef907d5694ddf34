//! The exercises of the course and how their answers are graded.
//!
//! Each exercise is a file the reader edits, `exercises/NAME.rs`, and a
//! check program, `checks/NAME.rs`, which compiles that file as the module
//! `answer` and runs it under the lab: leak checks, every allocation failed
//! in turn, traces. The checks report in the exercise's own words through
//! [`Grader`]; `cargo exercise NAME` (src/bin/exercise.rs) runs one.

pub mod files;
mod grader;
mod in_process;
mod inline;
mod leaked;
pub mod lengths;
mod property;
mod report;
pub mod run;

pub use grader::{Grader, grade};
pub use inline::Inline;
pub use leaked::Leaked;
pub use property::{Property, difference};

// The reference solutions, named for cargo-mutants only. A check program
// compiles its answer with `include!` (see `check_program!`), which
// cargo-mutants does not follow: it finds the files it mutates through
// `mod` items. These items are never compiled (`cfg(any())` is false);
// what tests a changed solution is tests/answers.rs, built with
// `COURSE_EXERCISE_ANSWERS=solutions` (.ci/mutants).
#[cfg(any())]
#[path = "../solutions/ch02_fallible_squares.rs"]
mod solution_ch02_fallible_squares;
#[cfg(any())]
#[path = "../solutions/ch02_parse_count.rs"]
mod solution_ch02_parse_count;
#[cfg(any())]
#[path = "../solutions/ch03_predict_trace.rs"]
mod solution_ch03_predict_trace;
#[cfg(any())]
#[path = "../solutions/ch03_third_buffer.rs"]
mod solution_ch03_third_buffer;
#[cfg(any())]
#[path = "../solutions/ch04_merge.rs"]
mod solution_ch04_merge;
#[cfg(any())]
#[path = "../solutions/ch04_reuse_buffer.rs"]
mod solution_ch04_reuse_buffer;
#[cfg(any())]
#[path = "../solutions/ch05_catch_the_leak.rs"]
mod solution_ch05_catch_the_leak;
#[cfg(any())]
#[path = "../solutions/ch05_fix_the_leak.rs"]
mod solution_ch05_fix_the_leak;
#[cfg(any())]
#[path = "../solutions/ch06_arena_drop.rs"]
mod solution_ch06_arena_drop;
#[cfg(any())]
#[path = "../solutions/ch06_arena_reset.rs"]
mod solution_ch06_arena_reset;
#[cfg(any())]
#[path = "../solutions/ch07_allocator_param.rs"]
mod solution_ch07_allocator_param;
#[cfg(any())]
#[path = "../solutions/ch07_fill_squares.rs"]
mod solution_ch07_fill_squares;
#[cfg(any())]
#[path = "../solutions/ch08_atomic_write.rs"]
mod solution_ch08_atomic_write;
#[cfg(any())]
#[path = "../solutions/ch08_flush_errors.rs"]
mod solution_ch08_flush_errors;

/// What every check program starts with: the lab as its global
/// allocator, and the answer to the exercise `NAME` as the module
/// `answer`: `course_exercises::check_program!("NAME");`. The answer is
/// exercises/NAME.rs unless build.rs was told another file (CI's solutions
/// and known-wrong answers).
#[macro_export]
macro_rules! check_program {
    ($name:literal) => {
        #[global_allocator]
        static LAB: ::course::lab::LabAllocator = ::course::lab::LabAllocator;

        /// The answer: exercises/NAME.rs, or the file build.rs was given.
        /// Without `unsafe`: no code of its own runs before `main` (and
        /// its nonce, see report.rs), nothing of the check's is reached
        /// through a pointer.
        mod answer {
            #![forbid(unsafe_code)]
            include!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/",
                env!(concat!("ANSWER_", $name))
            ));
        }
    };
}

/// One exercise: what the reader is asked to do, and a hint.
pub struct Exercise {
    /// `chNN_what`: the file `exercises/NAME.rs`, its check
    /// `checks/NAME.rs`, its solution `solutions/NAME.rs`.
    pub name: &'static str,
    /// The task, in one line.
    pub task: &'static str,
    /// What to look at when stuck (`cargo exercise hint NAME`).
    pub hint: &'static str,
}

/// Every exercise, in the order of the book.
pub const EXERCISES: &[Exercise] = &[
    Exercise {
        name: "ch02_fallible_squares",
        task: "squares: allocate with try_reserve_exact and return \
               Err(OutOfMemory) instead of aborting",
        hint: "`Vec::new()` allocates nothing; `try_reserve_exact(n)?` asks for \
               the memory and returns the error through `?` (chapter 2's \
               `From<TryReserveError> for TwoBufError`). Once the capacity is \
               there, `push` up to it never allocates.",
    },
    Exercise {
        name: "ch02_parse_count",
        task: "parse_count: return the right CountError instead of panicking, \
               allocating nothing",
        hint: "Trim first; the empty text is `Empty` before any parsing. \
               `impl From<std::num::ParseIntError> for CountError` lets `?` turn \
               a failed `parse` into `NotANumber`, except when its `kind()` is \
               `IntErrorKind::PosOverflow`: a number too big for a usize is too \
               large. \"More than LIMIT\" is `>`.",
    },
    Exercise {
        name: "ch03_third_buffer",
        task: "alloc_three_raw: acquire A, B and C, an errdefer for each one a later \
               step can fail after, and hand all three to the caller",
        hint: "Do for B what chapter 3 does for A: arm its guard as soon as B \
               exists. Then allocate C with `?` (the guards of B and A free them \
               if that fails); C needs no guard, since nothing after it can fail. \
               Defuse the guards with `ScopeGuard::into_inner` only then.",
    },
    Exercise {
        name: "ch03_predict_trace",
        task: "predict, line by line, what alloc_two_raw(20) and alloc_two_raw(5) \
               with B's allocation failing trace",
        hint: "Chapter 3 shows the trace of alloc_two_raw(20) and of a success. \
               With B's allocation failing, A was allocated and its errdefer \
               armed; `?` returns, and the guard of A fires. The failed \
               allocation itself is traced too (`alloc   FAILED  20 bytes`).",
    },
    Exercise {
        name: "ch04_merge",
        task: "merge: received by value, A and B are yours to free on every path, \
               the failed one included",
        hint: "`?` returns at once and drops nothing by hand: a `RawBuffer` has no \
               `Drop`. Match on the allocation instead, free A and B in the \
               `Err` arm before returning it, and free them after copying on \
               the way to `Ok`.",
    },
    Exercise {
        name: "ch04_reuse_buffer",
        task: "keep_evens: give back the vector received by value, filtered in place, \
               allocating nothing",
        hint: "Take the parameter as `mut values: Vec<i32>`: it is yours. \
               `Vec::retain` removes elements in place, and returning `values` \
               moves the same block back to the caller.",
    },
    Exercise {
        name: "ch05_fix_the_leak",
        task: "alloc_pair leaks on two of its paths: find them with the lab and fix them",
        hint: "The check names each block that was never freed and the line that \
               allocated it. Give A a guard as soon as it exists, and B too: \
               every `?` and every `return Err` after that frees what the \
               guards hold; defuse them only in the `Ok`.",
    },
    Exercise {
        name: "ch05_catch_the_leak",
        task: "leaks_nothing: write the lab test that tells a leaking alloc_two \
               from a clean one",
        hint: "Each path is one `check_leaks` whose report must be clean: \
               alloc_two(5) with both buffers freed after, alloc_two(LIMIT + 1), \
               and alloc_two(5) inside `with_failure_at(i, ..)` for every i below \
               the number of allocations `count_allocations` counts on success \
               (i = 0 fails the first, A's).",
    },
    Exercise {
        name: "ch06_arena_drop",
        task: "lengths: keep Vecs in the arena without leaking their heap blocks",
        hint: "bumpalo never runs the `Drop` of what `arena.alloc` holds (chapter 6's \
               first pitfall), so a `Vec` there keeps its heap block forever. \
               `bumpalo::boxed::Box::new_in(value, arena)` is dropped when it goes \
               out of scope; or keep the elements in a \
               `bumpalo::collections::Vec`, whose buffer is the arena's.",
    },
    Exercise {
        name: "ch06_arena_reset",
        task: "run_rounds: reset the arena between rounds, so that its memory stays \
               at one round's size",
        hint: "`Bump::reset` (it takes `&mut self`) makes the arena's memory \
               reusable, keeping its last chunk: reset at the start of each \
               round, once the previous round's slices are no longer used.",
    },
    Exercise {
        name: "ch07_fill_squares",
        task: "fill_squares: fill the caller's buffer with squares, allocating nothing",
        hint: "Chapter 7's `fill_evens` walks `out.iter_mut().enumerate()` and \
               writes each slot: no `Vec`, no `collect`, no `to_vec`, which \
               would each allocate.",
    },
    Exercise {
        name: "ch07_allocator_param",
        task: "try_squares_in: the elements in the allocator it is given, and \
               Err(OutOfMemory) when it refuses",
        hint: "`VecIn::new_in(alloc)` allocates nothing yet; \
               `try_reserve_exact(n)?` asks `alloc` for the memory and returns \
               the error through `?` (course's `From` for allocator-api2's \
               `TryReserveError`). `with_capacity_in` aborts instead.",
    },
    Exercise {
        name: "ch08_atomic_write",
        task: "save_atomically: a temporary file, written, synced and renamed over \
               the target, removed on any failure",
        hint: "Chapter 8's `save_upper_with`, through `disk`: create the temporary \
               file beside the target (`disk.create`), arm a guard that removes it \
               (`disk.remove_file`), write and `sync_all`, close it (drop it), \
               `disk.rename` it over the target, and only then defuse the guard.",
    },
    Exercise {
        name: "ch08_flush_errors",
        task: "write_lines: every failure of a BufWriter's writes comes back as \
               the error, none lost in a drop",
        hint: "Chapter 8's BufWriter trap: call `flush()?` (or \
               `into_inner()`, which flushes and returns the error) before the \
               writer is dropped; a drop has nowhere to report a failure.",
    },
];

/// The exercise called `name`.
pub fn exercise(name: &str) -> Option<&'static Exercise> {
    EXERCISES.iter().find(|exercise| exercise.name == name)
}
