//! Chapter 8: signals, turned into errors. By default a signal such as
//! SIGINT (Ctrl-C), SIGTERM (`kill`) or SIGHUP (the terminal closed) ends a
//! process on the spot: no `Drop` and no guard runs, so a half-written
//! temporary file would stay. After [`stop_on_signals`], every signal whose
//! default is to end the process, and that a program can catch and go on
//! from ([`STOPPING`]), only sets a flag; the save looks at it between its
//! steps ([`check`]) and returns an error, [`Interrupted`], like any other,
//! which the save's errdefer cleans up after. The program then ends as the
//! signal asked ([`end_by`]), with the status a shell expects (130 for
//! SIGINT).
//!
//! A file-size limit (`ulimit -f`) sends SIGXFSZ, which by default also
//! ends the process on the spot. Caught, it makes the write that crossed
//! the limit fail with "File too large" instead, and the save cleans up.
//!
//! The others, and why: SIGKILL cannot be caught, and SIGSTOP stops
//! without ending; SIGPIPE is ignored by every Rust program (a write to a
//! closed pipe fails with EPIPE instead); SIGSEGV, SIGBUS, SIGILL, SIGFPE,
//! SIGTRAP and SIGSYS report a fault of the program's own instructions,
//! after which it cannot safely go on (Rust's runtime uses SIGSEGV and
//! SIGBUS to report a stack overflow), so they keep their default.

use std::fmt;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};

use libc::{
    SIGABRT, SIGALRM, SIGHUP, SIGINT, SIGIO, SIGPROF, SIGPWR, SIGQUIT, SIGSTKFLT, SIGTERM, SIGUSR1,
    SIGUSR2, SIGVTALRM, SIGXCPU, SIGXFSZ,
};

/// A signal asked the program to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted {
    /// Its number, such as 2 for SIGINT.
    pub signal: i32,
}

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let real_time = real_time();
        match self.signal - real_time.start() {
            0 => return f.write_str("stopped by SIGRTMIN"),
            after if real_time.contains(&self.signal) => {
                return write!(f, "stopped by SIGRTMIN+{after}");
            }
            _ => {}
        }
        write!(f, "stopped by {}", name(self.signal))
    }
}

impl std::error::Error for Interrupted {}

/// The signals that stop a save: the number of the last one received, or
/// 0. Written by the signal handler, read by [`check`].
static RECEIVED: AtomicUsize = AtomicUsize::new(0);

/// A flag no one reads: catching SIGXFSZ is what turns it into an error.
static FILE_TOO_LARGE: AtomicUsize = AtomicUsize::new(0);

/// The signals with a name that stop a save, and end the program after
/// its cleanup: every one whose default is to end the process and that a
/// program can catch and go on from, but SIGXFSZ (see the module's
/// documentation). The real-time signals ([`real_time`]) do too.
pub const STOPPING: [i32; 14] = [
    SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGIO, SIGPWR,
    SIGSTKFLT, SIGXCPU, SIGABRT,
];

/// The real-time signals a program may use (the C library keeps the first
/// two or three for itself); by default each ends the process.
pub fn real_time() -> std::ops::RangeInclusive<i32> {
    libc::SIGRTMIN()..=libc::SIGRTMAX()
}

/// Every signal that stops a save: [`STOPPING`] and [`real_time`].
pub fn stopping() -> impl Iterator<Item = i32> {
    STOPPING.into_iter().chain(real_time())
}

/// From now on, every signal of [`stopping`] makes the next [`check`] fail
/// instead of ending the process, and SIGXFSZ makes the write fail.
/// (SIGABRT from the program's own `abort` still ends it: the C library
/// restores the default action and raises it again.)
/// Call it once, at the start of `main`. (A program that calls it must
/// then end itself on [`Interrupted`]: see [`end_by`].)
pub fn stop_on_signals() -> io::Result<()> {
    // signal-hook gives the kernel its handler before it records what the
    // handler is to do: a signal in between would do nothing at all. So
    // the signals wait (blocked) until everything is in place, then come.
    // They are unblocked even if whoever started the program had blocked
    // them: a blocked Ctrl-C could never stop the save.
    let signals = signal_set(stopping().chain([SIGXFSZ]));
    mask(libc::SIG_BLOCK, &signals)?;
    let registered = register_all();
    mask(libc::SIG_UNBLOCK, &signals)?;
    registered
}

fn register_all() -> io::Result<()> {
    for signal in stopping() {
        let value = usize::try_from(signal).expect("signal numbers are small and positive");
        match signal_hook::flag::register_usize(signal, &RECEIVED, value) {
            Ok(_) => {}
            // A real-time signal that this process may not handle (valgrind
            // keeps one for itself): no one can send it to the program.
            Err(error)
                if real_time().contains(&signal) && error.raw_os_error() == Some(libc::EINVAL) => {}
            Err(error) => return Err(error),
        }
    }
    signal_hook::flag::register_usize(SIGXFSZ, &FILE_TOO_LARGE, 1)?;
    Ok(())
}

/// The set of `signals`, as `pthread_sigmask` takes it.
fn signal_set(signals: impl Iterator<Item = i32>) -> libc::sigset_t {
    // SAFETY: an all-zero `sigset_t` is a valid value of this plain C type,
    // and `sigemptyset` then makes it the empty set, as POSIX asks.
    let mut set = unsafe { std::mem::zeroed::<libc::sigset_t>() };
    // SAFETY: `set` is a valid, writable `sigset_t`.
    unsafe { libc::sigemptyset(&mut set) };
    for signal in signals {
        // SAFETY: as above; `signal` is a valid signal number (a
        // constant, or one of the real-time range the C library gives).
        unsafe { libc::sigaddset(&mut set, signal) };
    }
    set
}

/// Blocks or unblocks (`how`) `signals` for the calling thread, the only
/// one when `main` starts.
fn mask(how: libc::c_int, signals: &libc::sigset_t) -> io::Result<()> {
    // SAFETY: `signals` points to a valid set, and a null old set is allowed.
    match unsafe { libc::pthread_sigmask(how, signals, std::ptr::null_mut()) } {
        0 => Ok(()),
        error => Err(io::Error::from_raw_os_error(error)),
    }
}

/// The error of a program whose [`stop_on_signals`] failed: `map_err`.
pub fn cannot_catch_signals(error: io::Error) -> crate::cli::Stop {
    crate::cli::Stop::failed(format_args!(
        "cannot catch the signals that stop a save: {error}"
    ))
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

/// The name of a signal, such as `SIGINT` (signal-hook knows all but
/// SIGPWR and SIGSTKFLT, which are Linux's).
pub fn name(signal: i32) -> &'static str {
    match signal {
        SIGPWR => "SIGPWR",
        SIGSTKFLT => "SIGSTKFLT",
        _ => signal_hook::low_level::signal_name(signal).unwrap_or("a signal"),
    }
}

/// Ends the process the way `signal` would have without the handler, so
/// that whoever started it sees "killed by SIGINT" (a shell: status 130).
/// Call it after the cleanup.
pub fn end_by(signal: i32) -> ! {
    // Restores the default action and raises the signal again (signal-hook's
    // `emulate_default_handler` knows the named signals only, not the
    // real-time ones).
    // SAFETY: SIG_DFL is a valid action for any signal, and raise(3) only
    // delivers it to this thread; neither touches memory of ours.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
    // Only reached for a signal whose default is not to end the process.
    signal_hook::low_level::exit(128 + signal)
}
