//! `AsyncSocket`: creation, lifetime, naming, and the seam every operation runs through.
//!
//! An `AsyncSocket` is an fd that is always `O_NONBLOCK`, inside a [`Registered`] (lazy
//! reactor registration, deregistered before close), its [`Shape`] (family, kind, protocol)
//! and its mode. Operations are the values of `ops/`, the same ones `blocking::Socket` runs;
//! here they wait on the reactor ([`AsyncSocket::poll_op`]).

use std::fmt;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::task::{Context, Poll};

use crate::mode::{default_mode, Mode, ModeCell, OpWait};
use crate::ops::{self, Op, Shape, Target};
use crate::reactor::{Backend, Registered};
use crate::sys;
use asock_core::{AddressFamily, Error, Result, SocketKind};

/// A socket of any family and kind for async code, with Rust signatures: reads into
/// `&mut [u8]` (or an uninitialised buffer), ports as `u16`, typed [`MsgFlags`](crate::MsgFlags),
/// and the socket object's three modes from Python.
///
/// - **Operations** (`accept`, `connect`, `recv`, `send_all`, ...) return named futures that
///   wait in the socket's mode — blocking (the default), non-blocking or timeout, set with
///   [`set_timeout`](Self::set_timeout) / [`set_blocking`](Self::set_blocking) or inherited
///   from [`set_default_timeout`](crate::set_default_timeout) — unless the future is given its
///   own with `.timeout(d)`, `.deadline(t)`, `.nonblocking()` or `.blocking()`.
/// - **`try_*`** methods make the system call once and never wait; **`poll_*`** methods serve
///   trait impls (`AsyncRead`, `AsyncWrite`, both tokio's and futures').
/// - Inside a tokio runtime the socket uses tokio's reactor; anywhere else asock's own
///   ([`asock::block_on`](crate::block_on) drives it on the calling thread).
///
/// The typed sockets of [`asock::net`](crate::net) (`TcpStream`, `UdpSocket`, ...) are this
/// type with the signatures of `tokio::net`; [`blocking::Socket`](crate::blocking::Socket) is
/// Python's socket object without a runtime. All three run the same operations.
///
/// The fd is always `O_NONBLOCK`, whatever the mode: the mode only says how the futures wait.
/// `AsyncSocket` is `Send` and `Sync`; its operations take `&self`, so any number of tasks can
/// share one socket (an `Arc<AsyncSocket>`): readers and writers alike, each waiting future is
/// woken by the event it waits for. The `poll_*` methods (and the `AsyncRead` / `AsyncWrite`
/// impls on them) keep one waker per direction, as tokio's do. See the [module docs](super)
/// for cancel safety and readiness.
///
/// ```
/// use asock::{AddressFamily, AsyncSocket, SocketKind};
///
/// # asock::block_on(async {
/// let rx = AsyncSocket::new(AddressFamily::AF_INET6, SocketKind::SOCK_DGRAM, None)?;
/// rx.bind("[::1]:0".parse::<asock::SockAddr>()?)?;
/// let tx = AsyncSocket::new(AddressFamily::AF_INET6, SocketKind::SOCK_DGRAM, None)?;
/// tx.send_to(b"hello", rx.local_addr()?).await?;
/// let mut buf = [0; 64];
/// let (n, from) = rx.recv_from(&mut buf).await?;
/// assert_eq!(&buf[..n], b"hello");
/// assert_eq!(from.family(), AddressFamily::AF_INET6);
/// # Ok::<(), asock::Error>(())
/// # })?;
/// # Ok::<(), asock::Error>(())
/// ```
pub struct AsyncSocket {
    /// `None` once closed or detached: every later operation fails with `EBADF`.
    io: Option<Registered<OwnedFd>>,
    shape: Shape,
    mode: ModeCell,
}

// ===== creation and lifetime =====

