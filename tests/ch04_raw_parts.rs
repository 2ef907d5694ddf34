//! Chapter 4's claims about raw parts: freeing each part once leaks
//! nothing, on every path; forgetting one is a leak that nothing prevents.

use course::lab::{assert_no_leaks, check_all_allocation_failures, check_leaks};

#[path = "../examples/ch04_raw_parts.rs"]
#[allow(dead_code)]
mod example;

use example::{alloc_two_parts, free_part, show};

#[test]
fn the_caller_that_defers_both_frees_leaks_nothing() {
    for n in [0, 5, 20] {
        assert_no_leaks(|| drop(show(n)));
    }
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn every_allocation_failure_is_out_of_memory_and_leaks_nothing() {
    for (n, points) in [(0, 0), (5, 2), (20, 1)] {
        let check = check_all_allocation_failures(|| show(n));
        assert_eq!(check.failure_points, points, "n = {n}");
    }
}

#[test]
fn forgetting_one_part_leaks_it() {
    let (b, report) = check_leaks(|| {
        let (a, b) = alloc_two_parts(5).unwrap();
        // SAFETY: `a` comes from `alloc_two_parts` and is freed once.
        unsafe { free_part(a) };
        b // "forgotten" inside the check
    });
    assert_eq!(report.leaked_bytes(), 20, "{report}");
    // SAFETY: `b` comes from `alloc_two_parts` and was never freed.
    unsafe { free_part(b) };
}
