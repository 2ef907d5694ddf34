//! Tests that need a process of their own. Chapter 8's save checks that it
//! leaves no descriptor open by counting this process's descriptors
//! (`/proc/self/fd`), which tests running beside it in tests/chapters.rs
//! would change. Its tests are the module `ch08_atomic_save`, as they would
//! be there: `cargo test ch08` runs them with the rest of chapter 8.

/// Files made as another user would (chapter 8's attacks).
#[cfg(target_os = "linux")]
#[path = "support/files.rs"]
mod files;
mod support;

/// The lab watches every allocation of this program (see tests/chapters.rs).
#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

// Chapter 8's tool is Linux's (course/lib.rs compiles it there only).
#[cfg(target_os = "linux")]
mod ch08_atomic_save;
#[cfg(target_os = "linux")]
mod ch08_system_calls;

/// Elsewhere its tests are listed as not checked, never passed in silence.
#[cfg(not(target_os = "linux"))]
#[test]
fn ch08_atomic_save_needs_linux() {
    support::not_checked::not_checked(
        "chapter 8: the atomic save's tests (tests/ch08_atomic_save.rs)",
        "chapter 8's tool is compiled on Linux only",
    );
}
