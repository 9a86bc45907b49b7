//! Receiving: `recv`, `recv_into`, `recv_from`, `recv_from_into` as futures, `try_*` and
//! `poll_*`.
//!
//! Every future here is cancel safe: bytes leave the kernel only in the try that completes
//! the future, so a future dropped before completing has taken nothing.
//!
//! A read of zero bytes is CPython's, in every form: `recv(0)`, `recv_into` of an empty
//! buffer, and `poll_recv` / `poll_peek` with an empty buffer make no system call and return
//! nothing at once, so on a datagram socket the next datagram stays queued. The `recv_from`
//! forms call the kernel even for zero bytes (and take a datagram), as CPython's `recvfrom`
//! does.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::operation::{debug_operation, socket_operation};
use super::AsyncSocket;
use crate::mode::OpWait;
use crate::reactor::Interest;
use crate::sys;
use crate::{Error, Result, SockAddr};

/// Python's `recv(bufsize)` keeps its result at most this much larger than the data.
const SHRINK_SLACK: usize = 1024;

const INTO_TOO_SMALL: &str = "buffer too small for requested bytes";
const FROM_INTO_TOO_SMALL: &str = "nbytes is greater than the length of the buffer";

/// A buffer with room for `bufsize` bytes, or `ENOMEM` (Python: `MemoryError`). Nothing is
/// written, so a large `bufsize` costs address space only.
fn reserve(bufsize: usize) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    buf.try_reserve_exact(bufsize).map_err(|_| Error::from_errno(libc::ENOMEM))?;
    Ok(buf)
}

fn shrink(mut buf: Vec<u8>) -> Vec<u8> {
    if buf.capacity() - buf.len() > SHRINK_SLACK {
        buf.shrink_to_fit();
    }
    buf
}

/// The byte count `recv_into(buffer, nbytes)` reads: `nbytes`, or the whole buffer for 0;
/// `None` when `nbytes` exceeds the buffer.
fn into_len(buf_len: usize, nbytes: usize) -> Option<usize> {
    match nbytes {
        0 => Some(buf_len),
        n if n > buf_len => None,
        n => Some(n),
    }
}

// ===== async methods =====

impl AsyncSocket {
    /// Receives up to `bufsize` bytes: Python's `recv(bufsize)` (`recv(2)`). An empty result on
    /// a stream socket is the end of the stream.
    ///
    /// `recv(0)` completes at once with an empty result and no system call, as CPython's does,
    /// whatever the socket's state or mode: on a datagram socket no datagram is taken.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.send_all(b"hello").await?;
    /// assert_eq!(b.recv(1024).await?, b"hello");
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAGAIN` in non-blocking mode with nothing to read; "timed out" in timeout mode;
    /// `ECONNRESET`, ...; `EBADF` when closed; `ENOMEM` when `bufsize` bytes cannot be
    /// reserved.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `recv` has taken no bytes from the socket.
    pub fn recv(&self, bufsize: usize) -> Recv<'_> {
        self.recv_with_flags(bufsize, 0)
    }

    /// [`recv`](Self::recv) with `MSG_*` flags (`MSG_PEEK`, `MSG_WAITALL`, ...): Python's
    /// `recv(bufsize, flags)`.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.send_all(b"peek").await?;
    /// assert_eq!(b.recv_with_flags(4, libc::MSG_PEEK).await?, b"peek");
    /// assert_eq!(b.recv(4).await?, b"peek"); // still there
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
    /// Cancel safe, as [`recv`](Self::recv).
    pub fn recv_with_flags(&self, bufsize: usize, flags: i32) -> Recv<'_> {
        Recv { sock: self, bufsize, flags, buf: None, wait: self.op_wait() }
    }

    /// Receives into `buf`: Python's `recv_into(buffer, nbytes)`. At most `nbytes` bytes are
    /// read; `nbytes == 0` means the whole buffer. Returns the byte count.
    ///
    /// An empty `buf` completes at once with 0 and no system call, as CPython's does: on a
    /// datagram socket no datagram is taken.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.send_all(b"abcdef").await?;
    /// let mut buf = [0u8; 8];
    /// assert_eq!(b.recv_into(&mut buf, 3).await?, 3);
    /// assert_eq!(&buf[..3], b"abc");
    /// assert!(b.recv_into(&mut buf, 9).await.is_err()); // more than the buffer holds
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` ("buffer too small for requested bytes") when `nbytes > buf.len()`;
    /// otherwise as [`recv`](Self::recv).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `recv_into` has taken no bytes (`buf` is left as it was).
    pub fn recv_into<'a>(&'a self, buf: &'a mut [u8], nbytes: usize) -> RecvInto<'a> {
        self.recv_into_with_flags(buf, nbytes, 0)
    }

