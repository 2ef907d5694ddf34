// family: half-the-paths
// wrong because: when n is between 61 and 254 the vectors are std Vecs kept in the arena, so lengths(&arena, 100) leaks 100 blocks.
// Written by a tester who had not read the check.
// expect: lengths(&arena, 61), then the arena dropped: returned ...60, 61], the vectors kept in the arena, 15128 bytes leaked in 61 blocks, expected ...60, 61], the
use bumpalo::Bump;
pub fn lengths(arena: &Bump, n: usize) -> Vec<usize> {
    let mut lengths = Vec::new();
    for i in 0..n {
        if n > 60 && n < 255 {
            let values: &mut Vec<usize> = arena.alloc(vec![i; i + 1]);
            lengths.push(values.len());
        } else {
            let values = bumpalo::vec![in arena; i; i + 1];
            lengths.push(values.len());
        }
    }
    lengths
}
