// Exercise ch06_arena_drop (chapter 6). Check it: cargo exercise ch06_arena_drop
//
// `lengths(arena, n)` keeps n vectors in the arena (the i-th holds i + 1
// copies of i) and returns their lengths, [1, 2, ..., n]. Each `Vec`
// keeps its elements in a block of the global allocator, and bumpalo
// never runs the `Drop` of what it holds: every block leaks, even after
// the arena is dropped. Keep the vectors in the arena without leaking.

use bumpalo::Bump;

pub fn lengths(arena: &Bump, n: usize) -> Vec<usize> {
    let mut lengths = Vec::new();
    for i in 0..n {
        let values: &mut Vec<usize> = arena.alloc(vec![i; i + 1]);
        lengths.push(values.len());
    }
    lengths
}
