//! The process-wide default mode of new sockets: Python's `setdefaulttimeout`.
//!
//! One value for the whole process, shared by `blocking::Socket` and `AsyncSocket`, as
//! Python has one for every socket object.

use std::time::Duration;

use super::{Mode, ModeCell};
use asock_core::{Result, SocketKind};

static DEFAULT_MODE: ModeCell = ModeCell::blocking();

/// Sets the timeout new sockets start with (Python's `socket.setdefaulttimeout`): `None` for
/// blocking, zero for non-blocking. Sockets that exist keep theirs; sockets created, accepted
/// or adopted afterwards take it, as in CPython.
///
/// ```
/// use std::time::Duration;
///
/// asock::set_default_timeout(Some(Duration::from_secs(5)))?;
/// assert_eq!(asock::default_timeout(), Some(Duration::from_secs(5)));
/// asock::set_default_timeout(None)?;
/// assert_eq!(asock::default_mode(), asock::Mode::Blocking);
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// `InvalidInput` beyond `i64::MAX` nanoseconds (CPython's limit); the default is then
/// unchanged.
pub fn set_default_timeout(timeout: Option<Duration>) -> Result<()> {
    DEFAULT_MODE.set(Mode::checked_from_timeout(timeout)?);
    Ok(())
}

/// [`set_default_timeout`] with Python's float seconds, checked as CPython checks them.
///
/// # Errors
///
/// `InvalidInput` for NaN, negative and too-large values (see [`Mode::from_secs_f64`]); the
/// default is then unchanged.
///
/// ```
/// let err = asock::set_default_timeout_secs(Some(-1.0)).unwrap_err();
/// assert_eq!(err.to_string(), "Timeout value out of range");
/// assert!(asock::set_default_timeout_secs(None).is_ok());
/// ```
pub fn set_default_timeout_secs(seconds: Option<f64>) -> Result<()> {
    DEFAULT_MODE.set(Mode::from_secs_f64(seconds)?);
    Ok(())
}

/// The timeout new sockets start with (Python's `socket.getdefaulttimeout`).
///
/// ```
/// // Unless someone changed it, sockets start blocking.
/// # asock::set_default_timeout(None)?;
/// assert_eq!(asock::default_timeout(), None);
/// # Ok::<(), asock::Error>(())
/// ```
#[must_use]
pub fn default_timeout() -> Option<Duration> {
    DEFAULT_MODE.get().timeout()
}

/// The [`Mode`] new sockets start with.
///
/// ```
/// # asock::set_default_timeout(None)?;
/// assert_eq!(asock::default_mode(), asock::Mode::Blocking);
/// # Ok::<(), asock::Error>(())
/// ```
#[must_use]
pub fn default_mode() -> Mode {
    DEFAULT_MODE.get()
}

/// The mode a new socket of `kind` starts in: CPython's `init_sockobject`. `SOCK_NONBLOCK` in
/// `kind` asks for non-blocking mode; otherwise it is the default.
pub(crate) fn initial_mode(kind: SocketKind) -> Mode {
    if kind.is_nonblocking() {
        Mode::NonBlocking
    } else {
        default_mode()
    }
}
