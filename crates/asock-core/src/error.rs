//! `Error`: one error type with Python's exception kinds.
//!
//! Python raises `OSError` (errno), `socket.gaierror` (EAI code), `socket.herror` (h_errno),
//! `TimeoutError` ("timed out") and `ValueError`/`TypeError`/`OverflowError` for bad
//! arguments. asock folds them into one [`Error`] whose [`ErrorKind`] says which, and whose
//! `Display` prints what Python prints.

use std::borrow::Cow;
use std::fmt;
use std::io;

use crate::sys;

/// Which of Python's exceptions an [`Error`] corresponds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `OSError` with an errno: the kernel refused.
    Os,
    /// `socket.gaierror`: `getaddrinfo` / `getnameinfo` failed with an `EAI_*` code.
    Gai,
    /// `socket.herror`: a `gethostby*` function failed with an `h_errno` code.
    Host,
    /// `TimeoutError`: the operation's deadline passed.
    Timeout,
    /// `ValueError` / `TypeError` / `OverflowError`: an argument was rejected before any
    /// system call.
    InvalidInput,
}

/// The error of every fallible asock operation.
///
/// ```
/// use asock_core::{Error, ErrorKind};
///
/// let refused = Error::from_errno(libc::ECONNREFUSED);
/// assert_eq!(refused.kind(), ErrorKind::Os);
/// assert_eq!(refused.to_string(), "[Errno 111] Connection refused");
/// assert_eq!(Error::timeout().to_string(), "timed out");
///
/// // `?` into io::Error keeps the errno, and a timeout becomes ErrorKind::TimedOut.
/// let io: std::io::Error = Error::timeout().into();
/// assert_eq!(io.kind(), std::io::ErrorKind::TimedOut);
/// ```
pub struct Error {
    repr: Box<Repr>,
}

#[derive(Debug)]
enum Repr {
    Os(i32),
    Gai {
        code: i32,
        errno: Option<i32>,
    },
    Host(i32),
    Timeout,
    InvalidInput(Cow<'static, str>),
    /// Several operations failed, each for its own reason (Happy Eyeballs' `all_errors`).
    /// The kind and the errno are those of the last failure, as Python's
    /// `create_connection` without `all_errors` would have raised it.
    Multiple {
        context: Cow<'static, str>,
        errors: Vec<(String, Error)>,
    },
}

impl Error {
    /// An `OSError` for `errno`.
    #[must_use]
    pub fn from_errno(errno: i32) -> Self {
        Self::new(Repr::Os(errno))
    }

    /// An `OSError` for the calling thread's current `errno`.
    #[must_use]
    pub fn last_os_error() -> Self {
        Self::from_errno(io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO))
    }

    /// A `gaierror` for the `EAI_*` code `code` (negative on Linux, as Python shows it).
    ///
    /// For `EAI_SYSTEM` pass the errno that was current, as CPython reports it.
    #[must_use]
    pub fn gai(code: i32, errno: Option<i32>) -> Self {
        Self::new(Repr::Gai { code, errno })
    }

    /// An `herror` for the `h_errno` value `code`.
    #[must_use]
    pub fn host(code: i32) -> Self {
        Self::new(Repr::Host(code))
    }

    /// The error of an operation whose deadline passed (`TimeoutError: timed out`).
    #[must_use]
    pub fn timeout() -> Self {
        Self::new(Repr::Timeout)
    }

    /// An argument rejected before any system call (Python's `ValueError` and kin).
    #[must_use]
    pub fn invalid_input(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(Repr::InvalidInput(message.into()))
    }

    /// Several failures reported as one, each labelled (an address, say).
    ///
    /// Python 3.11's `create_connection(..., all_errors=True)` raises an `ExceptionGroup`;
    /// this is its counterpart. `kind()` and `raw_os_error()` answer for the last entry.
    ///
    /// # Panics
    ///
    /// Never; an empty list gives an `InvalidInput` error carrying `context`.
    #[must_use]
    pub fn multiple(context: impl Into<Cow<'static, str>>, errors: Vec<(String, Error)>) -> Self {
        let context = context.into();
        if errors.is_empty() {
            return Self::invalid_input(context);
        }
        Self::new(Repr::Multiple { context, errors })
    }

