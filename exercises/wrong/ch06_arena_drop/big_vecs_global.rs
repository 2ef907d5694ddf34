// family: half-the-paths
// wrong because: vectors of more than 1024 elements are kept as std Vecs in the arena, so lengths(&arena, 2000) leaks the heap blocks of vectors 1024..2000.
// Written by a tester who had not read the check.
// expect: lengths(&arena, 1025), then the arena dropped: returned ..., 1025], the vectors kept in the arena, 8200 bytes leaked in 1 blocks, expected ..., 1025], the
use bumpalo::Bump;
pub fn lengths(arena: &Bump, n: usize) -> Vec<usize> {
    let mut lengths = Vec::new();
    for i in 0..n {
        if i + 1 > 1024 {
            let values: &mut Vec<usize> = arena.alloc(vec![i; i + 1]);
            lengths.push(values.len());
        } else {
            let values = bumpalo::vec![in arena; i; i + 1];
            lengths.push(values.len());
        }
    }
    lengths
}
