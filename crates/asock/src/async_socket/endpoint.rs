//! Naming and connecting an `AsyncSocket`: `bind`, `listen`, `accept`, `connect`,
//! `shutdown` and the two addresses.
//!
//! `accept` and `connect` are the two operations a server or client log wants to see: each
//! runs in a `tracing` span at debug level (`accept` with the listener's address, `connect`
//! with the peer's), with an event per outcome.
//!
//! Accept failures belong to one of two kinds (see `ops/accept.rs`): the pending
//! connection's own (`ECONNABORTED`, `EPROTO`, ...), which `accept` skips to take the next
//! one, and the process's resources (`EMFILE`, `ENFILE`, `ENOBUFS`, `ENOMEM`), which it
//! reports so that a server can back off
//! ([`Error::is_resource_exhausted`](crate::Error::is_resource_exhausted)).
//!
//! A non-blocking connect is, as mio's docs put it, surprisingly complex; `ops/connect.rs`
//! has the steps. Dropping a `ConnectFuture` mid-way leaves the socket connecting in the
//! kernel; the socket owns its fd, so nothing leaks, and dropping the socket (as Happy
//! Eyeballs does with the attempts that lose) aborts the connection.

use std::future::Future;
use std::os::fd::OwnedFd;
use std::pin::Pin;
use std::task::{Context, Poll};

use tracing::{debug, debug_span, Span};

use super::op_future::OpFuture;
use super::AsyncSocket;
use crate::mode::default_mode;
use crate::ops::accept::Accept;
use crate::ops::connect::Connect;
use crate::ops::naming::{self, checked};
use asock_core::{Result, SockAddr};

impl AsyncSocket {
    /// Binds the socket to `addr`: `bind(2)`.
    ///
    /// ```
    /// use asock::{AddressFamily, AsyncSocket, SockAddr, SocketKind};
    ///
    /// let sock = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, None)?;
    /// sock.bind("127.0.0.1:0".parse::<SockAddr>()?)?;
    /// assert_ne!(sock.local_addr()?.port(), Some(0));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAFNOSUPPORT` for an address of another family; `EINVAL` when already bound;
    /// `EADDRINUSE`, `EACCES`; `EBADF` when closed; `InvalidInput` for an address that cannot
    /// be encoded.
    pub fn bind(&self, addr: impl Into<SockAddr>) -> Result<()> {
        naming::bind(self.fd()?, self.shape(), &addr.into())
    }

    /// Listens for connections: `listen(2)`. `backlog` is capped by the kernel at
    /// `net.core.somaxconn`; [`create_server`](crate::create_server) uses CPython's default,
    /// `min(SOMAXCONN, 128)`. The socket is registered with a reactor at the first
    /// [`accept`](Self::accept) that has to wait.
    ///
    /// ```
    /// use asock::{AddressFamily, AsyncSocket, SockAddr, SocketKind};
    ///
    /// let sock = AsyncSocket::new(AddressFamily::AF_INET6, SocketKind::SOCK_STREAM, None)?;
    /// sock.bind("[::1]:0".parse::<SockAddr>()?)?;
    /// sock.listen(16)?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` for a datagram socket, `EBADF` when closed, ...
    pub fn listen(&self, backlog: u32) -> Result<()> {
        naming::listen(self.fd()?, i32::try_from(backlog).unwrap_or(i32::MAX))
    }

