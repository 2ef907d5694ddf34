//! Without the lab's allocator, the lab refuses to report instead of
//! reporting a clean result it did not measure. (No `#[global_allocator]`
//! in this test binary.)

mod support;

use support::panic_message;

const REFUSAL: &str = "the lab cannot see allocations: install it";

#[test]
fn leak_check_refuses_to_run_blind() {
    let message = panic_message(|| drop(cleanup_lab::check_leaks(|| ())));
    assert!(message.starts_with(REFUSAL), "{message}");
}

#[test]
fn trace_refuses_to_run_blind() {
    let message = panic_message(|| drop(cleanup_lab::trace::record(|| ())));
    assert!(message.starts_with(REFUSAL), "{message}");
}

#[test]
fn counts_refuse_to_run_blind() {
    // A count of 0 would look like proof that nothing allocates.
    let message = panic_message(|| {
        let _ = cleanup_lab::count_allocations(|| drop(vec![1u8]));
    });
    assert!(message.starts_with(REFUSAL), "{message}");
    let message = panic_message(|| {
        let _ = cleanup_lab::with_failure_at(0, || drop(vec![1u8]));
    });
    assert!(message.starts_with(REFUSAL), "{message}");
}