    fn new(repr: Repr) -> Self {
        Self { repr: Box::new(repr) }
    }

    /// The error this one stands for when it groups several: the last of them.
    fn last(&self) -> &Error {
        match &*self.repr {
            Repr::Multiple { errors, .. } => errors.last().map_or(self, |(_, e)| e.last()),
            _ => self,
        }
    }

    /// Which of Python's exceptions this is.
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        match &*self.last().repr {
            Repr::Os(_) => ErrorKind::Os,
            Repr::Gai { .. } => ErrorKind::Gai,
            Repr::Host(_) => ErrorKind::Host,
            Repr::Timeout => ErrorKind::Timeout,
            Repr::InvalidInput(_) | Repr::Multiple { .. } => ErrorKind::InvalidInput,
        }
    }

    /// The errno of an `Os` error (`EAI_SYSTEM`'s errno for a `Gai` one), or `None`.
    #[must_use]
    pub fn raw_os_error(&self) -> Option<i32> {
        match &*self.last().repr {
            Repr::Os(errno) => Some(*errno),
            Repr::Gai { errno, .. } => *errno,
            _ => None,
        }
    }

    /// The number Python puts in `e.errno`: the errno, the `EAI_*` code or the `h_errno`.
    #[must_use]
    pub fn errno(&self) -> Option<i32> {
        match &*self.last().repr {
            Repr::Os(errno) => Some(*errno),
            Repr::Gai { code, .. } => Some(*code),
            Repr::Host(code) => Some(*code),
            _ => None,
        }
    }

    /// Whether this is `EAGAIN`/`EWOULDBLOCK`: a non-blocking operation that was not ready
    /// (Python's `BlockingIOError`).
    #[must_use]
    pub fn is_would_block(&self) -> bool {
        self.raw_os_error() == Some(libc::EAGAIN)
    }

    /// Whether the process or the system ran out of a resource: `EMFILE` (no free fd in the
    /// process), `ENFILE` (none in the system), `ENOBUFS` or `ENOMEM` (no kernel memory).
    ///
    /// These are the errors after which an `accept` loop should back off rather than retry at
    /// once: the pending connection stays queued, so accepting again immediately fails the
    /// same way. (A failure of the pending connection itself, such as `ECONNABORTED`, is not
    /// one of them; asock's `accept` retries those.)
    ///
    /// ```
    /// use asock_core::Error;
    ///
    /// assert!(Error::from_errno(libc::EMFILE).is_resource_exhausted());
    /// assert!(Error::from_errno(libc::ENOBUFS).is_resource_exhausted());
    /// assert!(!Error::from_errno(libc::ECONNABORTED).is_resource_exhausted());
    /// assert!(!Error::timeout().is_resource_exhausted());
    /// ```
    #[must_use]
    pub fn is_resource_exhausted(&self) -> bool {
        matches!(
            self.raw_os_error(),
            Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
        )
    }

    /// The labelled failures of an error built by [`Error::multiple`]; empty otherwise.
    #[must_use]
    pub fn errors(&self) -> &[(String, Error)] {
        match &*self.repr {
            Repr::Multiple { errors, .. } => errors,
            _ => &[],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.repr {
            Repr::Os(errno) => write!(f, "[Errno {errno}] {}", sys::strerror(*errno)),
            Repr::Gai { code, .. } => write!(f, "[Errno {code}] {}", sys::gai_strerror(*code)),
            Repr::Host(code) => write!(f, "[Errno {code}] {}", sys::hstrerror(*code)),
            Repr::Timeout => f.write_str("timed out"),
            Repr::InvalidInput(message) => f.write_str(message),
            Repr::Multiple { context, errors } => {
                write!(f, "{context} ({} errors)", errors.len())?;
                for (label, error) in errors {
                    write!(f, "; {label}: {error}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind())
            .field("errno", &self.errno())
            .field("message", &self.to_string())
            .finish()
    }
}

impl std::error::Error for Error {}

impl From<Error> for io::Error {
    fn from(error: Error) -> Self {
        if let Repr::Os(errno) = &*error.repr {
            return io::Error::from_raw_os_error(*errno);
        }
        let kind = match error.kind() {
            ErrorKind::Timeout => io::ErrorKind::TimedOut,
            ErrorKind::InvalidInput => io::ErrorKind::InvalidInput,
            ErrorKind::Os => match error.raw_os_error() {
                Some(errno) => io::Error::from_raw_os_error(errno).kind(),
                None => io::ErrorKind::Other,
            },
            ErrorKind::Gai | ErrorKind::Host => io::ErrorKind::Other,
        };
        io::Error::new(kind, error)
    }
}

impl From<io::Error> for Error {
    /// Recovers an asock error wrapped by `From<Error> for io::Error`; otherwise maps by errno
    /// first and by kind second (`TimedOut` is a timeout, anything else without an errno is
    /// `InvalidInput` carrying the message).
    fn from(error: io::Error) -> Self {
        if let Some(errno) = error.raw_os_error() {
            return Self::from_errno(errno);
        }
        let kind = error.kind();
        match error.into_inner().map(|inner| inner.downcast::<Error>()) {
            Some(Ok(ours)) => *ours,
            Some(Err(other)) if kind == io::ErrorKind::TimedOut => {
                let _ = other;
                Self::timeout()
            }
            Some(Err(other)) => Self::invalid_input(other.to_string()),
            None if kind == io::ErrorKind::TimedOut => Self::timeout(),
            None if kind == io::ErrorKind::WouldBlock => Self::from_errno(libc::EAGAIN),
            None => Self::invalid_input(kind.to_string()),
        }
    }
}

/// `Result` with asock's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_error_prints_like_python() {
        assert_eq!(
            Error::from_errno(libc::ECONNREFUSED).to_string(),
            "[Errno 111] Connection refused"
        );
        assert_eq!(Error::from_errno(libc::EBADF).to_string(), "[Errno 9] Bad file descriptor");
    }

    #[test]
    fn gai_error_prints_like_python() {
        assert_eq!(
            Error::gai(libc::EAI_NONAME, None).to_string(),
            "[Errno -2] Name or service not known"
        );
        assert_eq!(Error::gai(libc::EAI_NONAME, None).kind(), ErrorKind::Gai);
    }

    #[test]
    fn host_error_prints_like_python() {
        assert_eq!(Error::host(1).to_string(), "[Errno 1] Unknown host");
    }

    #[test]
    fn timeout_round_trips_through_io_error() {
        let io: io::Error = Error::timeout().into();
        assert_eq!(io.kind(), io::ErrorKind::TimedOut);
        assert_eq!(Error::from(io).kind(), ErrorKind::Timeout);
    }

    #[test]
    fn errno_round_trips_through_io_error() {
        let io: io::Error = Error::from_errno(libc::EPIPE).into();
        assert_eq!(io.raw_os_error(), Some(libc::EPIPE));
        assert_eq!(Error::from(io).raw_os_error(), Some(libc::EPIPE));
    }

    #[test]
    fn gai_survives_io_error_round_trip() {
        let io: io::Error = Error::gai(libc::EAI_AGAIN, None).into();
        let back = Error::from(io);
        assert_eq!(back.kind(), ErrorKind::Gai);
        assert_eq!(back.errno(), Some(libc::EAI_AGAIN));
    }

    #[test]
    fn would_block_is_detected() {
        assert!(Error::from_errno(libc::EWOULDBLOCK).is_would_block());
        assert!(!Error::timeout().is_would_block());
    }

    #[test]
    fn multiple_answers_for_its_last_error_and_lists_all() {
        let e = Error::multiple(
            "all connection attempts failed",
            vec![
                ("[::1]:80".into(), Error::from_errno(libc::ENETUNREACH)),
                ("127.0.0.1:80".into(), Error::from_errno(libc::ECONNREFUSED)),
            ],
        );
        assert_eq!(e.kind(), ErrorKind::Os);
        assert_eq!(e.raw_os_error(), Some(libc::ECONNREFUSED));
        assert_eq!(e.errors().len(), 2);
        let text = e.to_string();
        assert!(text.contains("[::1]:80: [Errno 101] Network is unreachable"), "{text}");
        assert!(text.contains("127.0.0.1:80: [Errno 111] Connection refused"), "{text}");
    }

    #[test]
    fn invalid_input_maps_to_io_invalid_input() {
        let io: io::Error = Error::invalid_input("Timeout value out of range").into();
        assert_eq!(io.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(io.to_string(), "Timeout value out of range");
    }
}
