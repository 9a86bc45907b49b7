//! What every typed socket has, stamped out once by [`typed_socket!`]: the `AsyncSocket`
//! inside, its options and mode, its fd, and the conversions to and from `AsyncSocket`,
//! `std`, `tokio::net` and socket2.
//!
//! A typed socket is an [`AsyncSocket`] whose kind and family are known. Into one, the
//! socket's kind, family and protocol are checked (a `TryFrom` fails with `InvalidInput`
//! otherwise); out of one, the `AsyncSocket` conversions apply unchanged (see
//! `async_socket/convert.rs`: the fd is deregistered, `O_NONBLOCK` follows the mode for `std`
//! and socket2 and stays set for tokio).

use crate::async_socket::AsyncSocket;
use asock_core::{AddressFamily, Error, Protocol, Result, SocketKind};

/// The sockets a typed socket can be made of.
#[derive(Debug)]
pub(crate) struct Fits {
    pub(crate) name: &'static str,
    pub(crate) kind: SocketKind,
    pub(crate) families: &'static [AddressFamily],
    /// Protocols besides 0 (the family's default).
    pub(crate) protocols: &'static [Protocol],
}

pub(crate) const TCP: Fits = Fits {
    name: "TCP",
    kind: SocketKind::SOCK_STREAM,
    families: &[AddressFamily::AF_INET, AddressFamily::AF_INET6],
    // MPTCP is TCP to the application (its drop-in replacement).
    protocols: &[Protocol::IPPROTO_TCP, Protocol::IPPROTO_MPTCP],
};

pub(crate) const UDP: Fits = Fits {
    name: "UDP",
    kind: SocketKind::SOCK_DGRAM,
    families: &[AddressFamily::AF_INET, AddressFamily::AF_INET6],
    // UDP-Lite has UDP's calls (its checksum coverage is an option).
    protocols: &[Protocol::IPPROTO_UDP, Protocol::IPPROTO_UDPLITE],
};

pub(crate) const UNIX_STREAM: Fits = Fits {
    name: "UNIX stream",
    kind: SocketKind::SOCK_STREAM,
    families: &[AddressFamily::AF_UNIX],
    protocols: &[],
};

pub(crate) const UNIX_DATAGRAM: Fits = Fits {
    name: "UNIX datagram",
    kind: SocketKind::SOCK_DGRAM,
    families: &[AddressFamily::AF_UNIX],
    protocols: &[],
};

impl Fits {
    /// `sock` if it is of this kind, family and protocol; else `InvalidInput` naming both
    /// (and `sock` is closed), or `EBADF` if it was closed.
    pub(crate) fn check(&self, sock: AsyncSocket) -> Result<AsyncSocket> {
        if sock.is_closed() {
            return Err(Error::from_errno(libc::EBADF));
        }
        let proto = sock.proto();
        if sock.kind() == self.kind
            && self.families.contains(&sock.family())
            && (proto.raw() == 0 || self.protocols.contains(&proto))
        {
            return Ok(sock);
        }
        let protocol = match proto.raw() {
            0 => String::new(),
            raw => format!(" of protocol {raw}"),
        };
        Err(Error::invalid_input(format!(
            "an {} {} socket{protocol} is not a {} socket",
            sock.family(),
            sock.kind(),
            self.name
        )))
    }
}

