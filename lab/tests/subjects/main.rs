//! The lab's tests by subject, in one test binary so that they run side
//! by side: many of them wait for child processes.

#[path = "../support/mod.rs"]
mod support;

mod child_processes;
mod double_frees;
mod failure_options;
mod functions;
mod own_allocations;
mod reports;
mod std_lasting_state;

#[global_allocator]
static ALLOCATOR: cleanup_lab::LabAllocator = cleanup_lab::LabAllocator;
