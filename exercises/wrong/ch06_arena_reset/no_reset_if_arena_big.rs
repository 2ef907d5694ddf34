// family: half-the-paths
// wrong because: an arena created with a capacity of more than 1 MB is never reset, so its memory holds every round.
// Written by a tester who had not read the check.
// expect: run_rounds(&mut arena, 5000) on an arena of 2097152 bytes: returned 1274500000, the arena holding 6303616 bytes where one reset before every round holds
use bumpalo::Bump;

pub fn run_rounds(arena: &mut Bump, rounds: usize) -> u64 {
    let big = arena.chunk_capacity() > (1 << 20);
    let mut total = 0;
    for round in 0..rounds {
        if !big {
            arena.reset();
        }
        let values = arena.alloc_slice_fill_with(100, |i| (round + i) as u64);
        total += values.iter().sum::<u64>();
    }
    total
}
