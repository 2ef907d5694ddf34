// family: other: threads
// wrong because: buffers longer than 2^20 slots are filled by two scoped threads, and spawning them allocates.
// Written by a tester who had not read the check.
// expect: fill_squares on a buffer of 1048577 slots, holding u64::MAX: returned every slot i holding i², allocating 4 times, expected every slot i holding i², allocating
pub fn squares(n: usize) -> Vec<u64> {
    (0..n as u64).map(|i| i * i).collect()
}
pub fn fill_squares(out: &mut [u64]) {
    fn fill(part: &mut [u64], start: usize) {
        for (i, slot) in part.iter_mut().enumerate() { let i = (start + i) as u64; *slot = i * i; }
    }
    if out.len() > (1 << 20) {
        let mid = out.len() / 2;
        let (l, r) = out.split_at_mut(mid);
        std::thread::scope(|s| { s.spawn(|| fill(l, 0)); fill(r, mid); });
        return;
    }
    fill(out, 0);
}
