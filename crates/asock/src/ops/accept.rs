//! Accepting a connection: `accept4(2)` through socket2, close-on-exec always.
//!
//! Linux's `accept(2)` reports two kinds of failure (accept(2), NOTES and ERRORS):
//!
//! - **The pending connection's own**: it was reset or aborted before we took it
//!   (`ECONNABORTED`), or a network error was pending on it (`EPROTO`, `ENETDOWN`,
//!   `ENOPROTOOPT`, `EHOSTDOWN`, `ENONET`, `EHOSTUNREACH`, `ENETUNREACH`). The connection is
//!   consumed and the listener is fine; the man page says to "treat them like EAGAIN by
//!   retrying". A server's accept loop wants that ([`Accept::skip_failed`]; at most
//!   [`MAX_SKIPPED`] in a row, so a kernel that kept returning one without consuming
//!   anything could not make us spin); Python's `accept()` raises them, and so does
//!   `blocking::Socket::accept`. `EOPNOTSUPP` is *not* among them: it also means "not a
//!   stream socket", which is permanent. Nor is `EPERM`: a security module refusing `accept`
//!   refuses it before dequeuing anything, so a retry would spin.
//! - **The process's or system's resources**: `EMFILE`, `ENFILE`, `ENOBUFS`, `ENOMEM`. The
//!   connection stays queued and the listener stays readable, so accepting again at once just
//!   fails again. They are reported as they are, and
//!   [`Error::is_resource_exhausted`](crate::Error::is_resource_exhausted) names them so a
//!   server can back off before accepting again.

use std::os::fd::OwnedFd;

use socket2::SockRef;
use tracing::debug;

use super::recv::sender;
use super::{retry, Interest, Op, Progress, Step, Target};
use asock_core::{Error, Result, SockAddr};

/// The most per-connection failures [`Accept`] skips in a row before reporting one.
pub(crate) const MAX_SKIPPED: usize = 64;

/// `accept4(2)`: the new connection's fd (close-on-exec, and `O_NONBLOCK` when asked) and the
/// peer's address.
#[derive(Debug)]
pub(crate) struct Accept {
    /// Give the new fd `O_NONBLOCK` (in the same system call).
    pub(crate) nonblocking: bool,
    /// Skip connections that failed while queued and accept the next (see the module docs).
    pub(crate) skip_failed: bool,
}

impl Op for Accept {
    type Output = (OwnedFd, SockAddr);

    fn interest(&self) -> Interest {
        Interest::READABLE
    }

    fn attempt(&mut self, target: Target<'_>) -> Result<(Step<(OwnedFd, SockAddr)>, Progress)> {
        let flags = libc::SOCK_CLOEXEC | if self.nonblocking { libc::SOCK_NONBLOCK } else { 0 };
        let sock = SockRef::from(&target.fd);
        let mut skipped = 0;
        loop {
            match retry(|| sock.accept4(flags)) {
                Err(e) if self.skip_failed && is_per_connection(&e) && skipped < MAX_SKIPPED => {
                    skipped += 1;
                    debug!(error = %e, "accept: a pending connection failed; accepting the next");
                }
                Err(e) => {
                    if e.is_resource_exhausted() {
                        debug!(error = %e, "accept: out of resources; the connection stays queued");
                    }
                    return Err(e);
                }
                Ok((conn, peer)) => {
                    return Ok((Step::Done((OwnedFd::from(conn), sender(&peer))), Progress::More));
                }
            }
        }
    }
}

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
