// family: skipped-step
// wrong because: buffers longer than 256 are filled by copying from squares(n), which allocates a Vec: fill_squares on a 1000-element buffer makes 1 allocation; short buffers make none.
// Written by a tester who had not read the check.
// expect: fill_squares on a buffer of 65536 slots, holding u64::MAX: returned every slot i holding i², allocating once, expected every slot i holding i², allocating

pub fn squares(n: usize) -> Vec<u64> {
    (0..n as u64).map(|i| i * i).collect()
}

pub fn fill_squares(out: &mut [u64]) {
    if out.len() > 256 {
        // reuse the tested function for the bulk case
        out.copy_from_slice(&squares(out.len()));
        return;
    }
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = (i * i) as u64;
    }
}
