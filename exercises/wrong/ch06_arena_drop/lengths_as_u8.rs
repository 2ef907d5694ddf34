// family: wrong-elsewhere
// wrong because: the lengths go through a u8 on their way out, so lengths(arena, 300) returns ..., 255, 0, 1, ... instead of ..., 255, 256, 257, ...
// Written by a tester who had not read the check.
// expect: lengths(&arena, 256), then the arena dropped: returned ...248, 249, 250, 251, 252, 253, 254, 255, 0], the vectors kept in the arena, nothi..., expected ...248,

use bumpalo::Bump;
use bumpalo::collections::Vec as BumpVec;

pub fn lengths(arena: &Bump, n: usize) -> Vec<usize> {
    let mut small: BumpVec<u8> = BumpVec::with_capacity_in(n, arena);
    for i in 0..n {
        let values: BumpVec<usize> = bumpalo::vec![in arena; i; i + 1];
        small.push(values.len() as u8);
    }
    small.iter().map(|&len| len as usize).collect()
}
