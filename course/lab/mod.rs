//! The lab: instruments that watch the allocator, so that the course can
//! prove what it says about acquiring and releasing memory.
//!
//! Install [`LabAllocator`] as the global allocator of a program or test
//! binary, then use [`trace::record`] to see every allocation and release
//! in order.

mod allocator;
mod hooks;
pub mod trace;

pub use allocator::LabAllocator;
