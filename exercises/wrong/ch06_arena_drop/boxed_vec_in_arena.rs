// A wrong answer to ch06_arena_drop: a `Box` in the arena is not dropped
// either: now both the Box and its Vec's elements leak.
// ANCHOR: expect
// expect: lengths(&arena, 3), then the arena dropped: a block of 24 bytes was never freed, allocated at exercises/wrong/ch06_arena_drop/boxed_vec_in_arena.rs:12:65 (in
// ANCHOR_END: expect

use bumpalo::Bump;

pub fn lengths(arena: &Bump, n: usize) -> Vec<usize> {
    let mut lengths = Vec::new();
    for i in 0..n {
        let values: &mut Box<Vec<usize>> = arena.alloc(Box::new(vec![i; i + 1]));
        lengths.push(values.len());
    }
    lengths
}
