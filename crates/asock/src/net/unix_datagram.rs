//! [`UnixDatagram`]: a UNIX datagram socket, as tokio's.

use std::net::Shutdown;
use std::path::Path;

use super::common::{typed_socket, UNIX_DATAGRAM};
use super::datagram_methods::datagram_methods;
use super::readiness::readiness_methods;
use super::{unix_addr, unix_addr_of_path};
use crate::async_socket::AsyncSocket;
use crate::async_socket::SendToFuture;
use crate::ops::connect::Connect;
use crate::ops::naming::checked;
use asock_core::{AddressFamily, Result, SockAddr, SocketKind, UnixAddr};

/// A UNIX datagram socket: tokio's `UnixDatagram` over an [`AsyncSocket`]. Datagrams keep
/// their boundaries and, unlike UDP, are never lost or reordered: a full receiver makes the
/// sender wait.
///
/// ```
/// use asock::net::UnixDatagram;
///
/// # asock::block_on(async {
/// let (a, b) = UnixDatagram::pair()?;
/// a.send(b"one").await?;
/// a.send(b"two").await?;
/// let mut buf = [0; 16];
/// let n = b.recv(&mut buf).await?;
/// assert_eq!(&buf[..n], b"one");
/// # Ok::<(), asock::Error>(())
/// # })?;
/// # Ok::<(), asock::Error>(())
/// ```
#[derive(Debug)]
pub struct UnixDatagram {
    sock: AsyncSocket,
}

typed_socket!(
    UnixDatagram,
    fits: UNIX_DATAGRAM,
    std: std::os::unix::net::UnixDatagram,
    tokio: tokio::net::UnixDatagram,
    setup: "let sock = asock::net::UnixDatagram::unbound()?;",
    std_setup: "let std_socket = std::os::unix::net::UnixDatagram::unbound()?;",
);

// ===== creating and naming =====

impl UnixDatagram {
    /// Creates a socket bound to `path` (a leading NUL byte: an abstract name; empty:
    /// autobind).
    ///
    /// ```
    /// use asock::net::UnixDatagram;
    ///
    /// # asock::block_on(async {
    /// let name = format!("\0asock-doc-dgram-{}", std::process::id());
    /// let server = UnixDatagram::bind(&name)?;
    /// let client = UnixDatagram::bind("")?; // autobind, so the server can answer
    /// client.send_to(b"hi", &name).await?;
    /// let mut buf = [0; 8];
    /// let (n, from) = server.recv_from(&mut buf).await?;
    /// assert_eq!((&buf[..n], &from), (&b"hi"[..], &client.local_addr()?));
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EADDRINUSE` for a name in use; `ENOENT` / `EACCES` for a path's directory;
    /// `InvalidInput` for a path longer than `sun_path`.
    pub fn bind(path: impl AsRef<Path>) -> Result<UnixDatagram> {
        UnixDatagram::bind_addr(&unix_addr_of_path(path.as_ref()))
    }

    /// [`bind`](Self::bind) to a [`UnixAddr`].
    ///
    /// ```
    /// use asock::UnixAddr;
    ///
    /// let name = UnixAddr::abstract_name(format!("asock-doc-dgram-addr-{}", std::process::id()));
    /// let sock = asock::net::UnixDatagram::bind_addr(&name)?;
    /// assert_eq!(sock.local_addr()?, name);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`bind`](Self::bind).
    pub fn bind_addr(addr: &UnixAddr) -> Result<UnixDatagram> {
        let sock = UnixDatagram::unbound()?;
        sock.sock.bind(SockAddr::Unix(addr.clone()))?;
        Ok(sock)
    }

    /// Creates a socket bound to no address: it can send, but nobody can answer it (unless
    /// it connects, or autobinds with `bind("")`).
    ///
    /// ```
    /// let sock = asock::net::UnixDatagram::unbound()?;
    /// assert_eq!(sock.local_addr()?, asock::UnixAddr::Unnamed);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EMFILE` / `ENFILE` when no fd is free.
    pub fn unbound() -> Result<UnixDatagram> {
        let sock = AsyncSocket::new(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM, None)?;
        Ok(UnixDatagram { sock })
    }

