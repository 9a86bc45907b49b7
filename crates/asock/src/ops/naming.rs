//! What never waits: binding, listening, shutting down, and the two addresses, through
//! socket2. Both front doors call these as they are.

use std::fmt;
use std::net::Shutdown;
use std::os::fd::{AsRawFd, BorrowedFd};

use socket2::SockRef;

use super::recv::sender;
use super::Shape;
use asock_core::{AddressFamily, Error, Result, SockAddr};

/// CPython's default `listen` backlog: `min(SOMAXCONN, 128)`.
pub(crate) const DEFAULT_BACKLOG: i32 = if libc::SOMAXCONN < 128 { libc::SOMAXCONN } else { 128 };

/// Checks what CPython's address parsing checks before any system call: an address of the
/// socket's family (`AF_UNSPEC` too where `unspec_ok`: `connect` to it dissolves a datagram
/// association), encodable for the kernel.
///
/// # Errors
///
/// `EAFNOSUPPORT` for another family; `InvalidInput` for an address that cannot be encoded.
pub(crate) fn checked(shape: Shape, addr: &SockAddr, unspec_ok: bool) -> Result<socket2::SockAddr> {
    let family = addr.family();
    if family != shape.family && !(unspec_ok && family == AddressFamily::AF_UNSPEC) {
        return Err(Error::from_errno(libc::EAFNOSUPPORT));
    }
    socket2::SockAddr::try_from(addr)
}

/// `bind(2)`.
pub(crate) fn bind(fd: BorrowedFd<'_>, shape: Shape, addr: &SockAddr) -> Result<()> {
    let addr = checked(shape, addr, false)?;
    Ok(SockRef::from(&fd).bind(&addr)?)
}

/// `listen(2)`; a backlog past `int` is `INT_MAX` (the kernel caps it at `somaxconn`).
pub(crate) fn listen(fd: BorrowedFd<'_>, backlog: i32) -> Result<()> {
    Ok(SockRef::from(&fd).listen(backlog.max(0))?)
}

/// `shutdown(2)`.
pub(crate) fn shutdown(fd: BorrowedFd<'_>, how: Shutdown) -> Result<()> {
    Ok(SockRef::from(&fd).shutdown(how)?)
}

/// `getsockname(2)`; an unbound `AF_UNIX` socket is `UnixAddr::Unnamed`.
pub(crate) fn local_addr(fd: BorrowedFd<'_>) -> Result<SockAddr> {
    Ok(sender(&SockRef::from(&fd).local_addr()?))
}

/// `getpeername(2)`; an unnamed `AF_UNIX` peer is `UnixAddr::Unnamed`.
pub(crate) fn peer_addr(fd: BorrowedFd<'_>) -> Result<SockAddr> {
    Ok(sender(&SockRef::from(&fd).peer_addr()?))
}

/// Python's repr of a socket, all but the end: `<{name} fd=3, family=AF_INET,
/// type=SOCK_STREAM, proto=0, laddr=..., raddr=...` (`[closed]` and `fd=-1` once closed). The
/// caller adds its own fields and the closing `>`. The addresses cost a system call each, as
/// in Python; one that cannot be had is left out.
pub(crate) fn write_repr(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    fd: Option<BorrowedFd<'_>>,
    shape: Shape,
) -> fmt::Result {
    write!(f, "<{name} ")?;
    if fd.is_none() {
        write!(f, "[closed] ")?;
    }
    let fileno = fd.map_or(-1, |fd| fd.as_raw_fd());
    let Shape { family, kind, proto } = shape;
    write!(f, "fd={fileno}, family={family}, type={kind}, proto={}", proto.raw())?;
    let Some(fd) = fd else { return Ok(()) };
    if let Ok(addr) = local_addr(fd) {
        write!(f, ", laddr={addr}")?;
    }
    if let Ok(addr) = peer_addr(fd) {
        write!(f, ", raddr={addr}")?;
    }
    Ok(())
}
