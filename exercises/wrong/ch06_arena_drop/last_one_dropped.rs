// A wrong answer to ch06_arena_drop: only the last vector is dropped by
// hand, with `std::mem::take`; the others leak.
// expect: PLACEHOLDER

use bumpalo::Bump;

pub fn lengths(arena: &Bump, n: usize) -> Vec<usize> {
    let mut lengths = Vec::new();
    for i in 0..n {
        let values: &mut Vec<usize> = arena.alloc(vec![i; i + 1]);
        lengths.push(values.len());
        if i + 1 == n {
            drop(std::mem::take(values));
        }
    }
    lengths
}
