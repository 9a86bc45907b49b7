//! What a race reports, shared by the async race and the blocking one: the error of a race
//! nobody won, and one tracing event per attempt.

use std::time::Duration;

use super::clock::Instant;
use crate::{Error, Result, SockAddr};

/// Records, once, that `source` cannot reach `addr` (its family differs).
pub(crate) fn skip(skipped: &mut Vec<(String, Error)>, source: &SockAddr, addr: SockAddr) {
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

/// The error of a race nobody won: see "Errors" at the top of happy_eyeballs.rs.
pub(crate) fn all_failed(
    mut errors: Vec<(String, Error)>,
    tried: Vec<(SockAddr, Option<Error>)>,
    resolution_error: Option<Error>,
    all_errors: bool,
) -> Error {
    errors.extend(tried.into_iter().filter_map(|(addr, e)| Some((addr.to_string(), e?))));
    if all_errors && !errors.is_empty() {
        return Error::multiple("all connection attempts failed", errors);
    }
    match errors.pop() {
        Some((_, last)) => last,
        // Both queries answered and no address came back: report why.
        None => resolution_error.unwrap_or_else(|| Error::gai(libc::EAI_NODATA, None)),
    }
}

/// Emits an attempt's one tracing event: when it ends, or as "cancelled" when dropped first.
pub(crate) struct AttemptTrace {
    addr: SockAddr,
    start: Duration,
    finished: bool,
}

impl AttemptTrace {
    pub(crate) fn new(addr: SockAddr, race_start: Instant) -> Self {
        AttemptTrace { addr, start: race_start.elapsed(), finished: false }
    }

    /// Emits the event of an attempt that ended with `result`.
    pub(crate) fn finish<S>(self, result: &Result<S>) {
        match result {
            Ok(_) => self.connected(),
            Err(error) => self.failed(error),
        }
    }

    pub(crate) fn connected(mut self) {
        self.finished = true;
        let (addr, start) = (&self.addr, self.start);
        tracing::debug!(%addr, ?start, outcome = "connected", "attempt");
    }

    pub(crate) fn failed(mut self, error: &Error) {
        self.finished = true;
        let (addr, start) = (&self.addr, self.start);
        tracing::debug!(%addr, ?start, outcome = "error", %error, "attempt");
    }
}

impl Drop for AttemptTrace {
    fn drop(&mut self) {
        if !self.finished {
            let (addr, start) = (&self.addr, self.start);
            tracing::debug!(%addr, ?start, outcome = "cancelled", "attempt");
        }
    }
}
