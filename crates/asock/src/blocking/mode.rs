//! Python's three socket modes and the one place that waits.
//!
//! | Python | here | fd | an operation that is not ready |
//! |---|---|---|---|
//! | `settimeout(None)` | [`Mode::Blocking`] | blocking | the kernel waits inside the one system call |
//! | `settimeout(0.0)` | [`Mode::NonBlocking`] | `O_NONBLOCK` | fails at once with `EAGAIN` |
//! | `settimeout(t)` | [`Mode::Timeout`] | `O_NONBLOCK` | `poll(2)` until a deadline `t` after the call began, then "timed out" |
//!
//! [`Call::run`] is CPython's `sock_call_ex` with one change: it tries the system call
//! *before* polling (trio's order), which saves a `poll` whenever the socket is already ready
//! and reports errors such as `accept` before `listen` at once. The deadline is fixed when the
//! call starts, so a multi-step call (`send_all`) is bounded as a whole, not per step.

use std::os::fd::BorrowedFd;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::sys;
use crate::{Error, Result};

/// Poll for reading (`recv`, `accept`).
pub(crate) const READABLE: i16 = libc::POLLIN;
/// Poll for writing (`send`).
pub(crate) const WRITABLE: i16 = libc::POLLOUT;

/// The largest timeout CPython represents: `_PyTime_t` counts nanoseconds in an `i64`.
const MAX_TIMEOUT_NANOS: u64 = i64::MAX as u64;

/// How a socket's operations wait. Stored in an `AtomicU64` (see [`ModeCell`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `settimeout(None)`: a blocking fd; the kernel waits.
    Blocking,
    /// `settimeout(0.0)`: one try, `EAGAIN` if not ready.
    NonBlocking,
    /// `settimeout(t)`, `t > 0`: poll until `t` has passed since the call began.
    Timeout(Duration),
}

/// `Mode::Blocking`'s encoding; every other value is a timeout in nanoseconds (0 = NonBlocking).
const BLOCKING_BITS: u64 = u64::MAX;

impl Mode {
    /// The mode Python's `settimeout(timeout)` selects; `timeout` must have been checked.
    pub(crate) fn from_timeout(timeout: Option<Duration>) -> Mode {
        match timeout {
            None => Mode::Blocking,
            Some(t) if t.is_zero() => Mode::NonBlocking,
            Some(t) => Mode::Timeout(t),
        }
    }

    /// Python's `gettimeout()`.
    pub(crate) fn timeout(self) -> Option<Duration> {
        match self {
            Mode::Blocking => None,
            Mode::NonBlocking => Some(Duration::ZERO),
            Mode::Timeout(t) => Some(t),
        }
    }

    /// Whether the fd must carry `O_NONBLOCK` in this mode.
    pub(crate) fn fd_nonblocking(self) -> bool {
        self != Mode::Blocking
    }

    fn to_bits(self) -> u64 {
        match self {
            Mode::Blocking => BLOCKING_BITS,
            Mode::NonBlocking => 0,
            // Checked timeouts are at most MAX_TIMEOUT_NANOS, which fits.
            Mode::Timeout(t) => u64::try_from(t.as_nanos()).unwrap_or(MAX_TIMEOUT_NANOS),
        }
    }

    fn from_bits(bits: u64) -> Mode {
        match bits {
            BLOCKING_BITS => Mode::Blocking,
            0 => Mode::NonBlocking,
            nanos => Mode::Timeout(Duration::from_nanos(nanos)),
        }
    }
}

/// A [`Mode`] that can be read and changed through `&self` with no lock: one relaxed atomic
/// load per operation.
#[derive(Debug)]
pub(crate) struct ModeCell(AtomicU64);

impl ModeCell {
    pub(crate) const fn blocking() -> Self {
        ModeCell(AtomicU64::new(BLOCKING_BITS))
    }

    pub(crate) fn new(mode: Mode) -> Self {
        ModeCell(AtomicU64::new(mode.to_bits()))
    }

    pub(crate) fn get(&self) -> Mode {
        Mode::from_bits(self.0.load(Ordering::Relaxed))
    }

    pub(crate) fn set(&self, mode: Mode) {
        self.0.store(mode.to_bits(), Ordering::Relaxed);
    }
}

// ===== timeout values =====

/// Checks a timeout as CPython's `settimeout` does: at most `i64::MAX` nanoseconds.
pub(crate) fn check_timeout(timeout: Option<Duration>) -> Result<Option<Duration>> {
    match timeout {
        Some(t) if t.as_nanos() > u128::from(MAX_TIMEOUT_NANOS) => {
            Err(Error::invalid_input("timestamp too large to convert to C _PyTime_t"))
        }
        other => Ok(other),
    }
}

/// Converts seconds as Python's `settimeout(float)` does: NaN, negative and too large values
/// are errors with Python's messages, and the value is rounded *up* to whole nanoseconds
/// (a timeout never ends early).
pub(crate) fn timeout_from_secs(secs: f64) -> Result<Duration> {
    if secs.is_nan() {
        return Err(Error::invalid_input("Invalid value NaN (not a number)"));
    }
    if secs < 0.0 {
        return Err(Error::invalid_input("Timeout value out of range"));
    }
    let nanos = (secs * 1e9).ceil();
    // 2^63 as f64: the first value that does not fit _PyTime_t (infinity is above it too).
    if nanos >= 9_223_372_036_854_775_808.0 {
        return Err(Error::invalid_input("timestamp out of range for platform time_t"));
    }
    Ok(Duration::from_nanos(nanos as u64))
}

