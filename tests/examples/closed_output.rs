//! Output that cannot be written. A stdout closed by its reader (`| head
//! -1`, `| head -c0`) ends the program quietly with status 0; a full
//! stdout (`>/dev/full`) is one line on stderr and status 1 (3 for
//! chapter 8's save, which has saved by then: the status must not make a
//! script undo it); a full stderr (`2>/dev/full`) loses the error line but
//! not the exit status. Never a panic.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader};
use std::path::Path;
use std::process::{Output, Stdio};

use crate::programs::{
    Program, Takes, assert_one_error_line, assert_status, finish, for_each_program, wait,
};

use crate::support::not_checked::not_checked;

/// Whether there is `/dev/full`, the device whose every write fails with
/// ENOSPC: Linux and FreeBSD have it, macOS and Windows do not. Where it
/// is missing, says that the `what` of `chapter` was not checked.
fn dev_full_here(chapter: &str, what: &str) -> bool {
    let here = Path::new("/dev/full").exists();
    if !here {
        not_checked(
            &format!("{chapter}: {what}"),
            "there is no /dev/full here (a device of Linux and FreeBSD)",
        );
    }
    here
}

fn dev_full() -> File {
    OpenOptions::new().write(true).open("/dev/full").unwrap()
}

/// `| head -c0`: the reader has closed the pipe before the program
/// writes, so its very first write fails (EPIPE).
pub fn stdout_closed_before_the_first_write_ends_quietly_with_status_0(chapter: &str) {
    for_each_program(chapter, |program| {
        let run = program.quick_run();
        let (reader, writer) = io::pipe().unwrap();
        drop(reader);
        let output = finish(program.quick_command(&run).stdout(writer));
        let context = format!("{} {:?} | head -c0", program.name, run.args);
        assert_status(&context, &output, 0);
        assert!(output.stderr.is_empty(), "{context}: {output:?}");
    });
}

/// `| head -1`: the reader takes one line and closes the pipe, so a later
/// write fails, if the program has more to write by then.
pub fn stdout_closed_after_the_first_line_ends_quietly_with_status_0(chapter: &str) {
    for_each_program(chapter, |program| {
        let run = program.quick_run();
        let (reader, writer) = io::pipe().unwrap();
        let mut command = program.quick_command(&run);
        let child = command.stdout(writer).spawn().unwrap();
        drop(command); // its copy of the pipe's write end
        let mut reader = BufReader::new(reader);
        reader.read_line(&mut String::new()).unwrap();
        drop(reader); // the pipe has no reader any more
        let context = format!("{} {:?} | head -1", program.name, run.args);
        let output = wait(child, &context);
        assert_status(&context, &output, 0);
        assert!(output.stderr.is_empty(), "{context}: {output:?}");
    });
}

/// What a program says, and its status, when it cannot write its stdout:
/// 1, or 3 for the save, whose work is done when it reports it.
fn full_stdout(program: &Program, args: &[String]) -> (String, i32) {
    let error = "No space left on device (os error 28)";
    match (program.takes, args) {
        (Takes::TwoPaths, [input, output]) => (
            format!("error: saved {input} as {output}, but cannot say so on stdout: {error}\n"),
            3,
        ),
        _ => (format!("error: cannot write to stdout: {error}\n"), 1),
    }
}

/// `>/dev/full`: every write fails with ENOSPC, an error to report.
pub fn full_stdout_is_one_error_line_and_status_1(chapter: &str) {
    if !dev_full_here(chapter, "the programs' output to a full stdout") {
        return;
    }
    for_each_program(chapter, |program| {
        let run = program.quick_run();
        let output = finish(program.quick_command(&run).stdout(dev_full()));
        let context = format!("{} {:?} >/dev/full", program.name, run.args);
        assert_one_error_line(&context, &output);
        let (message, status) = full_stdout(program, &run.args);
        assert_status(&context, &output, status);
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            message,
            "{context}"
        );
    });
}

/// `2>/dev/full`: a success, a bad command line and a failure each keep
/// their exit status; with stdout full too, the status is still 1 (3).
pub fn full_stderr_changes_no_exit_status(chapter: &str) {
    if !dev_full_here(chapter, "the programs' exit status with a full stderr") {
        return;
    }
    for_each_program(chapter, |program| {
        let run = program.quick_run();
        let context = format!("{} {:?} 2>/dev/full", program.name, run.args);
        let output = finish(program.quick_command(&run).stderr(dev_full()));
        assert_status(&context, &output, 0);
        assert!(!output.stdout.is_empty(), "{context}: printed nothing");

        let context = format!("{} {:?} >/dev/full 2>/dev/full", program.name, run.args);
        let mut command = program.quick_command(&run);
        let output = finish(command.stdout(dev_full()).stderr(dev_full()));
        assert_status(&context, &output, full_stdout(program, &run.args).1);

        let (bad_usage, failure): (&[&str], &[&str]) = match program.takes {
            Takes::Count => (&["abc"], &["100000000000000000"]),
            Takes::TwoPaths => (&["notes.txt"], &["missing.txt", "NOTES.txt"]),
        };
        for args in [bad_usage, failure] {
            assert_same_status_with_full_stderr(program, args);
        }
    });
}

/// Runs `program` with `args`, then again with stderr full: the exit
/// status must be the same, and neither run may panic.
fn assert_same_status_with_full_stderr(program: &Program, args: &[&str]) {
    let dir = tempfile::tempdir().unwrap(); // nothing of the project is touched
    let run = |stderr: Stdio| -> Output {
        finish(program.command(args).current_dir(dir.path()).stderr(stderr))
    };
    let normal = run(Stdio::piped());
    let context = format!("{} {args:?}", program.name);
    assert_one_error_line(&context, &normal);
    let code = normal.status.code().unwrap();
    let full = run(dev_full().into());
    assert_status(&format!("{context} 2>/dev/full"), &full, code);
}
