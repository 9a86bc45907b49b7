//! `Socket`: Python's socket object: the type, its creation and lifetime, and its mode.
//!
//! Naming and connecting are in `endpoint.rs`, moving bytes in `io.rs`, options in
//! `options.rs`, conversions in `convert.rs`; each adds an `impl Socket` block, and so may
//! other sibling modules (ancillary data), using [`Socket::fd`] and [`Socket::io`].

use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::time::Duration;

use super::call::Call;
use crate::mode::{default_mode, Mode, ModeCell};
use crate::ops::{self, Op, Shape};
use crate::sys;
use asock_core::{AddressFamily, Protocol, Result, SocketKind};

/// Python's socket object, without a runtime: every method of `socket.socket`, in blocking,
/// non-blocking or timeout mode exactly as CPython runs them.
///
/// - **Blocking mode** (the default, Python's `settimeout(None)`): a blocking fd and one
///   system call per operation, as `std::net` does.
/// - **Non-blocking mode** (`set_timeout(Some(Duration::ZERO))`, `set_blocking(false)`): an
///   operation that is not ready fails at once with `EAGAIN` ([`Error::is_would_block`](crate::Error::is_would_block)).
/// - **Timeout mode** (`set_timeout(Some(t))`): an operation waits with `poll(2)` until `t`
///   has passed since it began, then fails with [`Error::timeout`](crate::Error::timeout) (kind
///   [`ErrorKind::Timeout`](crate::ErrorKind::Timeout)). The deadline covers the whole call, `send_all` included.
///
/// New sockets start in the process-wide default mode ([`set_default_timeout`]), blocking
/// unless changed. See docs/modes.md for the full semantics.
///
/// `Socket` is `Send` and `Sync`: like Python's socket object it can be shared between
/// threads (the `&self` methods), and [`Read`](std::io::Read) / [`Write`](std::io::Write) are
/// implemented for `&Socket` as for `Socket`. Closing takes `&mut self`, so no thread can be
/// using the fd when it is closed.
///
/// ```
/// use asock::blocking::Socket;
/// use asock::{AddressFamily, Protocol, SocketKind};
///
/// let server = Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::IPPROTO_IP)?;
/// server.bind(&"127.0.0.1:0".parse()?)?;
/// server.listen(None)?;
/// let client = Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::IPPROTO_IP)?;
/// client.connect(&server.local_addr()?)?;
/// let (conn, _peer) = server.accept()?;
/// client.send_all(b"ping")?;
/// assert_eq!(conn.recv(16)?, b"ping");
/// # Ok::<(), asock::Error>(())
/// ```
///
/// [`set_default_timeout`]: super::set_default_timeout
pub struct Socket {
    /// `None` once closed or detached: every later operation fails with `EBADF`.
    fd: Option<OwnedFd>,
    shape: Shape,
    mode: ModeCell,
}

// ===== creation and lifetime =====

