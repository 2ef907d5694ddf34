// A wrong answer to ch06_arena_drop: only the last vector is dropped by
// hand, with `std::mem::take`; the others leak.
// expect: lengths(&arena, 3), then the arena dropped: a block of 16 bytes was never freed, allocated at exercises/wrong/ch06_arena_drop/last_one_dropped.rs:10:51 (in

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
