//! Making sockets: `socket(2)`, `socketpair(2)`, duplicates, and adopting an fd, through
//! socket2 (which creates every fd close-on-exec).

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use socket2::SockRef;

use super::Shape;
use crate::sys;
use asock_core::{AddressFamily, Protocol, Result, SocketKind};

fn kind_with(kind: SocketKind, nonblocking: bool) -> socket2::Type {
    let flags = if nonblocking { SocketKind::SOCK_NONBLOCK } else { SocketKind(0) };
    socket2::Type::from(kind.base().with_flags(flags).raw())
}

/// `socket(2)`: a new socket of `shape`, `O_NONBLOCK` when asked (in the same call).
pub(crate) fn socket(shape: Shape, nonblocking: bool) -> Result<OwnedFd> {
    let domain = socket2::Domain::from(shape.family.raw());
    let proto = socket2::Protocol::from(shape.proto.raw());
    let sock = socket2::Socket::new(domain, kind_with(shape.kind, nonblocking), Some(proto))?;
    Ok(sock.into())
}

/// `socketpair(2)`: two connected sockets of `shape`.
pub(crate) fn pair(shape: Shape, nonblocking: bool) -> Result<(OwnedFd, OwnedFd)> {
    let domain = socket2::Domain::from(shape.family.raw());
    let proto = socket2::Protocol::from(shape.proto.raw());
    let (a, b) = socket2::Socket::pair(domain, kind_with(shape.kind, nonblocking), Some(proto))?;
    Ok((a.into(), b.into()))
}

/// A new fd for the same socket, close-on-exec (`F_DUPFD_CLOEXEC`). The two share one open
/// file description, and with it `O_NONBLOCK`.
pub(crate) fn dup(fd: BorrowedFd<'_>) -> Result<OwnedFd> {
    Ok(fd.try_clone_to_owned()?)
}

/// What an fd is, read back from the kernel (`SO_DOMAIN`, `SO_TYPE`, `SO_PROTOCOL`):
/// Python's `socket(fileno=fd)`.
///
/// # Errors
///
/// `ENOTSOCK` when `fd` is not a socket.
pub(crate) fn shape_of(fd: BorrowedFd<'_>) -> Result<Shape> {
    let sock = SockRef::from(&fd);
    let family = AddressFamily::from(i32::from(sock.domain()?));
    let kind = SocketKind::from(i32::from(sock.r#type()?));
    let proto = sock.protocol()?.map_or(Protocol::from(0), |p| Protocol::from(i32::from(p)));
    Ok(Shape::new(family, kind, proto))
}

/// Python's `close()`: `close(2)`, with `ECONNRESET` ignored as CPython ignores it (and
/// `EINTR` as [`sys::fd::close`] reports it). The fd is released in every case.
pub(crate) fn close(fd: OwnedFd) -> Result<()> {
    match sys::fd::close(fd) {
        Err(e) if e.raw_os_error() != Some(libc::ECONNRESET) => Err(e),
        _ => Ok(()),
    }
}

/// Sets or clears `O_NONBLOCK`.
pub(crate) fn set_nonblocking(fd: impl AsFd, nonblocking: bool) -> Result<()> {
    Ok(SockRef::from(&fd).set_nonblocking(nonblocking)?)
}

/// Whether `O_NONBLOCK` is set.
pub(crate) fn is_nonblocking(fd: BorrowedFd<'_>) -> Result<bool> {
    Ok(SockRef::from(&fd).nonblocking()?)
}