    /// Accepts a connection: `accept4(2)` with `SOCK_NONBLOCK | SOCK_CLOEXEC`, returning the
    /// new socket and the peer's address.
    ///
    /// The new socket starts in the *default* mode
    /// ([`default_timeout`](crate::default_timeout)), not the listener's, as in CPython.
    /// Failures of the pending connection itself (`ECONNABORTED`, `EPROTO`, ...) are skipped
    /// inside the call; running out of fds or memory is reported (see
    /// [`Error::is_resource_exhausted`](crate::Error::is_resource_exhausted)).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let listener = asock::create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
    /// let client = std::net::TcpStream::connect(listener.local_addr()?.as_socket().unwrap())?;
    /// let (conn, peer) = listener.accept().await?;
    /// assert_eq!(peer, client.local_addr()?.into());
    /// assert_eq!(conn.peer_addr()?, peer);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// A server loop backs off when the process runs out of fds, instead of spinning:
    ///
    /// ```
    /// use std::time::Duration;
    /// use asock::AsyncSocket;
    ///
    /// async fn next_connection(listener: &AsyncSocket) -> asock::Result<AsyncSocket> {
    ///     loop {
    ///         match listener.accept().await {
    ///             Ok((conn, _peer)) => return Ok(conn),
    ///             // The connection stays queued: wait for fds to free up, then retry.
    ///             Err(e) if e.is_resource_exhausted() => {
    ///                 asock::sleep(Duration::from_millis(100)).await;
    ///             }
    ///             Err(e) => return Err(e),
    ///         }
    ///     }
    /// }
    /// # asock::block_on(async {
    /// # let listener = asock::create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
    /// # let _client = std::net::TcpStream::connect(listener.local_addr()?.as_socket().unwrap())?;
    /// # next_connection(&listener).await?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// `EINVAL` when not listening; `EAGAIN` in non-blocking mode with no connection pending;
    /// "timed out" in timeout mode; `EMFILE` / `ENFILE` / `ENOBUFS` / `ENOMEM`; `EBADF` when
    /// closed.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a connection is taken from the queue only by the attempt that completes
    /// the future, so a dropped `accept` loses no connection.
    pub fn accept(&self) -> AcceptFuture<'_> {
        let accept = Accept { nonblocking: true, skip_failed: true };
        AcceptFuture { inner: OpFuture::new(self, Ok(accept)), span: None }
    }

    /// [`accept`](Self::accept) without waiting, whatever the mode: `EAGAIN` if no connection
    /// is pending.
    ///
    /// ```
    /// let listener = asock::create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
    /// assert!(listener.try_accept().unwrap_err().is_would_block());
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`accept`](Self::accept); `EAGAIN` when nothing is pending.
    pub fn try_accept(&self) -> Result<(AsyncSocket, SockAddr)> {
        let (fd, peer) = self.try_op(Accept { nonblocking: true, skip_failed: true })?;
        Ok((self.accepted(fd), peer))
    }

    /// Accepts a connection, or stores `cx`'s waker and returns `Pending`: for accept loops
    /// written as `poll` functions. Waits with no deadline, whatever the mode.
    ///
    /// ```
    /// use std::future::poll_fn;
    ///
    /// # asock::block_on(async {
    /// let listener = asock::create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
    /// let _client = std::net::TcpStream::connect(listener.local_addr()?.as_socket().unwrap())?;
    /// let (conn, _peer) = poll_fn(|cx| listener.poll_accept(cx)).await?;
    /// assert!(conn.peer_addr().is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// As [`accept`](Self::accept) (never `EAGAIN` or a timeout).
    pub fn poll_accept(&self, cx: &mut Context<'_>) -> Poll<Result<(AsyncSocket, SockAddr)>> {
        let mut accept = Accept { nonblocking: true, skip_failed: true };
        self.poll_op_once(cx, &mut accept).map_ok(|(fd, peer)| (self.accepted(fd), peer))
    }

    /// The `AsyncSocket` of an accepted fd (already `O_NONBLOCK`): the listener's family,
    /// kind and protocol, the default mode.
    fn accepted(&self, fd: OwnedFd) -> AsyncSocket {
        AsyncSocket::from_fd_parts(fd, self.shape(), default_mode())
    }

    /// Connects to `addr`: `connect(2)`, then a wait for writability and the outcome (see
    /// `ops/connect.rs`).
    ///
    /// In non-blocking mode (`.nonblocking()`, or the socket's) it fails with `EINPROGRESS`
    /// while the connection proceeds, as in Python; wait with [`writable`](Self::writable)
    /// and read the outcome with `take_error` ([`SocketOptions`](crate::SocketOptions)).
    ///
    /// ```
    /// use std::time::Duration;
    /// use asock::{AddressFamily, AsyncSocket, SocketKind};
    ///
    /// # asock::block_on(async {
    /// let server = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let client = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, None)?;
    /// client.connect(server.local_addr()?).timeout(Duration::from_secs(5)).await?;
    /// assert_eq!(client.peer_addr()?, server.local_addr()?.into());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// `ECONNREFUSED`, `ENETUNREACH`, `ETIMEDOUT`, ...; `EINPROGRESS` in non-blocking mode;
    /// "timed out" in timeout mode; `EALREADY` when a connect is already in progress (an
    /// earlier one was dropped or timed out); `EISCONN` when already connected;
    /// `EAFNOSUPPORT` for an address of another family; `EBADF` when closed.
    ///
    /// # Cancel safety
    ///
    /// A dropped `connect` creates and leaks nothing, but the socket stays *connecting*: the
    /// kernel goes on with the handshake, and a later `connect` gets `EALREADY`. To give up,
    /// drop (or close) the socket; to keep waiting, use [`writable`](Self::writable) and
    /// `take_error`.
    pub fn connect(&self, addr: impl Into<SockAddr>) -> ConnectFuture<'_> {
        let addr = addr.into();
        let op = checked(self.shape(), &addr, true).map(Connect::new);
        ConnectFuture { inner: OpFuture::new(self, op), peer: addr, span: None, waiting: false }
    }
}

