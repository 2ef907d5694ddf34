// family: wrong-elsewhere
// wrong because: trim_ascii leaves Unicode spaces (U+00A0, U+3000), so "\u{3000}5" is NotANumber instead of Ok(5).
// Written by a tester who had not read the check.
// expect: parse_count("\u{3000}5"): returned (Err(NotANumber), allocating nothing), expected (Ok(5), allocating nothing)
pub const LIMIT: usize = 1000;
#[derive(Debug, PartialEq, Eq)]
pub enum CountError {
    Empty,
    NotANumber,
    TooLarge { limit: usize },
}
pub fn parse_count(text: &str) -> Result<usize, CountError> {
    let t = text.trim_ascii();
    if t.is_empty() { return Err(CountError::Empty); }
    match t.parse::<usize>() {
        Ok(n) if n > LIMIT => Err(CountError::TooLarge { limit: LIMIT }),
        Ok(n) => Ok(n),
        Err(e) if *e.kind() == std::num::IntErrorKind::PosOverflow => Err(CountError::TooLarge { limit: LIMIT }),
        Err(_) => Err(CountError::NotANumber),
    }
}
