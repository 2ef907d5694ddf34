//! Chapter 3's claims about `alloc_two`: exactly what was acquired is freed,
//! on every path, including every allocation failure.

use course::lab::trace::{self, Event};
use course::lab::{assert_no_leaks, check_all_allocation_failures};
use course::staged::alloc_two;
use course::TwoBufError;

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

#[test]
fn success_hands_both_buffers_to_the_caller() {
    let (result, events) = trace::record(|| alloc_two(5));
    let (a, b) = result.unwrap();
    assert_eq!(a, [0, 1, 2, 3, 4]);
    assert_eq!(b, [0, 2, 4, 6, 8]);
    // Two allocations and no free: the caller owns both.
    assert_eq!(
        events.events(),
        [
            Event::Alloc { id: 1, size: 20 },
            Event::Alloc { id: 2, size: 20 }
        ]
    );
}

#[test]
fn failure_between_frees_exactly_a() {
    let (result, events) = trace::record(|| alloc_two(20));
    assert_eq!(
        result,
        Err(TwoBufError::TooLarge {
            requested: 20,
            limit: 10
        })
    );
    assert_eq!(
        events.events(),
        [
            Event::Alloc { id: 1, size: 80 },
            Event::Free {
                id: Some(1),
                size: 80
            }
        ]
    );
}

#[test]
fn no_path_leaks() {
    for n in [0, 1, 5, 10, 11, 20] {
        assert_no_leaks(|| drop(alloc_two(n)));
    }
}

#[test]
fn every_allocation_failure_is_out_of_memory_and_leaks_nothing() {
    for (n, points) in [(0, 0), (1, 2), (5, 2), (10, 2), (11, 1), (20, 1)] {
        let check = check_all_allocation_failures(|| alloc_two(n));
        assert_eq!(check.failure_points, points, "n = {n}");
    }
}
