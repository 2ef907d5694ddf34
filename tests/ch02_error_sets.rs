//! Chapter 2's claims: `alloc_numbers` frees on every path, and its only
//! allocation failure comes back as `OutOfMemory`, while an infallible
//! allocation that fails aborts the process.

use std::os::unix::process::ExitStatusExt;
use std::process::Command;

use course::lab::{
    assert_no_leaks, check_all_allocation_failures, check_leaks, count_allocations, with_failure_at,
};
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

#[test]
fn the_two_causes_of_out_of_memory() {
    // A capacity overflow: refused before any allocator is asked.
    let (result, count) = count_allocations(|| {
        let mut v: Vec<u64> = Vec::new();
        v.try_reserve_exact(usize::MAX).map_err(TwoBufError::from)
    });
    assert_eq!(result, Err(TwoBufError::OutOfMemory));
    assert_eq!(
        count.attempts, 0,
        "usize::MAX must never reach the allocator"
    );

    // A valid request that the allocator refuses: one attempt.
    let (result, count) = count_allocations(|| example::alloc_numbers(100_000_000_000_000_000));
    assert_eq!(result, Err(TwoBufError::OutOfMemory));
    assert_eq!(
        count.attempts, 1,
        "10^17 integers must be asked of the allocator"
    );
}

/// Linux overcommits memory: a granted reservation is address space, not
/// memory, until its pages are written. (Other systems: see the message.)
#[test]
fn a_granted_reservation_is_not_yet_memory() {
    if !cfg!(target_os = "linux") {
        eprintln!("a_granted_reservation_is_not_yet_memory: NOT CHECKED (Linux only)");
        return;
    }
    let field = |file: &str, name: &str| -> u64 {
        let text = std::fs::read_to_string(file).unwrap();
        let line = text.lines().find(|l| l.starts_with(name)).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    let mode = std::fs::read_to_string("/proc/sys/vm/overcommit_memory").unwrap();
    if mode.trim() == "2" {
        eprintln!("a_granted_reservation_is_not_yet_memory: NOT CHECKED (overcommit is off here)");
        return;
    }
    let half_of_memory = field("/proc/meminfo", "MemTotal:") * 1024 / 2;
    let resident = || field("/proc/self/status", "VmRSS:") * 1024;
    let before = resident();
    let mut reserved: Vec<u8> = Vec::new();
    assert!(
        reserved.try_reserve_exact(half_of_memory as usize).is_ok(),
        "the kernel refused {half_of_memory} bytes"
    );
    let grown = resident().saturating_sub(before);
    assert!(
        grown < half_of_memory / 100,
        "reserving {half_of_memory} bytes made the process {grown} bytes bigger: \
         the chapter says a reservation is not memory until it is written"
    );
}
