//! A tiny `tracing` subscriber: records asock's events with the time they happened.
//!
//! Real programs use `tracing-subscriber` to print or ship events; this one is a few lines so
//! that the examples need no extra dependency, and so that an example can assert on the
//! events it saw (the Happy Eyeballs timeline checks each attempt's outcome from them).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// One event: when it was seen, its message and its fields.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// When the event was emitted.
    pub at: Instant,
    /// The event's `message` field (`"attempt"` for Happy Eyeballs).
    pub message: String,
    /// Every other field, printed with `Display` or `Debug` as the event gave it.
    pub fields: BTreeMap<String, String>,
}

/// A subscriber that keeps every event of a target under `asock` at `DEBUG` or above.
/// Clones share the record.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    events: Arc<Mutex<Vec<Recorded>>>,
    next_span: Arc<AtomicU64>,
}

impl Timeline {
    /// Takes the events recorded so far, leaving the record empty.
    ///
    /// # Panics
    ///
    /// If a thread panicked while recording (the lock is poisoned).
    #[must_use]
    pub fn take(&self) -> Vec<Recorded> {
        std::mem::take(&mut *self.events.lock().expect("timeline lock"))
    }
}

/// Collects an event's fields as text.
struct Fields(BTreeMap<String, String>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for Timeline {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target().starts_with("asock") && *metadata.level() <= Level::DEBUG
    }

    fn new_span(&self, _span: &Attributes<'_>) -> Id {
        // Spans are not recorded, but each needs its own non-zero id.
        Id::from_u64(self.next_span.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _span: &Id, _values: &Record<'_>) {}

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(BTreeMap::new());
        event.record(&mut fields);
        let mut fields = fields.0;
        let message = fields.remove("message").unwrap_or_default();
        let at = Instant::now();
        self.events.lock().expect("timeline lock").push(Recorded { at, message, fields });
    }

    fn enter(&self, _span: &Id) {}

    fn exit(&self, _span: &Id) {}
}
