//! The check of exercise ch08_flush_errors: `cargo exercise ch08_flush_errors`.

use std::fs;
use std::process::ExitCode;

use course_exercises::files::{Scene, create_file, create_on_a_full_disk};
use course_exercises::grade;

course_exercises::check_program!("ch08_flush_errors");
use answer::write_lines;

fn main() -> ExitCode {
    grade("ch08_flush_errors", |grader| {
        let scene = Scene::new();
        let path = scene.dir.join("lines.txt");
        let lines = ["one", "two", "three"];
        let what = "write_lines(file, [\"one\", \"two\", \"three\"])";
        let result = grader.without_leaks(what, || {
            write_lines(create_file(&path).expect("a file to write"), &lines)
                .map_err(|e| e.raw_os_error())
        });
        if let Some(result) = result {
            grader.check(result.is_ok(), &format!("{what} succeeds"), || {
                format!("{what} returned {result:?}")
            });
            let written = fs::read_to_string(&path).unwrap_or_default();
            grader.check(
                written == "one\ntwo\nthree\n",
                &format!("{what} writes the three lines"),
                || format!("{what} wrote {written:?}, not \"one\\ntwo\\nthree\\n\""),
            );
        }

        let what = "write_lines on a full disk";
        let full = scene.dir.join("full.txt");
        let result = grader.without_leaks(what, || {
            write_lines(create_on_a_full_disk(&full).expect("/dev/full"), &lines)
                .map_err(|e| e.raw_os_error())
        });
        if let Some(result) = result {
            grader.check(
                result == Err(Some(28)),
                &format!("{what} returns the disk's error (ENOSPC)"),
                || match result {
                    Ok(()) => format!("{what} returned Ok(()): the error of the writes was lost"),
                    Err(error) => format!("{what} returned the error {error:?}, not os error 28"),
                },
            );
        }
    })
}