// `new`, `pair`, `from_fd` and `dup` are written once for both front doors (mode/facade.rs);
// the docs, which differ, are the ones below.
crate::mode::constructors! {
    AsyncSocket,
    from_parts: from_fd_parts,
    // An `AsyncSocket`'s fd is `O_NONBLOCK` whatever its mode.
    fd_nonblocking: |_| true,
    /// Creates a socket: Python's `socket.socket(family, type, proto)` (`socket(2)`, always
    /// with `SOCK_NONBLOCK | SOCK_CLOEXEC`). `proto` is `None` for the family's default
    /// protocol (Python's 0), or a [`Protocol`](crate::Protocol).
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
    /// let sock = AsyncSocket::new(AddressFamily::AF_INET, kind, Protocol::IPPROTO_TCP)?;
    /// assert_eq!(sock.kind(), SocketKind::SOCK_STREAM);
    /// assert_eq!(sock.timeout(), Some(Duration::ZERO));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `socket(2)`: `EAFNOSUPPORT`, `EPROTONOSUPPORT`, `EPERM` / `EACCES` for raw
    /// sockets without privilege, `EMFILE`, ...
    fn new;

    /// Creates a pair of connected sockets: Python's `socket.socketpair(family, type, proto)`
    /// (`socketpair(2)`). [`socketpair`] is the call with Python's defaults.
    ///
    /// ```
    /// use asock::{AddressFamily, AsyncSocket, SocketKind};
    ///
    /// # asock::block_on(async {
    /// let (a, b) = AsyncSocket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_SEQPACKET, None)?;
    /// a.send(b"one message").await?;
    /// let mut buf = [0; 100];
    /// let n = b.recv(&mut buf).await?;
    /// assert_eq!(&buf[..n], b"one message");
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `socketpair(2)`: `EOPNOTSUPP` for families without pairs (`AF_INET`), ...
    fn pair;

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
    fn from_fd;

    /// A new `AsyncSocket` on a duplicate fd (`F_DUPFD_CLOEXEC`): Python's `dup()`. Same
    /// family, kind, protocol and mode; its own registration.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// let a2 = a.dup()?;
    /// a2.send(b"via the duplicate").await?;
    /// let mut buf = [0; 64];
    /// let n = b.recv(&mut buf).await?;
    /// assert_eq!(&buf[..n], b"via the duplicate");
    /// assert_ne!(a.fileno(), a2.fileno());
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed, `EMFILE` when no fd is free.
    fn dup;
}

impl AsyncSocket {
    /// Takes ownership of a socket fd: family, kind and protocol read back, `O_NONBLOCK` set,
    /// the default mode.
    pub(crate) fn adopt(fd: OwnedFd) -> Result<AsyncSocket> {
        let shape = ops::create::shape_of(fd.as_fd())?;
        ops::create::set_nonblocking(&fd, true)?;
        Ok(AsyncSocket::from_fd_parts(fd, shape, default_mode()))
    }

    /// A closed `AsyncSocket` of `shape` (from a closed blocking socket).
    pub(crate) fn closed(shape: Shape, mode: Mode) -> AsyncSocket {
        AsyncSocket { io: None, shape, mode: ModeCell::new(mode) }
    }

    /// An `AsyncSocket` on `fd`, which must already be `O_NONBLOCK`.
    pub(crate) fn from_fd_parts(fd: OwnedFd, shape: Shape, mode: Mode) -> AsyncSocket {
        AsyncSocket { io: Some(Registered::new(fd)), shape, mode: ModeCell::new(mode) }
    }

    /// Closes the socket: Python's `close()`. The fd is deregistered from its reactor, then
    /// closed. Closing again does nothing; every other operation afterwards fails with
    /// `EBADF`, and [`as_fd`](AsFd::as_fd) lends a number no file has (see [`AsFd`]). Dropping
    /// the socket closes it too, ignoring errors. (`&mut self`: no operation future can be
    /// alive.)
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
        self.io.take().map_or(Ok(()), |io| ops::create::close(io.into_inner()))
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
        self.io.take().map(Registered::into_inner)
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
        self.io.as_ref().map_or(-1, |io| io.get_ref().as_raw_fd())
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
    /// let mut buf = [0; 1];
    /// let (got, sent) = futures::join!(a.recv(&mut buf), b.send(b"x"));
    /// assert_eq!((got?, sent?), (1, 1));
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
}

// `family`, `kind`, `proto`, `options`, `inheritable`, `set_inheritable`: written once for
// both front doors (mode/facade.rs).
crate::mode::shape_methods!(
    AsyncSocket,
    setup: "let (a, _b) = asock::async_socket::socketpair()?;",
);

/// A connected pair of `AF_UNIX` stream sockets: Python's `socket.socketpair()` with its
/// defaults. [`AsyncSocket::pair`] takes the family, kind and protocol.
///
/// ```
/// # asock::block_on(async {
/// let (a, b) = asock::async_socket::socketpair()?;
/// a.send_all(b"ping").await?;
/// let mut buf = [0; 4];
/// b.recv(&mut buf).await?;
/// assert_eq!(&buf, b"ping");
/// # Ok::<(), asock::Error>(())
/// # })?;
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// `EMFILE` / `ENFILE` when no fd is free.
pub fn socketpair() -> Result<(AsyncSocket, AsyncSocket)> {
    AsyncSocket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM, None)
}

// ===== the seam every operation uses =====

impl AsyncSocket {
    /// The registered fd, or `EBADF` once closed.
    pub(crate) fn io(&self) -> Result<&Registered<OwnedFd>> {
        self.io.as_ref().ok_or_else(sys::ebadf)
    }