// `new`, `pair`, `from_fd` and `dup` are written once for both front doors (mode/facade.rs);
// the docs, which differ, are the ones below.
crate::mode::constructors! {
    Socket,
    from_parts: from_parts,
    fd_nonblocking: Mode::fd_nonblocking,
    /// Creates a socket: Python's `socket.socket(family, type, proto)` (`socket(2)`).
    ///
    /// The fd is always close-on-exec. `SOCK_NONBLOCK` in `kind` puts the socket in
    /// non-blocking mode (as in CPython); otherwise it starts in the default mode
    /// ([`default_timeout`](super::default_timeout)). [`kind`](Self::kind) reports the kind
    /// without the flags.
    ///
    /// ```
    /// use asock::blocking::Socket;
    /// use asock::{AddressFamily, Protocol, SocketKind};
    /// use std::time::Duration;
    ///
    /// let kind = SocketKind::SOCK_DGRAM.with_flags(SocketKind::SOCK_NONBLOCK);
    /// let sock = Socket::new(AddressFamily::AF_INET6, kind, Protocol::IPPROTO_UDP)?;
    /// assert_eq!(sock.kind(), SocketKind::SOCK_DGRAM);
    /// assert_eq!(sock.timeout(), Some(Duration::ZERO));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `socket(2)`: `EAFNOSUPPORT` for a family the kernel lacks,
    /// `EPROTONOSUPPORT`, `EPERM` / `EACCES` for raw sockets without privilege, `EMFILE`, ...
    fn new;

    /// Creates a pair of connected sockets: Python's `socket.socketpair(family, type, proto)`
    /// (`socketpair(2)`). [`socketpair`](super::socketpair) is the call with Python's defaults
    /// (`AF_UNIX`, `SOCK_STREAM`).
    ///
    /// Both start in the mode [`Socket::new`] would give them.
    ///
    /// ```
    /// use asock::blocking::Socket;
    /// use asock::{AddressFamily, Protocol, SocketKind};
    ///
    /// let (a, b) = Socket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_SEQPACKET, Protocol::from(0))?;
    /// a.send(b"one message")?;
    /// assert_eq!(b.recv(100)?, b"one message");
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `socketpair(2)`: `EOPNOTSUPP` for families without pairs (`AF_INET`), ...
    fn pair;

    /// A new `Socket` on a duplicate of `fd`: Python's `socket.fromfd(fd, ...)`, with the
    /// family, kind and protocol read back from the fd (`SO_DOMAIN`, `SO_TYPE`,
    /// `SO_PROTOCOL`) as Python 3.7's `socket(fileno=fd)` does.
    ///
    /// The mode is the default one. With a default timeout set, the shared open file
    /// description is made `O_NONBLOCK`, as in CPython (the original fd sees it too). With no
    /// default timeout, the mode follows the fd: a non-blocking fd gives non-blocking mode
    /// (CPython would report `None` yet fail with `EAGAIN`; see docs/modes.md).
    ///
    /// ```
    /// use asock::blocking::Socket;
    /// use asock::{AddressFamily, SocketKind};
    /// use std::os::fd::AsFd;
    ///
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let sock = Socket::from_fd(listener.as_fd())?;
    /// assert_eq!(sock.family(), AddressFamily::AF_INET);
    /// assert_eq!(sock.kind(), SocketKind::SOCK_STREAM);
    /// assert_eq!(sock.local_addr()?, listener.local_addr()?.into());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ENOTSOCK` when `fd` is not a socket, `EMFILE` when no fd is free, ... The duplicate is
    /// closed on every error.
    fn from_fd;

    /// A new `Socket` on a duplicate fd (`F_DUPFD_CLOEXEC`): Python's `dup()`. It has the same
    /// family, kind, protocol and timeout; the two share `O_NONBLOCK`, as duplicates do.
    ///
    /// ```
    /// let (a, b) = asock::blocking::socketpair()?;
    /// let a2 = a.dup()?;
    /// a2.send(b"via the duplicate")?;
    /// assert_eq!(b.recv(64)?, b"via the duplicate");
    /// assert_ne!(a.fileno(), a2.fileno());
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed, `EMFILE` when no fd is free.
    fn dup;
}

impl Socket {
    /// Takes ownership of a socket fd, reading its family, kind and protocol back and giving
    /// it the default mode (Python's `socket(fileno=fd)`).
    pub(crate) fn adopt(fd: OwnedFd) -> Result<Socket> {
        let shape = ops::create::shape_of(fd.as_fd_ref())?;
        let mode = adopted_mode(fd.as_fd_ref())?;
        Ok(Socket::from_parts(fd, shape, mode))
    }

    pub(crate) fn from_parts(fd: OwnedFd, shape: Shape, mode: Mode) -> Socket {
        Socket { fd: Some(fd), shape, mode: ModeCell::new(mode) }
    }

    /// Closes the socket: Python's `close()`. Closing again does nothing; every other
    /// operation afterwards fails with `EBADF`, as in CPython. Dropping the socket closes it
    /// too, ignoring errors.
    ///
    /// ```
    /// let (mut a, _b) = asock::blocking::socketpair()?;
    /// a.close()?;
    /// a.close()?; // idempotent
    /// assert_eq!(a.fileno(), -1);
    /// assert_eq!(a.send(b"x").unwrap_err().raw_os_error(), Some(libc::EBADF));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `close(2)` except `ECONNRESET` (ignored, as CPython ignores it) and
    /// `EINTR` (the fd is closed anyway on Linux). The fd is released in every case.
    pub fn close(&mut self) -> Result<()> {
        self.fd.take().map_or(Ok(()), ops::create::close)
    }

    /// Gives up the fd without closing it: Python's `detach()`. The socket is closed
    /// afterwards (operations fail with `EBADF`); `None` when it already was (Python: -1).
    ///
    /// ```
    /// let (mut a, _b) = asock::blocking::socketpair()?;
    /// let fd = a.detach().expect("was open");
    /// assert!(a.detach().is_none());
    /// let std_stream = std::os::unix::net::UnixStream::from(fd);
    /// # drop(std_stream);
    /// # Ok::<(), asock::Error>(())
    /// ```
    pub fn detach(&mut self) -> Option<OwnedFd> {
        self.fd.take()
    }

