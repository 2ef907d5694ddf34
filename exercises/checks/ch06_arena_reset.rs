//! The check of exercise ch06_arena_reset: `cargo exercise ch06_arena_reset`.

use std::process::ExitCode;

use bumpalo::Bump;
use course::lab::count_allocations;
use course_exercises::{Property, grade};

course_exercises::check_program!("ch06_arena_reset");
use answer::run_rounds;

/// Round r adds r, r + 1, ..., r + 99.
fn expected_total(rounds: usize) -> u64 {
    (0..rounds as u64).map(|round| 100 * round + 4950).sum()
}

/// What `arena` holds after `rounds` rounds run the way the exercise
/// asks (reset before each).
fn held_when_reset(arena: &mut Bump, rounds: usize) -> usize {
    for round in 0..rounds {
        arena.reset();
        let values = arena.alloc_slice_fill_with(100, |i| (round + i) as u64);
        std::hint::black_box(values);
    }
    arena.allocated_bytes()
}

/// What `run_rounds` returned, and what the arena holds after it.
#[derive(PartialEq)]
struct Ran {
    total: u64,
    memory: Memory,
}

/// The arena's memory after the rounds, against one reset before each.
#[derive(PartialEq)]
enum Memory {
    /// Something, and no more than the reset arena.
    AsReset,
    /// More: this many bytes, where the reset arena holds the other.
    More(usize, usize),
    /// Nothing, after at least one round: the numbers were not its.
    Nothing,
}

impl std::fmt::Debug for Ran {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, ", self.total)?;
        match self.memory {
            Memory::AsReset => write!(f, "the arena holding one round's chunk"),
            Memory::More(held, reset) => write!(
                f,
                "the arena holding {held} bytes where one reset before every round holds {reset}"
            ),
            Memory::Nothing => write!(f, "nothing in the arena: the numbers belong there"),
        }
    }
}

/// `run_rounds(arena, rounds)` on a new arena (or one of `capacity`
/// bytes), and its memory against a reset arena's (as long as the rounds,
/// up to two: it stays the same after).
fn ran(rounds: usize, capacity: usize) -> Ran {
    let mut arena = Bump::with_capacity(capacity);
    let total = run_rounds(&mut arena, rounds);
    let held = arena.allocated_bytes();
    let reset = held_when_reset(&mut Bump::with_capacity(capacity), rounds.min(2));
    let memory = if rounds > 0 && held == 0 {
        Memory::Nothing
    } else if held > reset {
        Memory::More(held, reset)
    } else {
        Memory::AsReset
    };
    Ran { total, memory }
}

fn main() -> ExitCode {
    grade("ch06_arena_reset", |grader| {
        // The totals and the memory, for every number of rounds up to 50
        // and more, in an arena that starts empty or with a chunk of 2 MiB
        // (past 90 000 rounds, a u16's count, and 43 000, a u32's total).
        let mut counts: Vec<(usize, usize)> = (0..=50).map(|rounds| (rounds, 0)).collect();
        counts.extend([
            (1000, 0),
            (43_000, 0),
            (90_000, 0),
            (30, 2 << 20),
            (5000, 2 << 20),
        ]);
        let ok = grader.agrees_on(
            Property {
                what: "run_rounds(&mut arena, rounds) adds up every round and keeps one \
                       round's chunk, for rounds from 0 to 50, 1000, 43 000 and 90 000, and \
                       in an arena of 2 MiB",
                call: &|(rounds, capacity): &(usize, usize)| match capacity {
                    0 => format!("run_rounds(&mut arena, {rounds})"),
                    _ => {
                        format!("run_rounds(&mut arena, {rounds}) on an arena of {capacity} bytes")
                    }
                },
                boundaries: counts,
            },
            |&(rounds, capacity)| ran(rounds, capacity),
            |&(rounds, _)| Ran {
                total: expected_total(rounds),
                memory: Memory::AsReset,
            },
        );
        if !ok {
            return;
        }

        // Rounds after the first take nothing from the global allocator.
        let what = "run_rounds(&mut arena, 1000), then the arena dropped";
        let checked = grader.without_leaks(what, || {
            let mut arena = Bump::new();
            // The first round may take the arena's first chunk.
            run_rounds(&mut arena, 1);
            count_allocations(|| run_rounds(&mut arena, 1000))
                .1
                .attempts
        });
        let Some(allocations) = checked else {
            return;
        };
        grader.check(
            allocations <= 1,
            "after the first round, the rounds allocate nothing",
            || {
                format!(
                    "the rounds allocated {allocations} blocks from the global allocator: \
                     a reset arena reuses its chunk"
                )
            },
        );
    })
}
