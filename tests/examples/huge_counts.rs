//! Input that no program can serve is refused in one line, with status 1
//! (it failed: out of memory, say) or 2 (bad usage: beyond a stated
//! limit), never with a panic, an abort or hours of work.

use crate::programs::{Takes, assert_one_error_line, finish, for_each_program};

/// 10^17 numbers (no machine has the memory), 2^62 (the byte count of
/// four-byte numbers overflows `usize`), and `usize::MAX`.
const HUGE_COUNTS: [&str; 3] = [
    "100000000000000000",
    "4611686018427387904",
    "18446744073709551615",
];

/// For a program that takes two paths, the equivalents: an input that
/// does not exist, an input that is a directory, a device as the target
/// (run where `notes.txt` exists).
const UNSERVABLE_PATHS: [[&str; 2]; 3] = [
    ["missing.txt", "NOTES.txt"],
    [".", "NOTES.txt"],
    ["notes.txt", "/dev/full"],
];

pub fn huge_counts_and_impossible_paths_get_one_line_and_status_1_or_2(chapter: &str) {
    for_each_program(chapter, |program| {
        let runs: Vec<Vec<&str>> = match program.takes {
            Takes::Count => HUGE_COUNTS.iter().map(|count| vec![*count]).collect(),
            Takes::TwoPaths => UNSERVABLE_PATHS
                .iter()
                .map(|paths| paths.to_vec())
                .collect(),
        };
        for args in runs {
            // In a directory of its own: no file of the project can be harmed.
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("notes.txt"), "notes\n").unwrap();
            let output = finish(program.command(&args).current_dir(dir.path()));
            assert_one_error_line(&format!("{} {args:?}", program.name), &output);
        }
    });
}
