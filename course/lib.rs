//! Shared code of the course *Clean Up Exactly What You Acquired*.
//!
//! - [`TwoBufError`]: the error type the chapters' functions return;
//! - [`staged::alloc_two`]: the staged acquisition of chapter 3;
//! - [`lab`]: instruments that watch the allocator (traces, and later leak
//!   checks and injected failures);
//! - [`cli`]: argument handling shared by the example programs.

// Lets the course's modules say `course::...` like every other reader of the
// library does, so the chapters can show them as they are.
extern crate self as course;

pub mod cli;
pub mod lab;
pub mod staged;
mod two_buf;

pub use two_buf::TwoBufError;
