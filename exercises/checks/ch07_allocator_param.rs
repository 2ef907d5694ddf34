//! The check of exercise ch07_allocator_param: `cargo exercise ch07_allocator_param`.

use std::fmt;
use std::process::ExitCode;

use allocator_api2::alloc::Global;
use bumpalo::Bump;
use course::TwoBufError;
use course::lab::count_allocations;
use course_exercises::{Inline, Property, grade, lengths};

course_exercises::check_program!("ch07_allocator_param");
use answer::try_squares_in;

/// What a call gave, as the report shows it: the squares (how many, the
/// first 48 and the last, which needs 64 bits from i = 65 536 on), the
/// vector's capacity, and the blocks taken from the global allocator.
#[derive(PartialEq)]
struct Given {
    squares: Inline<u64, 48>,
    last: u64,
    capacity: usize,
    global_blocks: u64,
}

impl fmt::Debug for Given {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} (the last {}), capacity {}, {} blocks from the global allocator",
            self.squares, self.last, self.capacity, self.global_blocks
        )
    }
}

impl Given {
    fn of(squares: &[u64], capacity: usize, global_blocks: u64) -> Given {
        Given {
            squares: Inline::of(squares),
            last: squares.last().copied().unwrap_or(0),
            capacity,
            global_blocks,
        }
    }
}

fn main() -> ExitCode {
    grade("ch07_allocator_param", |grader| {
        // First, as the lab's child processes run the program again up to
        // each of these: with the global allocator as `alloc`, the lab can
        // refuse each of its allocations in turn.
        let failures_ok = grader.each_in_one_line(
            "try_squares_in(n, Global) for n = 0, 1, 5, 1000 and 5000, each allocation failed \
             in turn: out of memory, nothing leaked",
            [0, 1, 5, 1000, 5000],
            |grader, n| {
                let what = format!("try_squares_in({n}, Global)");
                grader
                    .every_allocation_failure(&what, &["the vector"], || try_squares_in(n, Global));
            },
        );
        if !failures_ok {
            return;
        }

        // In an arena with room enough: the arena holds every element, in
        // a vector of exactly n (try_reserve_exact), and nothing comes from
        // the global allocator.
        let ok = grader.agrees(
            Property {
                what: "try_squares_in(n, &arena) for every n, all in the arena",
                call: &|n: &usize| format!("try_squares_in({n}, &arena)"),
                boundaries: vec![0, 1, 2, 5, 65_536, 65_537],
            },
            0usize..3000,
            60,
            |&n| {
                // Room for a vector that grows by doubling, too.
                let arena = Bump::with_capacity(4 * n * 8 + 1024);
                let (result, count) = count_allocations(|| try_squares_in(n, &arena));
                result.map(|squares| Given::of(&squares, squares.capacity(), count.attempts))
            },
            |&n| {
                let all: Vec<u64> = (0..n as u64).map(|i| i * i).collect();
                Ok(Given::of(&all, n, 0))
            },
        );
        if !ok {
            return;
        }

        // The same with the global allocator, which the lab counts: one
        // block of exactly n squares.
        let ok = grader.agrees(
            Property {
                what: "try_squares_in(n, Global) for every n",
                call: &|n: &usize| format!("try_squares_in({n}, Global)"),
                boundaries: lengths::spread(1 << 17),
            },
            0usize..3000,
            30,
            |&n| {
                let (result, count) = count_allocations(|| try_squares_in(n, Global));
                result.map(|squares| Given::of(&squares, squares.capacity(), count.attempts))
            },
            |&n| {
                let all: Vec<u64> = (0..n as u64).map(|i| i * i).collect();
                Ok(Given::of(&all, n, u64::from(n > 0)))
            },
        );
        if !ok {
            return;
        }

        // An allocator that refuses: an arena with a limit too small for n
        // squares, and lengths no allocator can give.
        let mut refusing: Vec<(usize, Option<usize>)> = lengths::spread(1 << 12)
            .into_iter()
            .filter(|&n| n * 8 > 64)
            .map(|n| (n, Some(64)))
            .collect();
        refusing.extend([usize::MAX, usize::MAX / 8 + 1, 1 << 42].map(|n| (n, None)));
        let ok = grader.agrees_on(
            Property {
                what: "try_squares_in is Err(OutOfMemory) when its allocator refuses",
                call: &|(n, limit): &(usize, Option<usize>)| match limit {
                    Some(limit) => format!(
                        "try_squares_in({n}, &arena) with an arena limited to {limit} bytes"
                    ),
                    None => format!("try_squares_in({n}, Global)"),
                },
                boundaries: refusing,
            },
            |&(n, limit)| match limit {
                Some(limit) => {
                    let arena = Bump::new();
                    arena.set_allocation_limit(Some(limit));
                    try_squares_in(n, &arena).map(|s| Given::of(&s, s.capacity(), 0))
                }
                None => try_squares_in(n, Global).map(|s| Given::of(&s, s.capacity(), 0)),
            },
            |_| Err(TwoBufError::OutOfMemory),
        );
        if !ok {
            return;
        }

        // Each allocation failed in turn, here, for lengths spread to
        // 131 072, after all those calls.
        grader.every_allocation_failure_of(
            "try_squares_in(n, Global) for n from 0 to 131 072",
            &|n: &usize| format!("try_squares_in({n}, Global)"),
            lengths::spread(1 << 17),
            |&n| try_squares_in(n, Global).map(|s| Given::of(&s, s.capacity(), 0)),
        );
    })
}
