//! Recording what the allocator did, in order, with the program's own notes
//! in between: the evidence behind every "what runs, exactly?" in the book.

use std::alloc::Layout;
use std::fmt::{self, Write as _};

use super::hooks;

/// Most events one trace holds. The log is allocated before recording starts
/// and never grows, so recording itself allocates nothing.
const CAPACITY: usize = 1024;
/// Longest note kept, in bytes; longer notes are cut at a character boundary.
const NOTE_BYTES: usize = 110;

/// One thing that happened while a trace was recorded.
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../doc-examples/trace_event.rs")]
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A block was allocated; `id` numbers the blocks of this trace from 1.
    Alloc { id: u32, size: usize },
    /// An allocation (or a reallocation to `size` bytes) failed: the
    /// system allocator refused it, or the lab failed it on purpose
    /// ([`with_failure_at`](super::with_failure_at)).
    Failed { size: usize },
    /// A block was released. `id` is `None` for a block allocated before
    /// the trace started.
    Free { id: Option<u32>, size: usize },
    /// A block was resized (and perhaps moved); it keeps its number.
    Realloc {
        id: Option<u32>,
        old_size: usize,
        new_size: usize,
    },
    /// Text the program added with [`note`].
    Note(Note),
}

/// The text of a [`Event::Note`], stored inline so that noting never
/// allocates.
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../doc-examples/trace_note_struct.rs")]
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Note {
    len: u8,
    bytes: [u8; NOTE_BYTES],
}

impl Note {
    /// The note's text (see the example of [`Note`]).
    pub fn as_str(&self) -> &str {
        // Only whole UTF-8 characters are ever copied in (see `write_str`).
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

impl fmt::Debug for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Write for Note {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        for c in text.chars() {
            let start = usize::from(self.len);
            let end = start + c.len_utf8();
            if end > NOTE_BYTES {
                break;
            }
            c.encode_utf8(&mut self.bytes[start..end]);
            self.len = end as u8;
        }
        Ok(())
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Alloc { id, size } => write!(f, "alloc   #{id}  {size} bytes"),
            Event::Failed { size } => write!(f, "alloc   FAILED  {size} bytes"),
            Event::Free { id: Some(id), size } => write!(f, "free    #{id}  {size} bytes"),
            Event::Free { id: None, size } => write!(f, "free    (older block)  {size} bytes"),
            Event::Realloc {
                id,
                old_size,
                new_size,
            } => match id {
                Some(id) => write!(f, "realloc #{id}  {old_size} -> {new_size} bytes"),
                None => write!(f, "realloc (older block)  {old_size} -> {new_size} bytes"),
            },
            Event::Note(note) => f.write_str(note.as_str()),
        }
    }
}

/// A finished trace: the events in the order they happened. Its
/// `Display` shows one event per line.
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../doc-examples/trace_trace.rs")]
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    events: Vec<Event>,
    lost: usize,
}

impl Trace {
    /// The recorded events, oldest first (see the example of [`Event`]).
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// How many events happened after the trace was full (1024 events),
    /// and are not in it; see the example of [`Event`].
    pub fn lost(&self) -> usize {
        self.lost
    }
}

/// One event per line, indented by two spaces.
impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for event in &self.events {
            writeln!(f, "  {event}")?;
        }
        if self.lost > 0 {
            writeln!(
                f,
                "  ... and {} more events (the trace was full)",
                self.lost
            )?;
        }
        Ok(())
    }
}

/// The trace being recorded, reachable from the allocator through `hooks`.
pub(super) struct TraceLog {
    events: Vec<Event>,
    /// Blocks allocated during the trace and not yet freed: (address, id).
    live: Vec<(usize, u32)>,
    next_id: u32,
    lost: usize,
}

impl TraceLog {
    fn new() -> Self {
        TraceLog {
            events: Vec::with_capacity(CAPACITY),
            live: Vec::with_capacity(CAPACITY),
            next_id: 1,
            lost: 0,
        }
    }