    /// [`recv_into`](Self::recv_into) with `MSG_*` flags.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.send_all(b"xy").await?;
    /// let mut buf = [0u8; 2];
    /// assert_eq!(b.recv_into_with_flags(&mut buf, 0, libc::MSG_PEEK).await?, 2);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv_into`](Self::recv_into).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`recv_into`](Self::recv_into).
    pub fn recv_into_with_flags<'a>(
        &'a self,
        buf: &'a mut [u8],
        nbytes: usize,
        flags: i32,
    ) -> RecvInto<'a> {
        let len = into_len(buf.len(), nbytes);
        RecvInto { sock: self, buf, len, flags, wait: self.op_wait() }
    }

    /// Receives up to `bufsize` bytes and the sender's address: Python's `recvfrom(bufsize)`
    /// (`recvfrom(2)`). An unnamed `AF_UNIX` sender is `UnixAddr::Unnamed`.
    ///
    /// Unlike [`recv`](Self::recv), `recv_from(0)` calls the kernel, as CPython's does: on a
    /// datagram socket it waits for a datagram and takes it, returning no bytes.
    ///
    /// ```
    /// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
    ///
    /// # asock::block_on(async {
    /// let udp = || AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, Protocol::from(0));
    /// let (a, b) = (udp()?, udp()?);
    /// a.bind(&"127.0.0.1:0".parse()?)?;
    /// b.bind(&"127.0.0.1:0".parse()?)?;
    /// a.send_to(b"datagram", &b.local_addr()?).await?;
    /// let (data, from) = b.recv_from(100).await?;
    /// assert_eq!((data.as_slice(), from), (&b"datagram"[..], a.local_addr()?));
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
    /// Cancel safe: a dropped `recv_from` has taken no datagram.
    pub fn recv_from(&self, bufsize: usize) -> RecvFrom<'_> {
        self.recv_from_with_flags(bufsize, 0)
    }

    /// [`recv_from`](Self::recv_from) with `MSG_*` flags.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.send_all(b"z").await?;
    /// let (data, _from) = b.recv_from_with_flags(1, libc::MSG_PEEK).await?;
    /// assert_eq!(data, b"z");
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
    /// Cancel safe, as [`recv_from`](Self::recv_from).
    pub fn recv_from_with_flags(&self, bufsize: usize, flags: i32) -> RecvFrom<'_> {
        RecvFrom { sock: self, bufsize, flags, buf: None, wait: self.op_wait() }
    }

    /// Receives into `buf` with the sender's address: Python's `recvfrom_into(buffer,
    /// nbytes)`; `nbytes == 0` means the whole buffer.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.send_all(b"into").await?;
    /// let mut buf = [0u8; 16];
    /// let (n, _from) = b.recv_from_into(&mut buf, 0).await?;
    /// assert_eq!(&buf[..n], b"into");
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` ("nbytes is greater than the length of the buffer") when
    /// `nbytes > buf.len()`; otherwise as [`recv`](Self::recv).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`recv_into`](Self::recv_into).
    pub fn recv_from_into<'a>(&'a self, buf: &'a mut [u8], nbytes: usize) -> RecvFromInto<'a> {
        self.recv_from_into_with_flags(buf, nbytes, 0)
    }

    /// [`recv_from_into`](Self::recv_from_into) with `MSG_*` flags.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.send_all(b"q").await?;
    /// let mut buf = [0u8; 1];
    /// assert_eq!(b.recv_from_into_with_flags(&mut buf, 1, libc::MSG_PEEK).await?.0, 1);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv_from_into`](Self::recv_from_into).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`recv_into`](Self::recv_into).
    pub fn recv_from_into_with_flags<'a>(
        &'a self,
        buf: &'a mut [u8],
        nbytes: usize,
        flags: i32,
    ) -> RecvFromInto<'a> {
        let len = into_len(buf.len(), nbytes);
        RecvFromInto { sock: self, buf, len, flags, wait: self.op_wait() }
    }
}

// ===== try_*: one syscall, never waits =====

