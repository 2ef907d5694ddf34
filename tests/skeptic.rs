//! Compiles and runs every Rust block of the book, as the reader sees it
//! (build.rs expands the chapters and hands them to skeptic).
include!(concat!(env!("OUT_DIR"), "/skeptic-tests.rs"));
