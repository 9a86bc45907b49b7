//! Accepting connections: `accept` as a future, `try_accept`, `poll_accept`, and the
//! classification of `accept(2)`'s errors for server loops.
//!
//! Linux's `accept(2)` reports two kinds of failure (accept(2), NOTES and ERRORS):
//!
//! - **The pending connection's own**: it was reset or aborted before we took it
//!   (`ECONNABORTED`), or a network error was pending on it (`EPROTO`, `ENETDOWN`,
//!   `ENOPROTOOPT`, `EHOSTDOWN`, `ENONET`, `EHOSTUNREACH`, `ENETUNREACH`). The connection is
//!   consumed and the listener is fine; the man page says to "treat them like EAGAIN by
//!   retrying". `accept` retries them inside the call (at most `MAX_RETRIES`, 64, in a row, so a
//!   kernel that kept returning one without consuming anything could not make us spin).
//!   `EOPNOTSUPP` is *not* among them: it also means "not a stream socket", which is permanent.
//!   Nor is `EPERM`: a security module refusing `accept` refuses it before dequeuing anything,
//!   so a retry would spin.
//! - **The process's or system's resources**: `EMFILE`, `ENFILE`, `ENOBUFS`, `ENOMEM`. The
//!   connection stays queued and the listener stays readable, so a loop that calls `accept`
//!   again at once just spins on the same error. They are reported as they are, and
//!   [`Error::is_resource_exhausted`] names them so a server can back off (sleep, close idle
//!   connections) before accepting again.

use std::future::Future;
use std::os::fd::{BorrowedFd, OwnedFd};
use std::pin::Pin;
use std::task::{Context, Poll};

use tracing::{debug, debug_span, Span};

use super::operation::{debug_operation, socket_operation};
use super::AsyncSocket;
use crate::mode::{default_mode, OpWait};
use crate::reactor::{Interest, Progress};
use crate::sys;
use crate::{Error, Result, SockAddr};

/// The most per-connection failures `accept` retries in a row before reporting one.
const MAX_RETRIES: usize = 64;

/// Whether `error` belongs to the one pending connection `accept` consumed (see the module
/// docs), so that accepting again may succeed.
fn is_per_connection(error: &Error) -> bool {
    matches!(
        error.raw_os_error(),
        Some(
            libc::ECONNABORTED
                | libc::EPROTO
                | libc::ENETDOWN
                | libc::ENOPROTOOPT
                | libc::EHOSTDOWN
                | libc::ENONET
                | libc::EHOSTUNREACH
                | libc::ENETUNREACH
        )
    )
}

