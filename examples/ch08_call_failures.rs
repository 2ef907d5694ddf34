//! Chapter 8: the I/O twin of the lab's `check_all_allocation_failures`.
//! The save of chapter 8 runs once to count its system calls, then once per
//! call, with that call failed as a real system fails it (ENOSPC for a
//! write, EIO for an fsync, EACCES for an open, ...). After each, the
//! program prints the failed call, the exit status the tool would end with,
//! what the target holds and whether anything else was left, then the
//! error line the tool would print.
//!
//! It works in a temporary directory of its own, with relative paths, and
//! removes it at the end.
//!
//! Run: `cargo run --example ch08_call_failures -- N` (default: N = 10
//! bytes in the file saved; at most 1 MiB).

use std::process::ExitCode;

use course::cli::Stop;
#[cfg(target_os = "linux")]
use {
    course::atomic_save::save_upper_with,
    course::replaced::Unwritable,
    course::scratch::scratch_directory,
    course::system_calls::{Failure, check_all_call_failures, errno_name, failing_at},
    course::temp_name::{RANDOM_CHARS, is_temp_name_of},
    std::fs,
    std::io::{self, Write},
    std::path::Path,
};

fn main() -> ExitCode {
    course::cli::exit_status(run())
}

/// The largest file the program saves.
#[cfg(target_os = "linux")]
const MAX_BYTES: usize = 1 << 20;

#[cfg(target_os = "linux")] // elsewhere, the `run` at the end of this file
fn run() -> Result<(), Stop> {
    let counts = course::cli::counts_up_to(MAX_BYTES, &[10])?; // --help, bad N
    let _dir = scratch_directory("ch08_call_failures")?; // removed at the end
    let (input, target) = (Path::new("notes.txt"), Path::new("NOTES.txt"));
    let mut out = io::stdout().lock();
    for n in counts {
        let notes: Vec<u8> = b"new notes\n".iter().copied().cycle().take(n).collect();
        let old = b"old notes\n";
        writeln!(
            out,
            "save_upper(notes.txt, NOTES.txt), {n} bytes, over an existing NOTES.txt:"
        )?;
        every_call_failed(&mut out, input, target, &notes, old)?;
    }
    Ok(())
}

/// Fails each system call of a save of `notes` (`input`) over `old`
/// (`target`) in turn, and prints what each failure left.
#[cfg(target_os = "linux")]
fn every_call_failed(
    out: &mut impl Write,
    input: &Path,
    target: &Path,
    notes: &[u8],
    old: &[u8],
) -> Result<(), Stop> {
    let mut lines = Vec::new();
    // ANCHOR: check
    let points = check_all_call_failures(
        failing_at,
        |calls| {
            empty_the_directory()?; // what the run before may have left
            fs::write(input, notes).map_err(Stop::failed)?;
            fs::write(target, old).map_err(Stop::failed)?;
            let stop = save_upper_with(calls, input, target, Unwritable::Refuse).err();
            Ok::<_, Stop>((
                stop.map(Stop::from),
                fs::read(target),
                what_is_left(target, old)?,
            ))
        },
        |Failure {
             point,
             call,
             result,
         }| lines.push((point, call, result)),
    );
    // ANCHOR_END: check
    for (point, call, result) in lines {
        let (stop, target_now, left) = result?;
        let (status, message) = match stop {
            Some(Stop::Failed(message)) => (1, message),
            Some(Stop::Incomplete(message)) => (3, message),
            None => (0, "(none: saved)".to_string()),
            Some(other) => return Err(Stop::failed(format_args!("unexpected: {other:?}"))),
        };
        let holds = match target_now {
            Ok(now) if now == old => "as it was",
            Ok(now) if now == notes.to_ascii_uppercase() => "the new notes",
            _ => "DAMAGED",
        };
        let errno = errno_name(call.realistic_error());
        let call = call.to_string();
        writeln!(
            out,
            "{point:>3} {call:<10} {errno:<7} exit {status}, NOTES.txt {holds}, {left}"
        )?;
        writeln!(out, "      error: {}", without_random(&message))?;
    }
    writeln!(out, "{points} failure points")?;
    Ok(())
}

/// `text` with the random characters of a temporary name written RANDOM,
/// so that every run prints the same.
#[cfg(target_os = "linux")]
fn without_random(text: &str) -> String {
    let prefix = ".NOTES.txt.";
    match text.split_once(prefix) {
        Some((before, after)) if after.len() >= RANDOM_CHARS => {
            format!("{before}{prefix}RANDOM{}", &after[RANDOM_CHARS..])
        }
        _ => text.to_string(),
    }
}

/// What the directory holds besides the input and `target`, in words.
#[cfg(target_os = "linux")]
fn what_is_left(target: &Path, old: &[u8]) -> Result<String, Stop> {
    let names = names()?;
    let others: Vec<&String> = names
        .iter()
        .filter(|name| *name != "NOTES.txt" && *name != "notes.txt")
        .collect();
    Ok(match others.as_slice() {
        [] => "nothing else".to_string(),
        // The old file, under a temporary name (the error says so).
        [temp] if is_temp_name_of(target, temp.as_ref()) => {
            let what = match fs::read(temp).map_err(Stop::failed)? == old {
                true => "the old notes",
                false => "SOMETHING ELSE",
            };
            format!("{what} left as {}", without_random(temp))
        }
        _ => format!("LEFT BEHIND: {others:?}"),
    })
}

/// Removes every file of the current directory.
#[cfg(target_os = "linux")]
fn empty_the_directory() -> Result<(), Stop> {
    for name in names()? {
        fs::remove_file(name).map_err(Stop::failed)?;
    }
    Ok(())
}

/// The names in the current directory, sorted.
#[cfg(target_os = "linux")]
fn names() -> Result<Vec<String>, Stop> {
    let mut names = Vec::new();
    for entry in fs::read_dir(".").map_err(Stop::failed)? {
        let name = entry.map_err(Stop::failed)?.file_name();
        names.push(name.to_string_lossy().into_owned());
    }
    names.sort();
    Ok(names)
}

/// The save keeps owners, modes and ACLs and stops on signals the Linux way
/// (`course::atomic_save` is compiled on Linux only): elsewhere it says so.
#[cfg(not(target_os = "linux"))]
fn run() -> Result<(), Stop> {
    Err(Stop::failed(
        "chapter 8's atomic save runs on Linux only (owners, modes, ACLs, signals)",
    ))
}
