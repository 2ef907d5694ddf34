// A wrong answer to ch07_fill_squares: it starts at 1 and leaves out[0]
// as the caller filled it.
// expect: fill_squares on a buffer of 1 slots, holding u64::MAX: returned slot 0 holding 18446744073709551615, not 0, allocating nothing, expected every slot i holding

pub fn squares(n: usize) -> Vec<u64> {
    (0..n as u64).map(|i| i * i).collect()
}

pub fn fill_squares(out: &mut [u64]) {
    for i in 1..out.len() {
        out[i] = (i * i) as u64;
    }
}
