//! What makes the example programs behave like real command-line tools,
//! shared so that all of them behave alike:
//!
//! - [`args`]: `--help`, a count `N` or two paths, and bad usage;
//! - [`stop`]: every way a program ends, and its exit status;
//! - [`escaped`]: paths printed on one line, whatever bytes they hold.
//!
//! A program's `main` is `course::cli::exit_status(run())`: `run` writes
//! to a locked stdout and returns early with `?`. The exit statuses:
//!
//! - 0: done, or `--help` printed the usage, or whoever read stdout closed
//!   it early (`| head -1`): they have what they asked for, so this is no
//!   failure, and nothing is printed;
//! - 1: the program failed (out of memory, a file it could not read or
//!   write, a stdout it could not write): one line on stderr;
//! - 2: bad usage: one line on stderr, with the usage;
//! - 3: the work was done, but a step after it failed (chapter 8's save
//!   replaced the target, but could not confirm it will survive a crash,
//!   or could not say so on stdout): one line on stderr;
//! - killed by a signal: a signal stopped chapter 8's save (SIGINT,
//!   SIGTERM, SIGHUP or another of `course::stop_signals::STOPPING`),
//!   which cleaned up first and said so in one line on stderr (a shell
//!   shows 128 + the signal's number: 130 for Ctrl-C).
//!
//! No input makes a program panic or abort. `println!` and `eprintln!`
//! panic when they cannot write, so the programs do not use them.

pub mod args;
mod escaped;
pub mod stop;

pub use args::{
    TwoPaths, Usage, UsageError, counts, counts_or, counts_up_to, parse_count, parse_two_paths,
    two_paths,
};
pub use escaped::{Escaped, escaped};
pub use stop::{Stop, exit_status};
