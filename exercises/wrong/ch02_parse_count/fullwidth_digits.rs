// family: wrong-elsewhere
// wrong because: text of full-width or other Unicode decimal digits, e.g. "１２", is accepted as 12 instead of NotANumber (str::parse reads only ASCII digits).
// Written by a tester who had not read the check.
// expect: parse_count("１２"): returned (Ok(12), allocating nothing), expected (Err(NotANumber), allocating nothing)
pub const LIMIT: usize = 1000;

#[derive(Debug, PartialEq, Eq)]
pub enum CountError {
    Empty,
    NotANumber,
    TooLarge { limit: usize },
}


pub fn parse_count(text: &str) -> Result<usize, CountError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(CountError::Empty);
    }
    if t.chars().all(|c| ("０"..="９").contains(&c.encode_utf8(&mut [0; 4]).as_ref())) {
        let mut n: usize = 0;
        for c in t.chars() {
            n = n.saturating_mul(10).saturating_add(c as usize - 0xFF10);
        }
        return if n > LIMIT { Err(CountError::TooLarge { limit: LIMIT }) } else { Ok(n) };
    }
    match t.parse::<usize>() {
        Ok(n) if n > LIMIT => Err(CountError::TooLarge { limit: LIMIT }),
        Ok(n) => Ok(n),
        Err(e) if *e.kind() == std::num::IntErrorKind::PosOverflow => Err(CountError::TooLarge { limit: LIMIT }),
        Err(_) => Err(CountError::NotANumber),
    }
}
