// family: wrong-elsewhere
// wrong because: a slot that already holds 7 is left as it is (7) instead of getting i².
// Written by a tester who had not read the check.
// expect: fill_squares on a buffer of 1 slots, holding 7: returned slot 0 holding 7, not 0, allocating nothing, expected every slot i holding i², allocating nothing
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