    fn push(&mut self, event: Event) {
        // `push` within capacity never allocates.
        if self.events.len() < self.events.capacity() {
            self.events.push(event);
        } else {
            self.lost += 1;
        }
    }

    fn remember(&mut self, ptr: *mut u8, id: u32) {
        // Within capacity, so no allocation; a block beyond it shows as an
        // older block when freed.
        if self.live.len() < self.live.capacity() {
            self.live.push((ptr as usize, id));
        }
    }

    fn id_of(&mut self, ptr: *mut u8) -> Option<u32> {
        let index = self
            .live
            .iter()
            .position(|&(addr, _)| addr == ptr as usize)?;
        Some(self.live.swap_remove(index).1)
    }

    pub(super) fn acquired(&mut self, ptr: *mut u8, layout: Layout) {
        let id = self.next_id;
        self.next_id += 1;
        self.remember(ptr, id);
        let size = layout.size();
        self.push(Event::Alloc { id, size });
    }

    pub(super) fn failed(&mut self, layout: Layout) {
        self.push(Event::Failed {
            size: layout.size(),
        });
    }

    pub(super) fn released(&mut self, ptr: *mut u8, layout: Layout) {
        let id = self.id_of(ptr);
        let size = layout.size();
        self.push(Event::Free { id, size });
    }

    pub(super) fn moved(
        &mut self,
        old: *mut u8,
        old_layout: Layout,
        new: *mut u8,
        new_layout: Layout,
    ) {
        let id = self.id_of(old);
        if let Some(id) = id {
            self.remember(new, id);
        }
        self.push(Event::Realloc {
            id,
            old_size: old_layout.size(),
            new_size: new_layout.size(),
        });
    }
}

/// Runs `f` and returns what it returned together with the trace of every
/// allocation, release and [`note`] made on this thread meanwhile: the
/// first 1024 events; the trace's `Display` says how many more there were
/// ([`Trace::lost`] counts them). A note keeps its first 110 bytes. A
/// trace recorded inside another takes the events made while it runs: the
/// outer trace does not see them (freeing the inner trace, inside the
/// outer one, is an event of the outer trace).
///
/// # Panics
/// If [`LabAllocator`](super::LabAllocator) is not the global allocator:
/// an empty trace would otherwise look like proof that nothing allocated.
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../doc-examples/trace_record.rs")]
/// ```
pub fn record<R>(f: impl FnOnce() -> R) -> (R, Trace) {
    hooks::assert_installed();
    let mut log = hooks::quietly(TraceLog::new);
    let result = {
        // SAFETY: `log` lives until the end of this function and is not
        // touched here until the guard is dropped at the end of this block.
        let _installed = unsafe { hooks::install(&hooks::TRACE, &mut log) };
        f()
    };
    let TraceLog {
        events, live, lost, ..
    } = log;
    // The lab's own table, freed unobserved: a trace around this one does
    // not show it.
    hooks::quietly(|| drop(live));
    (result, Trace { events, lost })
}

/// Adds `text` to the trace being recorded on this thread, if any.
///
/// Formatting happens into a fixed buffer, so a note allocates nothing and
/// does not disturb the trace it is part of: `note(format_args!("{v:?}"))`
/// is fine. What `text`'s own `Display` allocates or frees is the
/// program's doing, and is traced and leak-checked like the rest of it.
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../doc-examples/trace_note.rs")]
/// ```
pub fn note(text: impl fmt::Display) {
    // Formatted before the lab looks at the trace: `text`'s `Display` is
    // the program's code, and what it allocates or frees is traced and
    // checked like the rest of the program.
    let mut note = Note {
        len: 0,
        bytes: [0; NOTE_BYTES],
    };
    let _ = write!(note, "{text}");
    hooks::with_installed(&hooks::TRACE, |log| log.push(Event::Note(note)));
}
