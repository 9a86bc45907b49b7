//! Conversions between [`AsyncSocket`] and fds, `std::net`, `std::os::unix::net`, socket2,
//! [`blocking::Socket`] and `tokio::net`.
//!
//! - **Into an `AsyncSocket`**, the fd is made `O_NONBLOCK` whatever it was, and the socket
//!   starts in the default mode ([`default_mode`]) — except from a `blocking::Socket`, whose
//!   mode carries over. (Unlike `blocking::Socket`, the fd's own blocking state says nothing
//!   about the mode: an `AsyncSocket`'s fd is always non-blocking.)
//! - **Out of an `AsyncSocket`**, the fd is deregistered first. Into a `blocking::Socket`,
//!   `std` or socket2 type, its `O_NONBLOCK` follows the mode (cleared in blocking mode, as a
//!   `blocking::Socket` in that mode has it); into a tokio type it stays set, as tokio
//!   requires; as a bare fd ([`AsyncSocket::detach`], `OwnedFd`, `into_raw_fd`) it is left
//!   as it is (set).
//!
//! `ioctl(FIONBIO)` cannot fail on an open fd, so the infallible conversions ignore its result.

use std::net::{TcpListener, TcpStream, UdpSocket};
use std::os::fd::{AsFd, IntoRawFd, OwnedFd, RawFd};
use std::os::unix::net::{UnixDatagram, UnixListener, UnixStream};

use super::AsyncSocket;
use crate::blocking::Socket;
use crate::mode::default_mode;
use crate::ops::{self, Shape};
use crate::sys;
use asock_core::{AddressFamily, Error, Protocol, Result, SocketKind};

impl From<OwnedFd> for AsyncSocket {
    /// Adopts `fd` (Python's `socket(fileno=fd)`): family, kind and protocol read back,
    /// `O_NONBLOCK` set, the default mode.
    ///
    /// This cannot fail: if `fd` is not a socket, family, kind and protocol read as 0 and
    /// every socket operation fails with `ENOTSOCK`. [`AsyncSocket::from_fd`] checks instead.
    fn from(fd: OwnedFd) -> AsyncSocket {
        let unspec = Shape::new(AddressFamily::AF_UNSPEC, SocketKind(0), Protocol(0));
        let shape = ops::create::shape_of(fd.as_fd()).unwrap_or(unspec);
        let _ = ops::create::set_nonblocking(&fd, true);
        AsyncSocket::from_fd_parts(fd, shape, default_mode())
    }
}

impl IntoRawFd for AsyncSocket {
    /// Gives up the fd (deregistered, `O_NONBLOCK`) without closing it; -1 if the socket was
    /// closed (Python's `detach()`).
    fn into_raw_fd(mut self) -> RawFd {
        self.detach().map_or(-1, IntoRawFd::into_raw_fd)
    }
}

impl TryFrom<AsyncSocket> for OwnedFd {
    type Error = Error;

    /// The fd, deregistered and still `O_NONBLOCK`, or `EBADF` if the socket was closed.
    fn try_from(mut socket: AsyncSocket) -> Result<OwnedFd> {
        socket.detach().ok_or_else(sys::ebadf)
    }
}

impl From<Socket> for AsyncSocket {
    /// The blocking socket as an `AsyncSocket`: the same fd, made `O_NONBLOCK`, and the same
    /// mode (a blocking socket with a 5 s timeout gives an `AsyncSocket` whose operations time
    /// out after 5 s). A closed socket gives a closed one.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.set_timeout(Some(Duration::from_secs(5)))?;
    /// let a = asock::AsyncSocket::from(a);
    /// assert_eq!(a.timeout(), Some(Duration::from_secs(5)));
    /// # Ok::<(), asock::Error>(())
    /// ```
    fn from(mut socket: Socket) -> AsyncSocket {
        let (shape, mode) = (socket.shape(), socket.mode());
        match socket.detach() {
            Some(fd) => {
                let _ = ops::create::set_nonblocking(&fd, true);
                AsyncSocket::from_fd_parts(fd, shape, mode)
            }
            None => AsyncSocket::closed(shape, mode),
        }
    }
}

impl TryFrom<AsyncSocket> for Socket {
    type Error = Error;

