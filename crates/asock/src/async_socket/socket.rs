//! `AsyncSocket`: creation, lifetime, naming, and the internal seam every operation uses.
//!
//! An `AsyncSocket` wraps a [`blocking::Socket`] whose fd is always `O_NONBLOCK`, inside a
//! [`Registered`] (lazy reactor registration, deregistered before close). Everything that does
//! not wait — naming, options, `shutdown` — is the blocking socket's own code, called as it
//! is; only the waiting differs, and lives in the sibling files.

use std::fmt;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::task::{Context, Poll};

use crate::blocking::Socket;
use crate::mode::{default_mode, Mode, ModeCell, OpWait};
use crate::reactor::{Backend, Interest, Progress, Registered};
use crate::sys;
use crate::{AddressFamily, Error, Protocol, Result, SockAddr, SocketKind};

/// Python's socket object for async code: every method of
/// [`blocking::Socket`](crate::blocking::Socket), as futures that wait on a reactor.
///
/// - **Operations** (`accept`, `connect`, `recv*`, `send*`) return named futures that wait in
///   the socket's mode — blocking (the default), non-blocking or timeout, set with
///   [`set_timeout`](Self::set_timeout) / [`set_blocking`](Self::set_blocking) or inherited
///   from [`set_default_timeout`](crate::set_default_timeout) — unless the future is given its
///   own with `.timeout(d)`, `.deadline(t)`, `.nonblocking()` or `.blocking()`.
/// - **`try_*`** methods make the syscall once and never wait; **`poll_*`** methods serve trait
///   impls (`AsyncRead`, `AsyncWrite`, both tokio's and futures').
/// - Inside a tokio runtime the socket uses tokio's reactor; anywhere else asock's own
///   ([`asock::block_on`](crate::block_on) drives it on the calling thread).
///
/// The fd is always `O_NONBLOCK`, whatever the mode: the mode only says how the futures wait.
/// `AsyncSocket` is `Send` and `Sync`; its operations take `&self`, so any number of tasks can
/// share one socket (an `Arc<AsyncSocket>`): readers and writers alike, each waiting future is
/// woken by the event it waits for. The `poll_*` methods (and the `AsyncRead` / `AsyncWrite`
/// impls on them) keep one waker per direction, as tokio's do. See the [module docs](super)
/// for cancel safety and readiness.
///
/// ```
/// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
///
/// # asock::block_on(async {
/// let rx = AsyncSocket::new(AddressFamily::AF_INET6, SocketKind::SOCK_DGRAM, Protocol::from(0))?;
/// rx.bind(&"[::1]:0".parse()?)?;
/// let tx = AsyncSocket::new(AddressFamily::AF_INET6, SocketKind::SOCK_DGRAM, Protocol::from(0))?;
/// tx.send_to(b"hello", &rx.local_addr()?).await?;
/// let (data, from) = rx.recv_from(64).await?;
/// assert_eq!(data, b"hello");
/// assert_eq!(from.family(), AddressFamily::AF_INET6);
/// # Ok::<(), asock::Error>(())
/// # })?;
/// # Ok::<(), asock::Error>(())
/// ```
pub struct AsyncSocket {
    /// `None` once closed or detached: every later operation fails with `EBADF`.
    io: Option<Registered<Socket>>,
    family: AddressFamily,
    kind: SocketKind,
    proto: Protocol,
    mode: ModeCell,
    /// A TCP socket: a read shorter than the buffer proves the receive queue empty.
    read_drains: bool,
    /// A stream socket: a write shorter than the data proves the send buffer full.
    write_drains: bool,
}

// ===== creation and lifetime =====

impl AsyncSocket {
    /// Creates a socket: Python's `socket.socket(family, type, proto)` (`socket(2)`, always
    /// with `SOCK_NONBLOCK | SOCK_CLOEXEC`).
    ///
    /// `SOCK_NONBLOCK` in `kind` puts the socket in non-blocking *mode* (as in CPython);
    /// otherwise it starts in the default mode ([`default_timeout`](crate::default_timeout)).
    /// [`kind`](Self::kind) reports the kind without the flags.
    ///
    /// ```
    /// use std::time::Duration;
    /// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
    ///
    /// let kind = SocketKind::SOCK_STREAM.with_flags(SocketKind::SOCK_NONBLOCK);
    /// let sock = AsyncSocket::new(AddressFamily::AF_INET, kind, Protocol::from(0))?;
    /// assert_eq!(sock.kind(), SocketKind::SOCK_STREAM);
    /// assert_eq!(sock.timeout(), Some(Duration::ZERO));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `socket(2)`: `EAFNOSUPPORT`, `EPROTONOSUPPORT`, `EPERM` / `EACCES` for raw
    /// sockets without privilege, `EMFILE`, ...
    pub fn new(family: AddressFamily, kind: SocketKind, proto: Protocol) -> Result<AsyncSocket> {
        let mode = initial_mode(kind);
        let fd = sys::socket::socket(family, nonblocking(kind), proto)?;
        Ok(AsyncSocket::from_fd_parts(fd, family, kind.base(), proto, mode))
    }

