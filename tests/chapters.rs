//! The tests of every chapter (`tests/chNN_*.rs`, each a module here) and
//! chapter 8's attacks, as one test program. Cargo runs test programs one
//! after another; within one, the tests run side by side, so chapter 5's
//! valgrind runs overlap chapter 8's attacks instead of waiting for them.
//! (Chapter 8's save counts its process's descriptors, so its tests have a
//! process of their own: tests/own_process.rs.)
//!
//! `cargo test --test chapters ch03_staged` runs one file's tests;
//! `cargo test ch03` runs chapter 3's, with its blocks, its shown runs and
//! its compile-fail proofs (README: "Checking one chapter").

/// The release benchmarks' runs (chapters 3 and 7).
#[path = "support/bench.rs"]
mod bench;
/// Files made as another user would (chapter 8's attacks).
#[cfg(target_os = "linux")]
#[path = "support/files.rs"]
mod files;
mod support;

/// The lab watches every allocation of this program: the checks of each
/// chapter need it, and each check watches only its own thread.
#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

// A second user's attacks on chapter 8's tool need Linux's owners, modes,
// signals and ACLs, as the tool does; elsewhere they say they were not
// checked.
#[cfg(target_os = "linux")]
mod attack_ch08;
#[cfg(target_os = "linux")]
mod attack_ch08_swaps;
#[cfg(not(target_os = "linux"))]
#[test]
fn attack_ch08_needs_linux() {
    support::not_checked::not_checked(
        "chapter 8: the attacks on the tool (tests/attack_ch08.rs, tests/attack_ch08_swaps.rs)",
        "they need Linux's owners, modes, signals and ACLs, and chapter 8's tool is compiled on Linux only",
    );
}
mod ch02_error_sets;
mod ch03_errdefer;
mod ch03_guard_cost;
mod ch03_raw_buffer;
mod ch03_staged;
mod ch03_strategies;
mod ch03_unwind;
mod ch04_raw_parts;
mod ch05_leak;
mod ch06_arena;
mod ch07_buffers;
mod ch07_dispatch;
