//! Conversions between [`Socket`] and fds, `std::net`, `std::os::unix::net` and socket2.
//!
//! Into a `Socket`: the fd is adopted as Python's `socket(fileno=fd)` adopts it (family, kind
//! and protocol read back from the fd; the default mode, or the fd's own blocking state when
//! no default timeout is set). Out of a `Socket`: the fd moves as it is, `O_NONBLOCK`
//! included, so a socket in timeout or non-blocking mode becomes a non-blocking std socket.

use std::net::{TcpListener, TcpStream, UdpSocket};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, IntoRawFd, OwnedFd, RawFd};
use std::os::unix::net::{UnixDatagram, UnixListener, UnixStream};

use super::Socket;
use crate::ops::{self, Shape};
use asock_core::{AddressFamily, Error, Protocol, Result, SocketKind};

impl From<OwnedFd> for Socket {
    /// Adopts `fd` (Python's `socket(fileno=fd)`).
    ///
    /// This cannot fail: if `fd` is not a socket, family, kind and protocol read as 0 and
    /// every socket operation fails with `ENOTSOCK`. [`Socket::from_fd`] checks instead.
    fn from(fd: OwnedFd) -> Socket {
        let unspec = Shape::new(AddressFamily::AF_UNSPEC, SocketKind(0), Protocol(0));
        let shape = ops::create::shape_of(fd.as_fd()).unwrap_or(unspec);
        let mode = super::socket::adopted_mode(fd.as_fd()).unwrap_or(crate::mode::Mode::Blocking);
        Socket::from_parts(fd, shape, mode)
    }
}

impl IntoRawFd for Socket {
    /// Gives up the fd without closing it; -1 if the socket was closed (Python's `detach()`).
    fn into_raw_fd(mut self) -> RawFd {
        self.take_fd().map_or(-1, IntoRawFd::into_raw_fd)
    }
}

impl AsRawFd for Socket {
    /// The fd number; -1 once closed (Python's `fileno()`).
    fn as_raw_fd(&self) -> RawFd {
        self.fileno()
    }
}

impl AsFd for Socket {
    /// # Panics
    ///
    /// If the socket has been closed or detached: a `BorrowedFd` cannot be -1. Check
    /// [`Socket::is_closed`] first, or use [`Socket::fileno`], which returns -1.
    fn as_fd(&self) -> BorrowedFd<'_> {
        match self.fd_opt() {
            Some(fd) => fd.as_fd(),
            None => panic!("Socket::as_fd on a closed socket"),
        }
    }
}

impl TryFrom<Socket> for OwnedFd {
    type Error = Error;

    /// The fd, or `EBADF` if the socket was closed.
    fn try_from(mut socket: Socket) -> Result<OwnedFd> {
        socket.take_fd().ok_or_else(crate::sys::ebadf)
    }
}

impl Socket {
    /// `InvalidInput` unless the socket is of `kind` and one of `families`; for the
    /// `TryFrom` impls below. A closed socket keeps its shape, so only the fd says `EBADF`.
    fn check_fits(&self, kind: SocketKind, families: &[AddressFamily], target: &str) -> Result<()> {
        self.shape().check_fits(kind, families, target)
    }

    /// The fd for a `std` or socket2 type: as it is, `O_NONBLOCK` included; `EBADF` once
    /// closed.
    fn into_std_fd(self) -> Result<OwnedFd> {
        OwnedFd::try_from(self)
    }
}

// From and TryFrom for the std socket types and socket2, written once for both front doors
// (mode/facade.rs) over `check_fits` and `into_std_fd`.
crate::mode::for_std_sockets!(
    crate::mode::std_conversions,
    Socket,
    adopt: "its family, kind and protocol are read back; its mode is the default one, or \
        non-blocking mode if the fd is non-blocking and no default timeout is set.",
    moved: "`O_NONBLOCK` as it is";
);

crate::sys::impl_from_raw_fd!(super::Socket);
