// family: skipped-step
// wrong because: it never allocates in the arena (a stack array instead), so the arena is not used at all.
// Written by a tester who had not read the check.
// expect: run_rounds(&mut arena, 1): returned 4950, nothing in the arena: the numbers belong there, expected 4950, the arena holding one round's chunk
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