    /// A connected pair of UNIX datagram sockets (`socketpair(2)`).
    ///
    /// ```
    /// let (a, b) = asock::net::UnixDatagram::pair()?;
    /// a.try_send(b"x")?;
    /// assert_eq!(b.try_recv(&mut [0; 4])?, 1);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EMFILE` / `ENFILE` when no fd is free.
    pub fn pair() -> Result<(UnixDatagram, UnixDatagram)> {
        let (a, b) = AsyncSocket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM, None)?;
        Ok((UnixDatagram { sock: a }, UnixDatagram { sock: b }))
    }

    /// Sets the peer at `path`: [`send`](Self::send) goes there, and only its datagrams are
    /// received. A datagram connect completes at once, so this is not `async` (tokio's is
    /// not either).
    ///
    /// ```
    /// use asock::net::UnixDatagram;
    ///
    /// # asock::block_on(async {
    /// let name = format!("\0asock-doc-dgram-connect-{}", std::process::id());
    /// let server = UnixDatagram::bind(&name)?;
    /// let client = UnixDatagram::unbound()?;
    /// client.connect(&name)?;
    /// client.send(b"to my peer").await?;
    /// let mut buf = [0; 16];
    /// assert_eq!(server.recv(&mut buf).await?, 10);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ENOENT` / `ECONNREFUSED` when nothing is bound at `path`; `InvalidInput` for a path
    /// longer than `sun_path`.
    pub fn connect(&self, path: impl AsRef<Path>) -> Result<()> {
        self.connect_addr(&unix_addr_of_path(path.as_ref()))
    }

    /// [`connect`](Self::connect) to a [`UnixAddr`].
    ///
    /// ```
    /// let server = asock::net::UnixDatagram::bind("")?;
    /// let client = asock::net::UnixDatagram::unbound()?;
    /// client.connect_addr(&server.local_addr()?)?;
    /// assert_eq!(client.peer_addr()?, server.local_addr()?);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`connect`](Self::connect).
    pub fn connect_addr(&self, addr: &UnixAddr) -> Result<()> {
        // A datagram connect completes at once: one try is the whole call.
        let addr = checked(self.sock.shape(), &SockAddr::Unix(addr.clone()), false)?;
        self.sock.try_op(Connect::new(addr))
    }

    /// The address the socket is bound to: `getsockname(2)`.
    ///
    /// ```
    /// let (a, _b) = asock::net::UnixDatagram::pair()?;
    /// assert_eq!(a.local_addr()?, asock::UnixAddr::Unnamed);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `getsockname(2)`.
    pub fn local_addr(&self) -> Result<UnixAddr> {
        unix_addr(self.sock.local_addr()?)
    }

    /// The peer set by [`connect`](Self::connect): `getpeername(2)`.
    ///
    /// ```
    /// let sock = asock::net::UnixDatagram::unbound()?;
    /// assert_eq!(sock.peer_addr().unwrap_err().raw_os_error(), Some(libc::ENOTCONN));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ENOTCONN` when no peer is set.
    pub fn peer_addr(&self) -> Result<UnixAddr> {
        unix_addr(self.sock.peer_addr()?)
    }

    /// Shuts down one or both directions: `shutdown(2)`.
    ///
    /// ```
    /// use std::net::Shutdown;
    ///
    /// let (a, _b) = asock::net::UnixDatagram::pair()?;
    /// a.shutdown(Shutdown::Write)?;
    /// assert_eq!(a.try_send(b"x").unwrap_err().raw_os_error(), Some(libc::EPIPE));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ENOTCONN` when not connected.
    pub fn shutdown(&self, how: Shutdown) -> Result<()> {
        self.sock.shutdown(how)
    }
}

// ===== datagrams =====