    /// Creates a pair of connected sockets: Python's `socket.socketpair(family, type, proto)`
    /// (`socketpair(2)`). [`socketpair`] is the call with Python's defaults.
    ///
    /// ```
    /// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
    ///
    /// # asock::block_on(async {
    /// let (a, b) = AsyncSocket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_SEQPACKET, Protocol::from(0))?;
    /// a.send(b"one message").await?;
    /// assert_eq!(b.recv(100).await?, b"one message");
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `socketpair(2)`: `EOPNOTSUPP` for families without pairs (`AF_INET`), ...
    pub fn pair(
        family: AddressFamily,
        kind: SocketKind,
        proto: Protocol,
    ) -> Result<(AsyncSocket, AsyncSocket)> {
        let mode = initial_mode(kind);
        let (a, b) = sys::socket::socketpair(family, nonblocking(kind), proto)?;
        Ok((
            AsyncSocket::from_fd_parts(a, family, kind.base(), proto, mode),
            AsyncSocket::from_fd_parts(b, family, kind.base(), proto, mode),
        ))
    }

    /// A new `AsyncSocket` on a duplicate of `fd`: Python's `socket.fromfd(fd, ...)`, with the
    /// family, kind and protocol read back from the fd (`SO_DOMAIN`, `SO_TYPE`,
    /// `SO_PROTOCOL`). It starts in the default mode.
    ///
    /// The duplicate shares the open file description, so the original fd becomes
    /// `O_NONBLOCK` too.
    ///
    /// ```
    /// use std::os::fd::AsFd;
    /// use asock::{AddressFamily, AsyncSocket};
    ///
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let sock = AsyncSocket::from_fd(listener.as_fd())?;
    /// assert_eq!(sock.family(), AddressFamily::AF_INET);
    /// assert_eq!(sock.local_addr()?, listener.local_addr()?.into());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ENOTSOCK` when `fd` is not a socket, `EMFILE` when no fd is free, ... The duplicate is
    /// closed on every error.
    pub fn from_fd(fd: BorrowedFd<'_>) -> Result<AsyncSocket> {
        AsyncSocket::adopt(sys::socket::dup(fd)?)
    }

    /// Takes ownership of a socket fd: family, kind and protocol read back, `O_NONBLOCK` set,
    /// the default mode.
    pub(crate) fn adopt(fd: OwnedFd) -> Result<AsyncSocket> {
        let family = sys::socket::socket_family(fd.as_fd())?;
        let kind = sys::socket::socket_kind(fd.as_fd())?;
        let proto = sys::socket::socket_protocol(fd.as_fd())?;
        sys::socket::set_nonblocking(fd.as_fd(), true)?;
        Ok(AsyncSocket::from_fd_parts(fd, family, kind, proto, default_mode()))
    }

    /// An `AsyncSocket` on `fd`, which must already be `O_NONBLOCK`.
    pub(crate) fn from_fd_parts(
        fd: OwnedFd,
        family: AddressFamily,
        kind: SocketKind,
        proto: Protocol,
        mode: Mode,
    ) -> AsyncSocket {
        // The inner socket's own mode is never used (it never waits); NonBlocking is what
        // its fd really is.
        let inner = Socket::from_parts(fd, family, kind, proto, Mode::NonBlocking);
        AsyncSocket::from_inner(Some(inner), family, kind, proto, mode)
    }

    pub(crate) fn from_inner(
        inner: Option<Socket>,
        family: AddressFamily,
        kind: SocketKind,
        proto: Protocol,
        mode: Mode,
    ) -> AsyncSocket {
        let stream = kind == SocketKind::SOCK_STREAM;
        let tcp = stream && matches!(family, AddressFamily::AF_INET | AddressFamily::AF_INET6);
        AsyncSocket {
            io: inner.map(Registered::new),
            family,
            kind,
            proto,
            mode: ModeCell::new(mode),
            // Only TCP: a UNIX stream read also stops early, with data still queued, at a
            // segment that carries fds or another sender's credentials, so for UNIX streams
            // only `EAGAIN` proves the queue empty.
            read_drains: tcp,
            write_drains: stream,
        }
    }

