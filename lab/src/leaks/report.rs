//! What a leak check reports: the blocks left allocated or freed twice,
//! grouped by the place that allocated them, and a one-line summary.

use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::sync::Arc;

use crate::hooks;
use crate::site::{self, Stack};

/// How many frames of the program a report shows per allocation site.
const FRAMES_SHOWN: usize = 6;
/// How many allocation sites a report shows per kind of problem; the
/// others are summed up in one line.
const SITES_SHOWN: usize = 10;
/// How many of the blocks freed by another thread a report keeps.
pub(super) const ELSEWHERE_SHOWN: usize = 8;

/// One allocation made inside a leak check.
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../../doc-examples/allocation.rs")]
/// ```
#[derive(Clone)]
pub struct Allocation {
    /// Size in bytes.
    pub size: usize,
    /// Alignment in bytes.
    pub align: usize,
    pub(crate) stack: Arc<Stack>,
    /// For a block freed twice: where the second free happened (`stack`
    /// is then where it was allocated, if the lab saw it, or `None` here
    /// and `stack` the second free when it did not).
    pub(crate) second_free: Option<Arc<Stack>>,
}

impl Allocation {
    /// A block of `layout` freed a second time at `second`, allocated at
    /// `origin` (if the lab saw where).
    pub(crate) fn freed_twice(
        layout: std::alloc::Layout,
        origin: Option<Arc<Stack>>,
        second: Arc<Stack>,
    ) -> Allocation {
        let (stack, second_free) = match origin {
            Some(origin) => (origin, Some(second)),
            None => (second, None),
        };
        Allocation {
            size: layout.size(),
            align: layout.align(),
            stack,
            second_free,
        }
    }

    /// The program's frames that led to the allocation, innermost first:
    /// `function (file:line:col)`, the file relative to the project's root
    /// (the same wherever the program runs): in a test of yours, say,
    /// `your_test (tests/cleanup.rs:12:40)`. Frames of the standard library,
    /// of dependencies and of the lab are left out. Empty without debug
    /// information, or if no frame of the project's code made the
    /// allocation; the report says which.
    ///
    /// # Example
    ///
    /// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
    ///
    /// ```
    #[doc = include_str!("../../doc-examples/allocation_stack.rs")]
    /// ```
    pub fn stack(&self) -> Vec<String> {
        site::resolving(|| self.stack.program_frames(FRAMES_SHOWN).program)
    }
}

impl fmt::Debug for Allocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes (align {})", self.size, self.align)
    }
}

/// What a leak check saw. Its `Display` is the full report: the leaked
/// blocks grouped by the place that allocated them (the ten places with
/// the most bytes, then one line for the rest), then the
/// [summary](LeakReport::summary), whose totals count every block.
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../../doc-examples/leak_report.rs")]
/// ```
#[derive(Debug, Default)]
pub struct LeakReport {
    /// Allocations made inside the check and not freed by its end, largest
    /// first.
    pub leaks: Vec<Allocation>,
    /// Blocks freed a second time inside the check (the second free was
    /// caught by the lab and never reached the system allocator).
    pub double_frees: Vec<Allocation>,
    /// How many blocks allocated inside the check another thread freed or
    /// resized while it ran. Such a block is not a leak, but the check does
    /// not watch other threads: what they allocate is not seen, so a check
    /// with any such block is not clean (see [`check_leaks`](crate::check_leaks)).
    pub freed_elsewhere: usize,
    /// The first few of those blocks, to show where they were allocated.
    pub(super) elsewhere: Vec<Allocation>,
    /// How many allocations the check saw (`alloc` and `alloc_zeroed`).
    pub allocations: usize,
    /// How many times a block was resized (`realloc`) while the check ran,
    /// whenever the block was allocated.
    pub reallocations: usize,
    /// How many bytes the check's code asked for: the size of each
    /// allocation, plus what each reallocation added to its block. A block
    /// allocated with 8 bytes and grown to 32 counts 32; shrinking gives
    /// nothing back, so a block shrunk from 100 bytes to 10 and grown to
    /// 100 again counts 190.
    pub bytes_allocated: usize,
    /// Blocks that the standard library allocated for itself while the
    /// check ran, at the program's first use of something it keeps for
    /// the rest of the run: the buffer of `stdout` or `stdin`, the test
    /// harness's buffer of a test's captured output (allocated by the
    /// test's first `print!` under `cargo test`), what the panic hook
    /// keeps (the debug information it loads to print a backtrace under
    /// `RUST_BACKTRACE=1`). They are not leaks of the checked code, and
    /// not in [`leaks`](LeakReport::leaks); this counts them.
    pub kept_by_std: usize,
    /// Keeps the symbols looked up for the report until it is dropped
    /// (held for its `Drop`).
    #[allow(dead_code)]
    pub(super) symbols: site::SymbolsKept,
}

