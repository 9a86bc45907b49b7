//! `Error`: one error type with Python's exception kinds.
//!
//! Python raises `OSError` (errno), `socket.gaierror` (EAI code), `socket.herror` (h_errno),
//! `TimeoutError` ("timed out") and `ValueError`/`TypeError`/`OverflowError` for bad
//! arguments. asock folds them into one [`Error`] whose [`ErrorKind`] says which, and whose
//! `Display` prints what Python prints. Conversion to and from `std::io::Error` (in `io.rs`)
//! loses nothing: an errno stays an errno, an `io::Error` without one is kept whole.
//!
//! An errno is stored inline: `EAGAIN` is the most frequent error of an async socket (every
//! wait starts with one), so making it must not allocate. Everything rarer sits behind one box,
//! which keeps `Error` at two words and `Result<usize>` no larger.

mod io_error;

use std::borrow::Cow;
use std::fmt;

use crate::sys;

/// Which of Python's exceptions an [`Error`] corresponds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `OSError`: the kernel refused (with an errno), or an [`std::io::Error`] without one
    /// failed (Python's `OSError` whose `errno` is `None`).
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
/// // ... and back, nothing is lost.
/// assert_eq!(Error::from(io).kind(), ErrorKind::Timeout);
/// ```
pub struct Error {
    repr: Repr,
}

/// Two words: the tag and the larger payload (an `io::Error` or a box are one pointer each).
enum Repr {
    /// An errno, the hot case: no allocation.
    Os(i32),
    /// An `io::Error` that carries no errno (from a user's `Read` impl, an adapter, a
    /// `try_io` closure answering `WouldBlock`): kept whole, kind and message and inner error.
    /// `io::Error` made from a bare kind does not allocate either.
    Io(std::io::Error),
    /// Everything else.
    Boxed(Box<Detail>),
}

#[derive(Debug)]
enum Detail {
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
    /// An `OSError` for `errno`. Never allocates.
    #[must_use]
    pub fn from_errno(errno: i32) -> Self {
        Self { repr: Repr::Os(errno) }
    }

