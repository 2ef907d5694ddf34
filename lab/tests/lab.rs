//! The lab's own tests. A checker that cannot fail proves nothing, so most
//! of these make it fail on purpose and look at what it says.

use std::alloc::{Layout, alloc, dealloc};
use std::collections::TryReserveError;
use std::mem::ManuallyDrop;
use std::panic::AssertUnwindSafe;

use cleanup_lab::{
    assert_no_leaks, check_all_allocation_failures, check_leaks, count_allocations, trace,
    with_failure_at,
};

mod support;

use support::panic_message;

#[global_allocator]
static ALLOCATOR: cleanup_lab::LabAllocator = cleanup_lab::LabAllocator;

#[test]
fn clean_code_passes() {
    let ((), report) = check_leaks(|| {
        let numbers: Vec<u64> = (0..100).collect();
        assert_eq!(numbers.len(), 100);
    });
    assert!(report.is_clean(), "{report}");
    assert!(report.allocations >= 1);
    assert_eq!(report.leaked_bytes(), 0);
}

#[test]
fn a_leak_is_reported_with_size_alignment_and_site() {
    let line = line!() + 2; // the line of `with_capacity`
    let (kept, report) = check_leaks(|| {
        let kept: Vec<u32> = Vec::with_capacity(20);
        ManuallyDrop::new(kept) // not freed inside the check: a leak there
    });
    drop(ManuallyDrop::into_inner(kept)); // freed now: Miri sees no leak
    assert_eq!(report.leaks.len(), 1);
    assert_eq!(report.leaked_bytes(), 80);
    let leak = &report.leaks[0];
    assert_eq!((leak.size, leak.align), (80, 4));
    let stack = leak.stack();
    assert!(
        stack[0].contains(&format!("(lab/tests/lab.rs:{line}:")),
        "the innermost frame should be the allocating line, {line}: {stack:?}"
    );
    let text = report.to_string();
    assert!(
        text.contains("leaked 80 bytes (align 4), allocated at:"),
        "{text}"
    );
    assert!(
        text.ends_with("1 of 1 allocation leaked (80 bytes)"),
        "{text}"
    );
}

#[test]
fn assert_no_leaks_fails_on_a_leak() {
    // Kept outside the check, so it outlives the check (a leak there) and
    // is freed when the test ends.
    let kept = std::cell::RefCell::new(None);
    let message = panic_message(AssertUnwindSafe(|| {
        assert_no_leaks(|| kept.borrow_mut().replace(Box::new([0u8; 24])).is_none());
    }));
    assert!(message.starts_with("leak check failed:"), "{message}");
    assert!(message.contains("leaked 24 bytes (align 1)"), "{message}");
}

#[test]
fn a_double_free_is_caught_before_it_reaches_the_system() {
    let layout = Layout::new::<[u64; 2]>();
    let ((), report) = check_leaks(|| {
        // SAFETY: `layout` has a non-zero size.
        let block = unsafe { alloc(layout) };
        assert!(!block.is_null());
        // SAFETY: `block` was allocated with `layout` just above.
        unsafe { dealloc(block, layout) };
        // SAFETY: this second free is the bug under test. The global
        // allocator is the lab, and inside a leak check the lab keeps freed
        // blocks to itself until the check ends: it recognises this call,
        // records it and does not pass it on, so the system allocator never
        // sees a double free.
        unsafe { dealloc(block, layout) };
    });
    assert_eq!(report.double_frees.len(), 1);
    assert!(report.leaks.is_empty());
    assert!(report.to_string().contains("1 freed twice"), "{report}");
}

#[test]
fn other_threads_do_not_disturb_a_check() {
    let kept = std::sync::Mutex::new(None);
    let ((), report) = check_leaks(|| {
        std::thread::scope(|s| {
            // Allocated on the other thread, and still allocated when the
            // check ends (it is freed with `kept`, after the check).
            s.spawn(|| kept.lock().unwrap().replace(vec![0u8; 1000]));
        });
    });
    // The leak happened on the other thread, which the check does not
    // watch; it sees the bookkeeping of spawning it, freed by the other
    // thread, which makes the report say so (attack_lab.rs).
    assert!(
        report.leaks.iter().all(|leak| leak.size != 1000),
        "{report}"
    );
}