impl AsyncSocket {
    /// Accepts a connection: Python's `accept()` (`accept4(2)` with `SOCK_NONBLOCK |
    /// SOCK_CLOEXEC`), returning the new socket and the peer's address.
    ///
    /// The new socket starts in the *default* mode
    /// ([`default_timeout`](crate::default_timeout)), not the listener's, as in CPython.
    /// Failures of the pending connection itself (`ECONNABORTED`, `EPROTO`, ...) are retried
    /// inside the call; running out of fds or memory is reported (see
    /// [`Error::is_resource_exhausted`]).
    ///
    /// ```
    /// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
    ///
    /// # asock::block_on(async {
    /// let listener = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0))?;
    /// listener.bind(&"127.0.0.1:0".parse()?)?;
    /// listener.listen(None)?;
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
    /// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
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
    /// # let listener = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0))?;
    /// # listener.bind(&"127.0.0.1:0".parse()?)?;
    /// # listener.listen(None)?;
    /// # let _client = std::net::TcpStream::connect(listener.local_addr()?.as_socket().unwrap())?;
    /// # next_connection(&listener).await?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// `EINVAL` when not listening; `EAGAIN` in non-blocking mode with no connection pending;
    /// "timed out" in timeout mode; `EMFILE` / `ENFILE` / `ENOBUFS` / `ENOMEM`
    /// ([`Error::is_resource_exhausted`]); `EBADF` when closed.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a connection is taken from the queue only by the try that completes the
    /// future, so a dropped `accept` loses no connection.
    pub fn accept(&self) -> Accept<'_> {
        Accept { sock: self, wait: self.op_wait(), span: None }
    }

    /// [`accept`](Self::accept) without waiting, whatever the mode: `EAGAIN` if no connection
    /// is pending.
    ///
    /// ```
    /// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
    ///
    /// let listener = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0))?;
    /// listener.bind(&"127.0.0.1:0".parse()?)?;
    /// listener.listen(None)?;
    /// assert!(listener.try_accept().unwrap_err().is_would_block());
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`accept`](Self::accept); `EAGAIN` when nothing is pending.
    pub fn try_accept(&self) -> Result<(AsyncSocket, SockAddr)> {
        let (fd, addr) = self.try_op(Interest::READABLE, accept_once)?;
        Ok((self.accepted(fd), addr))
    }

    /// Accepts a connection, or stores `cx`'s waker and returns `Pending`. Waits with no
    /// deadline, whatever the mode.
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
    ///
    /// # asock::block_on(async {
    /// let listener = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0))?;
    /// listener.bind(&"127.0.0.1:0".parse()?)?;
    /// listener.listen(None)?;
    /// let _client = std::net::TcpStream::connect(listener.local_addr()?.as_socket().unwrap())?;
    /// let (conn, _peer) = poll_fn(|cx| listener.poll_accept(cx)).await?;
    /// assert!(!conn.is_closed());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// As [`accept`](Self::accept) (never `EAGAIN` or a timeout).
    pub fn poll_accept(&self, cx: &mut Context<'_>) -> Poll<Result<(AsyncSocket, SockAddr)>> {
        self.poll_io(cx, Interest::READABLE, accept_once)
            .map_ok(|(fd, addr)| (self.accepted(fd), addr))
    }

    /// The `AsyncSocket` of an accepted fd (already `O_NONBLOCK`): the listener's family,
    /// kind and protocol, the default mode.
    fn accepted(&self, fd: OwnedFd) -> AsyncSocket {
        AsyncSocket::from_fd_parts(fd, self.family(), self.kind(), self.proto(), default_mode())
    }
}

/// One `accept4`, retrying the pending connection's own failures.
fn accept_once(fd: BorrowedFd<'_>) -> Result<((OwnedFd, SockAddr), Progress)> {
    let mut retries = 0;
    loop {
        match sys::socket::try_accept(fd, true) {
            Err(e) if is_per_connection(&e) && retries < MAX_RETRIES => {
                retries += 1;
                debug!(error = %e, "accept: a pending connection failed; accepting the next");
            }
            Err(e) => {
                if e.is_resource_exhausted() {
                    debug!(error = %e, "accept: out of resources; the connection stays queued");
                }
                return Err(e);
            }
            Ok(accepted) => return Ok((accepted, Progress::More)),
        }
    }
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
pub struct Accept<'a> {
    sock: &'a AsyncSocket,
    wait: OpWait,
    /// Created at the first poll; a disabled span (no subscriber) costs nothing.
    span: Option<Span>,
}

impl Future for Accept<'_> {
    type Output = Result<(AsyncSocket, SockAddr)>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let sock = this.sock;
        // The listener's address is a syscall: the macro evaluates it only when enabled.
        let span = this.span.get_or_insert_with(
            || debug_span!("accept", local = %DisplayResult(sock.local_addr())),
        );
        let _entered = span.enter();
        let polled = sock.poll_op(cx, &mut this.wait, Interest::READABLE, accept_once);
        polled.map_ok(|(fd, peer)| {
            let conn = sock.accepted(fd);
            debug!(peer = %peer, fd = conn.fileno(), "accepted");
            (conn, peer)
        })
    }
}

/// Shows an address, or the error that prevented reading it.
pub(super) struct DisplayResult<T>(pub(super) Result<T>);

impl<T: std::fmt::Display> std::fmt::Display for DisplayResult<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Ok(value) => value.fmt(f),
            Err(e) => write!(f, "({e})"),
        }
    }
}

socket_operation!(Accept<'a>);
debug_operation!(Accept);
