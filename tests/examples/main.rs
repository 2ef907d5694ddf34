//! Runs every example program the way readers do, and checks that each
//! behaves like a real command-line tool. One job per file:
//!
//! - `shown_runs`: the runs the book shows (tests/cmd/), under hostile
//!   environment variables;
//! - `usage`: `--help`, and bad command lines (one line, status 2);
//! - `huge_counts`: counts and inputs no program can serve (one line,
//!   status 1 or 2, never a panic or an abort);
//! - `closed_output`: a stdout closed by its reader, a full stdout, a full
//!   stderr;
//! - `lab_use`: the lab allocator is installed only where the lab is used;
//! - `recipe`: chapter 8's recipe for running its tool, run twice;
//! - `parsing`: the command-line parsers and path escaping, called directly.
//!
//! `programs` holds what they share: the programs, how to run each one.
//! Refresh the shown output: `TRYCMD=overwrite cargo test --test examples`.

#[path = "../support/mod.rs"]
mod support;

mod closed_output;
mod huge_counts;
mod lab_use;
mod parsing;
mod programs;
mod recipe;
mod shown_runs;
mod usage;
