//! Chapter 3's claims about scopeguard's strategies: `guard` runs on every
//! exit, `guard_on_success` on every return (`Err` too) but not while a
//! panic unwinds, `guard_on_unwind` only while a panic unwinds; so none of
//! them runs on `Err` only, as Zig's `errdefer` does. A failure names the
//! place of `leave` or `Values::update` in `examples/ch03_strategies.rs`.

use crate::support;

use std::cell::RefCell;
use std::panic::AssertUnwindSafe;

use support::{check_eq, fn_place};

#[path = "../examples/ch03_strategies.rs"]
#[allow(dead_code)]
mod example;

use example::{Exit, Values, leave};

/// Where the reader edits `fn name` of the example.
fn at(name: &str) -> String {
    fn_place("examples/ch03_strategies.rs", name)
}

/// The guards that ran when `leave(exit)` left, newest first, and whether
/// it returned (`Some(result)`) or unwound (`None`).
fn run(exit: Exit) -> (Option<Result<(), &'static str>>, Vec<&'static str>) {
    let ran = RefCell::new(Vec::new());
    let result = support::catch_expected(AssertUnwindSafe(|| leave(exit, &ran))).ok();
    (result, ran.into_inner())
}

#[test]
fn on_ok_the_success_guard_and_the_plain_guard_run() {
    check_eq(
        &at("leave"),
        "leave(Exit::Ok): (its result, the guards that ran, newest first)",
        (Some(Ok(())), vec!["guard_on_success", "guard"]),
        run(Exit::Ok),
    );
}

#[test]
fn on_err_the_same_two_run_no_strategy_tells_err_from_ok() {
    let place = at("leave");
    check_eq(
        &place,
        "leave(Exit::Err): (its result, the guards that ran, newest first)",
        (Some(Err("failed")), vec!["guard_on_success", "guard"]),
        run(Exit::Err),
    );
    // What errdefer would need: a guard that runs on Err and not on Ok.
    // Every strategy runs on both or on neither.
    let (_, on_ok) = run(Exit::Ok);
    let (_, on_err) = run(Exit::Err);
    check_eq(
        &place,
        "the guards that ran on leave(Exit::Err), against those on leave(Exit::Ok): the same",
        on_ok,
        on_err,
    );
}

#[test]
fn on_a_panic_the_unwind_guard_and_the_plain_guard_run() {
    let place = at("leave");
    let what = "leave(Exit::Panic): its panic";
    let message = support::panic_of(&place, what, "a panic", || {
        leave(Exit::Panic, &RefCell::new(Vec::new()))
    });
    check_eq(&place, what, "a bug", &message);
    check_eq(
        &place,
        "leave(Exit::Panic): (its result, None for a panic; the guards that ran, newest first)",
        (None, vec!["guard_on_unwind", "guard"]),
        run(Exit::Panic),
    );
}

#[test]
fn an_update_that_returns_leaves_the_values_clean() {
    let mut values = Values {
        items: vec![1, 2, 3],
        poisoned: false,
    };
    values.update(|item| 2 * item);
    check_eq(
        &at("update"),
        "update(|item| 2 * item) of [1, 2, 3]: (the items, poisoned)",
        (&[2, 4, 6][..], false),
        (&values.items[..], values.poisoned),
    );
}

#[test]
fn an_update_that_panics_half_way_poisons_the_values() {
    let place = at("update");
    let mut values = Values {
        items: vec![1, 2, 3],
        poisoned: false,
    };
    let what = "update of [1, 2, 3] by a function that adds 1 and panics at 3";
    let message = support::panic_of(
        &place,
        &format!("{what}: its panic"),
        "a panic",
        AssertUnwindSafe(|| {
            values.update(|item| {
                assert!(item != 3, "the last item");
                item + 1
            })
        }),
    );
    check_eq(
        &place,
        &format!("{what}: its panic"),
        "the last item",
        &message,
    );
    check_eq(
        &place,
        &format!("{what}: (the items, half updated; poisoned)"),
        (&[2, 3, 3][..], true),
        (&values.items[..], values.poisoned),
    );
}
