//! What the command says on stderr: its own status lines ("listening on ...") and asock's
//! `tracing` events, through tracing-subscriber's formatter.
//!
//! | `-v` | the command's lines | asock's events |
//! |---|---|---|
//! | none | info, as bare lines | warnings |
//! | `-v` | debug, with a timeline | debug: Happy Eyeballs' race span and one event per attempt (address, start offset, outcome), each connect, accept, lookup |
//! | `-vv` | everything | everything (trace) |
//!
//! With `-v` each line starts with the milliseconds since the command started, so the
//! attempts of a `connect` read as a timeline.

use std::fmt;
use std::time::Instant;

use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::format::{FmtSpan, Writer};
use tracing_subscriber::fmt::time::FormatTime;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// The target of the command's own events. The binary is named `asock`, like the library,
/// so its module paths alone would not tell the two apart.
pub const TARGET: &str = "asock_cli";

/// Milliseconds since the command started: the timeline's clock.
struct SinceStart(Instant);

impl FormatTime for SinceStart {
    fn format_time(&self, w: &mut Writer<'_>) -> fmt::Result {
        write!(w, "{:>9.3} ms", self.0.elapsed().as_secs_f64() * 1e3)
    }
}

/// The levels for `verbose` (`-v` counted): the command's own, then asock's.
fn levels(verbose: u8) -> (LevelFilter, LevelFilter) {
    match verbose {
        0 => (LevelFilter::INFO, LevelFilter::WARN),
        1 => (LevelFilter::DEBUG, LevelFilter::DEBUG),
        _ => (LevelFilter::TRACE, LevelFilter::TRACE),
    }
}

/// Installs the subscriber for `verbose`.
pub fn init(verbose: u8) {
    let (own, library) = levels(verbose);
    // The longest matching target wins, so `asock_cli` is not taken for the library.
    let filter = Targets::new()
        .with_target(TARGET, own)
        .with_target("asock", library)
        .with_default(if verbose >= 2 { LevelFilter::TRACE } else { LevelFilter::WARN });
    let stderr = tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_target(false);
    // `try_init`: fails only if a subscriber is already set, in which case that one reports.
    let _ = if verbose == 0 {
        let bare = stderr.without_time().with_level(false);
        tracing_subscriber::registry().with(bare).with(filter).try_init()
    } else {
        let timeline = stderr.with_timer(SinceStart(Instant::now())).with_span_events(FmtSpan::NEW);
        tracing_subscriber::registry().with(timeline).with(filter).try_init()
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_v_shows_more() {
        assert_eq!(levels(0), (LevelFilter::INFO, LevelFilter::WARN));
        assert_eq!(levels(1), (LevelFilter::DEBUG, LevelFilter::DEBUG));
        assert_eq!(levels(5), (LevelFilter::TRACE, LevelFilter::TRACE));
    }

    #[test]
    fn the_commands_own_target_is_told_apart_from_the_librarys() {
        let (own, library) = levels(0);
        let filter = Targets::new().with_target(TARGET, own).with_target("asock", library);
        assert!(filter.would_enable(TARGET, &tracing::Level::INFO));
        assert!(!filter.would_enable("asock::connect", &tracing::Level::INFO));
        assert!(filter.would_enable("asock::connect", &tracing::Level::WARN));
    }
}