impl LeakReport {
    /// The report of a [`CheckingAllocator`](crate::CheckingAllocator),
    /// which sees no other thread and keeps no block of the standard
    /// library's.
    pub(crate) fn of_allocator(
        leaks: Vec<Allocation>,
        double_frees: Vec<Allocation>,
        (allocations, reallocations): (usize, usize),
        bytes_allocated: usize,
    ) -> LeakReport {
        LeakReport {
            leaks,
            double_frees,
            allocations,
            reallocations,
            bytes_allocated,
            ..LeakReport::default()
        }
    }

    /// True if nothing leaked, nothing was freed twice, and no block went
    /// to another thread (whose allocations the check does not see).
    ///
    /// # Example
    ///
    /// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
    ///
    /// ```
    #[doc = include_str!("../../doc-examples/leak_report_is_clean.rs")]
    /// ```
    pub fn is_clean(&self) -> bool {
        self.leaks.is_empty() && self.double_frees.is_empty() && self.freed_elsewhere == 0
    }

    /// Bytes still allocated at the end of the check.
    ///
    /// # Example
    ///
    /// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
    ///
    /// ```
    #[doc = include_str!("../../doc-examples/leak_report_leaked_bytes.rs")]
    /// ```
    pub fn leaked_bytes(&self) -> usize {
        self.leaks.iter().map(|a| a.size).sum()
    }

    /// The report's last line alone: how many allocations leaked and how
    /// many bytes, or that none did. Unlike the full report it names no
    /// allocation site, so printing it never reads debug information.
    ///
    /// # Example
    ///
    /// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
    ///
    /// ```
    #[doc = include_str!("../../doc-examples/leak_report_summary.rs")]
    /// ```
    pub fn summary(&self) -> impl fmt::Display + '_ {
        Summary(self)
    }
}

/// See [`LeakReport::summary`].
struct Summary<'a>(&'a LeakReport);

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let report = self.0;
        let allocations = plural(report.allocations, "allocation");
        if report.is_clean() {
            write!(f, "no leaks: {allocations}, ")?;
            if report.reallocations > 0 {
                write!(f, "{}, ", plural(report.reallocations, "reallocation"))?;
            }
            write!(f, "{} bytes, all freed once", report.bytes_allocated)?;
            if report.kept_by_std > 0 {
                write!(
                    f,
                    " but {} that the standard library keeps",
                    plural(report.kept_by_std, "block")
                )?;
            }
            return Ok(());
        }
        write!(
            f,
            "{} of {allocations} leaked ({} bytes)",
            report.leaks.len(),
            report.leaked_bytes()
        )?;
        if !report.double_frees.is_empty() {
            write!(f, ", {} freed twice", report.double_frees.len())?;
        }
        if report.freed_elsewhere > 0 {
            write!(
                f,
                ", {} freed or resized by another thread: {OTHER_THREADS}",
                report.freed_elsewhere
            )?;
        }
        Ok(())
    }
}

/// Why a block freed by another thread makes a check fail.
const OTHER_THREADS: &str = "the lab does not watch other threads, so this check \
     cannot say that nothing leaked there";

/// `1 allocation`, `2 allocations`: written without allocating, since a
/// summary may be printed inside a count or a planned failure.
fn plural(count: usize, noun: &str) -> impl fmt::Display + '_ {
    struct Plural<'a>(usize, &'a str);
    impl fmt::Display for Plural<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let s = if self.0 == 1 { "" } else { "s" };
            write!(f, "{} {}{s}", self.0, self.1)
        }
    }
    Plural(count, noun)
}

/// The full report: the leaked and twice-freed blocks, grouped by the
/// program's frames that allocated them, then the
/// [summary](LeakReport::summary).
impl fmt::Display for LeakReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Looking up the sites is the lab's work, done quietly; writing
        // the text into `f` is the caller's (a `String` of theirs, say),
        // and stays observed.
        let text = site::resolving(|| self.sites_text());
        let written = f.write_str(&text);
        hooks::quietly(|| drop(text));
        written?;
        write!(f, "{}", self.summary())
    }
}