impl AsyncSocket {
    /// [`recv`](Self::recv) without waiting, whatever the mode: `EAGAIN` if nothing is there.
    /// `try_recv(0)` is empty at once, with no system call.
    ///
    /// ```
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// assert!(b.try_recv(8).unwrap_err().is_would_block());
    /// a.try_send(b"now")?;
    /// assert_eq!(b.try_recv(8)?, b"now");
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAGAIN` when nothing is ready; otherwise as [`recv`](Self::recv).
    pub fn try_recv(&self, bufsize: usize) -> Result<Vec<u8>> {
        self.try_recv_with_flags(bufsize, 0)
    }

    /// [`recv_with_flags`](Self::recv_with_flags) without waiting.
    ///
    /// # Errors
    ///
    /// As [`try_recv`](Self::try_recv).
    pub fn try_recv_with_flags(&self, bufsize: usize, flags: i32) -> Result<Vec<u8>> {
        if bufsize == 0 {
            return Ok(Vec::new());
        }
        let mut buf = reserve(bufsize)?;
        self.try_op(Interest::READABLE, |fd| {
            let n = sys::io::try_recv_spare(fd, &mut buf, flags)?;
            Ok(((), self.read_progress(n, bufsize)))
        })?;
        Ok(shrink(buf))
    }

    /// [`recv_into`](Self::recv_into) without waiting. An empty `buf` gives 0 at once, with no
    /// system call.
    ///
    /// ```
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.try_send(b"abc")?;
    /// let mut buf = [0u8; 8];
    /// assert_eq!(b.try_recv_into(&mut buf, 0)?, 3);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv_into`](Self::recv_into); `EAGAIN` when nothing is ready.
    pub fn try_recv_into(&self, buf: &mut [u8], nbytes: usize) -> Result<usize> {
        self.try_recv_into_with_flags(buf, nbytes, 0)
    }

    /// [`recv_into_with_flags`](Self::recv_into_with_flags) without waiting.
    ///
    /// # Errors
    ///
    /// As [`try_recv_into`](Self::try_recv_into).
    pub fn try_recv_into_with_flags(
        &self,
        buf: &mut [u8],
        nbytes: usize,
        flags: i32,
    ) -> Result<usize> {
        let len =
            into_len(buf.len(), nbytes).ok_or_else(|| Error::invalid_input(INTO_TOO_SMALL))?;
        if len == 0 {
            return Ok(0);
        }
        let buf = &mut buf[..len];
        self.try_op(Interest::READABLE, |fd| {
            let n = sys::io::try_recv(fd, buf, flags)?;
            Ok((n, self.read_progress(n, len)))
        })
    }

    /// [`recv_from`](Self::recv_from) without waiting.
    ///
    /// ```
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.try_send(b"d")?;
    /// let (data, _from) = b.try_recv_from(8)?;
    /// assert_eq!(data, b"d");
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`try_recv`](Self::try_recv).
    pub fn try_recv_from(&self, bufsize: usize) -> Result<(Vec<u8>, SockAddr)> {
        self.try_recv_from_with_flags(bufsize, 0)
    }

    /// [`recv_from_with_flags`](Self::recv_from_with_flags) without waiting.
    ///
    /// # Errors
    ///
    /// As [`try_recv`](Self::try_recv).
    pub fn try_recv_from_with_flags(
        &self,
        bufsize: usize,
        flags: i32,
    ) -> Result<(Vec<u8>, SockAddr)> {
        let mut buf = reserve(bufsize)?;
        let addr = self.try_op(Interest::READABLE, |fd| {
            let (n, addr) = sys::io::try_recv_from_spare(fd, &mut buf, flags)?;
            Ok((addr, self.read_progress(n, bufsize)))
        })?;
        Ok((shrink(buf), addr))
    }

    /// [`recv_from_into`](Self::recv_from_into) without waiting.
    ///
    /// ```
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.try_send(b"e")?;
    /// let mut buf = [0u8; 4];
    /// assert_eq!(b.try_recv_from_into(&mut buf, 0)?.0, 1);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv_from_into`](Self::recv_from_into); `EAGAIN` when nothing is ready.
    pub fn try_recv_from_into(&self, buf: &mut [u8], nbytes: usize) -> Result<(usize, SockAddr)> {
        self.try_recv_from_into_with_flags(buf, nbytes, 0)
    }

    /// [`recv_from_into_with_flags`](Self::recv_from_into_with_flags) without waiting.
    ///
    /// # Errors
    ///
    /// As [`try_recv_from_into`](Self::try_recv_from_into).
    pub fn try_recv_from_into_with_flags(
        &self,
        buf: &mut [u8],
        nbytes: usize,
        flags: i32,
    ) -> Result<(usize, SockAddr)> {
        let len =
            into_len(buf.len(), nbytes).ok_or_else(|| Error::invalid_input(FROM_INTO_TOO_SMALL))?;
        let buf = &mut buf[..len];
        self.try_op(Interest::READABLE, |fd| {
            let (n, addr) = sys::io::try_recv_from(fd, buf, flags)?;
            Ok(((n, addr), self.read_progress(n, len)))
        })
    }
}

