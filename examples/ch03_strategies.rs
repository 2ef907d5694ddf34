//! Chapter 3: scopeguard's three strategies, and when each one runs: on a
//! return of `Ok`, on a return of `Err`, and while a panic unwinds. None of
//! them runs on `Err` only, which is what Zig's `errdefer` does.
//!
//! Run: `cargo run --example ch03_strategies -- N` (default N = 3: the
//! number of values the last part updates).
//! Its items are `pub` so that `tests/ch03_strategies.rs` can test them.

use std::cell::RefCell;
use std::io::{self, Write};
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;

use course::TwoBufError;
use course::cli::Stop;
use scopeguard::{guard, guard_on_success, guard_on_unwind};

// ANCHOR: exits
/// How `leave` leaves its scope.
#[derive(Clone, Copy, Debug)]
pub enum Exit {
    Ok,
    Err,
    Panic,
}

/// Arms one guard of each strategy, then leaves as `exit` says. Each guard
/// writes its name into `ran` if it runs.
pub fn leave(exit: Exit, ran: &RefCell<Vec<&'static str>>) -> Result<(), &'static str> {
    let _always = guard((), |()| ran.borrow_mut().push("guard"));
    let _on_success = guard_on_success((), |()| ran.borrow_mut().push("guard_on_success"));
    let _on_unwind = guard_on_unwind((), |()| ran.borrow_mut().push("guard_on_unwind"));
    match exit {
        Exit::Ok => Ok(()),
        Exit::Err => Err("failed"),
        Exit::Panic => panic!("a bug"),
    }
}
// ANCHOR_END: exits

// ANCHOR: poison
/// Values that a panic in the middle of an update would leave half
/// changed. Like a `Mutex`, they remember it: they are poisoned.
pub struct Values {
    pub items: Vec<i32>,
    pub poisoned: bool,
}

impl Values {
    /// Applies `f`, the caller's code, to every item. There is no error to
    /// return, so the only way out half-way is a panic in `f`: the only
    /// case the guard has to handle.
    pub fn update(&mut self, f: impl Fn(i32) -> i32) {
        let mut this = guard_on_unwind(self, |this| this.poisoned = true);
        for item in &mut this.items {
            *item = f(*item);
        }
    }
}
// ANCHOR_END: poison

/// The largest `n` the program takes: its values are `1..=n`, doubled.
const MAX_N: usize = 1_000_000;

fn main() -> ExitCode {
    course::cli::exit_status(run())
}

fn run() -> Result<(), Stop> {
    let counts = course::cli::counts_up_to(MAX_N, &[3])?; // --help, or a bad count

    // Print the panic message on stdout, in order, instead of on stderr. A
    // hook must not panic: if stdout is closed, the next write of `run`
    // reports it.
    panic::set_hook(Box::new(|info| {
        let message = info.payload_as_str().unwrap_or("(no message)");
        let _ = writeln!(io::stdout(), "  panic: {message}");
    }));

    let mut out = io::stdout();
    for exit in [Exit::Ok, Exit::Err, Exit::Panic] {
        writeln!(out, "leave(Exit::{exit:?}):")?;
        let ran = RefCell::new(Vec::new());
        let result = panic::catch_unwind(AssertUnwindSafe(|| leave(exit, &ran)));
        let ran = ran.into_inner().join(", ");
        match result {
            Ok(returned) => writeln!(out, "  returned {returned:?}; ran: {ran}")?,
            Err(_) => writeln!(out, "  unwound; ran: {ran}")?,
        }
    }

    for n in counts {
        // Fallible, as every allocation the count sizes: memory that cannot
        // hold the values ends the program with one line, not an abort.
        let mut items = Vec::new();
        items
            .try_reserve_exact(n)
            .map_err(|error| Stop::failed(TwoBufError::from(error)))?;
        items.extend((1..).take(n));
        let mut values = Values {
            items,
            poisoned: false,
        };
        writeln!(out, "update {:?}, doubling:", values.items)?;
        values.update(|item| 2 * item);
        writeln!(out, "  {:?}, poisoned: {}", values.items, values.poisoned)?;
        writeln!(
            out,
            "update {:?}, a bug panics on the last item:",
            values.items
        )?;
        let last = values.items.last().copied();
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            values.update(|item| {
                assert!(Some(item) != last, "the last item");
                item + 1
            });
        }));
        let outcome = if result.is_ok() {
            "returned"
        } else {
            "unwound"
        };
        writeln!(
            out,
            "  {outcome}: {:?}, poisoned: {}",
            values.items, values.poisoned
        )?;
    }
    Ok(())
}
