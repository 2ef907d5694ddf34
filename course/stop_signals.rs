//! Chapter 8: signals, turned into errors. By default SIGINT (Ctrl-C), SIGTERM (`kill`)
//! and SIGHUP (the terminal closed) end a process on the spot: no `Drop`
//! and no guard runs, so a half-written temporary file would stay. After
//! [`stop_on_signals`], such a signal only sets a flag; the save looks at
//! it between its steps ([`check`]) and returns an error, [`Interrupted`],
//! like any other, which the save's errdefer cleans up after. The program then ends as the signal asked
//! ([`end_by`]), with the status a shell expects (130 for SIGINT).
//!
//! A file-size limit (`ulimit -f`) sends SIGXFSZ, which by default also
//! ends the process on the spot. Caught, it makes the write that crossed
//! the limit fail with "File too large" instead, and the save cleans up.
//!
//! SIGKILL and a power cut cannot be caught: what they can leave behind is
//! described in chapter 8.

use std::fmt;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGXFSZ};

/// A signal asked the program to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted {
    /// Its number, such as 2 for SIGINT.
    pub signal: i32,
}

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "stopped by {}", name(self.signal))
    }
}

impl std::error::Error for Interrupted {}

/// The signals that stop a save: the number of the last one received, or
/// 0. Written by the signal handler, read by [`check`].
static RECEIVED: AtomicUsize = AtomicUsize::new(0);

/// A flag no one reads: catching SIGXFSZ is what turns it into an error.
static FILE_TOO_LARGE: AtomicUsize = AtomicUsize::new(0);

/// The signals that stop a save, and end the program after its cleanup.
pub const STOPPING: [i32; 3] = [SIGINT, SIGTERM, SIGHUP];

/// From now on, SIGINT, SIGTERM and SIGHUP make the next [`check`] fail
/// instead of ending the process, and SIGXFSZ makes the write fail.
/// Call it once, at the start of `main`. (A program that calls it must
/// then end itself on [`Interrupted`]: see [`end_by`].)
pub fn stop_on_signals() -> io::Result<()> {
    for signal in STOPPING {
        let value = usize::try_from(signal).expect("signal numbers are small and positive");
        signal_hook::flag::register_usize(signal, &RECEIVED, value)?;
    }
    signal_hook::flag::register_usize(SIGXFSZ, &FILE_TOO_LARGE, 1)?;
    Ok(())
}

/// Fails with [`Interrupted`] if a stopping signal arrived since the last
/// check. The flag is taken: the next check passes again.
pub fn check() -> Result<(), Interrupted> {
    match RECEIVED.swap(0, Ordering::SeqCst) {
        0 => Ok(()),
        signal => Err(Interrupted {
            signal: i32::try_from(signal).unwrap_or(SIGTERM),
        }),
    }
}

/// The name of a signal, such as `SIGINT`.
pub fn name(signal: i32) -> &'static str {
    signal_hook::low_level::signal_name(signal).unwrap_or("a signal")
}

/// Ends the process the way `signal` would have without the handler, so
/// that whoever started it sees "killed by SIGINT" (a shell: status 130).
/// Call it after the cleanup.
pub fn end_by(signal: i32) -> ! {
    // Restores the default action and raises the signal again.
    let _ = signal_hook::low_level::emulate_default_handler(signal);
    // Only reached for a signal whose default is not to end the process.
    signal_hook::low_level::exit(128 + signal)
}
