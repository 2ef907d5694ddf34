// family: skipped-step
// wrong because: it never allocates in the arena (a stack array instead), so the arena is not used at all.
// Written by a tester who had not read the check.
// expect: PLACEHOLDER
use bumpalo::Bump;
pub fn run_rounds(arena: &mut Bump, rounds: usize) -> u64 {
    let _ = arena;
    let mut total = 0;
    for round in 0..rounds {
        let mut values = [0u64; 100];
        for (i, v) in values.iter_mut().enumerate() { *v = (round + i) as u64; }
        total += values.iter().sum::<u64>();
    }
    total
}
