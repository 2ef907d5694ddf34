//! Shared code of the course *Clean Up Exactly What You Acquired*.
//!
//! - [`TwoBufError`]: the error type the chapters' functions return;
//! - [`staged::alloc_two`]: the staged acquisition of chapter 3;
//! - [`raw_buffer::RawBuffer`] and [`errdefer::alloc_two_raw`]: the same
//!   with a resource that has no `Drop`, and an explicit errdefer;
//! - [`forgetful::alloc_two_forgetful`]: chapter 5's bug, the errdefer
//!   forgotten;
//! - [`arena::alloc_two_in_arena`]: the staged acquisition in an arena
//!   (chapter 6);
//! - [`buffers`]: ways to take and return buffers, and `alloc_two_in` for
//!   any allocator (chapter 7);
//! - [`atomic_save`]: files as resources: an atomic save, with an explicit
//!   guard and with `tempfile` (chapter 8);
//! - [`lab`]: instruments that watch the allocator: traces, leak checks and
//!   injected allocation failures (the package `cleanup-lab`, in `lab/`,
//!   shown here as `course::lab`);
//! - [`cli`]: argument handling shared by the example programs;
//! - [`callgrind`]: instruction counts for the benchmarks of chapters 3 and 7.

// Lets the course's modules say `course::...` like every other reader of the
// library does, so the chapters can show them as they are.
extern crate self as course;

pub mod arena;
#[cfg(target_os = "linux")]
pub mod atomic_save;
pub mod buffers;
pub mod callgrind;
pub mod cli;
pub mod errdefer;
pub mod forgetful;
pub mod raw_buffer;
#[cfg(target_os = "linux")]
pub mod replaced;
#[cfg(target_os = "linux")]
pub mod scratch;
#[cfg(target_os = "linux")]
pub mod short_name;
pub mod staged;
#[cfg(target_os = "linux")]
pub mod stop_signals;
#[cfg(target_os = "linux")]
pub mod system_calls;
#[cfg(target_os = "linux")]
pub mod temp_name;
mod two_buf;

pub use two_buf::TwoBufError;

// The conversions the later chapters need, here rather than beside the
// error type, which chapter 2 shows whole (a page compiles the file it
// shows, so they cannot live in arena.rs or buffers.rs either).

// A full arena (chapter 6) is out of memory too.
impl From<bumpalo::AllocErr> for TwoBufError {
    fn from(_: bumpalo::AllocErr) -> Self {
        TwoBufError::OutOfMemory
    }
}

// The `Vec` of allocator-api2 (chapter 7) has its own reservation error.
impl From<allocator_api2::collections::TryReserveError> for TwoBufError {
    fn from(_: allocator_api2::collections::TryReserveError) -> Self {
        TwoBufError::OutOfMemory
    }
}

// What the lab's check_all_allocation_failures asks of an error: whether it
// means that the memory could not be had.
impl lab::OutOfMemory for TwoBufError {
    fn is_out_of_memory(&self) -> bool {
        matches!(self, TwoBufError::OutOfMemory)
    }
}

/// The lab, a package of its own (`cleanup-lab`, in `lab/`) that readers
/// can use in their projects; the chapters call it `course::lab`.
pub use cleanup_lab as lab;
