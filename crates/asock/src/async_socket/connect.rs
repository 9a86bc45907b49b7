//! Connecting: `connect` and `connect_ex` as futures.
//!
//! A non-blocking connect is, as mio's docs put it, surprisingly complex. The steps, and why:
//!
//! 1. `connect(2)` once. It may succeed at once (UNIX and datagram sockets, often loopback)
//!    or fail at once (`ECONNREFUSED` for a UNIX path nobody listens on, `EAGAIN` for a UNIX
//!    listener whose backlog is full — reported as it is, as CPython does in timeout mode:
//!    there is nothing to wait for). `EINPROGRESS` means the kernel goes on alone.
//! 2. In non-blocking mode, stop there: `EINPROGRESS` is the result (Python's
//!    `BlockingIOError`). Otherwise register the socket — only now, as a TCP socket
//!    registered before `connect` reports a hang-up — and wait until it is writable.
//! 3. Writable means "finished, one way or the other". `SO_ERROR` says which way it failed
//!    (`ECONNREFUSED`, `ETIMEDOUT`, ...), and reading it clears it.
//! 4. `SO_ERROR` of 0 is not yet success: a wake-up can be spurious (a readiness left from
//!    before this connect, or a hang-up recorded when the socket was registered unconnected).
//!    `connect(2)` again settles it: `EISCONN` is success, `EALREADY` means still connecting
//!    (wait again), any other error is the outcome. (mio checks `getpeername` instead; that
//!    cannot tell "still connecting" from "failed, and someone read `SO_ERROR` first".)
//! 5. A spurious wake-up that comes from a hang-up state can never be cleared (hang-ups are
//!    sticky), so that case re-checks on a timer (1 ms, doubling to 64 ms) instead of
//!    spinning.
//!
//! Dropping a `Connect` future mid-way leaves the socket connecting in the kernel; the socket
//! owns its fd, so nothing leaks. Dropping the socket (as Happy Eyeballs does with the
//! attempts that lose) closes it, which aborts the connection.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use tracing::{debug, debug_span, Span};

use super::accept::DisplayResult;
use super::operation::socket_operation;
use super::AsyncSocket;
use crate::mode::OpWait;
use crate::reactor::Interest;
use crate::sys;
use crate::reactor::{sleep, Sleep};
use crate::{Error, ErrorKind, Result, SockAddr};

/// The first re-check interval after a spurious wake-up that cannot be cleared.
const FIRST_RECHECK: Duration = Duration::from_millis(1);
/// The longest re-check interval.
const LAST_RECHECK: Duration = Duration::from_millis(64);

impl AsyncSocket {
    /// Connects to `addr`: Python's `connect()` (`connect(2)`, then a wait for writability and
    /// `SO_ERROR`; see the steps in this file's docs).
    ///
    /// In non-blocking mode (`.nonblocking()`, or the socket's) it fails with `EINPROGRESS`
    /// while the connection proceeds, as in Python; wait with [`writable`](Self::writable)
    /// and read the outcome with [`take_error`](Self::take_error).
    ///
    /// ```
    /// use std::time::Duration;
    /// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
    ///
    /// # asock::block_on(async {
    /// let server = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let client = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0))?;
    /// client.connect(&server.local_addr()?.into()).timeout(Duration::from_secs(5)).await?;
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
    /// [`take_error`](Self::take_error).
    pub fn connect<'a>(&'a self, addr: &'a SockAddr) -> Connect<'a> {
        Connect {
            sock: self,
            addr,
            state: State::Start,
            wait: self.op_wait(),
            span: None,
            recheck: None,
        }
    }

    /// Python's `connect_ex()`: [`connect`](Self::connect) with the outcome as an errno, 0 on
    /// success. A timeout gives `EAGAIN` (CPython's `EWOULDBLOCK`), a closed socket `EBADF`.
    ///
    /// ```
    /// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
    ///
    /// # asock::block_on(async {
    /// // A port nobody listens on: bind one, and let it go.
    /// let probe = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let addr = probe.local_addr()?.into();
    /// drop(probe);
    /// let sock = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0))?;
    /// assert_eq!(sock.connect_ex(&addr).await?, libc::ECONNREFUSED);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// Only what Python raises rather than returns: an address of another family
    /// (`EAFNOSUPPORT`) or one that cannot be encoded (`InvalidInput`).
    ///
    /// # Cancel safety
    ///
    /// As [`connect`](Self::connect).
    pub fn connect_ex<'a>(&'a self, addr: &'a SockAddr) -> ConnectEx<'a> {
        ConnectEx { inner: self.connect(addr) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// `connect(2)` not called yet.
    Start,
    /// `EINPROGRESS`: waiting for writability.
    Waiting,
    /// Completed (polled again, it would call `connect(2)` again and report what the kernel
    /// says, e.g. `EISCONN`).
    Done,
}

/// The future of [`AsyncSocket::connect`]. An [`Operation`](crate::Operation).
///
/// Traced at debug level: a span `connect` with the peer's address, events for "in
/// progress", "connected" (with the local address) and "failed".
///
/// # Cancel safety
///
/// Dropping it leaves the socket connecting (see [`AsyncSocket::connect`]); it owns no fd.
#[must_use = "futures do nothing unless polled"]
pub struct Connect<'a> {
    sock: &'a AsyncSocket,
    addr: &'a SockAddr,
    state: State,
    wait: OpWait,
    span: Option<Span>,
    /// Re-check timer and its interval, after a spurious wake-up from a hang-up state.
    recheck: Option<(Sleep, Duration)>,
}

impl Future for Connect<'_> {
    type Output = Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        let addr = this.addr;
        let span = this.span.get_or_insert_with(|| debug_span!("connect", peer = %addr)).clone();
        let _entered = span.enter();
        let outcome = ready!(this.poll_connect(cx));
        this.state = State::Done;
        match &outcome {
            Ok(()) => debug!(local = %DisplayResult(this.sock.local_addr()), "connected"),
            Err(e) => debug!(error = %e, "connect failed"),
        }
        Poll::Ready(outcome)
    }
}

