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
use crate::{AddressFamily, Error, Protocol, Result, SocketKind};

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

/// `From<$std> for Socket` and `TryFrom<Socket> for $std`, the latter checking the kind and
/// family so that a datagram socket never becomes a `TcpStream`.
macro_rules! std_conversions {
    ($($std:ty: $kind:ident, [$($family:ident),+];)*) => {$(
        impl From<$std> for Socket {
            #[doc = concat!("Adopts the `", stringify!($std), "`'s fd: its family, kind and")]
            /// protocol are read back; its mode is the default one, or non-blocking mode if
            /// the fd is non-blocking and no default timeout is set.
            fn from(socket: $std) -> Socket {
                Socket::from(OwnedFd::from(socket))
            }
        }

        impl TryFrom<Socket> for $std {
            type Error = Error;

            #[doc = concat!("Moves the fd into a `", stringify!($std), "`, `O_NONBLOCK` as it is.")]
            ///
            /// `EBADF` if the socket was closed; `InvalidInput` (and the socket closed) if its
            /// kind or family does not fit.
            fn try_from(socket: Socket) -> Result<$std> {
                let families = [$(AddressFamily::$family),+];
                socket.shape().check_fits(SocketKind::$kind, &families, stringify!($std))?;
                OwnedFd::try_from(socket).map(<$std>::from)
            }
        }
    )*};
}

std_conversions! {
    TcpStream: SOCK_STREAM, [AF_INET, AF_INET6];
    TcpListener: SOCK_STREAM, [AF_INET, AF_INET6];
    UdpSocket: SOCK_DGRAM, [AF_INET, AF_INET6];
    UnixStream: SOCK_STREAM, [AF_UNIX];
    UnixListener: SOCK_STREAM, [AF_UNIX];
    UnixDatagram: SOCK_DGRAM, [AF_UNIX];
}

impl From<socket2::Socket> for Socket {
    /// Adopts the socket2 socket's fd, as [`From<OwnedFd>`](#impl-From<OwnedFd>-for-Socket).
    fn from(socket: socket2::Socket) -> Socket {
        Socket::from(OwnedFd::from(socket))
    }
}

impl TryFrom<Socket> for socket2::Socket {
    type Error = Error;

    /// Moves the fd into a `socket2::Socket`; `EBADF` if the socket was closed.
    fn try_from(socket: Socket) -> Result<socket2::Socket> {
        OwnedFd::try_from(socket).map(socket2::Socket::from)
    }
}
crate::sys::impl_from_raw_fd!(super::Socket);
