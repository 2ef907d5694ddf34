//! What makes the example programs behave like real command-line tools,
//! shared so that all of them behave alike:
//!
//! - [`args`]: `--help`, a count `N` or two paths, and bad usage;
//! - [`stop`]: every way a program ends, and its exit status.
//!
//! A program's `main` is `course::cli::exit_status(run())`: `run` writes
//! to a locked stdout and returns early with `?`. The exit statuses:
//!
//! - 0: done, or `--help` printed the usage, or whoever read stdout closed
//!   it early (`| head -1`): they have what they asked for, so this is no
//!   failure, and nothing is printed;
//! - 1: the program failed (out of memory, a file it could not read or
//!   write, a stdout it could not write): one line on stderr;
//! - 2: bad usage: one line on stderr, with the usage.
//!
//! No input makes a program panic or abort. `println!` and `eprintln!`
//! panic when they cannot write, so the programs do not use them.

pub mod args;
pub mod stop;

pub use args::{
    counts, counts_or, counts_up_to, parse_count, parse_two_paths, two_paths, Usage, UsageError,
};
pub use stop::{exit_status, Stop};
