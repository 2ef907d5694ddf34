//! The check of exercise ch07_fill_squares: `cargo exercise ch07_fill_squares`.

use std::fmt;
use std::process::ExitCode;

use course::lab::count_allocations;
use course_exercises::{Property, grade};

course_exercises::check_program!("ch07_fill_squares");
use answer::{fill_squares, squares};

/// What a buffer held after `fill_squares`, and what the call allocated.
#[derive(PartialEq)]
struct Filled {
    /// The first slot whose value is not its index squared, and that value.
    wrong: Option<(usize, u64)>,
    allocations: u64,
}

impl fmt::Debug for Filled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.wrong {
            None => write!(f, "every slot i holding i²")?,
            Some((i, value)) => write!(
                f,
                "slot {i} holding {value}, not {}",
                (i as u64) * (i as u64)
            )?,
        }
        match self.allocations {
            0 => write!(f, ", allocating nothing"),
            n => write!(f, ", allocating {n} times"),
        }
    }
}

/// `fill_squares` on a buffer of `len` slots, each holding `old` first.
fn filled(len: usize, old: u64) -> Filled {
    let mut out = vec![old; len];
    let ((), count) = count_allocations(|| fill_squares(&mut out));
    let wrong = out
        .iter()
        .enumerate()
        .find(|&(i, &value)| value != (i as u64) * (i as u64))
        .map(|(i, &value)| (i, value));
    Filled {
        wrong,
        allocations: count.attempts,
    }
}

fn main() -> ExitCode {
    grade("ch07_fill_squares", |grader| {
        // Slots that hold garbage, zeros, or already the right squares;
        // lengths from 0 to past 65 536, where i² needs 64 bits.
        let lengths = vec![0, 1, 2, 5, 100, 65_536, 65_537, 70_000];
        for (old, held) in [(u64::MAX, "u64::MAX"), (0, "0")] {
            let ok = grader.agrees(
                Property {
                    what: &format!(
                        "fill_squares on a buffer of any length, each slot holding {held} first"
                    ),
                    call: &|len: &usize| {
                        format!("fill_squares on a buffer of {len} slots holding {held}")
                    },
                    boundaries: lengths.clone(),
                },
                0usize..3000,
                60,
                |&len| filled(len, old),
                |_| Filled {
                    wrong: None,
                    allocations: 0,
                },
            );
            if !ok {
                return;
            }
        }
        // The allocating design it replaces still says the same.
        grader.agrees(
            Property {
                what: "squares(n), the allocating version, for every n",
                call: &|n: &usize| format!("squares({n})"),
                boundaries: vec![0, 1, 5, 65_537],
            },
            0usize..3000,
            30,
            |&n| squares(n),
            |&n| (0..n as u64).map(|i| i * i).collect(),
        );
    })
}
