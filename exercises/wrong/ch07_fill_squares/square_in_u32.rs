// family: wrong-elsewhere
// wrong because: the square is computed in u32, which overflows from i = 65536 on: for a buffer of 70_000, out[65536] panics in a debug build (or wraps to 0) instead of 4_294_967_296.
// Written by a tester who had not read the check.
// expect: fill_squares on a buffer of 65537 slots, holding u64::MAX: panicked: attempt to multiply with overflow (at

pub fn squares(n: usize) -> Vec<u64> {
    (0..n as u64).map(|i| i * i).collect()
}

pub fn fill_squares(out: &mut [u64]) {
    for (i, slot) in out.iter_mut().enumerate() {
        let i = i as u32;
        *slot = (i * i) as u64;
    }
}
