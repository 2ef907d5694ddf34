// family: ends-process
// wrong because: for more than 100 rounds it resets correctly but then prints a fake success line and exits 0 instead of returning the total.
// Written by a tester who had not read the check.
// expect: the program ended before the check could finish (exit status: 0): your code ended the program (std::process::exit(0)?), or closed the standard output the check

use bumpalo::Bump;

pub fn run_rounds(arena: &mut Bump, rounds: usize) -> u64 {
    let mut total = 0;
    for round in 0..rounds {
        arena.reset();
        let values = arena.alloc_slice_fill_with(100, |i| (round + i) as u64);
        total += values.iter().sum::<u64>();
    }
    if rounds > 100 {
        println!("✓ ch06_arena_reset: done");
        std::process::exit(0);
    }
    total
}
