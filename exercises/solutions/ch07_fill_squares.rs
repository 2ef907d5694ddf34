// Exercise ch07_fill_squares: a solution.

pub fn squares(n: usize) -> Vec<u64> {
    (0..n as u64).map(|i| i * i).collect()
}

/// Writes i² into `out[i]`: the caller chose where `out` lives (the stack,
/// a reused `Vec`, an arena), so nothing is allocated here.
pub fn fill_squares(out: &mut [u64]) {
    for (i, slot) in out.iter_mut().enumerate() {
        let i = i as u64;
        *slot = i * i;
    }
}
