// Exercise ch06_arena_drop: a solution.

use bumpalo::Bump;

pub fn lengths(arena: &Bump, n: usize) -> Vec<usize> {
    let mut lengths = Vec::new();
    for i in 0..n {
        // Elements in the arena too: nothing to drop, nothing to leak.
        let values = bumpalo::vec![in arena; i; i + 1];
        lengths.push(values.len());
    }
    lengths
}
