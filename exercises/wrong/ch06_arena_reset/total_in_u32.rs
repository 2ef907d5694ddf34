// family: wrong-elsewhere
// wrong because: the running total is a u32, which overflows once the sum passes 4_294_967_295 (around 9_300 rounds): run_rounds(arena, 10_000) panics in a debug build instead of returning 5_049_000_000 (1000 rounds fit).
// Written by a tester who had not read the check.
// expect: run_rounds(&mut arena, 43000): panicked: attempt to add with overflow (at exercises/wrong/ch06_arena_reset/total_in_u32.rs:13)

use bumpalo::Bump;

pub fn run_rounds(arena: &mut Bump, rounds: usize) -> u64 {
    let mut total: u32 = 0;
    for round in 0..rounds {
        arena.reset();
        let values = arena.alloc_slice_fill_with(100, |i| (round + i) as u32);
        total += values.iter().sum::<u32>();
    }
    total as u64
}