    /// A new `AsyncSocket` on a duplicate fd (`F_DUPFD_CLOEXEC`): Python's `dup()`. Same
    /// family, kind, protocol and mode; its own registration.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// let a2 = a.dup()?;
    /// a2.send(b"via the duplicate").await?;
    /// assert_eq!(b.recv(64).await?, b"via the duplicate");
    /// assert_ne!(a.fileno(), a2.fileno());
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed, `EMFILE` when no fd is free.
    pub fn dup(&self) -> Result<AsyncSocket> {
        let fd = sys::socket::dup(self.fd()?)?;
        Ok(AsyncSocket::from_fd_parts(fd, self.family, self.kind, self.proto, self.mode()))
    }

    /// Closes the socket: Python's `close()`. The fd is deregistered from its reactor, then
    /// closed. Closing again does nothing; every other operation afterwards fails with
    /// `EBADF`. Dropping the socket closes it too, ignoring errors. (`&mut self`: no operation
    /// future can be alive.)
    ///
    /// ```
    /// let (mut a, _b) = asock::async_socket::socketpair()?;
    /// a.close()?;
    /// a.close()?; // idempotent
    /// assert_eq!(a.fileno(), -1);
    /// assert_eq!(a.try_send(b"x").unwrap_err().raw_os_error(), Some(libc::EBADF));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `close(2)` except `ECONNRESET` and `EINTR` (as
    /// [`blocking::Socket::close`](crate::blocking::Socket::close)). The fd is released in
    /// every case.
    pub fn close(&mut self) -> Result<()> {
        match self.io.take() {
            Some(io) => io.into_inner().close(),
            None => Ok(()),
        }
    }

    /// Gives up the fd without closing it (deregistered, still `O_NONBLOCK`): Python's
    /// `detach()`. The socket is closed afterwards; `None` when it already was.
    ///
    /// ```
    /// let (mut a, _b) = asock::async_socket::socketpair()?;
    /// let fd = a.detach().expect("was open");
    /// assert!(a.detach().is_none());
    /// let std_stream = std::os::unix::net::UnixStream::from(fd);
    /// # drop(std_stream);
    /// # Ok::<(), asock::Error>(())
    /// ```
    pub fn detach(&mut self) -> Option<OwnedFd> {
        self.io.take().and_then(|io| io.into_inner().detach())
    }

    /// Whether [`close`](Self::close) or [`detach`](Self::detach) has been called.
    ///
    /// ```
    /// let (mut a, _b) = asock::async_socket::socketpair()?;
    /// assert!(!a.is_closed());
    /// a.close()?;
    /// assert!(a.is_closed());
    /// # Ok::<(), asock::Error>(())
    /// ```
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.io.is_none()
    }

    /// The fd number, or -1 once closed: Python's `fileno()`.
    ///
    /// ```
    /// let (a, _b) = asock::async_socket::socketpair()?;
    /// assert!(a.fileno() >= 0);
    /// # Ok::<(), asock::Error>(())
    /// ```
    #[must_use]
    pub fn fileno(&self) -> RawFd {
        self.io.as_ref().map_or(-1, |io| io.get_ref().fileno())
    }

    /// The address family: Python's `family` attribute.
    ///
    /// ```
    /// let (a, _b) = asock::async_socket::socketpair()?;
    /// assert_eq!(a.family(), asock::AddressFamily::AF_UNIX);
    /// # Ok::<(), asock::Error>(())
    /// ```
    #[must_use]
    pub fn family(&self) -> AddressFamily {
        self.family
    }

    /// The socket kind, without `SOCK_NONBLOCK` / `SOCK_CLOEXEC`: Python's `type` attribute.
    ///
    /// ```
    /// let (a, _b) = asock::async_socket::socketpair()?;
    /// assert_eq!(a.kind(), asock::SocketKind::SOCK_STREAM);
    /// # Ok::<(), asock::Error>(())
    /// ```
    #[must_use]
    pub fn kind(&self) -> SocketKind {
        self.kind
    }

    /// The protocol: Python's `proto` attribute.
    ///
    /// ```
    /// let (a, _b) = asock::async_socket::socketpair()?;
    /// assert_eq!(a.proto().raw(), 0);
    /// # Ok::<(), asock::Error>(())
    /// ```
    #[must_use]
    pub fn proto(&self) -> Protocol {
        self.proto
    }

    /// The reactor serving this socket, or `None` before its first wait (registration is
    /// lazy: a socket that never waits is never registered).
    ///
    /// ```
    /// use asock::reactor::Backend;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// assert_eq!(a.backend(), None);
    /// // The recv is tried first, finds nothing, and waits: that registers `a`.
    /// let (got, sent) = futures::join!(a.recv(1), b.send(b"x"));
    /// assert_eq!((got?, sent?), (b"x".to_vec(), 1));
    /// assert_eq!(a.backend(), Some(Backend::Own)); // outside tokio: asock's own reactor
    /// assert_eq!(b.backend(), None); // its send never had to wait
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    #[must_use]
    pub fn backend(&self) -> Option<Backend> {
        self.io.as_ref().and_then(Registered::backend)
    }

    /// Whether the fd is inherited by programs this process `exec`s: Python's
    /// `get_inheritable()`. asock's fds start non-inheritable.
    ///
    /// ```
    /// let (a, _b) = asock::async_socket::socketpair()?;
    /// assert!(!a.inheritable()?);
    /// a.set_inheritable(true)?;
    /// assert!(a.inheritable()?);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn inheritable(&self) -> Result<bool> {
        self.inner()?.inheritable()
    }

    /// Makes the fd inheritable across `exec` or not: Python's `set_inheritable()`.
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn set_inheritable(&self, inheritable: bool) -> Result<()> {
        self.inner()?.set_inheritable(inheritable)
    }
}

