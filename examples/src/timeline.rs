//! A tiny `tracing` subscriber: records asock's events with the time they happened, and
//! prints each as it comes.
//!
//! Real programs use `tracing-subscriber`; this one is thirty lines so that the examples need
//! no extra dependency, and so that an example can assert on the events it saw (the Happy
//! Eyeballs timeline checks which attempt won, and when it started, from these records).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// One event: when it was seen (from the subscriber's creation), its message and its fields.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// Time since the [`Timeline`] was created.
    pub at: std::time::Duration,
    /// The event's `message` field (`"attempt"` for Happy Eyeballs).
    pub message: String,
    /// Every other field, printed with `Display` or `Debug` as the event gave it.
    pub fields: BTreeMap<String, String>,
}

/// A subscriber that keeps every event of a target under `asock` at `DEBUG` or above, and
/// prints it when `echo` is on. Clones share the record.
#[derive(Debug, Clone)]
pub struct Timeline {
    start: Instant,
    echo: bool,
    events: Arc<Mutex<Vec<Recorded>>>,
    next_span: Arc<AtomicU64>,
}

impl Timeline {
    /// A timeline starting now; `echo` prints each event as it is recorded.
    #[must_use]
    pub fn new(echo: bool) -> Self {
        Timeline {
            start: Instant::now(),
            echo,
            events: Arc::default(),
            next_span: Arc::new(AtomicU64::new(1)),
        }
    }

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
        Id::from_u64(self.next_span.fetch_add(1, Ordering::Relaxed))
    }

    fn record(&self, _span: &Id, _values: &Record<'_>) {}

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(BTreeMap::new());
        event.record(&mut fields);
        let mut fields = fields.0;
        let message = fields.remove("message").unwrap_or_default();
        let at = self.start.elapsed();
        if self.echo {
            let rest: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
            println!("  [trace {:>9}] {message}: {}", crate::ms(at), rest.join(" "));
        }
        self.events.lock().expect("timeline lock").push(Recorded { at, message, fields });
    }

    fn enter(&self, _span: &Id) {}

    fn exit(&self, _span: &Id) {}
}
