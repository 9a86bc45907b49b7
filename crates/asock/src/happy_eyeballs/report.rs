//! What a race tells the world: the error of a race nobody won, and one tracing event per
//! attempt.

use std::time::Duration;

use asock_core::{Error, SockAddr};

/// Records, once per address, that `source` cannot reach `addr` (its family differs).
pub(crate) fn skip(skipped: &mut Vec<(String, Error)>, source: &SockAddr, addr: &SockAddr) {
    let label = addr.to_string();
    if skipped.iter().all(|(seen, _)| *seen != label) {
        let message = format!(
            "source_address {source} ({}) cannot reach an {} address",
            source.family(),
            addr.family()
        );
        skipped.push((label, Error::invalid_input(message)));
    }
}

/// The error of a race nobody won: see "Errors" in the module docs.
///
/// `errors` holds the skipped addresses, then every attempt's error in start order.
pub(crate) fn all_failed(
    mut errors: Vec<(String, Error)>,
    resolution_error: Option<Error>,
    all_errors: bool,
) -> Error {
    if all_errors && !errors.is_empty() {
        return Error::multiple("all connection attempts failed", errors);
    }
    match errors.pop() {
        Some((_, last)) => last,
        // Both queries answered and no address came back: report why.
        None => resolution_error.unwrap_or_else(|| Error::gai(libc::EAI_NODATA, None)),
    }
}

/// How an attempt ended, as its tracing event says it.
pub(crate) enum Ended<'a> {
    Connected,
    Failed(&'a Error),
    Cancelled,
}

/// Emits an attempt's one `attempt` event: its address, its start offset from the race's
/// start, and its outcome (`asock connect -v` prints these fields).
pub(crate) fn attempt_event(addr: &SockAddr, start: Duration, ended: Ended<'_>) {
    match ended {
        Ended::Connected => tracing::debug!(%addr, ?start, outcome = "connected", "attempt"),
        Ended::Failed(error) => {
            tracing::debug!(%addr, ?start, outcome = "error", %error, "attempt");
        }
        Ended::Cancelled => tracing::debug!(%addr, ?start, outcome = "cancelled", "attempt"),
    }
}
