// A wrong answer to ch06_arena_reset: a fresh arena in every round stays
// small, but each one asks the global allocator for a new chunk.
// expect: run_rounds(&mut arena, 1): returned 4950, nothing in the arena: the numbers belong there, expected 4950, the arena holding one round's chunk

use bumpalo::Bump;

pub fn run_rounds(arena: &mut Bump, rounds: usize) -> u64 {
    let _ = arena;
    let mut total = 0;
    for round in 0..rounds {
        let arena = Bump::new();
        let values = arena.alloc_slice_fill_with(100, |i| (round + i) as u64);
        total += values.iter().sum::<u64>();
    }
    total
}