// ===== the process-wide default =====

/// Python's `socket.setdefaulttimeout` state: the mode new sockets start in.
static DEFAULT_MODE: ModeCell = ModeCell::blocking();

/// The mode new and accepted sockets start in.
pub(crate) fn default_mode() -> Mode {
    DEFAULT_MODE.get()
}

/// Sets the timeout that new sockets start with, process-wide: Python's
/// `socket.setdefaulttimeout`. `None` (the initial value) is blocking mode, `Some(ZERO)`
/// non-blocking mode.
///
/// It applies to sockets created afterwards by [`Socket::new`](super::Socket::new),
/// [`Socket::pair`](super::Socket::pair), [`Socket::from_fd`](super::Socket::from_fd) and
/// [`Socket::accept`](super::Socket::accept), as in CPython; sockets that already exist keep
/// their mode.
///
/// ```
/// use std::time::Duration;
/// use asock::blocking;
///
/// blocking::set_default_timeout(Some(Duration::from_secs(5)))?;
/// assert_eq!(blocking::default_timeout(), Some(Duration::from_secs(5)));
/// blocking::set_default_timeout(None)?;
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// `InvalidInput` when the timeout exceeds `i64::MAX` nanoseconds (CPython's limit).
pub fn set_default_timeout(timeout: Option<Duration>) -> Result<()> {
    let timeout = check_timeout(timeout)?;
    DEFAULT_MODE.set(Mode::from_timeout(timeout));
    Ok(())
}

/// [`set_default_timeout`] in seconds, checked as Python checks `setdefaulttimeout(float)`.
///
/// ```
/// use asock::blocking;
///
/// let err = blocking::set_default_timeout_secs(-1.0).unwrap_err();
/// assert_eq!(err.to_string(), "Timeout value out of range");
/// ```
///
/// # Errors
///
/// `InvalidInput` for NaN ("Invalid value NaN (not a number)"), a negative value ("Timeout
/// value out of range") or one too large for CPython ("timestamp out of range for platform
/// time_t", infinity included).
pub fn set_default_timeout_secs(secs: f64) -> Result<()> {
    set_default_timeout(Some(timeout_from_secs(secs)?))
}

/// The timeout new sockets start with: Python's `socket.getdefaulttimeout()`.
///
/// ```
/// assert_eq!(asock::blocking::default_timeout(), None);
/// ```
#[must_use]
pub fn default_timeout() -> Option<Duration> {
    default_mode().timeout()
}

// ===== waiting =====

/// One call's way of waiting, fixed when the call starts: its mode and, in timeout mode, its
/// deadline. A multi-step call (`send_all`) keeps one `Call` for every step.
#[derive(Debug)]
pub(crate) struct Call {
    mode: Mode,
    /// `None` in timeout mode means the deadline lies past what `Instant` holds: no limit.
    deadline: Option<Instant>,
}

impl Call {
    /// Starts a call in `mode`; a timeout's clock starts now.
    pub(crate) fn new(mode: Mode) -> Call {
        let deadline = match mode {
            Mode::Timeout(t) => Instant::now().checked_add(t),
            _ => None,
        };
        Call { mode, deadline }
    }

    /// Runs `op` (one nonblocking system call) under the call's mode.
    ///
    /// Blocking and non-blocking mode: `op` once, its result as it is (the kernel has waited
    /// or not). Timeout mode: `op`; while it would block, `poll(2)` for `events` with the time
    /// left and try again; `Error::timeout()` once the deadline passes. A wake-up that turns
    /// out not to be ready (a datagram dropped for its checksum, another thread took the data)
    /// just polls again, as in CPython.
    pub(crate) fn run<T>(
        &mut self,
        fd: BorrowedFd<'_>,
        events: i16,
        mut op: impl FnMut() -> Result<T>,
    ) -> Result<T> {
        loop {
            match op() {
                Err(e) if e.is_would_block() && matches!(self.mode, Mode::Timeout(_)) => {}
                other => return other,
            }
            self.wait(fd, events)?;
        }
    }

    /// Waits for a connection that `connect` left in progress (`EINPROGRESS`, or `EINTR` on a
    /// blocking fd), then reads its outcome from `SO_ERROR`: CPython's `internal_connect`.
    ///
    /// Non-blocking mode does not wait: it reports `EINPROGRESS`, as `connect` would.
    pub(crate) fn finish_connect(&mut self, fd: BorrowedFd<'_>) -> Result<()> {
        if self.mode == Mode::NonBlocking {
            return Err(Error::from_errno(libc::EINPROGRESS));
        }
        loop {
            self.wait(fd, libc::POLLOUT | libc::POLLERR)?;
            match sys::socket::take_error(fd)? {
                None => return Ok(()),
                Some(e) if e.raw_os_error() == Some(libc::EISCONN) => return Ok(()),
                // Woken too early (CPython's "false positive"): wait again.
                Some(e) if e.is_would_block() => continue,
                Some(e) => return Err(e),
            }
        }
    }

    /// One `poll(2)` for `events` with the time left: none in blocking mode, the deadline's
    /// remainder in timeout mode. `Error::timeout()` when the deadline passes first.
    fn wait(&self, fd: BorrowedFd<'_>, events: i16) -> Result<()> {
        let left = match (self.mode, self.deadline) {
            (Mode::Timeout(_), Some(deadline)) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(Error::timeout());
                }
                Some(left)
            }
            _ => None,
        };
        if sys::poll::poll_fd(fd, events, left)? == 0 {
            return Err(Error::timeout());
        }
        Ok(())
    }
}
