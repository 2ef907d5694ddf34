//! Chapter 2's claims: `alloc_numbers` frees on every path, and its only
//! allocation failure comes back as `OutOfMemory`, while an infallible
//! allocation that fails aborts the process.

use std::os::unix::process::ExitStatusExt;
use std::process::Command;

use course::lab::{assert_no_leaks, check_all_allocation_failures, check_leaks, with_failure_at};
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

/// The infallible ways to allocate that the chapter names, each made to
/// fail: the first by a request no allocator grants, the others by the lab.
fn allocate_infallibly(way: &str) {
    let _ = match way {
        "with_capacity" => {
            // 10^17 integers: the allocator refuses.
            let numbers: Vec<i32> = Vec::with_capacity(100_000_000_000_000_000);
            std::hint::black_box(numbers.len())
        }
        "vec!" => with_failure_at(0, || vec![1u64, 2, 3].len()).0,
        "push" => {
            with_failure_at(0, || std::hint::black_box(Vec::new()).push(7u64))
                .1
                .attempts as usize
        }
        "Box::new" => with_failure_at(0, || *Box::new(5u64) as usize).0,
        other => panic!("unknown way {other}"),
    };
}

#[test]
fn an_infallible_allocation_that_fails_aborts_the_process() {
    if let Ok(way) = std::env::var(ABORT_CHILD) {
        allocate_infallibly(&way);
        return; // not reached: the process aborts
    }
    let test = "an_infallible_allocation_that_fails_aborts_the_process";
    for (way, bytes) in [
        ("with_capacity", 400_000_000_000_000_000u64),
        ("vec!", 24),
        ("push", 32),
        ("Box::new", 8),
    ] {
        let output = Command::new(std::env::current_exe().unwrap())
            .args([test, "--exact", "--nocapture"])
            .env(ABORT_CHILD, way)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.signal(),
            Some(6),
            "{way}: SIGABRT expected; stderr: {stderr}"
        );
        assert!(
            stderr.contains(&format!("memory allocation of {bytes} bytes failed")),
            "{way}: {stderr}"
        );
    }
}
