//! Chapter 2's claims: `alloc_numbers` frees on every path, and its only
//! allocation failure comes back as `OutOfMemory`, while an infallible
//! allocation that fails aborts the process.

use std::os::unix::process::ExitStatusExt;
use std::process::Command;

use course::lab::{assert_no_leaks, check_all_allocation_failures, check_leaks};
use course::TwoBufError;

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

#[path = "../examples/ch02_error_sets.rs"]
#[allow(dead_code)] // the example's `main` is not used here
mod example;

#[test]
fn success_returns_the_numbers_and_leaks_nothing() {
    let numbers = assert_no_leaks(|| example::alloc_numbers(5).map(|v| v.iter().sum::<i32>()));
    assert_eq!(numbers, Ok(10));
}

#[test]
fn too_large_frees_the_buffer_it_had_allocated() {
    let (result, report) = check_leaks(|| example::alloc_numbers(20));
    assert_eq!(
        result,
        Err(TwoBufError::TooLarge {
            requested: 20,
            limit: 10
        })
    );
    assert_eq!(report.allocations, 1, "{report}");
    assert!(report.is_clean(), "{report}");
}

#[test]
fn every_allocation_failure_is_out_of_memory_and_leaks_nothing() {
    for n in [0, 1, 5, 10, 11, 20] {
        let check = check_all_allocation_failures(|| example::alloc_numbers(n));
        assert_eq!(check.failure_points, u64::from(n > 0), "n = {n}");
    }
}

#[test]
fn a_refused_allocation_is_out_of_memory() {
    assert_eq!(
        example::alloc_numbers(100_000_000_000_000_000),
        Err(TwoBufError::OutOfMemory)
    );
}

const ABORT_CHILD: &str = "CH02_INFALLIBLE_CHILD";

#[test]
fn an_infallible_allocation_that_is_refused_aborts_the_process() {
    if std::env::var_os(ABORT_CHILD).is_some() {
        // 10^17 integers: the allocator refuses, and `with_capacity` aborts.
        let numbers: Vec<i32> = Vec::with_capacity(100_000_000_000_000_000);
        std::hint::black_box(numbers);
        return; // not reached
    }
    let test = "an_infallible_allocation_that_is_refused_aborts_the_process";
    let output = Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture"])
        .env(ABORT_CHILD, "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.signal(),
        Some(6),
        "SIGABRT expected; stderr: {stderr}"
    );
    assert!(
        stderr.contains("memory allocation of 400000000000000000 bytes failed"),
        "{stderr}"
    );
}
