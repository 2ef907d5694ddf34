//! The lab: instruments that watch the allocator, so that a test can prove
//! what it says about acquiring and releasing memory. It was written for
//! the course *Clean Up Exactly What You Acquired*, which shows it as
//! `course::lab`; this package (`cleanup-lab`) lets any project use it.
//!
//! Install [`LabAllocator`] as the global allocator of a program or test
//! binary:
//!
//! ```
#![doc = include_str!("../doc-examples/install.rs")]
//! ```
//!
//! then check what a piece of it acquires and releases:
//!
//! ```
#![doc = include_str!("../doc-examples/crate_overview.rs")]
//! ```
//!
//! The lab's instruments:
//!
//! - [`trace::record`] shows every allocation and release, in order;
//! - [`check_leaks`] and [`assert_no_leaks`] report what a piece of code
//!   left allocated (size, alignment, where it was allocated) and what it
//!   freed twice;
//! - [`check_all_allocation_failures`] makes each allocation of a function
//!   fail in turn and demands an out-of-memory error and no leak each time;
//!   [`AllocationFailures`] adds options (nothing allocated after the
//!   failure; a spread of a large function's failure points);
//! - [`CheckingAllocator`] and [`check_all_allocation_failures_in`] do the
//!   same for code that takes an allocator value, without the global lab;
//! - [`LabAllocator::wrapping`] puts the lab in front of another global
//!   allocator.
//!
//! Each instrument watches the thread that runs it: tests running in
//! parallel do not disturb each other's counts. A leak check also follows
//! its blocks to the other threads that free them, and is not clean when
//! one does, since it cannot see what those threads allocate (see
//! [`check_leaks`]).

mod allocator;
mod check_all;
mod checking;
mod failure;
mod hooks;
mod leaks;
mod site;
pub mod trace;

pub use allocator::LabAllocator;
pub use check_all::is_failure_check_child;
pub use check_all::{
    AllocationFailures, FailureCheck, OutOfMemory, check_all_allocation_failures,
    check_all_allocation_failures_in,
};
pub use checking::CheckingAllocator;
pub use failure::{AllocationCount, count_allocations, with_failure_at};
pub use leaks::{Allocation, LeakReport, assert_no_leaks, check_leaks};