#[test]
fn allocations_are_counted_and_the_chosen_one_fails() {
    let (_, count) = count_allocations(|| (vec![1u8], vec![2u8], vec![3u8]));
    assert_eq!(count.attempts, 3);
    assert!(!count.injected);

    let (result, count) = with_failure_at(1, || {
        let mut a: Vec<u8> = Vec::new();
        let mut b: Vec<u8> = Vec::new();
        let first = a.try_reserve(4);
        let second = b.try_reserve(4);
        (first.is_ok(), second.is_ok())
    });
    assert_eq!(result, (true, false));
    assert!(count.injected);
}

/// Two fallible allocations; cleans up on every path.
fn two_buffers() -> Result<(Vec<u8>, Vec<u8>), TryReserveError> {
    let mut a = Vec::new();
    a.try_reserve_exact(32)?;
    let mut b = Vec::new();
    b.try_reserve_exact(32)?;
    Ok((a, b))
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn every_failure_point_of_a_correct_function_passes() {
    let check = check_all_allocation_failures(two_buffers);
    assert_eq!(check.failure_points, 2);
    assert!(check.result.is_ok());
}

/// Like `two_buffers`, but the first buffer is freed only by hand, and not
/// when the second allocation fails: the bug errdefer exists to prevent.
fn leaks_on_failure() -> Result<(), TryReserveError> {
    let mut a: Vec<u8> = Vec::new();
    a.try_reserve_exact(48)?;
    let a = ManuallyDrop::new(a); // no automatic cleanup from here on
    let mut b: Vec<u8> = Vec::new();
    b.try_reserve_exact(16)?; // returns early, forgetting `a`
    drop(ManuallyDrop::into_inner(a));
    Ok(())
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn a_failure_path_that_leaks_is_caught() {
    let message = panic_message(|| {
        check_all_allocation_failures(leaks_on_failure);
    });
    assert!(
        message.contains("1 of 2 failure points went wrong"),
        "{message}"
    );
    // Failing the second allocation returns early and leaks the first.
    assert!(
        message.contains("allocation #2: leaked 48 bytes"),
        "{message}"
    );
    assert!(
        message.contains("leaked 48 bytes (align 1), allocated at:"),
        "{message}"
    );
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn a_non_memory_error_is_not_accepted() {
    #[derive(Debug)]
    struct NotMemory;
    impl cleanup_lab::OutOfMemory for NotMemory {
        fn is_out_of_memory(&self) -> bool {
            false
        }
    }
    let message = panic_message(|| {
        check_all_allocation_failures(|| {
            let mut v: Vec<u8> = Vec::new();
            v.try_reserve(8).map_err(|_| NotMemory)
        });
    });
    assert!(
        message.contains("returned NotMemory, which is not out of memory"),
        "{message}"
    );
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn a_panic_under_a_failed_allocation_is_reported_as_the_panic() {
    let message = panic_message(|| {
        check_all_allocation_failures(|| {
            let mut v: Vec<u8> = Vec::new();
            v.try_reserve(8).expect("no memory for v");
            Ok::<_, TryReserveError>(v)
        });
    });
    assert!(
        message.contains("allocation #1: panicked: no memory for v"),
        "{message}"
    );
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn an_infallible_allocation_fails_the_test_instead_of_aborting_it() {
    let message = panic_message(AssertUnwindSafe(|| {
        check_all_allocation_failures(|| -> Result<(), TryReserveError> {
            let numbers: Vec<u64> = (1..=3).collect(); // aborts if this allocation fails
            assert_eq!(numbers.len(), 3);
            Ok(())
        });
    }));
    assert!(
        message.contains("allocation #1: the process ended without a verdict"),
        "{message}"
    );
    assert!(
        message.contains("memory allocation of 24 bytes failed"),
        "{message}"
    );
    assert!(
        message.contains("failed allocation #1 (24 bytes) at"),
        "{message}"
    );
    assert!(message.contains("lab/tests/lab.rs"), "{message}");
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn a_function_that_exits_when_an_allocation_fails_is_not_called_an_abort() {
    let message = panic_message(AssertUnwindSafe(|| {
        check_all_allocation_failures(|| -> Result<(), TryReserveError> {
            let mut numbers: Vec<u64> = Vec::new();
            if numbers.try_reserve_exact(3).is_err() {
                std::process::exit(0);
            }
            Ok(())
        });
    }));
    assert!(
        message.contains("allocation #1: the process ended without a verdict (exit status: 0): the function ended the process itself"),
        "{message}"
    );
    assert!(!message.contains("aborted"), "{message}");
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn a_child_report_printed_by_the_function_is_not_believed() {
    let message = panic_message(AssertUnwindSafe(|| {
        check_all_allocation_failures(|| -> Result<(), TryReserveError> {
            let mut numbers: Vec<u64> = Vec::new();
            if numbers.try_reserve_exact(3).is_err() {
                eprintln!("cleanup-lab-child: ok");
                std::process::exit(0);
            }
            Ok(())
        });
    }));
    assert!(
        message.contains("allocation #1: the process ended without a verdict"),
        "{message}"
    );
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn a_count_printed_by_the_function_is_not_believed() {
    let message = panic_message(AssertUnwindSafe(|| {
        check_all_allocation_failures(|| -> Result<(), TryReserveError> {
            let counting =
                std::env::var("CLEANUP_LAB_CHILD").is_ok_and(|v| v.starts_with("count:"));
            if counting {
                eprintln!("cleanup-lab-child: attempts 0");
                std::process::exit(0);
            }
            let mut numbers: Vec<u64> = Vec::new();
            numbers.try_reserve_exact(3)
        });
    }));
    assert!(message.contains("ended without a count"), "{message}");
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn ok_despite_a_failed_allocation_is_reported_without_blaming_the_lab_for_a_leak() {
    // Ok although the allocation failed: the lab's own words about it
    // were once counted as a leak of the function.
    let message = panic_message(AssertUnwindSafe(|| {
        check_all_allocation_failures(|| -> Result<(), TryReserveError> {
            let mut numbers: Vec<u64> = Vec::new();
            let _ = numbers.try_reserve_exact(3);
            Ok(())
        });
    }));
    assert!(
        message.contains("allocation #1: returned Ok although the allocation failed"),
        "{message}"
    );
    assert!(!message.contains("leaked"), "{message}");
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn an_error_that_is_not_out_of_memory_is_shown_and_freed_inside_the_check() {
    let message = panic_message(AssertUnwindSafe(|| {
        check_all_allocation_failures(|| -> Result<(), std::io::Error> {
            let mut numbers: Vec<u64> = Vec::new();
            numbers
                .try_reserve_exact(3)
                .map_err(|_| std::io::Error::other("no room"))
        });
    }));
    assert!(
        message.contains("allocation #1: returned Custom") && message.contains("\"no room\""),
        "{message}"
    );
    assert!(!message.contains("leaked"), "{message}");
}

#[test]
fn a_trace_shows_allocations_frees_and_notes_in_order() {
    let ((), events) = trace::record(|| {
        let mut v: Vec<u16> = Vec::with_capacity(2);
        trace::note(format_args!("capacity {}", v.capacity()));
        v.extend([1, 2, 3]); // grows
        drop(v);
    });
    assert_eq!(
        events.to_string(),
        "  alloc   #1  4 bytes\n  capacity 2\n  realloc #1  4 -> 8 bytes\n  free    #1  8 bytes\n"
    );
}

#[test]
fn an_injected_failure_is_a_failed_event_in_the_trace() {
    let ((result, count), events) = trace::record(|| {
        with_failure_at(1, || {
            let mut first: Vec<u32> = Vec::new();
            let mut second: Vec<u32> = Vec::new();
            first.try_reserve_exact(4)?;
            second.try_reserve_exact(8)?; // allocation #1: fails
            Ok::<_, TryReserveError>((first, second))
        })
    });
    assert!(result.is_err() && count.injected);
    assert_eq!(
        events.events(),
        [
            trace::Event::Alloc { id: 1, size: 16 },
            trace::Event::Failed { size: 32 },
            trace::Event::Free {
                id: Some(1),
                size: 16
            },
        ],
        "expected: A allocated, B refused, A freed; seen:\n{events}"
    );
    assert!(events.to_string().contains("alloc   FAILED  32 bytes"));
}

#[test]
fn an_injected_reallocation_failure_is_a_failed_event_too() {
    let mut numbers: Vec<u8> = Vec::with_capacity(8);
    let ((result, _), events) = trace::record(|| {
        with_failure_at(0, || numbers.try_reserve_exact(64)) // a realloc
    });
    assert!(result.is_err());
    assert_eq!(
        events.events(),
        [trace::Event::Failed { size: 64 }],
        "seen:\n{events}"
    );
}

/// The instruments live on the stack of `record` and `check_leaks`; the
/// allocator reaches them through a thread-local pointer. A panic inside
/// must take that pointer away before the instrument dies, or the next
/// allocation would write through a dangling pointer (Miri checks this
/// test in CI). Blocks the leak check kept back are freed even then.
#[test]
fn a_panic_inside_an_instrument_uninstalls_it() {
    let panicked = support::catch_expected(|| {
        trace::record(|| {
            let _kept = Box::new([1u8; 8]); // live when the panic starts
            panic!("inside a trace");
        })
    });
    assert!(panicked.is_err());
    let panicked = support::catch_expected(|| {
        check_leaks(|| {
            drop(vec![1u8; 8]); // kept back by the check until it ends
            panic!("inside a leak check");
        })
    });
    assert!(panicked.is_err());
    // Both slots are free again: new instruments work and see only their own.
    let ((), events) = trace::record(|| drop(vec![1u8; 4]));
    assert_eq!(
        events.events(),
        [
            trace::Event::Alloc { id: 1, size: 4 },
            trace::Event::Free {
                id: Some(1),
                size: 4
            }
        ]
    );
    let ((), report) = check_leaks(|| drop(vec![1u8; 4]));
    assert!(report.is_clean() && report.allocations == 1, "{report}");
}

/// A trace inside a trace: each sees what happened while it recorded,
/// and the outer one resumes when the inner one ends.
#[test]
fn nested_traces_each_see_their_own_events() {
    let ((), outer) = trace::record(|| {
        trace::note("outer before");
        let ((), inner) = trace::record(|| trace::note("inner"));
        assert_eq!(inner.to_string(), "  inner\n");
        trace::note("outer after");
    });
    // The outer trace also sees the allocations of the inner one's
    // bookkeeping (they happened on this thread), but not its notes.
    let notes: Vec<String> = outer
        .events()
        .iter()
        .filter_map(|event| match event {
            trace::Event::Note(note) => Some(note.as_str().to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(notes, ["outer before", "outer after"], "seen:\n{outer}");
}

/// A `Display` that panics inside `trace::note` (the lab formats notes
/// while it holds the thread) must not leave the lab blind on this thread:
/// afterwards, failures are still injected and leaks still seen.
#[test]
fn a_panic_inside_the_lab_does_not_blind_it() {
    struct Panics;
    impl std::fmt::Display for Panics {
        fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            panic!("a Display that panics")
        }
    }
    let ((), _) = trace::record(|| {
        let noted = support::catch_expected(|| trace::note(Panics));
        assert!(noted.is_err(), "the Display was expected to panic");
    });
    let (result, count) = with_failure_at(0, || Vec::<u8>::new().try_reserve(16));
    assert!(
        result.is_err() && count.injected && count.attempts == 1,
        "after a panic inside the lab, failure injection must still work: \
         expected an injected failure at attempt 0, seen {count:?}"
    );
    let (kept, report) = check_leaks(|| ManuallyDrop::new(vec![0u8; 16]));
    drop(ManuallyDrop::into_inner(kept));
    assert_eq!(
        report.leaked_bytes(),
        16,
        "after a panic inside the lab, a 16-byte leak must still be seen:\n{report}"
    );
}

/// `LINE:COLUMN` of the check of `every_failure_point_of_a_correct_function_passes`.
fn place_of_the_check() -> String {
    let source = include_str!("lab.rs");
    let call = "check_all_allocation_failures(two_buffers)";
    let (index, line) = source
        .lines()
        .enumerate()
        .find(|(_, line)| line.contains(call))
        .expect("lab/tests/lab.rs calls check_all_allocation_failures(two_buffers)");
    let column = line.find(call).unwrap_or(0) + 1;
    format!("{}:{column}", index + 1)
}

/// The variable that makes a process a failure-injection child, inherited
/// from a shell or a script, must not turn an ordinary run into a "child"
/// that runs part of a test, prints no result and exits 0.
#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn an_inherited_child_variable_does_not_change_a_run() {
    let test = "every_failure_point_of_a_correct_function_passes";
    // The check of that test is its thread's first, at this line of
    // lab/tests/lab.rs; the parent named is not this process.
    let check = format!("1:{}:lab/tests/lab.rs", place_of_the_check());
    for inherited in ["0:1", "count:1", "0:0"] {
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args([test, "--exact", "--test-threads=1"])
            .env("CLEANUP_LAB_CHILD", inherited)
            .env("CLEANUP_LAB_CHECK", &check)
            .env("CLEANUP_LAB_THREAD", test)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && stdout.contains("test result: ok. 1 passed"),
            "with CLEANUP_LAB_CHILD={inherited} inherited, `{test}` must run as usual: \
             expected \"test result: ok. 1 passed\" and status 0, seen {}:\n{stdout}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// A function that swallows its second allocation's failure must fail the
/// check wherever the check runs; on a thread the test spawned, the lab
/// cannot find the code again in a child process, so it refuses clearly
/// instead of letting another check answer for this one.
#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn a_check_on_an_unnamed_thread_refuses_instead_of_passing() {
    fn swallows_the_second_failure() -> Result<(), TryReserveError> {
        let mut first: Vec<u8> = Vec::new();
        first.try_reserve(8)?;
        let mut second: Vec<u8> = Vec::new();
        let _ = second.try_reserve(8); // the bug: the error is dropped
        Ok(())
    }
    let outcome = std::thread::spawn(|| {
        support::catch_expected(|| check_all_allocation_failures(swallows_the_second_failure))
            .map(|check| check.failure_points)
            .map_err(|payload| support::panic_payload_text(&*payload))
    })
    .join()
    .unwrap();
    match outcome {
        Err(message) => assert!(
            message.contains("runs on a thread without a name"),
            "expected the refusal, seen: {message}"
        ),
        Ok(points) => panic!(
            "a function that swallows an allocation failure passed the check \
             ({points} failure points) on a spawned thread: expected a refusal"
        ),
    }
}

/// A leak check keeps freed blocks back to recognise double frees, but
/// only the latest ones (16 MiB at most): a long check must not hold on
/// to all it ever freed. 12 000 blocks of 4 KiB, each written, then freed:
/// 47 MiB if all were kept, so a bound of 32 MiB (the quarantine's 16 MiB
/// plus bookkeeping) tells the two apart. (Seen failing with the
/// quarantine's bounds lifted: it grew by 48 MB.)
#[test]
#[cfg_attr(miri, ignore = "reads /proc, and 12 000 allocations take Miri minutes")]
fn a_long_leak_check_keeps_a_bounded_amount_of_freed_memory() {
    #[cfg(not(target_os = "linux"))]
    support::not_checked(
        "the lab: a long leak check keeps a bounded amount of freed memory",
        "it reads the process's resident size from /proc/self/status (Linux)",
    );
    #[cfg(target_os = "linux")]
    {
        let resident = || -> usize {
            let status = std::fs::read_to_string("/proc/self/status").unwrap();
            let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
            line.split_whitespace()
                .nth(1)
                .unwrap()
                .parse::<usize>()
                .unwrap()
                * 1024
        };
        let before = resident();
        let (peak, report) = check_leaks(|| {
            let mut peak = 0;
            for i in 0..12_000 {
                let block = vec![i as u8; 4096];
                std::hint::black_box(&block);
                drop(block);
                if i % 500 == 0 {
                    peak = peak.max(resident());
                }
            }
            peak.max(resident())
        });
        assert!(report.is_clean(), "{report}");
        let grown = peak.saturating_sub(before);
        assert!(
            grown < 32 << 20,
            "a leak check of 12 000 freed 4 KiB blocks grew the process by {} MB: \
             expected the quarantine's bound (16 MiB of blocks, plus bookkeeping)",
            grown >> 20
        );
    }
}
