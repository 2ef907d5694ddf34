//! The check of exercise ch08_atomic_write: `cargo exercise ch08_atomic_write`.

use std::process::ExitCode;

use course_exercises::files::{Scene, create_file, create_on_a_full_disk};
use course_exercises::grade;

course_exercises::check_program!("ch08_atomic_write");
use answer::save_atomically;

fn main() -> ExitCode {
    grade("ch08_atomic_write", |grader| {
        let scene = Scene::new();
        let what = "save_atomically(notes.txt, \"new\\n\")";
        if let Some(result) = grader.without_leaks(what, || {
            save_atomically(&scene.target, b"new\n", create_file)
        }) {
            grader.check(result.is_ok(), &format!("{what} succeeds"), || {
                format!("{what} returned {result:?}")
            });
            scene.holds(grader, "after the save", b"new\n", "the new contents");
        }

        let scene = Scene::new();
        let what = "save_atomically(notes.txt, ...) on a full disk";
        let result = grader.without_leaks(what, || {
            save_atomically(&scene.target, b"new\n", create_on_a_full_disk)
                .map_err(|error| error.raw_os_error())
        });
        if let Some(result) = result {
            grader.check(
                result == Err(Some(28)),
                &format!("{what} returns the disk's error (ENOSPC)"),
                || {
                    format!(
                        "{what} returned {result:?}, not the error of the full disk (os error 28)"
                    )
                },
            );
            scene.holds(
                grader,
                "after the disk filled",
                b"old\n",
                "its old contents",
            );
        }
    })
}
