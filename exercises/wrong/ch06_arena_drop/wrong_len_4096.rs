// family: wrong-elsewhere
// wrong because: for n >= 4096 the length of vector 4095 is reported as 4095 instead of 4096.
// Written by a tester who had not read the check.
// expect: lengths(&arena, 4097), then the arena dropped: returned ... 4090, 4091, 4092, 4093, 4094, 4095, 4095, 4097], the vectors kept in the arena,..., expected ...
use bumpalo::Bump;

pub fn lengths(arena: &Bump, n: usize) -> Vec<usize> {
    let mut lengths = Vec::new();
    for i in 0..n {
        let values = bumpalo::vec![in arena; i; i + 1];
        lengths.push(if i == 4095 { values.len() - 1 } else { values.len() });
    }
    lengths
}
