//! Connecting: `connect(2)`, then, while the connection is being made, its outcome.
//!
//! A non-blocking `connect` answers `EINPROGRESS` and goes on in the kernel; so does one
//! interrupted by a signal (`EINTR`: connect is never restarted, a second call would get
//! `EALREADY`). The operation then calls `connect(2)` once more at once (over loopback the
//! connection is made by then), and if that says "still going", again after each wait for
//! writability. Its answer is the outcome in one system call: 0 (or `EISCONN`) once the connection
//! is made, `EALREADY` while it is still going, and the connection's own error (`ECONNREFUSED`,
//! `ETIMEDOUT`, ...) when it failed: Linux reports the pending error there and clears it, as
//! `getsockopt(SO_ERROR)` would (`__inet_stream_connect`). CPython and tokio ask `SO_ERROR` instead
//! and trust the writable event; asock cannot always trust it (a socket registered before its
//! connect may carry a writable or hang-up state from before), and `connect(2)` answers both
//! questions at the price of one.

use std::os::fd::OwnedFd;

use socket2::SockRef;

use super::{create, naming, Interest, Op, Progress, Shape, Step, Target};
use asock_core::{Error, Protocol, Result, SockAddr, SocketKind};

/// `connect(2)` to `addr` (already checked against the socket's family and encoded).
#[derive(Debug)]
pub(crate) struct Connect {
    pub(crate) addr: socket2::SockAddr,
    /// `connect(2)` has been called and answered "in progress".
    started: bool,
    /// The call waits for the outcome: ask for it right after a first "in progress".
    waits: bool,
}

impl Connect {
    pub(crate) fn new(addr: socket2::SockAddr) -> Connect {
        Connect { addr, started: false, waits: false }
    }
}

impl Op for Connect {
    type Output = ();

    fn interest(&self) -> Interest {
        Interest::WRITABLE
    }

    fn attempt(&mut self, target: Target<'_>) -> Result<(Step<()>, Progress)> {
        let sock = SockRef::from(&target.fd);
        if !self.started {
            match sock.connect(&self.addr) {
                Ok(()) => return Ok((Step::Done(()), Progress::More)),
                Err(e) => {
                    let e = Error::from(e);
                    if !is_connecting(&e) {
                        return Err(e);
                    }
                    self.started = true;
                    // A non-blocking call reports the kernel's first answer, as CPython's
                    // `connect_ex` does. A call that waits asks for the outcome at once: over
                    // loopback (and to any peer that answers within the call) the handshake is
                    // over before the first `connect(2)` returns, so this second one answers 0
                    // and the connection needs no registration, no event and no wake-up.
                    // Elsewhere it answers `EALREADY`: one system call against a network
                    // round trip.
                    if !self.waits {
                        return Err(e);
                    }
                }
            }
        }
        self.outcome(&sock)
    }

    fn will_wait(&mut self) {
        self.waits = true;
    }

    fn in_progress(error: &Error) -> bool {
        is_connecting(error)
    }

    fn attempt_before_waiting(&self) -> bool {
        !self.started
    }
}

impl Connect {
    /// What a `connect(2)` on a connection this operation started says of it: made (0, or
    /// `EISCONN` once a previous call has said so), still going (`EALREADY`, reported as
    /// `EINPROGRESS`: `in_progress` sees an errno without knowing who started the connection,
    /// and a first `EALREADY`, someone else's connect still going, must fail at once, as in
    /// CPython), or failed with the connection's own error.
    fn outcome(&self, sock: &SockRef<'_>) -> Result<(Step<()>, Progress)> {
        match sock.connect(&self.addr) {
            Ok(()) => Ok((Step::Done(()), Progress::More)),
            Err(e) if e.raw_os_error() == Some(libc::EISCONN) => {
                Ok((Step::Done(()), Progress::More))
            }
            Err(e) if matches!(e.raw_os_error(), Some(libc::EALREADY | libc::EINTR)) => {
                Err(Error::from_errno(libc::EINPROGRESS))
            }
            Err(e) => Err(e.into()),
        }
    }
}

/// The connection this operation started goes on in the kernel. Not `EALREADY` from a first
/// `connect(2)`: that is an earlier connect's, and the caller is told at once.
fn is_connecting(error: &Error) -> bool {
    matches!(error.raw_os_error(), Some(libc::EINPROGRESS | libc::EINTR))
}

/// The TCP shape of a connection to `addr`.
pub(crate) fn tcp_shape(addr: &SockAddr) -> Shape {
    Shape::new(addr.family(), SocketKind::SOCK_STREAM, Protocol::IPPROTO_TCP)
}

/// The socket of one Happy Eyeballs attempt, before its `connect`: a non-blocking TCP socket
/// of `addr`'s family, bound to `source` when one is given; the fd is closed on any error.
/// Both races (the async `AsyncConnector` and the blocking `SocketNetwork`) make their
/// attempts with it, then run [`Connect`] on it.
pub(crate) fn attempt_socket(addr: &SockAddr, source: Option<&SockAddr>) -> Result<OwnedFd> {
    let shape = tcp_shape(addr);
    let fd = create::socket(shape, true)?;
    if let Some(source) = source {
        if source.port() == Some(0) {
            // Bind the address only and leave the port to connect(), which can then share a
            // port between connections to different peers; a bind to port 0 would reserve a
            // port per attempt and exhaust the range sooner (ip(7) IP_BIND_ADDRESS_NO_PORT;
            // trio does the same). Best effort: an old kernel without it still works.
            let (level, name) = (libc::IPPROTO_IP, libc::IP_BIND_ADDRESS_NO_PORT);
            let _ =
                crate::sys::options::set_option_int(std::os::fd::AsFd::as_fd(&fd), level, name, 1);
        }
        naming::bind(std::os::fd::AsFd::as_fd(&fd), shape, source)?;
    }
    Ok(fd)
}

/// Whether `error`, from [`Connect::attempt`], means the connection is still being made.
pub(crate) fn still_connecting(error: &Error) -> bool {
    is_connecting(error)
}
