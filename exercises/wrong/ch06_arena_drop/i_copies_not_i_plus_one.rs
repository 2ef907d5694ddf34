// family: wrong-elsewhere
// wrong because: the i-th vector holds i copies (not i + 1) and the lengths are shifted by one to hide it: the returned lengths are right, but the arena's vectors are [], [1], [2, 2], ... (lengths 0, 1, 2, ...), not [0], [1, 1], [2, 2, 2].
// Written by a tester who had not read the check.
// expect: lengths(&arena, 1), then the arena dropped: returned [1], less in the arena than the vectors take, nothing leaked, expected [1], the vectors kept in the arena,

use bumpalo::Bump;
use bumpalo::collections::Vec as BumpVec;

pub fn lengths(arena: &Bump, n: usize) -> Vec<usize> {
    let mut lengths = Vec::with_capacity(n);
    for i in 0..n {
        let values: BumpVec<usize> = bumpalo::vec![in arena; i; i];
        lengths.push(values.len() + 1);
    }
    lengths
}
