//! Python's three socket modes, as values and as futures combinators.
//!
//! | Python | [`Mode`] | per call, on any future ([`ModeExt`]) or operation ([`Operation`]) |
//! |---|---|---|
//! | `settimeout(None)` / `setblocking(True)` | [`Mode::Blocking`] | `.blocking()`: wait, no deadline |
//! | `settimeout(0.0)` / `setblocking(False)` | [`Mode::NonBlocking`] | `.nonblocking()`: one try, else the `EAGAIN` error |
//! | `settimeout(x)` | [`Mode::Timeout`] | `.timeout(d)` / `.deadline(t)`: else [`Error::timeout`] ("timed out") |
//! | `setdefaulttimeout(x)` | [`set_default_timeout`] | — |
//!
//! A timeout covers the whole call it is applied to: `send_all(8 MiB).timeout(1 s)` fails
//! after one second in total, and `.timeout(d)` on an `async` block bounds the whole exchange.
//!
//! ```
//! use std::time::Duration;
//! use asock::{Mode, ModeExt};
//!
//! // Python's settimeout(2.5), settimeout(0.0), settimeout(None):
//! assert_eq!(Mode::from_secs_f64(Some(2.5))?, Mode::Timeout(Duration::from_millis(2500)));
//! assert_eq!(Mode::from_secs_f64(Some(0.0))?, Mode::NonBlocking);
//! assert_eq!(Mode::from_secs_f64(None)?, Mode::Blocking);
//! assert!(Mode::from_secs_f64(Some(-1.0)).is_err());
//!
//! // Any future of a Result can be bounded:
//! let never = std::future::pending::<asock::Result<()>>();
//! let err = asock::block_on(never.timeout(Duration::from_millis(10))).unwrap_err();
//! assert_eq!(err.to_string(), "timed out");
//! # Ok::<(), asock::Error>(())
//! ```

mod cell;
mod combinators;
mod deadline;
mod default;
mod facade;
mod operation;

use std::time::Duration;

pub use combinators::{ModeExt, NonBlocking, Timeout};
pub use default::{default_mode, default_timeout, set_default_timeout, set_default_timeout_secs};
pub use operation::Operation;

pub(crate) use cell::ModeCell;
pub(crate) use default::initial_mode;
pub(crate) use facade::{
    batch_calls, constructors, for_std_sockets, mode_methods, naming_methods, shape_methods,
    std_conversions,
};
pub(crate) use operation::{operation_modes, OpWait};

use asock_core::{Error, Result};

/// How an operation waits: Python's blocking, non-blocking and timeout modes.
///
/// ```
/// use std::time::Duration;
/// use asock::Mode;
///
/// assert_eq!(Mode::Blocking.timeout(), None);
/// assert_eq!(Mode::NonBlocking.timeout(), Some(Duration::ZERO));
/// assert_eq!(Mode::from_timeout(Some(Duration::from_secs(3))), Mode::Timeout(Duration::from_secs(3)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Mode {
    /// Wait as long as it takes (`settimeout(None)`).
    #[default]
    Blocking,
    /// Try once; if the operation cannot complete at once, fail with `EAGAIN`
    /// (`settimeout(0.0)`, Python's `BlockingIOError`).
    NonBlocking,
    /// Wait at most this long for the whole call, then fail with [`Error::timeout`].
    /// `Timeout(Duration::ZERO)` tries once and then reports a timeout (use
    /// [`Mode::from_timeout`] for Python's mapping of zero to non-blocking).
    Timeout(Duration),
}

/// The largest timeout CPython represents: `_PyTime_t` counts nanoseconds in an `i64`.
pub(crate) const MAX_TIMEOUT_NANOS: u64 = i64::MAX as u64;

impl Mode {
    /// Python's `settimeout(t)` mapping: `None` blocks, zero is non-blocking, anything else a
    /// timeout.
    #[must_use]
    pub fn from_timeout(timeout: Option<Duration>) -> Mode {
        match timeout {
            None => Mode::Blocking,
            Some(d) if d.is_zero() => Mode::NonBlocking,
            Some(d) => Mode::Timeout(d),
        }
    }

    /// Python's `settimeout(seconds)` with a float, checked as CPython checks it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) with Python's message for
    /// NaN (`ValueError: Invalid value NaN (not a number)`), a negative value
    /// (`ValueError: Timeout value out of range`) and a value too large, infinity included
    /// (`OverflowError: timestamp out of range for platform time_t`).
    ///
    /// ```
    /// use asock::{ErrorKind, Mode};
    ///
    /// let err = Mode::from_secs_f64(Some(f64::NAN)).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidInput);
    /// assert_eq!(err.to_string(), "Invalid value NaN (not a number)");
    /// assert!(Mode::from_secs_f64(Some(f64::INFINITY)).is_err());
    /// ```
    pub fn from_secs_f64(seconds: Option<f64>) -> Result<Mode> {
        let Some(seconds) = seconds else { return Ok(Mode::Blocking) };
        if seconds.is_nan() {
            return Err(Error::invalid_input("Invalid value NaN (not a number)"));
        }
        if seconds < 0.0 {
            return Err(Error::invalid_input("Timeout value out of range"));
        }
        // CPython rounds a timeout up to whole nanoseconds (_PyTime_ROUND_TIMEOUT): a
        // timeout never ends early.
        let nanos = (seconds * 1e9).ceil();
        // 2^63 as f64: the first value that does not fit _PyTime_t (infinity is above it too).
        if nanos >= 9_223_372_036_854_775_808.0 {
            return Err(Error::invalid_input("timestamp out of range for platform time_t"));
        }
        Ok(Mode::from_timeout(Some(Duration::from_nanos(nanos as u64))))
    }

    /// Python's `settimeout(timeout)` with a `Duration`, checked against CPython's limit.
    ///
    /// # Errors
    ///
    /// `InvalidInput` ("timestamp too large to convert to C _PyTime_t") beyond `i64::MAX`
    /// nanoseconds, about 292 years.
    ///
    /// ```
    /// use std::time::Duration;
    /// use asock::Mode;
    ///
    /// assert_eq!(Mode::checked_from_timeout(Some(Duration::ZERO))?, Mode::NonBlocking);
    /// assert!(Mode::checked_from_timeout(Some(Duration::MAX)).is_err());
    /// # Ok::<(), asock::Error>(())
    /// ```
    pub fn checked_from_timeout(timeout: Option<Duration>) -> Result<Mode> {
        match timeout {
            Some(t) if t.as_nanos() > u128::from(MAX_TIMEOUT_NANOS) => {
                Err(Error::invalid_input("timestamp too large to convert to C _PyTime_t"))
            }
            other => Ok(Mode::from_timeout(other)),
        }
    }

    /// Whether a socket's fd carries `O_NONBLOCK` in this mode: in every mode but blocking,
    /// where the kernel does the waiting.
    #[must_use]
    pub fn fd_nonblocking(self) -> bool {
        self != Mode::Blocking
    }

    /// Python's `gettimeout()`: `None` when blocking, zero when non-blocking.
    #[must_use]
    pub fn timeout(self) -> Option<Duration> {
        match self {
            Mode::Blocking => None,
            Mode::NonBlocking => Some(Duration::ZERO),
            Mode::Timeout(d) => Some(d),
        }
    }

    /// Python's `gettimeout()` as a float (`None` when blocking).
    #[must_use]
    pub fn timeout_secs_f64(self) -> Option<f64> {
        self.timeout().map(|d| d.as_secs_f64())
    }
}
