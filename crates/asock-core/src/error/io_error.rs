//! `Error` to and from `std::io::Error`, losing nothing either way.
//!
//! - Into `io::Error`: an errno becomes `io::Error::from_raw_os_error` (std derives the kind
//!   from it: `EAGAIN` is `WouldBlock`, `ECONNREFUSED` is `ConnectionRefused`, ...); an
//!   `io::Error` asock kept whole is handed back as it was; anything else is wrapped
//!   (`io::Error::new(kind, error)`) under the kind [`Error::io_kind`] names, where
//!   `From<io::Error>` finds it again.
//! - From `io::Error`: an errno becomes an errno; an asock error wrapped as above is unwrapped;
//!   any other `io::Error` is kept whole (kind, message, inner error), and
//!   [`source`](std::error::Error::source) points at it.

use std::io;

use super::{Detail, Error, Repr};
use crate::consts::EAI_ADDRFAMILY;

impl Error {
    /// The `io::ErrorKind` this error has as an `io::Error`.
    ///
    /// - errno: std's kind for it (`EAGAIN` is `WouldBlock`, `EPIPE` is `BrokenPipe`, ...);
    /// - an `io::Error` without an errno: its own kind;
    /// - timeout: `TimedOut`; rejected argument: `InvalidInput`;
    /// - `gaierror`: `NotFound` when the name or service has no address (`EAI_NONAME`,
    ///   `EAI_NODATA`, `EAI_ADDRFAMILY`, `EAI_SERVICE`), `InvalidInput` for `EAI_BADFLAGS` and
    ///   `EAI_OVERFLOW`, `Unsupported` for `EAI_FAMILY` and `EAI_SOCKTYPE`, `OutOfMemory` for
    ///   `EAI_MEMORY`, the errno's kind for `EAI_SYSTEM` (but never `WouldBlock`), `Other` for
    ///   the rest (`EAI_AGAIN`, `EAI_FAIL`: no `io::ErrorKind` says "the resolver failed");
    /// - `herror`: `NotFound` for `HOST_NOT_FOUND` and `NO_DATA`, `Other` otherwise;
    /// - [`Error::multiple`]: the kind of its last failure.
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use asock_core::Error;
    ///
    /// assert_eq!(Error::from_errno(libc::ECONNREFUSED).io_kind(), ErrorKind::ConnectionRefused);
    /// assert_eq!(Error::timeout().io_kind(), ErrorKind::TimedOut);
    /// assert_eq!(Error::gai(libc::EAI_NONAME, None).io_kind(), ErrorKind::NotFound);
    /// ```
    #[must_use]
    pub fn io_kind(&self) -> io::ErrorKind {
        match &self.last().repr {
            Repr::Os(errno) => io::Error::from_raw_os_error(*errno).kind(),
            Repr::Io(io) => io.kind(),
            Repr::Boxed(detail) => match &**detail {
                Detail::Gai { code, errno } => gai_kind(*code, *errno),
                Detail::Host(code) => host_kind(*code),
                Detail::Timeout => io::ErrorKind::TimedOut,
                // `last()` never stops at a Multiple (they are never empty); were one there,
                // InvalidInput is what kind() says of it.
                Detail::InvalidInput(_) | Detail::Multiple { .. } => io::ErrorKind::InvalidInput,
            },
        }
    }
}

fn gai_kind(code: i32, errno: Option<i32>) -> io::ErrorKind {
    match code {
        libc::EAI_SYSTEM => match errno.map(|e| io::Error::from_raw_os_error(e).kind()) {
            // A resolver failure is never "not ready": io::ErrorKind::WouldBlock would send a
            // poll loop back to wait for readiness that no fd will report.
            Some(io::ErrorKind::WouldBlock) | None => io::ErrorKind::Other,
            Some(kind) => kind,
        },
        libc::EAI_NONAME | libc::EAI_NODATA | EAI_ADDRFAMILY | libc::EAI_SERVICE => {
            io::ErrorKind::NotFound
        }
        libc::EAI_BADFLAGS | libc::EAI_OVERFLOW => io::ErrorKind::InvalidInput,
        libc::EAI_FAMILY | libc::EAI_SOCKTYPE => io::ErrorKind::Unsupported,
        libc::EAI_MEMORY => io::ErrorKind::OutOfMemory,
        _ => io::ErrorKind::Other,
    }
}

/// `h_errno` values of <netdb.h>: `HOST_NOT_FOUND` and `NO_DATA` (the name exists but has no
/// address) say "not found"; `TRY_AGAIN` and `NO_RECOVERY` are the resolver's failures.
fn host_kind(code: i32) -> io::ErrorKind {
    const HOST_NOT_FOUND: i32 = 1;
    const NO_DATA: i32 = 4;
    match code {
        HOST_NOT_FOUND | NO_DATA => io::ErrorKind::NotFound,
        _ => io::ErrorKind::Other,
    }
}

impl From<Error> for io::Error {
    /// An errno as a raw OS error, an `io::Error` asock kept as it was, anything else wrapped
    /// under [`Error::io_kind`] (so `io::Error::kind` is `TimedOut` for a timeout and
    /// `From<io::Error>` recovers the asock error whole).
    fn from(error: Error) -> Self {
        match error.repr {
            Repr::Os(errno) => io::Error::from_raw_os_error(errno),
            Repr::Io(io) => io,
            Repr::Boxed(_) => io::Error::new(error.io_kind(), error),
        }
    }
}

impl From<io::Error> for Error {
    /// Keeps everything:
    ///
    /// - an `io::Error` with an errno becomes that errno (allocation-free);
    /// - one that wraps an asock `Error` under the kind `From<Error>` gives it is unwrapped;
    /// - any other (a bare kind, a message, an inner error, or an asock error wrapped under
    ///   another kind) is kept whole: its `io::ErrorKind` maps to [`Error::kind`] as described
    ///   there, `Display` prints it, [`source`](std::error::Error::source) returns it, and
    ///   converting back gives it back unchanged.
    fn from(io: io::Error) -> Self {
        if let Some(errno) = io.raw_os_error() {
            return Error::from_errno(errno);
        }
        let ours = io.get_ref().and_then(|inner| inner.downcast_ref::<Error>());
        if ours.is_some_and(|ours| ours.io_kind() == io.kind()) {
            let kind = io.kind();
            return match io.into_inner().map(|inner| inner.downcast::<Error>()) {
                Some(Ok(ours)) => *ours,
                // Not reached (get_ref just found an Error there), but total: keep it whole.
                Some(Err(other)) => Error { repr: Repr::Io(io::Error::new(kind, other)) },
                None => Error { repr: Repr::Io(io::Error::from(kind)) },
            };
        }
        Error { repr: Repr::Io(io) }
    }
}
