//! `ModeCell`: a socket's mode, readable and settable through `&self` without a lock.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::{Mode, MAX_TIMEOUT_NANOS};

/// `Mode::Blocking`'s encoding; every other value is a timeout in nanoseconds, 0 being
/// non-blocking (Python's `settimeout(0.0)`).
const BLOCKING_BITS: u64 = u64::MAX;

/// A [`Mode`] in one `AtomicU64`: one relaxed load per operation, so reading the mode costs
/// nothing next to the system call it decides about.
#[derive(Debug)]
pub(crate) struct ModeCell(AtomicU64);

impl ModeCell {
    pub(crate) const fn blocking() -> Self {
        ModeCell(AtomicU64::new(BLOCKING_BITS))
    }

    pub(crate) fn new(mode: Mode) -> Self {
        ModeCell(AtomicU64::new(to_bits(mode)))
    }

    pub(crate) fn get(&self) -> Mode {
        from_bits(self.0.load(Ordering::Relaxed))
    }

    pub(crate) fn set(&self, mode: Mode) {
        self.0.store(to_bits(mode), Ordering::Relaxed);
    }
}

fn to_bits(mode: Mode) -> u64 {
    match mode {
        Mode::Blocking => BLOCKING_BITS,
        Mode::NonBlocking => 0,
        // A zero timeout would read back as non-blocking; one nanosecond keeps it a timeout.
        // Past CPython's limit is as good as never: clamp below the blocking encoding.
        Mode::Timeout(t) => {
            u64::try_from(t.as_nanos()).unwrap_or(MAX_TIMEOUT_NANOS).clamp(1, MAX_TIMEOUT_NANOS)
        }
    }
}

fn from_bits(bits: u64) -> Mode {
    match bits {
        BLOCKING_BITS => Mode::Blocking,
        0 => Mode::NonBlocking,
        nanos => Mode::Timeout(Duration::from_nanos(nanos)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mode_round_trips() {
        for mode in [
            Mode::Blocking,
            Mode::NonBlocking,
            Mode::Timeout(Duration::from_nanos(1)),
            Mode::Timeout(Duration::from_millis(250)),
            Mode::Timeout(Duration::from_nanos(MAX_TIMEOUT_NANOS)),
        ] {
            assert_eq!(ModeCell::new(mode).get(), mode);
        }
    }

    #[test]
    fn out_of_range_timeouts_stay_timeouts() {
        assert_eq!(
            ModeCell::new(Mode::Timeout(Duration::ZERO)).get(),
            Mode::Timeout(Duration::from_nanos(1))
        );
        assert_eq!(
            ModeCell::new(Mode::Timeout(Duration::MAX)).get(),
            Mode::Timeout(Duration::from_nanos(MAX_TIMEOUT_NANOS))
        );
    }
}
