//! Chapter 2's claims: `alloc_numbers` frees on every path, and its only
//! allocation failure comes back as `OutOfMemory`, while an infallible
//! allocation that fails aborts the process. A failure names
//! `alloc_numbers`'s place in `examples/ch02_error_sets.rs`, or, for a
//! claim about Rust itself, the chapter's line that makes it.

use crate::support;

use std::process::Command;

use course::TwoBufError;
use course::lab::{
    assert_no_leaks, check_all_allocation_failures, check_leaks, count_allocations, with_failure_at,
};
use support::{check, check_eq, check_in_output, check_no_panic, fn_place};

#[path = "../examples/ch02_error_sets.rs"]
#[allow(dead_code)] // the example's `main` is not used here
mod example;

/// Where the reader edits the function under test.
fn place() -> String {
    fn_place("examples/ch02_error_sets.rs", "alloc_numbers")
}

/// `src/ch02-error-sets.md:LINE`, the chapter's line that says `phrase`:
/// where a claim about Rust or the system (no course code) is made. Fails
/// if the chapter no longer says it, so no message points nowhere.
fn claim(phrase: &str) -> String {
    support::chapter_place("src/ch02-error-sets.md", phrase)
}

#[test]
fn success_returns_the_numbers_and_leaks_nothing() {
    let place = place();
    let numbers = check_no_panic(&place, "alloc_numbers(5), summed", "no leak", || {
        assert_no_leaks(|| example::alloc_numbers(5).map(|v| v.iter().sum::<i32>()))
    });
    check_eq(
        &place,
        "the sum of what alloc_numbers(5) returns (0 + 1 + 2 + 3 + 4)",
        Ok(10),
        numbers,
    );
}

#[test]
fn too_large_frees_the_buffer_it_had_allocated() {
    let place = place();
    let (result, report) = check_leaks(|| example::alloc_numbers(20));
    check_eq(
        &place,
        "what alloc_numbers(20) returns",
        Err(TwoBufError::TooLarge {
            requested: 20,
            limit: 10,
        }),
        result,
    );
    check(
        &place,
        "what alloc_numbers(20) allocates before it refuses: its buffer, once",
        report.allocations == 1,
        "1 allocation",
        &report, // formatting it resolves stacks: slow, so only on failure
    );
    check(
        &place,
        "alloc_numbers(20) must free the buffer it allocated",
        report.is_clean(),
        "no leak",
        &report,
    );
}

#[test]
fn every_allocation_failure_is_out_of_memory_and_leaks_nothing() {
    let place = place();
    for n in [0, 1, 5, 10, 11, 20] {
        let check = check_no_panic(
            &place,
            &format!("each allocation of alloc_numbers({n}) failing in turn"),
            "an out-of-memory error and no leak at every failure point",
            || check_all_allocation_failures(|| example::alloc_numbers(n)),
        );
        check_eq(
            &place,
            &format!("the allocations alloc_numbers({n}) attempts"),
            u64::from(n > 0),
            check.failure_points,
        );
    }
}

