// family: wrong-elsewhere
// wrong because: the round number is kept in a u16, so from round 65536 on the values restart at 0 and run_rounds(&mut arena, 70_000) is too small.
// Written by a tester who had not read the check.
// expect: run_rounds(&mut arena, 90000): returned 245113729600, the arena holding one round's chunk, expected 405441000000, the arena holding one round's chunk
use bumpalo::Bump;
pub fn run_rounds(arena: &mut Bump, rounds: usize) -> u64 {
    let mut total = 0;
    for round in 0..rounds {
        arena.reset();
        let r = round as u16 as u64;
        let values = arena.alloc_slice_fill_with(100, |i| r + i as u64);
        total += values.iter().sum::<u64>();
    }
    total
}