    /// An `OSError` for the calling thread's current `errno`.
    #[must_use]
    pub fn last_os_error() -> Self {
        Self::from_errno(std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO))
    }

    /// A `gaierror` for the `EAI_*` code `code` (negative on Linux, as Python shows it).
    ///
    /// For `EAI_SYSTEM` pass the errno that was current, as CPython reports it.
    #[must_use]
    pub fn gai(code: i32, errno: Option<i32>) -> Self {
        Self::boxed(Detail::Gai { code, errno })
    }

    /// An `herror` for the `h_errno` value `code`.
    #[must_use]
    pub fn host(code: i32) -> Self {
        Self::boxed(Detail::Host(code))
    }

    /// The error of an operation whose deadline passed (`TimeoutError: timed out`).
    #[must_use]
    pub fn timeout() -> Self {
        Self::boxed(Detail::Timeout)
    }

    /// An argument rejected before any system call (Python's `ValueError` and kin).
    #[must_use]
    pub fn invalid_input(message: impl Into<Cow<'static, str>>) -> Self {
        Self::boxed(Detail::InvalidInput(message.into()))
    }

    /// Several failures reported as one, each labelled (an address, say).
    ///
    /// Python 3.11's `create_connection(..., all_errors=True)` raises an `ExceptionGroup`;
    /// this is its counterpart. `kind()` and `raw_os_error()` answer for the last entry, and
    /// so does [`source`](std::error::Error::source).
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
        Self::boxed(Detail::Multiple { context, errors })
    }

    fn boxed(detail: Detail) -> Self {
        Self { repr: Repr::Boxed(Box::new(detail)) }
    }

    /// The error this one stands for when it groups several: the last of them.
    fn last(&self) -> &Error {
        match &self.repr {
            Repr::Boxed(detail) => match &**detail {
                Detail::Multiple { errors, .. } => errors.last().map_or(self, |(_, e)| e.last()),
                _ => self,
            },
            _ => self,
        }
    }

    /// Which of Python's exceptions this is.
    ///
    /// An `io::Error` without an errno (see `From<io::Error>`) is `Timeout` for
    /// `io::ErrorKind::TimedOut`, `InvalidInput` for `io::ErrorKind::InvalidInput`, and `Os`
    /// (an `OSError` whose errno is `None`) for every other kind; [`Error::io_kind`] gives its
    /// own kind back.
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        match &self.last().repr {
            Repr::Os(_) => ErrorKind::Os,
            Repr::Io(io) => match io.kind() {
                std::io::ErrorKind::TimedOut => ErrorKind::Timeout,
                std::io::ErrorKind::InvalidInput => ErrorKind::InvalidInput,
                _ => ErrorKind::Os,
            },
            Repr::Boxed(detail) => match &**detail {
                Detail::Gai { .. } => ErrorKind::Gai,
                Detail::Host(_) => ErrorKind::Host,
                Detail::Timeout => ErrorKind::Timeout,
                Detail::InvalidInput(_) | Detail::Multiple { .. } => ErrorKind::InvalidInput,
            },
        }
    }

    /// The errno of an `Os` error (`EAI_SYSTEM`'s errno for a `Gai` one), or `None`.
    #[must_use]
    pub fn raw_os_error(&self) -> Option<i32> {
        match &self.last().repr {
            Repr::Os(errno) => Some(*errno),
            Repr::Io(_) => None,
            Repr::Boxed(detail) => match &**detail {
                Detail::Gai { errno, .. } => *errno,
                _ => None,
            },
        }
    }

    /// The number Python puts in `e.errno`: the errno, the `EAI_*` code or the `h_errno`.
    #[must_use]
    pub fn errno(&self) -> Option<i32> {
        match &self.last().repr {
            Repr::Os(errno) => Some(*errno),
            Repr::Io(_) => None,
            Repr::Boxed(detail) => match &**detail {
                Detail::Gai { code, .. } | Detail::Host(code) => Some(*code),
                _ => None,
            },
        }
    }

    /// Whether a non-blocking operation was not ready: `EAGAIN` (the same number as
    /// `EWOULDBLOCK` on Linux), or an `io::Error` of kind `WouldBlock` without an errno (what a
    /// `try_io` closure or an adapter answers). It means "wait for readiness, then make the
    /// same call again".
    ///
    /// Python's `BlockingIOError` also covers `EINPROGRESS` and `EALREADY`; they are left out
    /// here on purpose. They say a connection is under way, and making the same `connect`
    /// call again is not how it completes (it answers `EALREADY` until the handshake ends,
    /// then `EISCONN` or the failure): asock's `connect` waits for writability and reads
    /// `SO_ERROR` itself, and in non-blocking mode reports `EINPROGRESS` as an ordinary
    /// `OSError`, as CPython's `connect` does. Nor is a `gaierror` ever "would block", even
    /// an `EAI_SYSTEM` one carrying `EAGAIN`.
    ///
    /// ```
    /// use asock_core::Error;
    ///
    /// assert!(Error::from_errno(libc::EAGAIN).is_would_block());
    /// assert!(Error::from(std::io::Error::from(std::io::ErrorKind::WouldBlock)).is_would_block());
    /// assert!(!Error::from_errno(libc::EINPROGRESS).is_would_block());
    /// ```
    #[must_use]
    pub fn is_would_block(&self) -> bool {
        match &self.repr {
            Repr::Os(errno) => *errno == libc::EAGAIN,
            Repr::Io(io) => io.kind() == std::io::ErrorKind::WouldBlock,
            Repr::Boxed(detail) => {
                matches!(**detail, Detail::Multiple { .. }) && self.last().is_would_block()
            }
        }
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
        match &self.repr {
            Repr::Boxed(detail) => match &**detail {
                Detail::Multiple { errors, .. } => errors,
                _ => &[],
            },
            _ => &[],
        }
    }
}