/// `kind` with `SOCK_NONBLOCK`: an `AsyncSocket`'s fd always has it.
fn nonblocking(kind: SocketKind) -> SocketKind {
    kind.base().with_flags(SocketKind::SOCK_NONBLOCK)
}

/// The mode a new socket of `kind` starts in: CPython's `init_sockobject`.
fn initial_mode(kind: SocketKind) -> Mode {
    if kind.is_nonblocking() {
        Mode::NonBlocking
    } else {
        default_mode()
    }
}

/// A connected pair of `AF_UNIX` stream sockets: Python's `socket.socketpair()` with its
/// defaults. [`AsyncSocket::pair`] takes the family, kind and protocol.
///
/// ```
/// # asock::block_on(async {
/// let (a, b) = asock::async_socket::socketpair()?;
/// a.send_all(b"ping").await?;
/// assert_eq!(b.recv(4).await?, b"ping");
/// # Ok::<(), asock::Error>(())
/// # })?;
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// `EMFILE` / `ENFILE` when no fd is free.
pub fn socketpair() -> Result<(AsyncSocket, AsyncSocket)> {
    AsyncSocket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM, Protocol::from(0))
}

// ===== the seam every operation uses =====

impl AsyncSocket {
    /// The registered socket, or `EBADF` once closed.
    pub(crate) fn io(&self) -> Result<&Registered<Socket>> {
        self.io.as_ref().ok_or_else(sys::ebadf)
    }

    /// The inner blocking socket (never closed while inside), or `EBADF` once closed.
    pub(crate) fn inner(&self) -> Result<&Socket> {
        self.io().map(Registered::get_ref)
    }