    /// The fd, or `EBADF` once closed.
    pub(crate) fn fd(&self) -> Result<BorrowedFd<'_>> {
        self.io().map(|io| io.get_ref().as_fd())
    }

    /// What kind of socket this is, as the operations need it.
    pub(crate) fn shape(&self) -> Shape {
        self.shape
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

    /// Runs `op` under `wait`'s mode: one attempt when non-blocking; else attempt, wait for
    /// its interest, attempt again, until it completes or the deadline passes. A deadline that
    /// passes while this poll waited on cached readiness alone asks the kernel once more
    /// before reporting the timeout (CPython's `poll` looks at the fd at the deadline too), so
    /// data that arrived without a reactor turn is not missed.
    pub(crate) fn poll_op<O: Op>(
        &self,
        cx: &mut Context<'_>,
        wait: &mut OpWait,
        op: &mut O,
    ) -> Poll<Result<O::Output>> {
        let io = match self.io_or_done(op) {
            Ok(io) => io,
            Err(done) => return Poll::Ready(done),
        };
        let (shape, interest) = (self.shape, op.interest());
        let pending = |e: &Error| e.is_would_block() || O::in_progress(e);
        if wait.is_nonblocking() {
            return Poll::Ready(
                io.try_steps(interest, |fd| op.attempt(Target { fd: fd.as_fd(), shape })),
            );
        }
        op.will_wait();
        let mut attempts = 0;
        // tokio's backend waits first while readiness is known clear; an attempt whose
        // outcome does not come from readiness must not wait for an event that never comes.
        if io.backend() == Some(Backend::Tokio) && op.attempt_before_waiting() {
            attempts += 1;
            let first = io.try_steps(interest, |fd| op.attempt(Target { fd: fd.as_fd(), shape }));
            match first {
                Err(e) if pending(&e) => {}
                done => return Poll::Ready(done),
            }
        }
        let polled = io.poll_steps(
            cx,
            interest,
            Some(wait.slot()),
            |fd| {
                attempts += 1;
                op.attempt(Target { fd: fd.as_fd(), shape })
            },
            pending,
        );
        match polled {
            Poll::Ready(done) => Poll::Ready(done),
            Poll::Pending => match wait.poll_give_up(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(timeout) if attempts == 0 => {
                    match io.try_steps(interest, |fd| op.attempt(Target { fd: fd.as_fd(), shape }))
                    {
                        Err(e) if pending(&e) => Poll::Ready(Err(timeout)),
                        done => Poll::Ready(done),
                    }
                }
                Poll::Ready(timeout) => Poll::Ready(Err(timeout)),
            },
        }
    }

    /// The registered fd `op` runs on; once the socket is closed, `op`'s result if it needs no
    /// system call (CPython's `recv(0)` on a closed socket is `b""`, no error), else `EBADF`.
    fn io_or_done<O: Op>(
        &self,
        op: &O,
    ) -> std::result::Result<&Registered<OwnedFd>, Result<O::Output>> {
        self.io().map_err(|closed| op.without_syscall().ok_or(closed))
    }

    /// One attempt of `op`, never waiting (the `try_*` methods).
    pub(crate) fn try_op<O: Op>(&self, mut op: O) -> Result<O::Output> {
        let shape = self.shape;
        let io = match self.io_or_done(&op) {
            Ok(io) => io,
            Err(done) => return done,
        };
        io.try_steps(op.interest(), |fd| op.attempt(Target { fd: fd.as_fd(), shape }))
    }

    /// Runs `op` with `cx`'s waker and no deadline, whatever the mode (the `poll_*` methods,
    /// which wait in the one slot per direction that `poll_*` callers share).
    pub(crate) fn poll_op_once<O: Op>(
        &self,
        cx: &mut Context<'_>,
        op: &mut O,
    ) -> Poll<Result<O::Output>> {
        let io = match self.io_or_done(op) {
            Ok(io) => io,
            Err(done) => return Poll::Ready(done),
        };
        let shape = self.shape;
        let pending = |e: &Error| e.is_would_block() || O::in_progress(e);
        io.poll_steps(
            cx,
            op.interest(),
            None,
            |fd| op.attempt(Target { fd: fd.as_fd(), shape }),
            pending,
        )
    }
}

impl fmt::Debug for AsyncSocket {
    /// Python's repr, with the mode and the backend: `<AsyncSocket fd=7, family=AF_INET,
    /// type=SOCK_STREAM, proto=0, laddr=..., raddr=..., mode=Blocking, backend=Some(Own)>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        ops::naming::write_repr(f, "AsyncSocket", self.fd().ok(), self.shape)?;
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
    /// The fd. Never panics: once the socket is closed it lends a number no file can have,
    /// on which every system call fails with `EBADF`, as asock's own methods do.
    ///
    /// ```
    /// use std::os::fd::AsFd;
    ///
    /// let (mut a, _b) = asock::async_socket::socketpair()?;
    /// a.close()?;
    /// let err = socket2::SockRef::from(&a.as_fd()).r#type().unwrap_err();
    /// assert_eq!(err.raw_os_error(), Some(libc::EBADF));
    /// # Ok::<(), asock::Error>(())
    /// ```
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd().unwrap_or_else(|_| sys::fd::closed())
    }
}

crate::sys::impl_from_raw_fd!(AsyncSocket);
