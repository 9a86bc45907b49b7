//! The process-wide default mode of new sockets: Python's `setdefaulttimeout`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::Mode;
use crate::Result;

/// `u64::MAX` stands for "no timeout" (blocking); any other value is nanoseconds (0 is
/// non-blocking, as in Python).
const BLOCKING: u64 = u64::MAX;

static DEFAULT_TIMEOUT_NANOS: AtomicU64 = AtomicU64::new(BLOCKING);

/// Sets the timeout new sockets start with (Python's `socket.setdefaulttimeout`): `None` for
/// blocking, zero for non-blocking. Existing sockets keep theirs.
///
/// ```
/// use std::time::Duration;
///
/// asock::set_default_timeout(Some(Duration::from_secs(5)));
/// assert_eq!(asock::default_timeout(), Some(Duration::from_secs(5)));
/// asock::set_default_timeout(None);
/// assert_eq!(asock::default_mode(), asock::Mode::Blocking);
/// ```
pub fn set_default_timeout(timeout: Option<Duration>) {
    let nanos = match timeout {
        None => BLOCKING,
        // Beyond 584 years: the same as never.
        Some(d) => u64::try_from(d.as_nanos()).unwrap_or(BLOCKING - 1).min(BLOCKING - 1),
    };
    DEFAULT_TIMEOUT_NANOS.store(nanos, Ordering::Relaxed);
}

/// [`set_default_timeout`] with Python's float seconds, checked as CPython checks them.
///
/// # Errors
///
/// `InvalidInput` for NaN, negative and too-large values (see [`Mode::from_secs_f64`]); the
/// default is then unchanged.
///
/// ```
/// assert!(asock::set_default_timeout_secs(Some(-1.0)).is_err());
/// assert!(asock::set_default_timeout_secs(None).is_ok());
/// ```
pub fn set_default_timeout_secs(seconds: Option<f64>) -> Result<()> {
    let mode = Mode::from_secs_f64(seconds)?;
    set_default_timeout(mode.timeout());
    Ok(())
}

/// The timeout new sockets start with (Python's `socket.getdefaulttimeout`).
///
/// ```
/// // Unless someone changed it, sockets start blocking.
/// # asock::set_default_timeout(None);
/// assert_eq!(asock::default_timeout(), None);
/// ```
#[must_use]
pub fn default_timeout() -> Option<Duration> {
    match DEFAULT_TIMEOUT_NANOS.load(Ordering::Relaxed) {
        BLOCKING => None,
        nanos => Some(Duration::from_nanos(nanos)),
    }
}

/// The [`Mode`] new sockets start with.
///
/// ```
/// # asock::set_default_timeout(None);
/// assert_eq!(asock::default_mode(), asock::Mode::Blocking);
/// ```
#[must_use]
pub fn default_mode() -> Mode {
    Mode::from_timeout(default_timeout())
}
