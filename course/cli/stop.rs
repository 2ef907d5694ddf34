//! Every way a program ends, and the exit status of each: one function,
//! [`exit_status`], so that all the programs end alike.

use std::fmt;
use std::io::{self, Write};
use std::process::ExitCode;

use super::{Usage, UsageError};

/// Why a program's `run` stopped before its end. `?` returns one.
#[derive(Debug)]
pub enum Stop {
    /// `--help` or `-h`: the usage goes to stdout; status 0.
    Help(Usage),
    /// A command line the program cannot use: one line on stderr; status 2.
    Usage(UsageError, Usage),
    /// Writing to stdout failed: quietly with status 0 if its reader
    /// closed it (a broken pipe), else one line on stderr and status 1.
    Output(io::Error),
    /// The program failed: one line on stderr; status 1.
    Failed(String),
    /// The work was done, but a step after it failed: one line on stderr;
    /// status 3.
    Incomplete(String),
    /// A signal stopped the program, which has cleaned up: one line on
    /// stderr, then the program ends as the signal would have ended it.
    Signal { signal: i32, message: String },
}

impl Stop {
    /// The program failed because of `error`: `map_err(Stop::failed)`.
    pub fn failed(error: impl fmt::Display) -> Stop {
        Stop::Failed(error.to_string())
    }
}

/// `?` on a write to stdout: writing stdout is the only I/O the programs'
/// `run` does without saying otherwise; other I/O errors are
/// [`Stop::failed`].
impl From<io::Error> for Stop {
    fn from(error: io::Error) -> Stop {
        Stop::Output(error)
    }
}

/// What `main` returns: reports why `run` stopped, if it did, and turns
/// that into the exit status (see the statuses in [`crate::cli`]).
pub fn exit_status(result: Result<(), Stop>) -> ExitCode {
    // Anything still buffered goes out before an error line, and a write
    // that fails only now is a failed write like any other.
    let flushed = io::stdout().flush();
    let result = result.and_then(|()| flushed.map_err(Stop::Output));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Stop::Help(usage)) => {
            let printed = print_usage(&usage);
            match printed {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => output_failed(&error),
            }
        }
        Err(Stop::Usage(error, usage)) => {
            error_line(format_args!("{error} (usage: {usage})"));
            ExitCode::from(2)
        }
        Err(Stop::Output(error)) => output_failed(&error),
        Err(Stop::Failed(message)) => {
            error_line(format_args!("{message}"));
            ExitCode::FAILURE
        }
        Err(Stop::Incomplete(message)) => {
            error_line(format_args!("{message}"));
            ExitCode::from(3)
        }
        Err(Stop::Signal { signal, message }) => {
            error_line(format_args!("{message}"));
            end_by(signal)
        }
    }
}

/// Ends the program as `signal` would have (chapter 8's tool, on Linux).
#[cfg(target_os = "linux")]
fn end_by(signal: i32) -> ExitCode {
    crate::stop_signals::end_by(signal)
}

/// Elsewhere no `Stop::Signal` is made (`course::stop_signals` is Linux's);
/// were one made, the program still fails.
#[cfg(not(target_os = "linux"))]
fn end_by(_signal: i32) -> ExitCode {
    ExitCode::FAILURE
}

/// `usage: ...` on stdout, and what the program does, if it says.
fn print_usage(usage: &Usage) -> io::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "usage: {usage}")?;
    if !usage.about.is_empty() {
        writeln!(out, "{}", usage.about)?;
    }
    out.flush()
}

/// A failed write to stdout: nothing to say if its reader has gone.
fn output_failed(error: &io::Error) -> ExitCode {
    if error.kind() == io::ErrorKind::BrokenPipe {
        return ExitCode::SUCCESS;
    }
    error_line(format_args!("cannot write to stdout: {error}"));
    ExitCode::FAILURE
}

/// Writes `error: WHAT` on stderr. If stderr cannot be written either,
/// nothing is left to tell, and the exit status still says what happened.
fn error_line(what: fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr().lock(), "error: {what}");
}