datagram_methods!(
    UnixDatagram,
    addr: UnixAddr,
    with_sender: with_unix_sender,
    send_errors: "`ENOTCONN` without a peer; `EMSGSIZE` for a datagram over the send buffer;\n\
                  \"timed out\" or `EAGAIN` by the mode (the receiver's queue is full).",
    recv_errors: "\"timed out\" or `EAGAIN` by the mode.",
    full: "the receiver's queue",
    sender_note: " (`Unnamed` for an unbound sender)",
    setup: "let (sock, _peer) = asock::net::UnixDatagram::pair()?;",
    pair: "let (sock, peer) = asock::net::UnixDatagram::pair()?;",
);

readiness_methods!(
    UnixDatagram,
    what: "socket",
    try_read: try_recv,
    try_write: try_send,
    setup: "let (sock, _peer) = asock::net::UnixDatagram::pair()?;",
    pair: "let (sock, peer) = asock::net::UnixDatagram::pair()?;",
);

impl UnixDatagram {
    /// Sends `buf` as one datagram to the socket at `path`: `sendto(2)`.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let name = format!("\0asock-doc-{}", std::process::id());
    /// let server = asock::net::UnixDatagram::bind(&name)?;
    /// let client = asock::net::UnixDatagram::bind("")?;
    /// assert_eq!(client.send_to(b"to a path", &name).await?, 9);
    /// let mut buf = [0; 16];
    /// assert_eq!(server.recv_from(&mut buf).await?, (9, client.local_addr()?));
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ENOENT` / `ECONNREFUSED` when nothing is bound there; `InvalidInput` for a path
    /// longer than `sun_path` (reported when the future is first polled); "timed out" or
    /// `EAGAIN` by the mode.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: nothing is sent unless the future completes.
    pub fn send_to<'a>(&'a self, buf: &'a [u8], path: impl AsRef<Path>) -> SendToFuture<'a> {
        self.sock.send_to(buf, SockAddr::Unix(unix_addr_of_path(path.as_ref())))
    }

    /// [`send_to`](Self::send_to) a [`UnixAddr`].
    ///
    /// ```
    /// # asock::block_on(async {
    /// let server = asock::net::UnixDatagram::bind("")?;
    /// let client = asock::net::UnixDatagram::unbound()?;
    /// client.send_to_addr(b"there", &server.local_addr()?).await?;
    /// assert_eq!(server.recv(&mut [0; 8]).await?, 5);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send_to`](Self::send_to).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: nothing is sent unless the future completes.
    pub fn send_to_addr<'a>(&'a self, buf: &'a [u8], addr: &UnixAddr) -> SendToFuture<'a> {
        self.sock.send_to(buf, SockAddr::Unix(addr.clone()))
    }

    /// [`send_to`](Self::send_to) once, never waiting.
    ///
    /// ```
    /// let server = asock::net::UnixDatagram::bind("")?;
    /// let client = asock::net::UnixDatagram::unbound()?;
    /// let to = server.local_addr()?;
    /// assert_eq!(client.try_send_to_addr(b"now", &to)?, 3);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAGAIN` when the receiver's queue is full; otherwise as [`send_to`](Self::send_to).
    pub fn try_send_to(&self, buf: &[u8], path: impl AsRef<Path>) -> Result<usize> {
        self.try_send_to_addr(buf, &unix_addr_of_path(path.as_ref()))
    }

    /// [`send_to_addr`](Self::send_to_addr) once, never waiting. See
    /// [`try_send_to`](Self::try_send_to).
    ///
    /// ```
    /// let server = asock::net::UnixDatagram::bind("")?;
    /// let client = asock::net::UnixDatagram::unbound()?;
    /// assert_eq!(client.try_send_to_addr(b"now", &server.local_addr()?)?, 3);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`try_send_to`](Self::try_send_to).
    pub fn try_send_to_addr(&self, buf: &[u8], addr: &UnixAddr) -> Result<usize> {
        self.sock.try_send_to(buf, SockAddr::Unix(addr.clone()))
    }
}

/// A received datagram's length and sender, the sender as a UNIX address.
fn with_unix_sender(received: Result<(usize, SockAddr)>) -> Result<(usize, UnixAddr)> {
    received.and_then(|(n, from)| Ok((n, unix_addr(from)?)))
}