/// The methods and trait impls every typed socket shares. `$ty` is a struct with one field,
/// `sock: AsyncSocket`; `$fits` the [`Fits`] it checks; `$std` and `$tokio` its namesakes;
/// `$setup` doctest lines that bind `sock`, a `$ty`, and `$std_setup` lines that bind
/// `std_socket`, a `$std`.
macro_rules! typed_socket {
    (
        $ty:ident,
        fits: $fits:expr,
        std: $std:ty,
        tokio: $tokio:ty,
        setup: $setup:literal,
        std_setup: $std_setup:literal $(,)?
    ) => {
        impl $ty {
            /// The [`AsyncSocket`](crate::AsyncSocket) inside: every operation of asock's
            /// socket object (`recv`, `send_all`, `send_msg`, `recv_fds`, ...), with its
            /// futures and modes, on this same socket.
            ///
            /// ```
            #[doc = $setup]
            /// assert!(!sock.as_socket().is_closed());
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            #[must_use]
            pub fn as_socket(&self) -> &crate::async_socket::AsyncSocket {
                &self.sock
            }

            /// The [`AsyncSocket`](crate::AsyncSocket) inside, by value (also
            #[doc = concat!("`AsyncSocket::from(", stringify!($ty), ")`).")]
            ///
            /// ```
            #[doc = $setup]
            /// let fd = sock.as_socket().fileno();
            /// assert_eq!(sock.into_socket().fileno(), fd);
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            #[must_use]
            pub fn into_socket(self) -> crate::async_socket::AsyncSocket {
                self.sock
            }

            /// The socket's options, raw and typed (see
            /// [`SocketOptions`](crate::SocketOptions)).
            ///
            /// ```
            #[doc = $setup]
            /// sock.options().set_send_buffer_size(1 << 16)?;
            /// assert!(sock.options().send_buffer_size()? >= 1 << 16);
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            #[must_use]
            pub fn options(&self) -> crate::ops::options::SocketOptions<'_> {
                self.sock.options()
            }

            /// Sets the mode the socket's operations wait in: Python's `settimeout()`, as
            /// [`AsyncSocket::set_timeout`](crate::AsyncSocket::set_timeout). `None` waits as
            /// long as it takes (the default), `Some(ZERO)` never waits, anything else fails
            /// a call with "timed out" after that long. One call can have its own with
            /// `.timeout(d)` & co. on its future.
            ///
            /// ```
            /// use std::time::Duration;
            ///
            #[doc = $setup]
            /// sock.set_timeout(Some(Duration::from_secs(5)))?;
            /// assert_eq!(sock.timeout(), Some(Duration::from_secs(5)));
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// `InvalidInput` for a timeout over `i64::MAX` nanoseconds.
            pub fn set_timeout(
                &self,
                timeout: Option<std::time::Duration>,
            ) -> asock_core::Result<()> {
                self.sock.set_timeout(timeout)
            }

            /// The mode's timeout: `None` in blocking mode (the default), `Some(ZERO)` in
            /// non-blocking mode.
            ///
            /// ```
            /// # asock::set_default_timeout(None)?;
            #[doc = $setup]
            /// assert_eq!(sock.timeout(), None);
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            #[must_use]
            pub fn timeout(&self) -> Option<std::time::Duration> {
                self.sock.timeout()
            }

            /// Takes the socket's pending error (`SO_ERROR`), clearing it.
            ///
            /// ```
            #[doc = $setup]
            /// assert!(sock.take_error()?.is_none());
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// The errno of `getsockopt(2)`.
            pub fn take_error(&self) -> asock_core::Result<Option<asock_core::Error>> {
                self.sock.options().take_error()
            }

            #[doc = concat!("Makes a `", stringify!($ty), "` of a `", stringify!($std), "`, as")]
            /// tokio's `from_std`: the fd is adopted, made `O_NONBLOCK` whatever it was, and
            /// the socket starts in the default mode ([`default_timeout`](crate::default_timeout)).
            /// It registers with a reactor at its first wait, so this works outside any runtime.
            ///
            /// ```
            #[doc = $std_setup]
            /// let fd = std::os::fd::AsRawFd::as_raw_fd(&std_socket);
            #[doc = concat!("let sock = asock::net::", stringify!($ty), "::from_std(std_socket)?;")]
            /// assert_eq!(sock.as_socket().fileno(), fd);
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// The errno of reading the socket's kind back or of setting `O_NONBLOCK`; the fd
            /// is closed then.
            pub fn from_std(socket: $std) -> asock_core::Result<$ty> {
                let sock =
                    crate::async_socket::AsyncSocket::adopt(std::os::fd::OwnedFd::from(socket))?;
                Ok($ty { sock: $fits.check(sock)? })
            }

            #[doc = concat!("Turns the socket into a `", stringify!($std), "`, as tokio's")]
            /// `into_std`: the fd is deregistered, and `O_NONBLOCK` follows the mode: cleared
            /// in blocking mode (the default, so the `std` socket blocks as `std` sockets
            /// do), kept in the other modes. (tokio's leaves it set.)
            ///
            /// ```
            #[doc = $setup]
            /// let fd = sock.as_socket().fileno();
            /// let std_socket = sock.into_std()?;
            /// assert_eq!(std::os::fd::AsRawFd::as_raw_fd(&std_socket), fd);
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// None in practice: the socket is open and of the right kind (asock checks both
            /// on the way in).
            pub fn into_std(self) -> asock_core::Result<$std> {
                <$std>::try_from(self.sock)
            }
        }

        impl std::os::fd::AsFd for $ty {
            fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
                self.sock.as_fd()
            }
        }

        impl std::os::fd::AsRawFd for $ty {
            fn as_raw_fd(&self) -> std::os::fd::RawFd {
                self.sock.fileno()
            }
        }

        impl AsRef<crate::async_socket::AsyncSocket> for $ty {
            fn as_ref(&self) -> &crate::async_socket::AsyncSocket {
                &self.sock
            }
        }

        impl From<$ty> for crate::async_socket::AsyncSocket {
            #[doc = concat!("The `AsyncSocket` inside the `", stringify!($ty), "`.")]
            fn from(socket: $ty) -> crate::async_socket::AsyncSocket {
                socket.sock
            }
        }

        impl TryFrom<crate::async_socket::AsyncSocket> for $ty {
            type Error = asock_core::Error;

            #[doc = concat!("The `AsyncSocket` as a `", stringify!($ty), "`, when it is one.")]
            ///
            /// `InvalidInput` (and the socket closed) for another kind, family or protocol;
            /// `EBADF` for a closed socket.
            fn try_from(sock: crate::async_socket::AsyncSocket) -> asock_core::Result<$ty> {
                Ok($ty { sock: $fits.check(sock)? })
            }
        }

        impl From<$std> for $ty {
            #[doc = concat!("Adopts the `", stringify!($std), "`'s fd (made `O_NONBLOCK`), in")]
            /// the default mode; [`from_std`](Self::from_std) reports the errors this
            /// ignores.
            fn from(socket: $std) -> $ty {
                $ty { sock: crate::async_socket::AsyncSocket::from(socket) }
            }
        }

        impl TryFrom<$ty> for $std {
            type Error = asock_core::Error;

            #[doc = concat!("See [`", stringify!($ty), "::into_std`].")]
            fn try_from(socket: $ty) -> asock_core::Result<$std> {
                socket.into_std()
            }
        }

        #[cfg(feature = "tokio")]
        impl TryFrom<$tokio> for $ty {
            type Error = asock_core::Error;

            /// Takes the tokio socket's fd (deregistered from tokio's reactor), in the
            /// default mode.
            ///
            /// The error of tokio's deregistration (the fd is closed then).
            fn try_from(socket: $tokio) -> asock_core::Result<$ty> {
                Ok($ty { sock: crate::async_socket::AsyncSocket::try_from(socket)? })
            }
        }

        #[cfg(feature = "tokio")]
        impl TryFrom<$ty> for $tokio {
            type Error = asock_core::Error;

            /// Moves the fd to tokio (deregistered from asock, `O_NONBLOCK` kept, registered
            /// with the current tokio runtime).
            ///
            /// `InvalidInput` outside a tokio runtime (not tokio's panic); the socket is
            /// closed on error.
            fn try_from(socket: $ty) -> asock_core::Result<$tokio> {
                <$tokio>::try_from(socket.sock)
            }
        }

        impl TryFrom<socket2::Socket> for $ty {
            type Error = asock_core::Error;

            /// Adopts the socket2 socket's fd, when its kind, family and protocol fit.
            ///
            /// `InvalidInput` (and the socket closed) otherwise.
            fn try_from(socket: socket2::Socket) -> asock_core::Result<$ty> {
                <$ty>::try_from(crate::async_socket::AsyncSocket::from(socket))
            }
        }

        impl TryFrom<$ty> for socket2::Socket {
            type Error = asock_core::Error;

            /// Moves the fd into a socket2 socket (deregistered; `O_NONBLOCK` cleared in
            /// blocking mode).
            fn try_from(socket: $ty) -> asock_core::Result<socket2::Socket> {
                socket2::Socket::try_from(socket.sock)
            }
        }
    };
}

pub(crate) use typed_socket;