impl fmt::Display for Error {
    /// What Python prints for the exception: `[Errno 111] Connection refused`,
    /// `[Errno -2] Name or service not known`, `timed out`; an `io::Error` without an errno
    /// prints as itself.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let detail = match &self.repr {
            Repr::Os(errno) => return write!(f, "[Errno {errno}] {}", sys::strerror(*errno)),
            Repr::Io(io) => return fmt::Display::fmt(io, f),
            Repr::Boxed(detail) => detail,
        };
        match &**detail {
            Detail::Gai { code, .. } => write!(f, "[Errno {code}] {}", sys::gai_strerror(*code)),
            Detail::Host(code) => write!(f, "[Errno {code}] {}", sys::hstrerror(*code)),
            Detail::Timeout => f.write_str("timed out"),
            Detail::InvalidInput(message) => f.write_str(message),
            Detail::Multiple { context, errors } => {
                let plural = if errors.len() == 1 { "" } else { "s" };
                write!(f, "{context} ({} error{plural})", errors.len())?;
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
        let mut s = f.debug_struct("Error");
        s.field("kind", &self.kind()).field("errno", &self.errno());
        if let Repr::Io(io) = &self.last().repr {
            s.field("io_kind", &io.kind());
        }
        s.field("message", &self.to_string()).finish()
    }
}

impl std::error::Error for Error {
    /// The error underneath: the `io::Error` an error without an errno was made from, or the
    /// last failure of an [`Error::multiple`] (the one `kind()` answers for). `None` for the
    /// errors asock makes itself (an errno, an `EAI_*` or `h_errno` code, a timeout, a
    /// rejected argument), which have nothing underneath.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.repr {
            Repr::Os(_) => None,
            Repr::Io(io) => Some(io),
            Repr::Boxed(detail) => match &**detail {
                Detail::Multiple { errors, .. } => {
                    errors.last().map(|(_, e)| e as &(dyn std::error::Error + 'static))
                }
                _ => None,
            },
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
    fn would_block_is_eagain_and_ewouldblock_only() {
        assert!(Error::from_errno(libc::EWOULDBLOCK).is_would_block());
        assert!(Error::from_errno(libc::EAGAIN).is_would_block());
        assert!(!Error::timeout().is_would_block());
        // Python's BlockingIOError covers these; asock's connect handles them itself.
        assert!(!Error::from_errno(libc::EINPROGRESS).is_would_block());
        assert!(!Error::from_errno(libc::EALREADY).is_would_block());
        // A resolver failure is never "not ready", whatever errno rides along.
        assert!(!Error::gai(libc::EAI_SYSTEM, Some(libc::EAGAIN)).is_would_block());
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
    fn multiple_counts_its_errors_in_words() {
        let one = Error::multiple(
            "all connection attempts failed",
            vec![("127.0.0.1:1".into(), Error::from_errno(libc::ECONNREFUSED))],
        );
        assert_eq!(
            one.to_string(),
            "all connection attempts failed (1 error); 127.0.0.1:1: [Errno 111] Connection refused"
        );
        let two = Error::multiple(
            "all connection attempts failed",
            vec![
                ("a".into(), Error::from_errno(libc::ECONNREFUSED)),
                ("b".into(), Error::from_errno(libc::ECONNREFUSED)),
            ],
        );
        assert!(two.to_string().starts_with("all connection attempts failed (2 errors); "));
    }

    #[test]
    fn multiple_of_would_blocks_would_block() {
        let e = Error::multiple("x", vec![("a".into(), Error::from_errno(libc::EAGAIN))]);
        assert!(e.is_would_block());
        let e = Error::multiple("x", vec![("a".into(), Error::from_errno(libc::EPIPE))]);
        assert!(!e.is_would_block());
    }

    #[test]
    fn empty_multiple_is_invalid_input_with_its_context() {
        let e = Error::multiple("nothing to try", Vec::new());
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(e.to_string(), "nothing to try");
        assert!(e.errors().is_empty());
    }

    #[test]
    fn error_is_two_words_and_result_of_usize_no_larger() {
        assert!(std::mem::size_of::<Error>() <= 16, "{}", std::mem::size_of::<Error>());
        assert!(std::mem::size_of::<Result<usize>>() <= 16);
        assert!(std::mem::size_of::<Result<()>>() <= 16);
    }

    #[test]
    fn error_is_send_sync_and_static() {
        fn check<T: Send + Sync + 'static>() {}
        check::<Error>();
    }
}
