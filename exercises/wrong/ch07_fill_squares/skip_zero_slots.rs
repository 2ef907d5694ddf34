// family: wrong-elsewhere
// wrong because: it leaves every slot that already holds 1 untouched, so on [7, 1, 7, 1] out[3] stays 1 instead of 9.
// Written by a tester who had not read the check.
// expect: fill_squares on a buffer of 1 slots, holding 1: returned slot 0 holding 1, not 0, allocating nothing, expected every slot i holding i², allocating nothing
pub fn squares(n: usize) -> Vec<u64> {
    (0..n as u64).map(|i| i * i).collect()
}
pub fn fill_squares(out: &mut [u64]) {
    for (i, slot) in out.iter_mut().enumerate() {
        if *slot != 1 { *slot = (i as u64) * (i as u64); }
    }
}
