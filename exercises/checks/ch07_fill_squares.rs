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
            1 => write!(f, ", allocating once"),
            n => write!(f, ", allocating {n} times"),
        }
    }
}

/// What a buffer's slots hold before the call.
#[derive(Clone, Copy)]
enum Before {
    /// Every slot the same value.
    All(u64),
    /// Slot i holds i² already where i is even, garbage elsewhere.
    HalfDone,
    /// Runs of slots holding i² already, then 7, 0, u64::MAX or i.
    Mixed,
}

impl fmt::Display for Before {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Before::All(u64::MAX) => write!(f, "holding u64::MAX"),
            Before::All(value) => write!(f, "holding {value}"),
            Before::HalfDone => write!(f, "holding i² in every even slot i, 1 elsewhere"),
            Before::Mixed => write!(f, "holding runs of i², then of 7, 0, u64::MAX and i"),
        }
    }
}

/// `fill_squares` on a buffer of `len` slots, holding `before` first.
fn filled(len: usize, before: Before) -> Filled {
    let mut out: Vec<u64> = (0..len as u64)
        .map(|i| match before {
            Before::All(value) => value,
            Before::HalfDone if i % 2 == 0 => i * i,
            Before::HalfDone => 1,
            // Runs of six slots each: squares already, then the others.
            Before::Mixed => match (i / 6) % 6 {
                0 | 1 => i * i,
                2 => 7,
                3 => 0,
                4 => u64::MAX,
                _ => i,
            },
        })
        .collect();
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
        let lengths = vec![
            0,
            1,
            2,
            5,
            100,
            65_536,
            65_537,
            70_000,
            100_001,
            (1 << 20) + 1,
        ];
        for before in [
            Before::All(u64::MAX),
            Before::All(0),
            Before::All(1),
            Before::All(7),
            Before::HalfDone,
            Before::Mixed,
        ] {
            let ok = grader.agrees(
                Property {
                    what: &format!("fill_squares on a buffer of any length, {before}"),
                    call: &|len: &usize| {
                        format!("fill_squares on a buffer of {len} slots, {before}")
                    },
                    boundaries: lengths.clone(),
                },
                0usize..3000,
                60,
                |&len| filled(len, before),
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
