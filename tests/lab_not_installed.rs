//! Without the lab's allocator, the lab refuses to report instead of
//! reporting a clean result it did not measure. (No `#[global_allocator]`
//! in this test binary.)

use std::panic::{catch_unwind, UnwindSafe};

fn panic_message(f: impl FnOnce() + UnwindSafe) -> String {
    let payload = catch_unwind(f).expect_err("expected a refusal");
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap()
}

const REFUSAL: &str = "the lab cannot see allocations: install it";

#[test]
fn leak_check_refuses_to_run_blind() {
    let message = panic_message(|| drop(course::lab::check_leaks(|| ())));
    assert!(message.starts_with(REFUSAL), "{message}");
}

#[test]
fn trace_refuses_to_run_blind() {
    let message = panic_message(|| drop(course::lab::trace::record(|| ())));
    assert!(message.starts_with(REFUSAL), "{message}");
}
