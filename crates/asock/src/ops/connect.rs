//! Connecting: `connect(2)`, then, while the connection is being made, its outcome.
//!
//! A non-blocking `connect` answers `EINPROGRESS` and goes on in the kernel; so does one
//! interrupted by a signal (`EINTR`: connect is never restarted, a second call would get
//! `EALREADY`). The operation then waits for writability and calls `connect(2)` once more,
//! whose answer is the outcome in one system call: 0 (or `EISCONN`) once the connection is
//! made, `EALREADY` while it is still going, and the connection's own error (`ECONNREFUSED`,
//! `ETIMEDOUT`, ...) when it failed — Linux reports the pending error there and clears it, as
//! `getsockopt(SO_ERROR)` would (`__inet_stream_connect`). CPython and tokio ask `SO_ERROR`
//! instead and trust the writable event; asock cannot always trust it (a socket registered
//! before its connect may carry a writable or hang-up state from before), and asking
//! `connect(2)` answers both questions at the price of one.

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
}

impl Connect {
    pub(crate) fn new(addr: socket2::SockAddr) -> Connect {
        Connect { addr, started: false }
    }
}

impl Op for Connect {
    type Output = ();

    fn interest(&self) -> Interest {
        Interest::WRITABLE
    }

    fn attempt(&mut self, target: Target<'_>) -> Result<(Step<()>, Progress)> {
        let sock = SockRef::from(&target.fd);
        match sock.connect(&self.addr) {
            Ok(()) => Ok((Step::Done(()), Progress::More)),
            Err(e) if self.started && e.raw_os_error() == Some(libc::EISCONN) => {
                Ok((Step::Done(()), Progress::More))
            }
            // Our own connection still being made. Reported as EINPROGRESS, which is what
            // it means here: `in_progress` sees an errno without knowing who started the
            // connection, and a first `EALREADY` (someone else's connect still going) must
            // fail at once, as in CPython.
            Err(e) if self.started && e.raw_os_error() == Some(libc::EALREADY) => {
                Err(Error::from_errno(libc::EINPROGRESS))
            }
            Err(e) => {
                let e = Error::from(e);
                if is_connecting(&e) {
                    self.started = true;
                }
                Err(e)
            }
        }
    }

    fn in_progress(error: &Error) -> bool {
        is_connecting(error)
    }

    fn attempt_before_waiting(&self) -> bool {
        !self.started
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