    /// Whether [`close`](Self::close) or [`detach`](Self::detach) has been called (Python
    /// shows `[closed]` in the repr).
    ///
    /// ```
    /// let (mut a, _b) = asock::blocking::socketpair()?;
    /// assert!(!a.is_closed());
    /// a.close()?;
    /// assert!(a.is_closed());
    /// # Ok::<(), asock::Error>(())
    /// ```
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.fd.is_none()
    }

    /// The fd number, or -1 once closed: Python's `fileno()`.
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// assert!(a.fileno() >= 0);
    /// # Ok::<(), asock::Error>(())
    /// ```
    #[must_use]
    pub fn fileno(&self) -> RawFd {
        self.fd.as_ref().map_or(-1, AsRawFd::as_raw_fd)
    }

    /// The fd, or `EBADF` once closed. Sibling modules (ancillary data, sendfile) use it.
    pub(crate) fn fd(&self) -> Result<BorrowedFd<'_>> {
        self.fd.as_ref().map(|fd| fd.as_fd_ref()).ok_or_else(sys::ebadf)
    }

    /// What kind of socket this is, as the operations need it.
    pub(crate) fn shape(&self) -> Shape {
        self.shape
    }

    /// The fd if open, for trait impls that cannot fail.
    pub(crate) fn fd_opt(&self) -> Option<&OwnedFd> {
        self.fd.as_ref()
    }

    /// Takes the fd out, for conversions into other socket types.
    pub(crate) fn take_fd(&mut self) -> Option<OwnedFd> {
        self.fd.take()
    }
}

// `family`, `kind`, `proto`, `options`, `inheritable`, `set_inheritable`: written once for
// both front doors (mode/facade.rs).
crate::mode::shape_methods!(
    Socket,
    setup: "let (a, _b) = asock::blocking::socketpair()?;",
);

/// The mode an adopted fd gets: the default, with `O_NONBLOCK` set to match; with no default
/// timeout, the fd's own state (see docs/modes.md for how this differs from CPython).
pub(super) fn adopted_mode(fd: BorrowedFd<'_>) -> Result<Mode> {
    Ok(match default_mode() {
        Mode::Blocking if ops::create::is_nonblocking(fd)? => Mode::NonBlocking,
        Mode::Blocking => Mode::Blocking,
        other => {
            ops::create::set_nonblocking(fd, true)?;
            other
        }
    })
}

/// `OwnedFd::as_fd` without importing the trait where `Socket`'s own `AsFd` would clash.
trait AsFdRef {
    fn as_fd_ref(&self) -> BorrowedFd<'_>;
}

impl AsFdRef for OwnedFd {
    fn as_fd_ref(&self) -> BorrowedFd<'_> {
        std::os::fd::AsFd::as_fd(self)
    }
}

// ===== modes =====

impl Socket {
    /// The socket's mode (read with one relaxed atomic load).
    pub(crate) fn mode(&self) -> Mode {
        self.mode.get()
    }

    /// Runs `op` to completion under the socket's mode (see `call.rs`): the building block
    /// of every operation that can wait.
    pub(crate) fn run<O: Op>(&self, mut op: O) -> Result<O::Output> {
        let fd = self.fd()?;
        Call::new(self.mode()).run(fd, self.shape, &mut op)
    }

    /// Sets the mode: Python's `settimeout()`. `None` is blocking mode, `Some(ZERO)`
    /// non-blocking mode, anything else timeout mode. The fd's `O_NONBLOCK` follows (one
    /// `ioctl(FIONBIO)`).
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    ///
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.set_timeout(Some(Duration::from_millis(50)))?;
    /// let start = Instant::now();
    /// let err = a.recv(10).unwrap_err();
    /// assert_eq!(err.kind(), asock::ErrorKind::Timeout);
    /// assert!(start.elapsed() >= Duration::from_millis(50));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` for a timeout over `i64::MAX` nanoseconds (CPython's limit); `EBADF`
    /// when closed.
    pub fn set_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        let mode = Mode::checked_from_timeout(timeout)?;
        ops::create::set_nonblocking(self.fd()?, mode.fd_nonblocking())?;
        self.mode.set(mode);
        Ok(())
    }
}

// `set_timeout_secs`, `timeout`, `set_blocking` and `is_blocking`, written once for both front
// doors around `set_timeout` (mode/facade.rs).
crate::mode::mode_methods! {
    Socket,
    setup: "let (a, _b) = asock::blocking::socketpair()?;",
    fd: "The fd is `O_NONBLOCK` in every mode but blocking mode.",
    /// Python's `setblocking()`: `true` is `set_timeout(None)`, `false` is
    /// `set_timeout(Some(ZERO))`.
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.set_blocking(false)?;
    /// assert!(a.recv(10).unwrap_err().is_would_block());
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    fn set_blocking;
}

/// A connected pair of `AF_UNIX` stream sockets: Python's `socket.socketpair()` with its
/// defaults. [`Socket::pair`] takes the family, kind and protocol.
///
/// ```
/// let (a, b) = asock::blocking::socketpair()?;
/// a.send_all(b"ping")?;
/// assert_eq!(b.recv(4)?, b"ping");
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// `EMFILE` / `ENFILE` when no fd is free.
pub fn socketpair() -> Result<(Socket, Socket)> {
    Socket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM, Protocol::from(0))
}