#[test]
fn a_refused_allocation_is_out_of_memory() {
    check_eq(
        &place(),
        "what alloc_numbers(10^17) returns (the allocator refuses 4 * 10^17 bytes)",
        Err(TwoBufError::OutOfMemory),
        example::alloc_numbers(100_000_000_000_000_000),
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
    let test = support::test_name(
        module_path!(),
        "an_infallible_allocation_that_fails_aborts_the_process",
    );
    let place = claim("print `memory allocation of N bytes failed`");
    for (way, bytes) in [
        ("with_capacity", 400_000_000_000_000_000u64),
        ("vec!", 24),
        ("push", 32),
        ("Box::new", 8),
    ] {
        let output = Command::new(std::env::current_exe().unwrap())
            .args([&test, "--exact", "--nocapture"])
            .env(ABORT_CHILD, way)
            // What is checked comes before any backtrace; looking one up
            // would only cost time (0.2 s a child).
            .env("RUST_BACKTRACE", "0")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        check_in_output(
            &place,
            &format!("an allocation by {way} that fails must abort the process"),
            support::aborted(&output.status),
            support::ABORTED,
            output.status,
            &stderr,
        );
        let expected = format!("memory allocation of {bytes} bytes failed");
        check_in_output(
            &place,
            &format!("what an allocation by {way} that fails prints before it aborts"),
            stderr.contains(&expected),
            format!("{expected:?} on stderr"),
            "not there",
            &stderr,
        );
    }
}

#[test]
fn the_two_causes_of_out_of_memory() {
    // A capacity overflow: refused before any allocator is asked.
    let chapter = claim("*capacity overflow*");
    let (result, count) = count_allocations(|| {
        let mut v: Vec<u64> = Vec::new();
        v.try_reserve_exact(usize::MAX).map_err(TwoBufError::from)
    });
    let what = "try_reserve_exact(usize::MAX) of u64s";
    check_eq(&chapter, what, Err(TwoBufError::OutOfMemory), result);
    check_eq(
        &chapter,
        &format!("{what}: allocations attempted (it must never reach the allocator)"),
        0,
        count.attempts,
    );

    // A valid request that the allocator refuses: one attempt.
    let place = place();
    let (result, count) = count_allocations(|| example::alloc_numbers(100_000_000_000_000_000));
    let what = "alloc_numbers(10^17)";
    check_eq(&place, what, Err(TwoBufError::OutOfMemory), result);
    check_eq(
        &place,
        &format!("{what}: allocations attempted (10^17 integers must be asked of the allocator)"),
        1,
        count.attempts,
    );

    // What the lab's failure injection asks of the error: only
    // OutOfMemory means "the memory could not be had" (a mutant that
    // answered yes for every error went unseen by every test before).
    use course::lab::OutOfMemory as _;
    let too_large = TwoBufError::TooLarge {
        requested: 20,
        limit: 10,
    };
    check_eq(
        &fn_place("course/lib.rs", "is_out_of_memory"),
        "TooLarge.is_out_of_memory(), OutOfMemory.is_out_of_memory()",
        (false, true),
        (
            too_large.is_out_of_memory(),
            TwoBufError::OutOfMemory.is_out_of_memory(),
        ),
    );
}

/// Linux overcommits memory: a granted reservation is address space, not
/// memory, until its pages are written. (Other systems: see the message.)
#[test]
fn a_granted_reservation_is_not_yet_memory() {
    let what = "chapter 2: a granted reservation is not yet memory (Linux's overcommit)";
    if !cfg!(target_os = "linux") {
        support::not_checked::not_checked(
            what,
            "it reads /proc/meminfo and /proc/self/status, and the claim is Linux's",
        );
        return;
    }
    let field = |file: &str, name: &str| -> u64 {
        let text = std::fs::read_to_string(file).unwrap();
        let line = text.lines().find(|l| l.starts_with(name)).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    let mode = std::fs::read_to_string("/proc/sys/vm/overcommit_memory").unwrap();
    if mode.trim() == "2" {
        support::not_checked::not_checked(
            what,
            "overcommit is off here (/proc/sys/vm/overcommit_memory is 2)",
        );
        return;
    }
    let half_of_memory = field("/proc/meminfo", "MemTotal:") * 1024 / 2;
    let resident = || field("/proc/self/status", "VmRSS:") * 1024;
    let place = claim("memory is overcommitted by default");
    let before = resident();
    let mut reserved: Vec<u8> = Vec::new();
    let reservation = reserved.try_reserve_exact(half_of_memory as usize);
    check(
        &place,
        &format!("try_reserve_exact of half the machine's memory ({half_of_memory} bytes)"),
        reservation.is_ok(),
        "Ok",
        format!("{reservation:?}"),
    );
    let grown = resident().saturating_sub(before);
    check(
        &place,
        "how much the reservation grew the process's resident memory \
         (a reservation is not memory until it is written)",
        grown < half_of_memory / 100,
        format!("under 1% of it ({} bytes)", half_of_memory / 100),
        format!("{grown} bytes"),
    );
}
