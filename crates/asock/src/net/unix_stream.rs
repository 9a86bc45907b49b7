//! [`UnixStream`]: a connected UNIX stream socket, as tokio's.

use std::io::{self, IoSlice};
use std::path::Path;

use super::common::{typed_socket, UNIX_STREAM};
use super::{unix_addr, unix_addr_of_path};
use crate::ancillary::Credentials;
use crate::async_socket::{
    AsyncIoFuture, OwnedReadHalf, OwnedWriteHalf, ReadHalf, ReadyFuture, RecvFuture, WriteHalf,
};
use crate::reactor::Interest;
use crate::{
    AddressFamily, AsyncSocket, Error, MsgFlags, RecvBuf, Result, SockAddr, SocketKind, UnixAddr,
};

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

// ===== readiness and single tries =====

impl UnixStream {
    /// Waits until the stream is reported ready for `interest`, as tokio's `ready`.
    ///
    /// ```
    /// use asock::reactor::Interest;
    ///
    /// # asock::block_on(async {
    /// let (a, _b) = asock::net::UnixStream::pair()?;
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

    /// Waits until the stream is reported readable. See [`ready`](Self::ready).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::net::UnixStream::pair()?;
    /// b.try_write(b"ping")?;
    /// let mut buf = [0; 16];
    /// let n = loop {
    ///     a.readable().await?;
    ///     match a.try_read(&mut buf) {
    ///         Err(e) if e.is_would_block() => continue,
    ///         other => break other?,
    ///     }
    /// };
    /// assert_eq!(&buf[..n], b"ping");
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

    /// Waits until the stream is reported writable. See [`ready`](Self::ready).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, _b) = asock::net::UnixStream::pair()?;
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

    /// Reads what is there into `buf`, never waiting: `recv(2)` once. 0 means end of stream
    /// (or an empty `buf`).
    ///
    /// ```
    /// let (a, b) = asock::net::UnixStream::pair()?;
    /// assert!(a.try_read(&mut [0; 8]).unwrap_err().is_would_block());
    /// drop(b);
    /// assert_eq!(a.try_read(&mut [0; 8])?, 0); // end of stream
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAGAIN` when nothing is there; `ECONNRESET`, ...
    pub fn try_read(&self, buf: &mut [u8]) -> Result<usize> {
        self.sock.try_recv(buf)
    }

    /// [`try_read`](Self::try_read) into a buffer's uninitialised room, without zeroing it
    /// (see [`RecvBuf`]).
    ///
    /// ```
    /// let (a, b) = asock::net::UnixStream::pair()?;
    /// b.try_write(b"abc")?;
    /// let mut buf = Vec::with_capacity(64);
    /// assert_eq!(a.try_read_buf(&mut buf)?, 3);
    /// assert_eq!(buf, b"abc");
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`try_read`](Self::try_read).
    pub fn try_read_buf<B: RecvBuf + ?Sized>(&self, buf: &mut B) -> Result<usize> {
        self.sock.try_recv_buf(buf)
    }

    /// Writes what the kernel takes of `buf`, never waiting: `send(2)` once.
    ///
    /// ```
    /// let (a, _b) = asock::net::UnixStream::pair()?;
    /// assert_eq!(a.try_write(b"hello")?, 5);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAGAIN` when the send buffer is full; `EPIPE`, ...
    pub fn try_write(&self, buf: &[u8]) -> Result<usize> {
        self.sock.try_send(buf)
    }

    /// Writes the gathered `bufs` with one `sendmsg(2)`, never waiting.
    ///
    /// ```
    /// use std::io::IoSlice;
    ///
    /// let (a, b) = asock::net::UnixStream::pair()?;
    /// assert_eq!(a.try_write_vectored(&[IoSlice::new(b"ab"), IoSlice::new(b"cd")])?, 4);
    /// let mut buf = [0; 4];
    /// assert_eq!(b.try_read(&mut buf)?, 4);
    /// assert_eq!(&buf, b"abcd");
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`try_write`](Self::try_write).
    pub fn try_write_vectored(&self, bufs: &[IoSlice<'_>]) -> Result<usize> {
        self.sock.try_send_vectored(bufs)
    }

    /// Runs `f`, a system call of the caller's own on the stream's fd, once (tokio's
    /// `try_io`): a `WouldBlock` from it clears the readiness seen.
    ///
    /// ```
    /// use std::os::fd::AsFd;
    /// use asock::reactor::Interest;
    ///
    /// let (a, b) = asock::net::UnixStream::pair()?;
    /// b.try_write(b"raw")?;
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
    /// (tokio's `async_io`), in the stream's mode.
    ///
    /// ```
    /// use std::os::fd::AsFd;
    /// use asock::reactor::Interest;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::net::UnixStream::pair()?;
    /// std::thread::spawn(move || b.try_write(b"later"));
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

    /// Receives into `buf` without taking the bytes from the stream (`MSG_PEEK`), waiting
    /// until there are some.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::net::UnixStream::pair()?;
    /// b.try_write(b"peek")?;
    /// let mut buf = [0; 4];
    /// assert_eq!(a.peek(&mut buf).await?, 4);
    /// assert_eq!(a.try_read(&mut buf)?, 4); // still there
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// "timed out" or `EAGAIN` by the mode; `ECONNRESET`, ...
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: peeking takes nothing.
    pub fn peek<'a>(&'a self, buf: &'a mut [u8]) -> RecvFuture<'a> {
        self.sock.recv_with_flags(buf, MsgFlags::MSG_PEEK)
    }
}

// ===== halves =====

impl UnixStream {
    /// Splits the stream into halves that borrow it (`AsyncRead` / `AsyncWrite`), as tokio's
    /// `split`: asock's [`ReadHalf`] / [`WriteHalf`].
    ///
    /// ```
    /// use tokio::io::{AsyncReadExt, AsyncWriteExt};
    ///
    /// # asock::block_on(async {
    /// let (mut a, mut b) = asock::net::UnixStream::pair()?;
    /// let (mut read, mut write) = b.split();
    /// write.write_all(b"half").await?;
    /// let mut buf = [0; 4];
    /// a.read_exact(&mut buf).await?;
    /// a.write_all(&buf).await?;
    /// read.read_exact(&mut buf).await?;
    /// assert_eq!(&buf, b"half");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    pub fn split(&mut self) -> (ReadHalf<'_>, WriteHalf<'_>) {
        self.sock.split()
    }

    /// Splits the stream into owned halves, as tokio's `into_split`: asock's
    /// [`OwnedReadHalf`] / [`OwnedWriteHalf`] (dropping the write half shuts the write side
    /// down). [`OwnedReadHalf::reunite`] gives the `AsyncSocket` back.
    ///
    /// ```
    /// let (a, _b) = asock::net::UnixStream::pair()?;
    /// let (read, write) = a.into_split();
    /// let a = asock::net::UnixStream::try_from(read.reunite(write)?)?;
    /// # drop(a);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_split(self) -> (OwnedReadHalf, OwnedWriteHalf) {
        self.sock.into_split()
    }
}
