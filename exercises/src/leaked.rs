//! What a leak check found, as a value a property can compare with the
//! reference's (nothing) and show.

use std::fmt;

use course::lab::LeakReport;

/// The blocks a piece of the answer's code leaked, freed twice, or let
/// another thread free.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Leaked {
    pub blocks: usize,
    pub bytes: usize,
    pub freed_twice: usize,
    pub freed_elsewhere: usize,
}

impl Leaked {
    /// What a clean run leaks.
    pub const NOTHING: Leaked = Leaked {
        blocks: 0,
        bytes: 0,
        freed_twice: 0,
        freed_elsewhere: 0,
    };
}

impl From<&LeakReport> for Leaked {
    fn from(report: &LeakReport) -> Leaked {
        Leaked {
            blocks: report.leaks.len(),
            bytes: report.leaked_bytes(),
            freed_twice: report.double_frees.len(),
            freed_elsewhere: report.freed_elsewhere,
        }
    }
}

impl fmt::Debug for Leaked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Leaked::NOTHING {
            return write!(f, "nothing leaked");
        }
        let mut said = Vec::new();
        if self.blocks > 0 {
            said.push(format!(
                "{} bytes leaked in {} blocks",
                self.bytes, self.blocks
            ));
        }
        if self.freed_twice > 0 {
            said.push(format!("{} blocks freed twice", self.freed_twice));
        }
        if self.freed_elsewhere > 0 {
            said.push(format!(
                "{} blocks freed on another thread",
                self.freed_elsewhere
            ));
        }
        write!(f, "{}", said.join(", "))
    }
}
