use cleanup_lab::check_leaks;

fn main() {
    let ((), report) = check_leaks(|| drop(vec![0u8; 8]));
    let text = report.to_string();
    assert_eq!(text, "no leaks: 1 allocation, 8 bytes, all freed once");
}
