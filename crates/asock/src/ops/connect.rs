//! Connecting: `connect(2)`, then, while the connection is being made, its outcome.
//!
//! A non-blocking `connect` answers `EINPROGRESS` and goes on in the kernel; so does one
//! interrupted by a signal (`EINTR`: connect is never restarted, a second call would get
//! `EALREADY`). The operation then waits for writability and asks again: the pending error
//! (`SO_ERROR`) if there is one, else `connect(2)` once more, which answers `EISCONN` once the
//! connection is made and `EALREADY` while it is still going (mio's docs call confirming a
//! non-blocking connect "surprisingly complex"; this is the sequence CPython and tokio use).

use socket2::SockRef;

use super::{Interest, Op, Progress, Step, Target};
use crate::{Error, Result};

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
        if self.started {
            if let Some(e) = sock.take_error()? {
                return Err(e.into());
            }
        }
        match sock.connect(&self.addr) {
            Ok(()) => Ok((Step::Done(()), Progress::More)),
            Err(e) if self.started && e.raw_os_error() == Some(libc::EISCONN) => {
                Ok((Step::Done(()), Progress::More))
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
}

/// The connection goes on in the kernel.
fn is_connecting(error: &Error) -> bool {
    matches!(error.raw_os_error(), Some(libc::EINPROGRESS | libc::EINTR | libc::EALREADY))
}
