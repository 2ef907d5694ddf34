//! Input that no program can serve is refused in one line, with status 1
//! (it failed: out of memory, say) or 2 (bad usage: beyond a stated
//! limit), never with a panic, an abort or hours of work. So is a count a
//! program accepts when the memory it is given cannot hold the values.

use std::process::{Command, Output, Stdio};

use crate::programs::{Takes, assert_one_error_line, assert_status, finish, for_each_program};
use crate::support::not_checked::{CHECK_EVERYTHING, not_checked};

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

/// Programs that hold a four-byte value per counted item: a million of
/// them take 3 907 KiB.
const MILLION_VALUE_PROGRAMS: [&str; 3] = ["ch03_strategies", "ch03_temporaries", "ch07_buffers"];

/// An address-space limit (`ulimit -v`, in KiB) with room for a program's
/// usual run and not for a million values besides. Measured on Linux
/// x86-64, debug and release builds: the usual runs need 3 000 to
/// 4 000 KiB, and a million values fit from 6 900 KiB on; 1 400 KiB or
/// more to spare on either side.
const ROOM_FOR_NONE_KIB: u32 = 5500;

/// A limit with room for a million values and not for two millions:
/// chapter 7's program holds its input while it makes more.
const ROOM_FOR_ONE_KIB: u32 = ROOM_FOR_NONE_KIB + 4000;

/// `command` (a program's, from [`crate::programs::Program::command`]) run
/// by `sh` under an address-space limit of `kib` KiB, as a reader would
/// run it.
fn under_memory_limit(kib: u32, command: &Command) -> Command {
    let mut limited = Command::new("sh");
    limited
        .arg("-c")
        .arg(format!("ulimit -v {kib} && exec \"$0\" \"$@\""))
        .arg(command.get_program())
        .args(command.get_args());
    for (name, value) in command.get_envs() {
        match value {
            Some(value) => limited.env(name, value),
            None => limited.env_remove(name),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        limited.current_dir(dir);
    }
    limited
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    limited
}

/// Fails unless the program ended by itself with status 1 and the one
/// line of a failed allocation.
#[track_caller]
fn assert_out_of_memory(context: &str, output: &Output) {
    assert_status(context, output, 1);
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: out of memory\n",
        "{context}: stderr"
    );
}

/// `ulimit -v` and a count of a million, as a reader with little memory
/// would run it: an allocation of the values fails, and the program says
/// `error: out of memory` with status 1, after whatever it printed before,
/// instead of aborting.
pub fn a_million_values_beyond_a_memory_limit_are_one_error_line_and_status_1(chapter: &str) {
    for_each_program(chapter, |program| {
        if !MILLION_VALUE_PROGRAMS.contains(&program.name.as_str()) {
            return;
        }
        if !cfg!(target_os = "linux") {
            not_checked(
                &format!("{}: a million values under `ulimit -v`", program.name),
                "an address-space limit is enforced on Linux only",
            );
            return;
        }

        // The limit leaves room for what the program needs anyway.
        let usual = program.quick_run();
        let context = format!(
            "{} {:?} under `ulimit -v {ROOM_FOR_NONE_KIB}`",
            program.name, usual.args
        );
        let command = program.quick_command(&usual);
        let output = finish(&mut under_memory_limit(ROOM_FOR_NONE_KIB, &command));
        assert_status(
            &format!("{context} (too low a limit for this machine?)"),
            &output,
            0,
        );

        let million = ["1000000"];
        let context = format!(
            "{} 1000000 under `ulimit -v {ROOM_FOR_NONE_KIB}`",
            program.name
        );
        let command = program.command(&million);
        let output = finish(&mut under_memory_limit(ROOM_FOR_NONE_KIB, &command));
        assert_out_of_memory(&context, &output);
        let printed = &output.stdout;
        assert!(
            printed.is_empty() || printed.ends_with(b"\n"),
            "{context}: stdout does not end with a whole line: {:?}",
            String::from_utf8_lossy(printed)
        );
        // Two runs of a million values more, a second each in a debug
        // build: CI's (COURSE_CHECK_EVERYTHING=1).
        if std::env::var_os(CHECK_EVERYTHING).is_none() {
            return;
        }

        // Without a limit, a million is a count like any other; nothing
        // printed before the failure above is lost: it is the beginning
        // of what the run without a limit prints.
        let unlimited = program.run(&million);
        assert_status(&format!("{} 1000000", program.name), &unlimited, 0);
        assert!(
            unlimited.stdout.starts_with(printed),
            "{context}: stdout is not the beginning of the unlimited run's: {:?}",
            String::from_utf8_lossy(printed)
        );

        // With room for some of the values, a run either has room for all
        // it holds at once, or fails the same way: not with a result that
        // says out of memory and then status 0.
        let context = format!(
            "{} 1000000 under `ulimit -v {ROOM_FOR_ONE_KIB}`",
            program.name
        );
        let output = finish(&mut under_memory_limit(ROOM_FOR_ONE_KIB, &command));
        if output.status.success() {
            assert!(
                output.stdout == unlimited.stdout && output.stderr.is_empty(),
                "{context}: status 0, but not the output of the run without a limit; stderr: {:?}",
                String::from_utf8_lossy(&output.stderr)
            );
        } else {
            assert_out_of_memory(&context, &output);
        }
    });
}