impl LeakReport {
    fn sites_text(&self) -> String {
        let mut text = String::new();
        write_sites(&mut text, "leaked", &self.leaks, false);
        write_sites(&mut text, "freed twice:", &self.double_frees, true);
        write_sites(
            &mut text,
            "freed or resized by another thread:",
            &self.elsewhere,
            false,
        );
        if self.freed_elsewhere > self.elsewhere.len() {
            let more = self.freed_elsewhere - self.elsewhere.len();
            let _ = writeln!(
                text,
                "and {more} more blocks freed or resized by another thread"
            );
        }
        text
    }
}

/// The blocks allocated at one place (the same frames of the program).
struct Site {
    frames: Vec<String>,
    /// For blocks freed twice: the frames of the second free, and whether
    /// the lab saw the allocation (`frames` are then the allocation's).
    second_free: Option<(Vec<String>, bool)>,
    blocks: usize,
    bytes: usize,
    smallest: usize,
    largest: usize,
    align: usize,
}

/// What makes blocks one site: the frames of their allocation, and of
/// their second free (see [`Site::second_free`]).
type SiteKey = (Vec<String>, Option<(Vec<String>, bool)>);

/// The program's frames of `stack`, or why there are none.
fn frames_of(stack: &Stack) -> Vec<String> {
    let frames = stack.program_frames(FRAMES_SHOWN);
    if frames.program.is_empty() {
        vec![frames.why_none().to_string()]
    } else {
        frames.program
    }
}

/// Writes `allocations` grouped by site, most bytes first: the first
/// [`SITES_SHOWN`] sites with their frames, then one line for the rest.
/// With `twice`, they are blocks freed twice: each site is the place of
/// the allocation (when the lab saw it) and of the second free.
fn write_sites(text: &mut String, what: &str, allocations: &[Allocation], twice: bool) {
    let mut sites: Vec<Site> = Vec::new();
    let mut index_of: HashMap<SiteKey, usize> = HashMap::new();
    for allocation in allocations {
        let frames = frames_of(&allocation.stack);
        let second_free = twice.then(|| match &allocation.second_free {
            Some(second) => (frames_of(second), true),
            None => (frames.clone(), false),
        });
        let key = (frames.clone(), second_free.clone());
        let index = *index_of.entry(key).or_insert_with(|| {
            sites.push(Site {
                frames,
                second_free,
                blocks: 0,
                bytes: 0,
                smallest: usize::MAX,
                largest: 0,
                align: allocation.align,
            });
            sites.len() - 1
        });
        let site = &mut sites[index];
        site.blocks += 1;
        site.bytes += allocation.size;
        site.smallest = site.smallest.min(allocation.size);
        site.largest = site.largest.max(allocation.size);
        site.align = site.align.max(allocation.align);
    }
    sites.sort_by_key(|site| std::cmp::Reverse((site.bytes, site.blocks)));
    for site in sites.iter().take(SITES_SHOWN) {
        let at = match &site.second_free {
            Some((_, false)) => "allocated before the check, freed the second time at:",
            _ => "allocated at:",
        };
        let _ = match site.blocks {
            1 => writeln!(
                text,
                "{what} {} bytes (align {}), {at}",
                site.bytes, site.align
            ),
            blocks if site.smallest == site.largest => writeln!(
                text,
                "{what} {blocks} blocks of {} bytes (align {}), {} bytes in all, {at}",
                site.smallest, site.align, site.bytes
            ),
            blocks => writeln!(
                text,
                "{what} {blocks} blocks of {} to {} bytes (align up to {}), {} bytes in all, \
                 {at}",
                site.smallest, site.largest, site.align, site.bytes
            ),
        };
        for frame in &site.frames {
            let _ = writeln!(text, "    {frame}");
        }
        if let Some((second, true)) = &site.second_free {
            let _ = writeln!(text, "  and freed the second time at:");
            for frame in second {
                let _ = writeln!(text, "    {frame}");
            }
        }
    }
    if let Some(rest) = sites.get(SITES_SHOWN..).filter(|rest| !rest.is_empty()) {
        let blocks: usize = rest.iter().map(|site| site.blocks).sum();
        let bytes: usize = rest.iter().map(|site| site.bytes).sum();
        let _ = writeln!(
            text,
            "{what} at {} more {}: {}, {bytes} bytes",
            rest.len(),
            if rest.len() == 1 { "place" } else { "places" },
            plural(blocks, "block")
        );
    }
}
