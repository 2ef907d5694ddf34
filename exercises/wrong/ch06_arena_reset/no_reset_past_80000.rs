// family: wrong-elsewhere
// wrong because: from round 80 000 on it stops resetting, so with 100 000 rounds the arena grows by 800 bytes a round (16 MB more than one round).
// Written by a tester who had not read the check.
// expect: run_rounds(&mut arena, 90000): returned 405441000000, the arena holding 8386752 bytes where one reset before every round holds 960, expected 405441000000, the
use bumpalo::Bump;

pub fn run_rounds(arena: &mut Bump, rounds: usize) -> u64 {
    let mut total = 0;
    for round in 0..rounds {
        if round < 80_000 {
            arena.reset();
        }
        let values = arena.alloc_slice_fill_with(100, |i| (round + i) as u64);
        total += values.iter().sum::<u64>();
    }
    total
}
