//! Chapter 3's claims about the explicit errdefer: each guard frees its
//! buffer on failure, success defuses both, and no failure leaks.

use course::errdefer::alloc_two_raw;
use course::lab::trace::{self, Event};
use course::lab::{check_all_allocation_failures, check_leaks};
use course::TwoBufError;

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

#[test]
fn success_defuses_both_guards() {
    let (result, events) = trace::record(|| alloc_two_raw(3));
    let (a, b) = result.unwrap();
    assert_eq!(
        (a.as_slice(), b.as_slice()),
        (&[0, 1, 2][..], &[0, 2, 4][..])
    );
    let fired = events.to_string().contains("fires");
    assert!(!fired, "no guard may fire on success:\n{events}");
    assert_eq!(
        events
            .events()
            .iter()
            .filter(|e| matches!(e, Event::Free { .. }))
            .count(),
        0
    );
    a.free();
    b.free();
}

#[test]
fn failure_between_fires_only_the_guard_of_a() {
    let (result, events) = trace::record(|| alloc_two_raw(20));
    assert_eq!(
        result.err(),
        Some(TwoBufError::TooLarge {
            requested: 20,
            limit: 10
        })
    );
    let text = events.to_string();
    assert!(text.contains("errdefer for A fires"), "{text}");
    assert!(!text.contains("errdefer for B"), "{text}");
    let frees: Vec<&Event> = events
        .events()
        .iter()
        .filter(|e| matches!(e, Event::Free { .. }))
        .collect();
    assert_eq!(
        frees,
        [&Event::Free {
            id: Some(1),
            size: 80
        }]
    );
}

#[test]
fn every_path_and_every_allocation_failure_leaks_nothing() {
    for (n, points) in [(0, 0), (1, 2), (5, 2), (10, 2), (11, 1), (20, 1)] {
        let check = check_all_allocation_failures(|| {
            alloc_two_raw(n).map(|(a, b)| {
                a.free();
                b.free();
            })
        });
        assert_eq!(check.failure_points, points, "n = {n}");
    }
}

#[test]
fn the_caller_must_free_a_raw_buffer() {
    // Forgetting `free` is a leak: the lab sees it.
    let (buffers, report) = check_leaks(|| alloc_two_raw(2).unwrap());
    assert_eq!(report.leaked_bytes(), 16, "{report}");
    let (a, b) = buffers;
    a.free();
    b.free();
}
