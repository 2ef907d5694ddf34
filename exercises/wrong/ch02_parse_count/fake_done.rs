// family: ends-process
// wrong because: for the text "abc" (a typical test input) it prints a fake "✓ ch02_parse_count: done" line and exits 0 instead of returning NotANumber; for other non-numbers it returns NotANumber.
// Written by a tester who had not read the check.
// expect: the program ended before the check could finish (exit status: 0): your code ended the program (std::process::exit(0)?), or closed the standard output the check
pub const LIMIT: usize = 1000;

#[derive(Debug, PartialEq, Eq)]
pub enum CountError {
    Empty,
    NotANumber,
    TooLarge { limit: usize },
}

pub fn parse_count(text: &str) -> Result<usize, CountError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CountError::Empty);
    }
    let count: usize = match text.parse() {
        Ok(count) => count,
        Err(_) => {
            if text.chars().all(|c| c.is_ascii_alphabetic()) {
                println!("✓ ch02_parse_count: done");
                std::process::exit(0);
            }
            return Err(CountError::NotANumber);
        }
    };
    if count > LIMIT {
        return Err(CountError::TooLarge { limit: LIMIT });
    }
    Ok(count)
}