    /// The `AsyncSocket` as a blocking socket: the same fd (deregistered) and mode, with
    /// `O_NONBLOCK` as the blocking socket wants it for that mode (cleared in blocking mode).
    ///
    /// `EBADF` if the socket was closed.
    ///
    /// ```
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// let a = asock::blocking::Socket::try_from(a)?;
    /// a.send_all(b"now blocking")?;
    /// let mut buf = [0; 64];
    /// assert_eq!(b.try_recv(&mut buf)?, 12);
    /// # Ok::<(), asock::Error>(())
    /// ```
    fn try_from(socket: AsyncSocket) -> Result<Socket> {
        let (shape, mode) = (socket.shape(), socket.mode());
        Ok(Socket::from_parts(socket.into_std_fd()?, shape, mode))
    }
}

impl AsyncSocket {
    /// `EBADF` when closed, `InvalidInput` unless the socket is of `kind` and one of
    /// `families`; for the `TryFrom` impls below.
    fn check_fits(&self, kind: SocketKind, families: &[AddressFamily], target: &str) -> Result<()> {
        self.io()?;
        self.shape().check_fits(kind, families, target)
    }

    /// The fd for a `blocking::Socket`, `std` or socket2 type: deregistered, with
    /// `O_NONBLOCK` as a `blocking::Socket` in this mode has it (cleared in blocking mode,
    /// kept otherwise); `EBADF` once closed.
    fn into_std_fd(mut self) -> Result<OwnedFd> {
        let mode = self.mode();
        let fd = self.detach().ok_or_else(sys::ebadf)?;
        let _ = ops::create::set_nonblocking(&fd, mode.fd_nonblocking());
        Ok(fd)
    }
}

// From and TryFrom for the std socket types and socket2, written once for both front doors
// (mode/facade.rs) over `check_fits` and `into_std_fd`.
crate::mode::for_std_sockets!(
    crate::mode::std_conversions,
    AsyncSocket,
    adopt: "`O_NONBLOCK` set, the default mode.",
    moved: "deregistered; `O_NONBLOCK` cleared in blocking mode, kept otherwise";
);

/// `TryFrom` between `AsyncSocket` and the `tokio::net` type of each name of
/// `for_std_sockets!`, through the std one of that name.
macro_rules! tokio_conversions {
    ($($name:ident: $kind:ident, [$($family:ident),+];)*) => {$(
        #[cfg(feature = "tokio")]
        impl TryFrom<tokio::net::$name> for AsyncSocket {
            type Error = Error;

            #[doc = concat!("Takes the `tokio::net::", stringify!($name), "`'s fd")]
            /// (`into_std`, which deregisters it from tokio's reactor): the default mode.
            ///
            /// The error of tokio's deregistration (the fd is closed then).
            fn try_from(socket: tokio::net::$name) -> Result<AsyncSocket> {
                Ok(AsyncSocket::from(socket.into_std()?))
            }
        }

        #[cfg(feature = "tokio")]
        impl TryFrom<AsyncSocket> for tokio::net::$name {
            type Error = Error;

            #[doc = concat!("Moves the fd into a `tokio::net::", stringify!($name), "`")]
            /// (deregistered from asock, `O_NONBLOCK` kept, registered with the current tokio
            /// runtime).
            ///
            /// Must be called inside a tokio runtime with I/O enabled, as tokio's `from_std`:
            /// outside any runtime this is an `InvalidInput` error (not tokio's panic); in a
            /// runtime built without I/O, tokio panics. `EBADF` if the socket was closed;
            /// `InvalidInput` if its kind or family does not fit. On error the socket is
            /// closed.
            fn try_from(mut socket: AsyncSocket) -> Result<tokio::net::$name> {
                socket.check_fits(SocketKind::$kind, &[$(AddressFamily::$family),+],
                    concat!("tokio::net::", stringify!($name)))?;
                if tokio::runtime::Handle::try_current().is_err() {
                    return Err(Error::invalid_input(concat!(
                        "a tokio::net::", stringify!($name),
                        " can only be made inside a tokio runtime"
                    )));
                }
                let fd = socket.detach().ok_or_else(sys::ebadf)?;
                // `$name` alone is the std type of that name (imported above).
                Ok(tokio::net::$name::from_std($name::from(fd))?)
            }
        }
    )*};
}

crate::mode::for_std_sockets!(tokio_conversions);
