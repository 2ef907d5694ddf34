// family: wrong-elsewhere
// wrong because: once two consecutive slots i >= 2 already hold i² and (i+1)², it assumes the rest is filled and stops: a buffer filled with squares up to slot 3 and garbage after keeps its garbage.
// Written by a tester who had not read the check.
// expect: fill_squares on a buffer of 100 slots, holding runs of i², then of 7, 0, u64::MAX and i: returned slot 12 holding 7, not 144, allocating nothing, expected
pub fn squares(n: usize) -> Vec<u64> {
    (0..n as u64).map(|i| i * i).collect()
}

pub fn fill_squares(out: &mut [u64]) {
    let len = out.len();
    for i in 0..len {
        let sq = (i as u64) * (i as u64);
        let next = (i as u64 + 1) * (i as u64 + 1);
        if i >= 2 && out[i] == sq && i + 1 < len && out[i + 1] == next {
            return;
        }
        out[i] = sq;
    }
}
