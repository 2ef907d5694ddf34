// family: skipped-step
// wrong because: it resets only before even rounds, so after every odd round the arena holds two rounds (1600 bytes of numbers), twice what the task allows ("about one round's size").
// Written by a tester who had not read the check.
// expect: run_rounds(&mut arena, 2): returned 10000, the arena holding 2944 bytes where one reset before every round holds 960, expected 10000, the arena holding one

use bumpalo::Bump;

pub fn run_rounds(arena: &mut Bump, rounds: usize) -> u64 {
    let mut total = 0;
    for round in 0..rounds {
        if round % 2 == 0 {
            arena.reset();
        }
        let values = arena.alloc_slice_fill_with(100, |i| (round + i) as u64);
        total += values.iter().sum::<u64>();
    }
    total
}
