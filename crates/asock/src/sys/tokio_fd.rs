//! Registering a borrowed file descriptor with tokio's reactor (`AsyncFd`).
//!
//! `AsyncFd::register_with_interest` is `unsafe` because tokio cannot know whether the fd stays
//! open while registered. asock's answer is structural: the only owner of a tokio registration
//! is `reactor::Registration`, and the only holder of a `Registration` is a type that also owns
//! (or borrows for its whole life) the fd and drops the registration first
//! (`reactor::Registered<F>`, whose fields are declared in that order). Deregistration thus
//! always happens before close.

use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, RawFd};

use tokio::io::unix::AsyncFd;
use tokio::io::Interest;

/// A raw fd that `AsyncFd` may hold without owning: dropping it closes nothing, so the socket
/// keeps owning its fd.
#[derive(Debug)]
pub(crate) struct FdRef(RawFd);

impl AsRawFd for FdRef {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

/// Registers `fd` with the current tokio runtime's reactor for `interest`, edge-triggered.
///
/// Contract: the returned `AsyncFd` is dropped before `fd` is closed (see the module docs).
///
/// # Errors
///
/// The error of `epoll_ctl` (e.g. `EPERM` for a regular file).
///
/// # Panics
///
/// As tokio does: outside a runtime, or in one built without `enable_io`.
pub(crate) fn register(fd: BorrowedFd<'_>, interest: Interest) -> io::Result<AsyncFd<FdRef>> {
    // SAFETY: `fd` is open now (it is borrowed), `FdRef::as_raw_fd` always returns that same
    // number, and by this function's contract the `AsyncFd` is dropped before the fd is
    // closed, so it refers to the same open file description for the AsyncFd's whole life.
    unsafe { AsyncFd::register_with_interest(FdRef(fd.as_raw_fd()), interest) }
        .map_err(|e| e.into_parts().1)
}
