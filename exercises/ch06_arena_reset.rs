// Exercise ch06_arena_reset (chapter 6). Check it: cargo exercise ch06_arena_reset
//
// `run_rounds(arena, rounds)` allocates, in each round, 100 numbers in the
// arena and adds them up. Nothing is ever freed one slice at a time, and
// the arena is never reset: after 1000 rounds it holds 1000 rounds of
// numbers. Reset it between rounds, so that its memory stays at about one
// round's size and rounds after the first allocate nothing more.

use bumpalo::Bump;

pub fn run_rounds(arena: &mut Bump, rounds: usize) -> u64 {
    let mut total = 0;
    for round in 0..rounds {
        let values = arena.alloc_slice_fill_with(100, |i| (round + i) as u64);
        total += values.iter().sum::<u64>();
    }
    total
}
