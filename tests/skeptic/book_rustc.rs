//! The `rustc` skeptic runs for the book's blocks: the real `rustc`, with
//! the book's edition.
//!
//! skeptic 0.14.2 takes the edition from `cargo metadata` through a
//! `cargo_metadata` too old to know 2024, so in this edition-2024 workspace
//! it passes `--edition=2021` to every block. build.rs compiles this program
//! and `tests/skeptic.rs` names it in `RUSTC`, the variable skeptic reads to
//! find the compiler, for its own process only. This program replaces any
//! `--edition` with `COURSE_BOOK_EDITION` (from `book.toml`, `[rust]
//! edition`) and runs `COURSE_REAL_RUSTC`. To `rustc -vV`, which skeptic's
//! binary cache asks to key its entries, it adds the edition, so that
//! blocks compiled under another edition are never reused.

use std::env;
use std::ffi::OsString;
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let (Some(real), Ok(edition)) = (
        env::var_os("COURSE_REAL_RUSTC"),
        env::var("COURSE_BOOK_EDITION"),
    ) else {
        eprintln!(
            "book-rustc: COURSE_REAL_RUSTC and COURSE_BOOK_EDITION must be set; \
             tests/skeptic.rs sets them for the blocks of the book"
        );
        return ExitCode::FAILURE;
    };
    let edition_flag = OsString::from(format!("--edition={edition}"));
    let mut args: Vec<OsString> = Vec::new();
    let mut asks_version = false;
    let mut rest = env::args_os().skip(1);
    while let Some(arg) = rest.next() {
        if arg == "--edition" {
            rest.next(); // its value, replaced below
        } else if !arg.to_string_lossy().starts_with("--edition=") {
            asks_version |= arg == "-vV";
            args.push(arg);
        }
    }
    if !asks_version {
        args.push(edition_flag);
    }
    let status = match Command::new(&real).args(&args).status() {
        Ok(status) => status,
        Err(error) => {
            eprintln!("book-rustc: cannot run {}: {error}", real.to_string_lossy());
            return ExitCode::FAILURE;
        }
    };
    if asks_version && status.success() {
        println!("book edition: {edition}");
    }
    match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE, // ended by a signal
    }
}
