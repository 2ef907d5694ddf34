//! Tests that need a process of their own. Chapter 8's save checks that it
//! leaves no descriptor open by counting this process's descriptors
//! (`/proc/self/fd`), which tests running beside it in tests/chapters.rs
//! would change. Its tests are the module `ch08_atomic_save`, as they would
//! be there: `cargo test ch08` runs them with the rest of chapter 8.

mod support;

/// The lab watches every allocation of this program (see tests/chapters.rs).
#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

mod ch08_atomic_save;
