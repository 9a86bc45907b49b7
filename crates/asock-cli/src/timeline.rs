//! `--verbose`: prints Happy Eyeballs' per-attempt events as a timeline on stderr.
//!
//! asock reports each attempt as a `tracing` event (address, start offset, outcome); this is
//! the smallest subscriber that prints them, so the command needs no logging framework.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Prints every asock event at debug level or above, with the time since it was installed.
pub struct Timeline {
    start: Instant,
    next_span: AtomicU64,
}

impl Timeline {
    /// Installs the timeline as this process's subscriber.
    pub fn install() {
        let timeline = Timeline { start: Instant::now(), next_span: AtomicU64::new(1) };
        // Fails only if a subscriber is already set, in which case that one reports.
        let _ = tracing::subscriber::set_global_default(timeline);
    }
}

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0.push_str(value);
        } else {
            let _ = write!(self.0, " {}={value}", field.name());
        }
    }
}

impl Subscriber for Timeline {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target().starts_with("asock") && *metadata.level() <= tracing::Level::DEBUG
    }

    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut fields = Fields(String::new());
        attrs.record(&mut fields);
        eprintln!("{:>9.3} ms  {}{}", self.elapsed_ms(), attrs.metadata().name(), fields.0);
        Id::from_u64(self.next_span.fetch_add(1, Ordering::Relaxed))
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        eprintln!("{:>9.3} ms    {}", self.elapsed_ms(), fields.0);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

impl Timeline {
    fn elapsed_ms(&self) -> f64 {
        self.start.elapsed().as_secs_f64() * 1e3
    }
}
