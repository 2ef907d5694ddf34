// family: wrong-elsewhere
// wrong because: the square goes through f32, which holds integers exactly only up to 2^24, so from i = 4097 on it is rounded: out[4097] is 16_785_408 instead of 16_785_409.
// Written by a tester who had not read the check.
// expect: fill_squares on a buffer of 65536 slots, holding u64::MAX: returned slot 4097 holding 16785408, not 16785409, allocating nothing, expected every slot i holding

pub fn squares(n: usize) -> Vec<u64> {
    (0..n as u64).map(|i| i * i).collect()
}

pub fn fill_squares(out: &mut [u64]) {
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = (i as f32).powi(2) as u64;
    }
}
