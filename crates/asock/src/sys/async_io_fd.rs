//! Registering a borrowed file descriptor with async-io's reactor (`async_io::Async`).
//!
//! `Async::new_nonblocking` is safe because it owns what it registers, which must be `AsFd`.
//! asock's sockets own their fds, so async-io is given [`FdRef`], an fd number that closes
//! nothing; making a `BorrowedFd` out of a number is the `unsafe` part. Its answer is the same
//! structural one as tokio's registration (`tokio_fd.rs`): the only owner of the `Async` is
//! `reactor::Registration`, whose holders own (or borrow for their whole life) the fd and drop
//! the registration first, so async-io deregisters the fd while it is still open.

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};

use async_io::Async;

/// An open fd that `Async` may hold without owning it: dropping it closes nothing.
///
/// Only [`register`] makes one, and its contract keeps the fd open while the `FdRef` lives.
#[derive(Debug)]
pub(crate) struct FdRef(RawFd);

impl AsFd for FdRef {
    fn as_fd(&self) -> BorrowedFd<'_> {
        // SAFETY: an `FdRef` exists only inside the `Async` made by `register`, which by its
        // contract is dropped before the fd is closed: the number names the same open fd for
        // as long as `self` (and so the returned borrow) lives.
        unsafe { BorrowedFd::borrow_raw(self.0) }
    }
}

/// Registers `fd` with async-io's reactor (no interest yet; async-io arms a direction when it
/// is polled). Does not change `O_NONBLOCK`: asock's fds are non-blocking already.
///
/// Contract: the returned `Async` is dropped before `fd` is closed (see the module docs).
///
/// # Errors
///
/// The error of `epoll_ctl` (e.g. `EPERM` for a regular file, `EEXIST` if async-io has the
/// fd registered already).
///
/// # Panics
///
/// As async-io does, if its reactor does not exist yet and cannot be created (no fd for its
/// epoll instance, no thread for its driver); `reactor::async_io_backend` makes sure it
/// exists before anything is registered.
pub(crate) fn register(fd: BorrowedFd<'_>) -> io::Result<Async<FdRef>> {
    Async::new_nonblocking(FdRef(fd.as_raw_fd()))
}