    /// The fd, or `EBADF` once closed.
    pub(crate) fn fd(&self) -> Result<BorrowedFd<'_>> {
        self.inner()?.fd()
    }

    /// Takes the inner socket out, deregistered (conversions).
    pub(crate) fn take_inner(&mut self) -> Option<Socket> {
        self.io.take().map(Registered::into_inner)
    }

    /// The socket's mode (one relaxed atomic load).
    pub(crate) fn mode(&self) -> Mode {
        self.mode.get()
    }

    pub(crate) fn set_mode(&self, mode: Mode) {
        self.mode.set(mode);
    }

    /// A fresh wait in the socket's mode, for an operation future starting now.
    pub(crate) fn op_wait(&self) -> OpWait {
        OpWait::new(self.mode())
    }

    /// How a read of `got` bytes into `room` ends: a short read on TCP drains the queue.
    pub(crate) fn read_progress(&self, got: usize, room: usize) -> Progress {
        if self.read_drains && got < room {
            Progress::Drained
        } else {
            Progress::More
        }
    }

    /// How a write of `sent` of `len` bytes ends: a short write on a stream fills the buffer.
    pub(crate) fn write_progress(&self, sent: usize, len: usize) -> Progress {
        if self.write_drains && sent < len {
            Progress::Drained
        } else {
            Progress::More
        }
    }

    /// Runs `op` under `wait`'s mode: one try when non-blocking, else try / wait for
    /// `interest` / try again until done or the deadline passes.
    pub(crate) fn poll_op<R>(
        &self,
        cx: &mut Context<'_>,
        wait: &mut OpWait,
        interest: Interest,
        mut op: impl FnMut(BorrowedFd<'_>) -> Result<(R, Progress)>,
    ) -> Poll<Result<R>> {
        let io = match self.io() {
            Ok(io) => io,
            Err(e) => return Poll::Ready(Err(e)),
        };
        let mut f = |s: &Socket| op(s.fd()?);
        if wait.is_nonblocking() {
            // One try, always a syscall: would-block is the kernel's answer, not the cache's.
            return Poll::Ready(io.try_io_with(interest, &mut f));
        }
        let mut asked = false;
        let polled = io.poll_io_in(cx, interest, Some(wait.slot()), |s| {
            asked = true;
            f(s)
        });
        match polled {
            Poll::Ready(done) => Poll::Ready(done),
            Poll::Pending => match wait.poll_give_up(cx) {
                Poll::Pending => Poll::Pending,
                // The deadline has passed but this poll waited on cached readiness alone:
                // ask the kernel once before reporting the timeout (CPython polls the fd
                // once more too), so data that arrived without a reactor turn is not missed.
                Poll::Ready(e) if !asked => match io.try_io_with(interest, &mut f) {
                    Err(would_block) if would_block.is_would_block() => Poll::Ready(Err(e)),
                    done => Poll::Ready(done),
                },
                Poll::Ready(e) => Poll::Ready(Err(e)),
            },
        }
    }

    /// Tries `op` once, never waiting (the `try_*` methods).
    pub(crate) fn try_op<R>(
        &self,
        interest: Interest,
        op: impl FnOnce(BorrowedFd<'_>) -> Result<(R, Progress)>,
    ) -> Result<R> {
        self.io()?.try_io_with(interest, |s| op(s.fd()?))
    }

    /// Tries `op`, waiting with `cx` after each `EAGAIN` and with no deadline (the `poll_*`
    /// methods).
    pub(crate) fn poll_io<R>(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
        mut op: impl FnMut(BorrowedFd<'_>) -> Result<(R, Progress)>,
    ) -> Poll<Result<R>> {
        match self.io() {
            Ok(io) => io.poll_io_with(cx, interest, |s| op(s.fd()?)),
            Err(e) => Poll::Ready(Err(e)),
        }
    }

    /// Checks what CPython's address parsing checks: an address of the socket's family
    /// (`AF_UNSPEC` too for `connect`, which dissolves a datagram association).
    pub(crate) fn check_family(&self, addr: &SockAddr, unspec_ok: bool) -> Result<()> {
        let family = addr.family();
        if family == self.family || (unspec_ok && family == AddressFamily::AF_UNSPEC) {
            return Ok(());
        }
        Err(Error::from_errno(libc::EAFNOSUPPORT))
    }
}

impl fmt::Debug for AsyncSocket {
    /// Python's repr, with the mode and the backend: `<AsyncSocket fd=7, family=AF_INET,
    /// type=SOCK_STREAM, proto=0, laddr=..., raddr=..., mode=Blocking, backend=Some(Own)>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<AsyncSocket ")?;
        if self.is_closed() {
            write!(f, "[closed] ")?;
        }
        write!(
            f,
            "fd={}, family={}, type={}, proto={}",
            self.fileno(),
            self.family,
            self.kind,
            self.proto.raw()
        )?;
        if let Ok(addr) = self.local_addr() {
            write!(f, ", laddr={addr}")?;
        }
        if let Ok(addr) = self.peer_addr() {
            write!(f, ", raddr={addr}")?;
        }
        write!(f, ", mode={:?}, backend={:?}>", self.mode(), self.backend())
    }
}

impl AsRawFd for AsyncSocket {
    /// The fd number; -1 once closed (Python's `fileno()`).
    fn as_raw_fd(&self) -> RawFd {
        self.fileno()
    }
}

impl AsFd for AsyncSocket {
    /// # Panics
    ///
    /// If the socket has been closed or detached: a `BorrowedFd` cannot be -1. Check
    /// [`AsyncSocket::is_closed`] first, or use [`AsyncSocket::fileno`].
    fn as_fd(&self) -> BorrowedFd<'_> {
        match self.fd() {
            Ok(fd) => fd,
            Err(_) => panic!("AsyncSocket::as_fd on a closed socket"),
        }
    }
}