// `shutdown`, `local_addr` and `peer_addr`, written once for both front doors
// (mode/facade.rs).
crate::mode::naming_methods! {
    AsyncSocket,
    setup: "let (a, _b) = asock::async_socket::socketpair()?;",
    path: "asock::AsyncSocket",
    /// Shuts down one or both directions: `shutdown(2)`.
    ///
    /// ```
    /// use std::net::Shutdown;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.shutdown(Shutdown::Write)?;
    /// assert_eq!(b.recv(&mut [0; 10]).await?, 0); // end of stream
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ENOTCONN` when not connected, `EBADF` when closed.
    fn shutdown;
}

/// The future of [`AsyncSocket::accept`]: the new socket and the peer's address. An
/// [`Operation`](crate::Operation).
///
/// Traced at debug level: a span `accept` with the listener's address (read only when a
/// subscriber wants it), an event per connection with the peer's address.
///
/// # Cancel safety
///
/// Cancel safe: no connection is taken from the queue unless the future completes.
#[must_use = "futures do nothing unless polled"]
#[derive(Debug)]
pub struct AcceptFuture<'a> {
    inner: OpFuture<'a, Accept>,
    /// Created at the first poll; a disabled span (no subscriber) costs nothing.
    span: Option<Span>,
}

impl Future for AcceptFuture<'_> {
    type Output = Result<(AsyncSocket, SockAddr)>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let sock = this.inner.socket();
        // The listener's address is a syscall: the macro evaluates it only when enabled.
        let span = this.span.get_or_insert_with(
            || debug_span!("accept", local = %DisplayResult(sock.local_addr())),
        );
        let _entered = span.enter();
        this.inner.poll_op(cx).map_ok(|(fd, peer)| {
            let conn = sock.accepted(fd);
            debug!(peer = %peer, fd = conn.fileno(), "accepted");
            (conn, peer)
        })
    }
}

/// The future of [`AsyncSocket::connect`]. An [`Operation`](crate::Operation).
///
/// Traced at debug level: a span `connect` with the peer's address, an event "in progress"
/// when it starts waiting (a connect that never ends still shows in the log), then
/// "connected" (with the local address) or "connect failed".
///
/// # Cancel safety
///
/// Dropping it leaves the socket connecting (see [`AsyncSocket::connect`]); it owns no fd.
#[must_use = "futures do nothing unless polled"]
#[derive(Debug)]
pub struct ConnectFuture<'a> {
    inner: OpFuture<'a, Connect>,
    peer: SockAddr,
    span: Option<Span>,
    /// "in progress" has been traced.
    waiting: bool,
}

impl Future for ConnectFuture<'_> {
    type Output = Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        let peer = &this.peer;
        let span = this.span.get_or_insert_with(|| debug_span!("connect", peer = %peer));
        let _entered = span.enter();
        let Poll::Ready(outcome) = this.inner.poll_op(cx) else {
            if !this.waiting {
                this.waiting = true;
                debug!("in progress");
            }
            return Poll::Pending;
        };
        match &outcome {
            Ok(()) => debug!(local = %DisplayResult(this.inner.socket().local_addr()), "connected"),
            Err(e) => debug!(error = %e, "connect failed"),
        }
        Poll::Ready(outcome)
    }
}

impl crate::mode::Operation for AcceptFuture<'_> {
    fn with_mode(self, mode: crate::mode::Mode) -> Self {
        AcceptFuture { inner: self.inner.with_mode(mode), ..self }
    }

    fn with_deadline(self, deadline: crate::time::Instant) -> Self {
        AcceptFuture { inner: self.inner.with_deadline(deadline), ..self }
    }
}

impl crate::mode::Operation for ConnectFuture<'_> {
    fn with_mode(self, mode: crate::mode::Mode) -> Self {
        ConnectFuture { inner: self.inner.with_mode(mode), ..self }
    }

    fn with_deadline(self, deadline: crate::time::Instant) -> Self {
        ConnectFuture { inner: self.inner.with_deadline(deadline), ..self }
    }
}

crate::mode::operation_modes!(impl[<'a>] AcceptFuture<'a>);
crate::mode::operation_modes!(impl[<'a>] ConnectFuture<'a>);

/// Shows an address, or the error that prevented reading it.
struct DisplayResult<T>(Result<T>);

impl<T: std::fmt::Display> std::fmt::Display for DisplayResult<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Ok(value) => value.fmt(f),
            Err(e) => write!(f, "({e})"),
        }
    }
}
