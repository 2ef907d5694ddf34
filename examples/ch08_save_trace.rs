//! Chapter 8: what the atomic save acquires and releases, in order, as the
//! lab's trace shows it: the memory it allocates, the temporary file, its
//! errdefer armed, then defused or fired. Three saves of the same file: on
//! a working disk (the target is new), then on a full disk (the save's
//! first write fails with ENOSPC), where the temporary file, still unnamed,
//! goes with its descriptor, then with a rename that fails (EBUSY), where
//! the errdefer removes the temporary file's name. The failures are made by
//! the seam of `course::system_calls`, as in the chapter's tests; the
//! target keeps what the first save wrote.
//!
//! It works in a temporary directory of its own, with relative paths (so
//! that every run prints the same), and removes it at the end.
//!
//! Run: `cargo run --example ch08_save_trace -- N` (default: N = 12 bytes
//! in the file saved; at most 1 MiB).

use std::process::ExitCode;

use course::cli::Stop;
#[cfg(target_os = "linux")]
use {
    course::atomic_save::{SaveError, save_upper_with},
    course::replaced::Unwritable,
    course::scratch::{listing, scratch_directory},
    course::stop_signals::{Interrupted, cannot_catch_signals, stop_on_signals},
    course::system_calls::{Call, FailingAt},
    std::fs,
    std::io::{self, Write},
    std::path::Path,
};

#[cfg(target_os = "linux")]
use course::lab::trace;

#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

/// The largest file the program saves: enough to see the size in the
/// trace, small enough never to fill a disk.
#[cfg(target_os = "linux")]
const MAX_BYTES: usize = 1 << 20;

fn main() -> ExitCode {
    course::cli::exit_status(run())
}

#[cfg(target_os = "linux")] // elsewhere, the `run` at the end of this file
fn run() -> Result<(), Stop> {
    let counts = course::cli::counts_up_to(MAX_BYTES, &[12])?; // --help, bad N
    stop_on_signals().map_err(cannot_catch_signals)?; // Ctrl-C: the save cleans up
    let _dir = scratch_directory("ch08_save_trace")?; // removed at the end
    let mut out = io::stdout().lock();
    for n in counts {
        let notes: Vec<u8> = b"notes\n".iter().copied().cycle().take(n).collect();
        fs::write("notes.txt", &notes).map_err(Stop::failed)?;
        // ANCHOR: saves
        let disks = [
            ("a working disk", FailingAt::never()),
            ("a full disk", FailingAt::first(Call::Write)), // ENOSPC
            (
                "a disk whose rename fails",
                FailingAt::first(Call::Renameat),
            ), // EBUSY
        ];
        for (disk, calls) in disks {
            let (target, input) = (Path::new("NOTES.txt"), Path::new("notes.txt"));
            // The error is dropped inside the trace, so its free is shown.
            let (interrupted, events) = trace::record(|| {
                match save_upper_with(&calls, input, target, Unwritable::Refuse) {
                    Ok(()) => trace::note("Ok: NOTES.txt saved"),
                    Err(SaveError::Interrupted(stop)) => return Some(stop),
                    Err(error) => trace::note(format_args!("Err: {error}")),
                }
                None
            });
            if let Some(stop) = interrupted {
                return Err(stopped(stop)); // cleaned up
            }
            writeln!(
                out,
                "save_upper(notes.txt, NOTES.txt), {n} bytes, on {disk}:"
            )?;
            write!(out, "{events}")?;
            writeln!(out, "  then the directory holds: {}", listing()?)?;
        }
        // ANCHOR_END: saves
    }
    course::stop_signals::check().map_err(stopped) // a signal between the saves
}

/// The end of a run that a signal stopped: one line, then the program ends
/// as the signal asked (see chapter 8's tool).
#[cfg(target_os = "linux")]
fn stopped(stop: Interrupted) -> Stop {
    let (signal, message) = (stop.signal, SaveError::Interrupted(stop).to_string());
    Stop::Signal { signal, message }
}

/// The save keeps owners, modes and ACLs and stops on signals the Linux way
/// (`course::atomic_save` is compiled on Linux only): elsewhere it says so.
#[cfg(not(target_os = "linux"))]
fn run() -> Result<(), Stop> {
    Err(Stop::failed(
        "chapter 8's atomic save runs on Linux only (owners, modes, ACLs, signals)",
    ))
}
