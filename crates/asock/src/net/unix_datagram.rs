//! [`UnixDatagram`]: a UNIX datagram socket, as tokio's.

use std::io;
use std::net::Shutdown;
use std::path::Path;

use super::common::{typed_socket, UNIX_DATAGRAM};
use super::{unix_addr, unix_addr_of_path, NetFuture};
use crate::async_socket::{
    AsyncIoFuture, ReadyFuture, RecvFromFuture, RecvFuture, SendFuture, SendToFuture,
};
use crate::ops::connect::Connect;
use crate::ops::naming::checked;
use crate::reactor::Interest;
use crate::{AddressFamily, AsyncSocket, RecvBuf, Result, SockAddr, SocketKind, UnixAddr};

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

impl UnixDatagram {
    /// Sends `buf` as one datagram to the peer: `send(2)`.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, _b) = asock::net::UnixDatagram::pair()?;
    /// assert_eq!(a.send(b"datagram").await?, 8);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ENOTCONN` without a peer; `EMSGSIZE` for a datagram over the send buffer;
    /// "timed out" or `EAGAIN` by the mode (the receiver's queue is full).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: nothing is sent unless the future completes.
    pub fn send<'a>(&'a self, buf: &'a [u8]) -> SendFuture<'a> {
        self.sock.send(buf)
    }

    /// Receives one datagram into `buf`: `recv(2)`. A datagram longer than `buf` is cut to
    /// fit, the rest discarded.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// # asock::block_on(async {
    /// let (a, _b) = asock::net::UnixDatagram::pair()?;
    /// let err = a.recv(&mut [0; 8]).timeout(Duration::from_millis(20)).await.unwrap_err();
    /// assert_eq!(err.to_string(), "timed out");
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// "timed out" or `EAGAIN` by the mode.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: no datagram is taken unless the future completes.
    pub fn recv<'a>(&'a self, buf: &'a mut [u8]) -> RecvFuture<'a> {
        self.sock.recv(buf)
    }

