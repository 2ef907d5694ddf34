// family: wrong-elsewhere
// wrong because: a slot that already holds 7 is left as it is (7) instead of getting i².
// Written by a tester who had not read the check.
// expect: PLACEHOLDER
pub fn squares(n: usize) -> Vec<u64> {
    (0..n as u64).map(|i| i * i).collect()
}

pub fn fill_squares(out: &mut [u64]) {
    for (i, slot) in out.iter_mut().enumerate() {
        if *slot != 7 {
            *slot = (i as u64) * (i as u64);
        }
    }
}
