//! [`UnixStream`]: a connected UNIX stream socket, as tokio's.

use std::path::Path;

use super::common::{typed_socket, UNIX_STREAM};
use super::readiness::readiness_methods;
use super::stream_methods::stream_methods;
use super::{unix_addr, unix_addr_of_path};
use crate::ancillary::Credentials;
use crate::async_socket::AsyncSocket;
use asock_core::{AddressFamily, Error, Result, SockAddr, SocketKind, UnixAddr};

/// A UNIX stream connection: tokio's `UnixStream` over an [`AsyncSocket`].
///
/// Reading and writing go through tokio's or futures' `AsyncRead` / `AsyncWrite`, or
/// `try_read` / `try_write` after [`readable`](Self::readable) / [`writable`](Self::writable);
/// passing fds and credentials is [`as_socket`](Self::as_socket)'s `send_fds` / `recv_fds` /
/// `send_msg` / `recv_msg`.
///
/// ```
/// use asock::net::UnixStream;
/// use tokio::io::{AsyncReadExt, AsyncWriteExt};
///
/// # asock::block_on(async {
/// let (mut a, mut b) = UnixStream::pair()?;
/// a.write_all(b"ping").await?;
/// let mut buf = [0; 4];
/// b.read_exact(&mut buf).await?;
/// assert_eq!(&buf, b"ping");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Debug)]
pub struct UnixStream {
    sock: AsyncSocket,
}

typed_socket!(
    UnixStream,
    fits: UNIX_STREAM,
    std: std::os::unix::net::UnixStream,
    tokio: tokio::net::UnixStream,
    setup: "let (sock, _peer) = asock::net::UnixStream::pair()?;",
    std_setup: "let (std_socket, _peer) = std::os::unix::net::UnixStream::pair()?;",
);

// ===== connecting =====

impl UnixStream {
    /// A `UnixStream` of an accepted or connected `AsyncSocket` (known to be a UNIX stream).
    pub(crate) fn from_socket(sock: AsyncSocket) -> UnixStream {
        UnixStream { sock }
    }

    /// Connects to the listener at `path` (a leading NUL byte: an abstract name).
    ///
    /// A listener whose backlog is full makes this fail with `EAGAIN` at once (a UNIX
    /// connect has nothing to wait for), as in CPython.
    ///
    /// ```
    /// use asock::net::{UnixListener, UnixStream};
    ///
    /// # asock::block_on(async {
    /// let name = format!("\0asock-doc-connect-{}", std::process::id());
    /// let listener = UnixListener::bind(&name)?;
    /// let stream = UnixStream::connect(&name).await?;
    /// assert_eq!(stream.peer_addr()?, listener.local_addr()?);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ENOENT` when nothing is at `path`; `ECONNREFUSED` when nobody listens there;
    /// `EAGAIN` for a full backlog; `InvalidInput` for a path longer than `sun_path`.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future closes the socket it was connecting.
    pub async fn connect(path: impl AsRef<Path>) -> Result<UnixStream> {
        UnixStream::connect_addr(&unix_addr_of_path(path.as_ref())).await
    }

    /// [`connect`](Self::connect) to a [`UnixAddr`].
    ///
    /// ```
    /// use asock::net::{UnixListener, UnixStream};
    ///
    /// # asock::block_on(async {
    /// let listener = UnixListener::bind("")?; // autobind
    /// let stream = UnixStream::connect_addr(&listener.local_addr()?).await?;
    /// assert_eq!(stream.peer_addr()?, listener.local_addr()?);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`connect`](Self::connect).
    ///
    /// # Cancel safety
    ///
    /// As [`connect`](Self::connect).
    pub async fn connect_addr(addr: &UnixAddr) -> Result<UnixStream> {
        let sock = AsyncSocket::new(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM, None)?;
        sock.connect(SockAddr::Unix(addr.clone())).await?;
        Ok(UnixStream { sock })
    }

    /// A connected pair of UNIX streams (`socketpair(2)`), both in the default mode.
    ///
    /// ```
    /// let (a, b) = asock::net::UnixStream::pair()?;
    /// assert_eq!(a.peer_addr()?, asock::UnixAddr::Unnamed);
    /// # drop(b);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EMFILE` / `ENFILE` when no fd is free.
    pub fn pair() -> Result<(UnixStream, UnixStream)> {
        let (a, b) = AsyncSocket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM, None)?;
        Ok((UnixStream { sock: a }, UnixStream { sock: b }))
    }

    /// The address of the local end: `getsockname(2)` (usually `Unnamed`).
    ///
    /// ```
    /// let (a, _b) = asock::net::UnixStream::pair()?;
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

    /// The address of the remote end: `getpeername(2)`.
    ///
    /// ```
    /// let (a, _b) = asock::net::UnixStream::pair()?;
    /// assert_eq!(a.peer_addr()?, asock::UnixAddr::Unnamed);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ENOTCONN` when not connected.
    pub fn peer_addr(&self) -> Result<UnixAddr> {
        unix_addr(self.sock.peer_addr()?)
    }

    /// The peer process's credentials when it connected (`SO_PEERCRED`): its pid, uid and
    /// gid, as the kernel recorded them.
    ///
    /// ```
    /// use asock::ancillary::Credentials;
    ///
    /// let (a, _b) = asock::net::UnixStream::pair()?;
    /// assert_eq!(a.peer_cred()?, Credentials::current());
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `getsockopt(2)`.
    pub fn peer_cred(&self) -> Result<Credentials> {
        let size = std::mem::size_of::<libc::ucred>();
        let value = self.sock.options().get_option(libc::SOL_SOCKET, libc::SO_PEERCRED, size)?;
        value
            .as_bytes()
            .and_then(Credentials::from_bytes)
            .ok_or_else(|| Error::invalid_input("SO_PEERCRED answered with an unexpected size"))
    }
}

// ===== readiness, single tries, peeking, halves =====

readiness_methods!(
    UnixStream,
    what: "stream",
    try_read: try_read,
    try_write: try_write,
    setup: "let (sock, _peer) = asock::net::UnixStream::pair()?;",
    pair: "let (sock, peer) = asock::net::UnixStream::pair()?;",
);

stream_methods!(
    UnixStream,
    setup: "let (sock, _peer) = asock::net::UnixStream::pair()?;",
    pair: "let (sock, peer) = asock::net::UnixStream::pair()?;",
);
