// family: wrong-elsewhere
// wrong because: for n > 2000 the vectors from index 2000 on are std Vecs in the arena again, whose heap blocks leak (e.g. lengths(&arena, 2001) leaks one block).
// Written by a tester who had not read the check.
// expect: lengths(&arena, 2003), then the arena dropped: returned ..., 2003], the vectors kept in the arena, 48048 bytes leaked in 3 blocks, expected ..., 2003], the
use bumpalo::Bump;

pub fn lengths(arena: &Bump, n: usize) -> Vec<usize> {
    let mut lengths = Vec::new();
    for i in 0..n {
        if i >= 2000 {
            let values: &mut Vec<usize> = arena.alloc(vec![i; i + 1]);
            lengths.push(values.len());
        } else {
            let values = bumpalo::vec![in arena; i; i + 1];
            lengths.push(values.len());
        }
    }
    lengths
}