// ===== poll_*: for trait impls =====

impl AsyncSocket {
    /// Receives into `buf`, or stores `cx`'s waker and returns `Pending`: the building block
    /// of `AsyncRead`. Waits with no deadline, whatever the socket's mode (a `poll_*`
    /// function has no call to time; bound the caller instead). An empty `buf` is
    /// `Ready(Ok(0))` at once, with no system call (no datagram is taken).
    ///
    /// ```
    /// use std::future::poll_fn;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.send_all(b"polled").await?;
    /// let mut buf = [0u8; 16];
    /// let n = poll_fn(|cx| b.poll_recv(cx, &mut buf)).await?;
    /// assert_eq!(&buf[..n], b"polled");
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv`](Self::recv) (never `EAGAIN` or a timeout).
    pub fn poll_recv(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<Result<usize>> {
        let len = buf.len();
        if len == 0 {
            return Poll::Ready(Ok(0));
        }
        self.poll_io(cx, Interest::READABLE, |fd| {
            let n = sys::io::try_recv(fd, buf, 0)?;
            Ok((n, self.read_progress(n, len)))
        })
    }

    /// Receives a datagram into `buf` with its sender's address, or stores `cx`'s waker and
    /// returns `Pending`. Waits with no deadline, whatever the socket's mode.
    ///
    /// ```
    /// use std::future::poll_fn;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.send_all(b"x").await?;
    /// let mut buf = [0u8; 4];
    /// let (n, _from) = poll_fn(|cx| b.poll_recv_from(cx, &mut buf)).await?;
    /// assert_eq!(n, 1);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv_from`](Self::recv_from) (never `EAGAIN` or a timeout).
    pub fn poll_recv_from(
        &self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<Result<(usize, SockAddr)>> {
        let len = buf.len();
        self.poll_io(cx, Interest::READABLE, |fd| {
            let (n, addr) = sys::io::try_recv_from(fd, buf, 0)?;
            Ok(((n, addr), self.read_progress(n, len)))
        })
    }

    /// Peeks at incoming data (`MSG_PEEK`) without taking it, or stores `cx`'s waker and
    /// returns `Pending`. An empty `buf` is `Ready(Ok(0))` at once, with no system call.
    ///
    /// ```
    /// use std::future::poll_fn;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.send_all(b"look").await?;
    /// let mut buf = [0u8; 4];
    /// assert_eq!(poll_fn(|cx| b.poll_peek(cx, &mut buf)).await?, 4);
    /// assert_eq!(b.recv(4).await?, b"look");
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv`](Self::recv) (never `EAGAIN` or a timeout).
    pub fn poll_peek(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<Result<usize>> {
        let len = buf.len();
        if len == 0 {
            return Poll::Ready(Ok(0));
        }
        self.poll_io(cx, Interest::READABLE, |fd| {
            let n = sys::io::try_recv(fd, buf, libc::MSG_PEEK)?;
            Ok((n, self.read_progress(n, len)))
        })
    }
}

// ===== the futures =====

/// The future of [`AsyncSocket::recv`] and [`recv_with_flags`](AsyncSocket::recv_with_flags):
/// the bytes received. An [`Operation`](crate::Operation).
///
/// # Cancel safety
///
/// Cancel safe: no bytes are taken until the future completes.
#[must_use = "futures do nothing unless polled"]
pub struct Recv<'a> {
    sock: &'a AsyncSocket,
    bufsize: usize,
    flags: i32,
    buf: Option<Vec<u8>>,
    wait: OpWait,
}

impl Future for Recv<'_> {
    type Output = Result<Vec<u8>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<Vec<u8>>> {
        let this = self.get_mut();
        if this.bufsize == 0 {
            return Poll::Ready(Ok(Vec::new()));
        }
        let buf = match &mut this.buf {
            Some(buf) => buf,
            None => this.buf.insert(reserve(this.bufsize)?),
        };
        let (sock, bufsize, flags) = (this.sock, this.bufsize, this.flags);
        let polled = sock.poll_op(cx, &mut this.wait, Interest::READABLE, |fd| {
            let n = sys::io::try_recv_spare(fd, buf, flags)?;
            Ok(((), sock.read_progress(n, bufsize)))
        });
        polled.map_ok(|()| shrink(this.buf.take().unwrap_or_default()))
    }
}

/// The future of [`AsyncSocket::recv_into`]: the byte count. An
/// [`Operation`](crate::Operation).
///
/// # Cancel safety
///
/// Cancel safe: no bytes are taken until the future completes.
#[must_use = "futures do nothing unless polled"]
pub struct RecvInto<'a> {
    sock: &'a AsyncSocket,
    buf: &'a mut [u8],
    /// `None`: `nbytes` exceeded the buffer.
    len: Option<usize>,
    flags: i32,
    wait: OpWait,
}

impl Future for RecvInto<'_> {
    type Output = Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<usize>> {
        let this = self.get_mut();
        let Some(len) = this.len else {
            return Poll::Ready(Err(Error::invalid_input(INTO_TOO_SMALL)));
        };
        if len == 0 {
            return Poll::Ready(Ok(0));
        }
        let (sock, flags) = (this.sock, this.flags);
        let buf = &mut this.buf[..len];
        sock.poll_op(cx, &mut this.wait, Interest::READABLE, |fd| {
            let n = sys::io::try_recv(fd, buf, flags)?;
            Ok((n, sock.read_progress(n, len)))
        })
    }
}

/// The future of [`AsyncSocket::recv_from`]: the bytes and the sender's address. An
/// [`Operation`](crate::Operation).
///
/// # Cancel safety
///
/// Cancel safe: no datagram is taken until the future completes.
#[must_use = "futures do nothing unless polled"]
pub struct RecvFrom<'a> {
    sock: &'a AsyncSocket,
    bufsize: usize,
    flags: i32,
    buf: Option<Vec<u8>>,
    wait: OpWait,
}

impl Future for RecvFrom<'_> {
    type Output = Result<(Vec<u8>, SockAddr)>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let buf = match &mut this.buf {
            Some(buf) => buf,
            None => this.buf.insert(reserve(this.bufsize)?),
        };
        let (sock, bufsize, flags) = (this.sock, this.bufsize, this.flags);
        let polled = sock.poll_op(cx, &mut this.wait, Interest::READABLE, |fd| {
            let (n, addr) = sys::io::try_recv_from_spare(fd, buf, flags)?;
            Ok((addr, sock.read_progress(n, bufsize)))
        });
        polled.map_ok(|addr| (shrink(this.buf.take().unwrap_or_default()), addr))
    }
}

/// The future of [`AsyncSocket::recv_from_into`]: the byte count and the sender's address.
/// An [`Operation`](crate::Operation).
///
/// # Cancel safety
///
/// Cancel safe: no datagram is taken until the future completes.
#[must_use = "futures do nothing unless polled"]
pub struct RecvFromInto<'a> {
    sock: &'a AsyncSocket,
    buf: &'a mut [u8],
    len: Option<usize>,
    flags: i32,
    wait: OpWait,
}

impl Future for RecvFromInto<'_> {
    type Output = Result<(usize, SockAddr)>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let Some(len) = this.len else {
            return Poll::Ready(Err(Error::invalid_input(FROM_INTO_TOO_SMALL)));
        };
        let (sock, flags) = (this.sock, this.flags);
        let buf = &mut this.buf[..len];
        sock.poll_op(cx, &mut this.wait, Interest::READABLE, |fd| {
            let (n, addr) = sys::io::try_recv_from(fd, buf, flags)?;
            Ok(((n, addr), sock.read_progress(n, len)))
        })
    }
}

socket_operation!(Recv<'a>);
socket_operation!(RecvInto<'a>);
socket_operation!(RecvFrom<'a>);
socket_operation!(RecvFromInto<'a>);

debug_operation!(Recv, RecvInto, RecvFrom, RecvFromInto);
