// family: skipped-step
// wrong because: only vectors of up to 16 elements go into arena memory; longer ones are std Vecs placed in the arena, whose blocks leak: lengths(arena, 20) leaks the 4 vectors of 17..20 elements.
// Written by a tester who had not read the check.
// expect: lengths(&arena, 40), then the arena dropped: a block of 320 bytes was never freed, allocated at exercises/wrong/ch06_arena_drop/leaks_big_ones.rs:17:55 (in

use bumpalo::Bump;
use bumpalo::collections::Vec as BumpVec;

pub fn lengths(arena: &Bump, n: usize) -> Vec<usize> {
    let mut lengths = Vec::with_capacity(n);
    for i in 0..n {
        if i + 1 <= 16 {
            let values: BumpVec<usize> = bumpalo::vec![in arena; i; i + 1];
            lengths.push(values.len());
        } else {
            // big vectors: keep them out of the arena's chunks
            let values: &mut Vec<usize> = arena.alloc(vec![i; i + 1]);
            lengths.push(values.len());
        }
    }
    lengths
}
