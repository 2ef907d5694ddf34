// A wrong answer to ch06_arena_reset: one reset after the last round. The
// arena grew through all of them, and a reset keeps its largest chunk.
// ANCHOR: expect
// expect: run_rounds(&mut arena, 2): returned 10000, the arena holding 1984 bytes where one reset before every round holds 960, expected 10000, the arena holding one
// ANCHOR_END: expect

use bumpalo::Bump;

pub fn run_rounds(arena: &mut Bump, rounds: usize) -> u64 {
    let mut total = 0;
    for round in 0..rounds {
        let values = arena.alloc_slice_fill_with(100, |i| (round + i) as u64);
        total += values.iter().sum::<u64>();
    }
    arena.reset();
    total
}
