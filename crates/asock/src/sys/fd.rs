//! What socket2 does not do with an fd itself: close it reporting the error, read its
//! close-on-exec flag, and lend a closed socket something to answer `as_fd()` with.

use std::os::fd::{AsRawFd, BorrowedFd, IntoRawFd, OwnedFd, RawFd};

use super::syscall;
use asock_core::Result;

/// Whether `FD_CLOEXEC` is set (`fcntl(F_GETFD)`): Python's `get_inheritable()` negated.
pub(crate) fn is_cloexec(fd: BorrowedFd<'_>) -> Result<bool> {
    // SAFETY: F_GETFD takes no third argument.
    let flags = syscall!(fcntl(fd.as_raw_fd(), libc::F_GETFD))?;
    Ok(flags & libc::FD_CLOEXEC != 0)
}

/// `close(2)`, reporting its error (dropping an `OwnedFd` ignores it).
///
/// Not retried on `EINTR`: Linux has released the descriptor by then, and a second close
/// could close an unrelated fd that another thread just opened. `EINTR` is reported as
/// success for that reason.
pub(crate) fn close(fd: OwnedFd) -> Result<()> {
    let raw: RawFd = fd.into_raw_fd();
    // SAFETY: `raw` came out of an OwnedFd, so we own it and nothing closes it again.
    match syscall!(close(raw)) {
        Err(e) if e.raw_os_error() == Some(libc::EINTR) => Ok(()),
        other => other.map(drop),
    }
}

/// An fd number no file can ever have: the kernel caps fd numbers below `fs.nr_open`, whose
/// largest allowed value (2,147,483,584 on 64-bit Linux: `INT_MAX` rounded down to a
/// multiple of 64) lies below `i32::MAX`.
const NEVER_OPEN: RawFd = i32::MAX;

/// What a closed socket lends as its fd, so `AsFd` never has to panic: a number that no open
/// file has or can get, on which every system call — `getsockopt`, `send`, `epoll_ctl` —
/// fails with `EBADF`, as on the closed fd (and `poll(2)` reports `POLLNVAL`).
pub(crate) fn closed() -> BorrowedFd<'static> {
    // SAFETY: `NEVER_OPEN` can never be allocated (see its docs), so the borrow refers to no
    // resource that anyone could close or reuse while it lives: it cannot alias another
    // file, which is what I/O safety guards against; and it is not -1, BorrowedFd's niche.
    unsafe { BorrowedFd::borrow_raw(NEVER_OPEN) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_closed_stand_in_answers_ebadf() {
        let fd = super::closed();
        let err = socket2::SockRef::from(&fd).r#type().unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EBADF));
    }
}