impl Connect<'_> {
    fn poll_connect(&mut self, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let sock = self.sock;
        if self.state != State::Waiting {
            sock.check_family(self.addr, true)?;
            match sys::socket::connect(sock.fd()?, self.addr) {
                Err(e) if in_progress(&e) && !self.wait.is_nonblocking() => {
                    debug!("in progress");
                    self.state = State::Waiting;
                }
                done => return Poll::Ready(done),
            }
        }
        let io = sock.io()?;
        loop {
            if let Some((timer, _)) = &mut self.recheck {
                match timer.poll_elapsed(cx) {
                    Poll::Pending => return self.wait.poll_give_up(cx).map(Err),
                    Poll::Ready(armed) => armed?,
                }
            }
            let event = match io.poll_ready_in(cx, Interest::WRITABLE, self.wait.slot()) {
                Poll::Ready(event) => event?,
                Poll::Pending => return self.wait.poll_give_up(cx).map(Err),
            };
            let fd = sock.fd()?;
            if let Some(e) = sys::socket::take_error(fd)? {
                return Poll::Ready(Err(e));
            }
            match sys::socket::connect(fd, self.addr) {
                Ok(()) => return Poll::Ready(Ok(())),
                Err(e) if e.raw_os_error() == Some(libc::EISCONN) => return Poll::Ready(Ok(())),
                Err(e) if in_progress(&e) || e.raw_os_error() == Some(libc::EALREADY) => {}
                Err(e) => return Poll::Ready(Err(e)),
            }
            // Still connecting: the wake-up was spurious.
            let readiness = event.readiness();
            if readiness.is_write_closed() || readiness.is_error() {
                // A sticky state: clearing would not help. Re-check on a timer.
                let interval = match &self.recheck {
                    Some((_, last)) => (*last * 2).min(LAST_RECHECK),
                    None => FIRST_RECHECK,
                };
                self.recheck = Some((sleep(interval), interval));
            } else {
                io.clear_readiness(event);
            }
        }
    }
}

/// `connect(2)` left the connection going: `EINPROGRESS`, or `EINTR` (connect is not
/// restarted after a signal; the kernel goes on, as CPython treats it).
fn in_progress(error: &Error) -> bool {
    matches!(error.raw_os_error(), Some(libc::EINPROGRESS | libc::EINTR))
}

/// The future of [`AsyncSocket::connect_ex`]: the errno of the outcome, 0 on success. An
/// [`Operation`](crate::Operation).
///
/// # Cancel safety
///
/// As [`Connect`].
#[must_use = "futures do nothing unless polled"]
#[derive(Debug)]
pub struct ConnectEx<'a> {
    inner: Connect<'a>,
}

impl Future for ConnectEx<'_> {
    type Output = Result<i32>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<i32>> {
        let this = self.get_mut();
        // What Python raises instead of returning: checked before any syscall.
        if this.inner.state == State::Start {
            this.inner.sock.check_family(this.inner.addr, true)?;
            this.inner.addr.to_raw()?;
        }
        let outcome = ready!(Pin::new(&mut this.inner).poll(cx));
        Poll::Ready(match outcome {
            Ok(()) => Ok(0),
            Err(e) => match (e.kind(), e.raw_os_error()) {
                (ErrorKind::Os, Some(errno)) => Ok(errno),
                (ErrorKind::Timeout, _) => Ok(libc::EWOULDBLOCK),
                _ => Err(e),
            },
        })
    }
}

impl crate::Operation for ConnectEx<'_> {
    fn with_mode(self, mode: crate::Mode) -> Self {
        ConnectEx { inner: crate::Operation::with_mode(self.inner, mode) }
    }

    fn with_deadline(self, deadline: crate::time::Instant) -> Self {
        ConnectEx { inner: crate::Operation::with_deadline(self.inner, deadline) }
    }
}

crate::mode::operation_modes!(impl[<'a>] ConnectEx<'a>);
socket_operation!(Connect<'a>);

impl std::fmt::Debug for Connect<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connect")
            .field("fd", &self.sock.fileno())
            .field("addr", &self.addr)
            .field("state", &self.state)
            .field("wait", &self.wait)
            .finish_non_exhaustive()
    }
}