    /// [`recv`](Self::recv) into a buffer's uninitialised room, without zeroing it (see
    /// [`RecvBuf`]).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::net::UnixDatagram::pair()?;
    /// a.send(b"vec").await?;
    /// let mut buf = Vec::with_capacity(64);
    /// b.recv_buf(&mut buf).await?;
    /// assert_eq!(buf, b"vec");
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv`](Self::recv).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: nothing is written to `buf` unless the future completes.
    pub fn recv_buf<'a, B: RecvBuf + ?Sized>(&'a self, buf: &'a mut B) -> RecvFuture<'a, B> {
        self.sock.recv_buf(buf)
    }

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

    /// Receives one datagram into `buf` with its sender's address (`Unnamed` for an unbound
    /// sender): `recvfrom(2)`.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let name = format!("\0asock-doc-{}", std::process::id());
    /// let server = asock::net::UnixDatagram::bind(&name)?;
    /// let client = asock::net::UnixDatagram::bind("")?;
    /// client.send_to(b"from whom?", &name).await?;
    /// let mut buf = [0; 16];
    /// let (n, from) = server.recv_from(&mut buf).await?;
    /// assert_eq!((&buf[..n], from), (&b"from whom?"[..], client.local_addr()?));
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// "timed out" or `EAGAIN` by the mode.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: no datagram is taken unless the future completes.
    pub fn recv_from<'a>(
        &'a self,
        buf: &'a mut [u8],
    ) -> NetFuture<RecvFromFuture<'a>, (usize, UnixAddr)> {
        NetFuture::new(self.sock.recv_from(buf), with_unix_sender)
    }
}

// ===== readiness and single tries =====

impl UnixDatagram {
    /// Waits until the socket is reported ready for `interest`, as tokio's `ready`.
    ///
    /// ```
    /// use asock::reactor::Interest;
    ///
    /// # asock::block_on(async {
    /// let (a, _b) = asock::net::UnixDatagram::pair()?;
    /// assert!(a.ready(Interest::WRITABLE).await?.is_writable());
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Registration failures; "timed out" or `EAGAIN` by the mode.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it only waits.
    pub fn ready(&self, interest: Interest) -> ReadyFuture<'_> {
        self.sock.ready(interest)
    }

    /// Waits until the socket is reported readable. See [`ready`](Self::ready).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::net::UnixDatagram::pair()?;
    /// b.try_send(b"x")?;
    /// a.readable().await?;
    /// assert_eq!(a.try_recv(&mut [0; 4])?, 1);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`ready`](Self::ready).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it only waits.
    pub fn readable(&self) -> ReadyFuture<'_> {
        self.sock.readable()
    }

    /// Waits until the socket is reported writable. See [`ready`](Self::ready).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, _b) = asock::net::UnixDatagram::pair()?;
    /// assert!(a.writable().await?.is_writable());
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`ready`](Self::ready).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it only waits.
    pub fn writable(&self) -> ReadyFuture<'_> {
        self.sock.writable()
    }

    /// [`send`](Self::send) once, never waiting.
    ///
    /// ```
    /// let (a, _b) = asock::net::UnixDatagram::pair()?;
    /// assert_eq!(a.try_send(b"now")?, 3);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAGAIN` when the receiver's queue is full; otherwise as [`send`](Self::send).
    pub fn try_send(&self, buf: &[u8]) -> Result<usize> {
        self.sock.try_send(buf)
    }

    /// [`recv`](Self::recv) once, never waiting.
    ///
    /// ```
    /// let (a, _b) = asock::net::UnixDatagram::pair()?;
    /// assert!(a.try_recv(&mut [0; 4]).unwrap_err().is_would_block());
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAGAIN` when no datagram is there.
    pub fn try_recv(&self, buf: &mut [u8]) -> Result<usize> {
        self.sock.try_recv(buf)
    }

    /// [`recv_buf`](Self::recv_buf) once, never waiting.
    ///
    /// ```
    /// let (a, b) = asock::net::UnixDatagram::pair()?;
    /// b.try_send(b"abc")?;
    /// let mut buf = Vec::with_capacity(8);
    /// assert_eq!(a.try_recv_buf(&mut buf)?, 3);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`try_recv`](Self::try_recv).
    pub fn try_recv_buf<B: RecvBuf + ?Sized>(&self, buf: &mut B) -> Result<usize> {
        self.sock.try_recv_buf(buf)
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

    /// [`recv_from`](Self::recv_from) once, never waiting.
    ///
    /// ```
    /// let sock = asock::net::UnixDatagram::bind("")?;
    /// assert!(sock.try_recv_from(&mut [0; 4]).unwrap_err().is_would_block());
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAGAIN` when no datagram is there.
    pub fn try_recv_from(&self, buf: &mut [u8]) -> Result<(usize, UnixAddr)> {
        with_unix_sender(self.sock.try_recv_from(buf))
    }

    /// Runs `f`, a system call of the caller's own on the socket's fd, once (tokio's
    /// `try_io`): a `WouldBlock` from it clears the readiness seen.
    ///
    /// ```
    /// use std::os::fd::AsFd;
    /// use asock::reactor::Interest;
    ///
    /// let (a, b) = asock::net::UnixDatagram::pair()?;
    /// b.try_send(b"raw")?;
    /// let mut buf = [std::mem::MaybeUninit::uninit(); 8];
    /// let n = a.try_io(Interest::READABLE, || socket2::SockRef::from(&a.as_fd()).recv(&mut buf))?;
    /// assert_eq!(n, 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Those of `f`.
    pub fn try_io<R>(
        &self,
        interest: Interest,
        f: impl FnOnce() -> io::Result<R>,
    ) -> io::Result<R> {
        self.sock.try_io(interest, f)
    }

    /// Runs `f` until it does not say `WouldBlock`, waiting for `interest` in between
    /// (tokio's `async_io`), in the socket's mode.
    ///
    /// ```
    /// use std::os::fd::AsFd;
    /// use asock::reactor::Interest;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::net::UnixDatagram::pair()?;
    /// std::thread::spawn(move || b.try_send(b"later"));
    /// let mut buf = [std::mem::MaybeUninit::uninit(); 8];
    /// let fd = a.as_fd();
    /// let n = a.async_io(Interest::READABLE, || socket2::SockRef::from(&fd).recv(&mut buf)).await?;
    /// assert_eq!(n, 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// Those of `f`; "timed out" or `EAGAIN` by the mode.
    ///
    /// # Cancel safety
    ///
    /// As cancel safe as `f`.
    pub fn async_io<R, F: FnMut() -> io::Result<R> + Unpin>(
        &self,
        interest: Interest,
        f: F,
    ) -> AsyncIoFuture<'_, F> {
        self.sock.async_io(interest, f)
    }
}

/// A received datagram's length and sender, the sender as a UNIX address.
fn with_unix_sender(received: Result<(usize, SockAddr)>) -> Result<(usize, UnixAddr)> {
    received.and_then(|(n, from)| Ok((n, unix_addr(from)?)))
}
