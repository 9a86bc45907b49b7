//! Moving bytes: `recv`, `recv_from`, `send`, `send_to`, `send_all` and vectored sends, as
//! futures, `try_*` and `poll_*`.
//!
//! Every receive is cancel safe: bytes leave the kernel only in the attempt that completes
//! the future. Every send but `send_all` is too: an attempt either sends and completes, or
//! sends nothing. `MSG_NOSIGNAL` is always added: a closed peer gives `EPIPE`, never
//! `SIGPIPE`.

use std::io::IoSlice;
use std::task::{Context, Poll};

use super::op_future::{op_future, OpFuture};
use super::AsyncSocket;
use crate::ops::naming::checked;
use crate::ops::recv::{Recv, RecvFrom};
use crate::ops::send::{Send, SendAll, SendTo, SendVectored};
use crate::sys::buf::RecvBuf;
use asock_core::{MsgFlags, Result, SockAddr};

// ===== futures =====

impl AsyncSocket {
    /// Receives into `buf`: `recv(2)`. Returns the byte count; 0 at the end of a stream (or
    /// for an empty datagram).
    ///
    /// An empty `buf` returns 0 at once without a system call, as CPython's `recv(0)` does: on
    /// a datagram socket no datagram is taken.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.send_all(b"hello").await?;
    /// let mut buf = [0; 1024];
    /// let n = b.recv(&mut buf).await?;
    /// assert_eq!(&buf[..n], b"hello");
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAGAIN` in non-blocking mode with nothing to read; "timed out" in timeout mode;
    /// `ECONNRESET`, ...; `EBADF` when closed.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `recv` has taken no bytes from the socket.
    pub fn recv<'a>(&'a self, buf: &'a mut [u8]) -> RecvFuture<'a> {
        self.recv_with_flags(buf, MsgFlags::empty())
    }

    /// [`recv`](Self::recv) with flags (`MSG_PEEK`, `MSG_WAITALL`, ...).
    ///
    /// ```
    /// use asock::MsgFlags;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.send_all(b"peek").await?;
    /// let mut buf = [0; 4];
    /// b.recv_with_flags(&mut buf, MsgFlags::MSG_PEEK).await?;
    /// assert_eq!(b.recv(&mut buf).await?, 4); // still there
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
    pub fn recv_with_flags<'a>(&'a self, buf: &'a mut [u8], flags: MsgFlags) -> RecvFuture<'a> {
        RecvFuture(OpFuture::new(self, Ok(Recv { buf, flags: flags.raw() })))
    }

    /// Receives into a buffer without zeroing it first: a `Vec<u8>`'s spare capacity (its
    /// length grows by the bytes received) or tokio's `ReadBuf` (see [`RecvBuf`]).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.send_all(b"abc").await?;
    /// let mut buf = Vec::with_capacity(16);
    /// assert_eq!(b.recv_buf(&mut buf).await?, 3);
    /// assert_eq!(buf, b"abc");
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
        RecvFuture(OpFuture::new(self, Ok(Recv { buf, flags: 0 })))
    }

    /// Receives into `buf` with the sender's address: `recvfrom(2)`. An unnamed `AF_UNIX`
    /// sender is `UnixAddr::Unnamed`. Unlike [`recv`](Self::recv), an empty `buf` still takes
    /// a datagram, as CPython's `recvfrom(0)` does.
    ///
    /// ```
    /// use asock::{AddressFamily, AsyncSocket, SockAddr, SocketKind};
    ///
    /// # asock::block_on(async {
    /// let udp = || AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, None);
    /// let (a, b) = (udp()?, udp()?);
    /// a.bind("127.0.0.1:0".parse::<SockAddr>()?)?;
    /// b.bind("127.0.0.1:0".parse::<SockAddr>()?)?;
    /// a.send_to(b"datagram", b.local_addr()?).await?;
    /// let mut buf = [0; 100];
    /// let (n, from) = b.recv_from(&mut buf).await?;
    /// assert_eq!((&buf[..n], from), (&b"datagram"[..], a.local_addr()?));
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
    pub fn recv_from<'a>(&'a self, buf: &'a mut [u8]) -> RecvFromFuture<'a> {
        self.recv_from_with_flags(buf, MsgFlags::empty())
    }

    /// [`recv_from`](Self::recv_from) with flags.
    ///
    /// ```
    /// use asock::MsgFlags;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.send_all(b"z").await?;
    /// let mut buf = [0; 1];
    /// let (n, _from) = b.recv_from_with_flags(&mut buf, MsgFlags::MSG_PEEK).await?;
    /// assert_eq!(&buf[..n], b"z");
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
    pub fn recv_from_with_flags<'a>(
        &'a self,
        buf: &'a mut [u8],
        flags: MsgFlags,
    ) -> RecvFromFuture<'a> {
        RecvFromFuture(OpFuture::new(self, Ok(RecvFrom { buf, flags: flags.raw() })))
    }

    /// Sends what the kernel takes of `data`: `send(2)`. Returns the byte count, which can be
    /// less than `data.len()` on a stream socket.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, _b) = asock::async_socket::socketpair()?;
    /// assert_eq!(a.send(b"hi").await?, 2);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAGAIN` in non-blocking mode with a full buffer; "timed out" in timeout mode; `EPIPE`,
    /// `ECONNRESET`, ...; `EBADF` when closed.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `send` has sent nothing.
    pub fn send<'a>(&'a self, data: &'a [u8]) -> SendFuture<'a> {
        self.send_with_flags(data, MsgFlags::empty())
    }

    /// [`send`](Self::send) with flags (`MSG_NOSIGNAL` is always added).
    ///
    /// ```
    /// use asock::MsgFlags;
    ///
    /// # asock::block_on(async {
    /// let (a, _b) = asock::async_socket::socketpair()?;
    /// assert_eq!(a.send_with_flags(b"more", MsgFlags::MSG_MORE).await?, 4);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`send`](Self::send).
    pub fn send_with_flags<'a>(&'a self, data: &'a [u8], flags: MsgFlags) -> SendFuture<'a> {
        SendFuture(OpFuture::new(self, Ok(Send { data, flags: flags.raw() })))
    }

    /// Sends the gathered `bufs` with one `sendmsg(2)`: a vectored write. Returns the byte
    /// count the kernel took.
    ///
    /// ```
    /// use std::io::IoSlice;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// assert_eq!(a.send_vectored(&[IoSlice::new(b"head "), IoSlice::new(b"body")]).await?, 9);
    /// let mut buf = [0; 16];
    /// let n = b.recv(&mut buf).await?;
    /// assert_eq!(&buf[..n], b"head body");
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `send_vectored` has sent nothing.
    pub fn send_vectored<'a>(&'a self, bufs: &'a [IoSlice<'a>]) -> SendVectoredFuture<'a> {
        SendVectoredFuture(OpFuture::new(self, Ok(SendVectored { bufs, flags: 0 })))
    }

    /// Sends all of `data`: Python's `sendall`, `send(2)` until done.
    ///
    /// The mode bounds the whole call: 8 MiB to a slow reader under `.timeout(1s)` fails after
    /// one second in total, not per chunk. Empty `data` still makes one `send` (an empty
    /// datagram on a datagram socket).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// # asock::block_on(async {
    /// let (a, _b) = asock::async_socket::socketpair()?;
    /// a.send_all(b"every byte").await?;
    /// // Nobody reads: 16 MiB cannot fit in the socket buffers.
    /// let big = vec![0u8; 16 << 20];
    /// let err = a.send_all(&big).timeout(Duration::from_millis(50)).await.unwrap_err();
    /// assert_eq!(err.to_string(), "timed out");
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send). On error the number of bytes already sent is not reported, as
    /// in Python.
    ///
    /// # Cancel safety
    ///
    /// **Not cancel safe.** A `send_all` dropped before completing (or ended by its timeout)
    /// may have sent part of `data`, and reports nothing about how much: the stream is then at
    /// an unknown position (as tokio's `write_all`). Use [`send`](Self::send) in a loop to
    /// track progress across cancellation.
    pub fn send_all<'a>(&'a self, data: &'a [u8]) -> SendAllFuture<'a> {
        self.send_all_with_flags(data, MsgFlags::empty())
    }

    /// [`send_all`](Self::send_all) with flags.
    ///
    /// ```
    /// use asock::MsgFlags;
    ///
    /// # asock::block_on(async {
    /// let (a, _b) = asock::async_socket::socketpair()?;
    /// a.send_all_with_flags(b"flagged", MsgFlags::empty()).await?;
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send_all`](Self::send_all).
    ///
    /// # Cancel safety
    ///
    /// Not cancel safe, as [`send_all`](Self::send_all).
    pub fn send_all_with_flags<'a>(&'a self, data: &'a [u8], flags: MsgFlags) -> SendAllFuture<'a> {
        SendAllFuture(OpFuture::new(self, Ok(SendAll::new(data, flags.raw()))))
    }

    /// Sends `data` to `addr`: `sendto(2)`.
    ///
    /// ```
    /// use asock::{AddressFamily, AsyncSocket, SockAddr, SocketKind};
    ///
    /// # asock::block_on(async {
    /// let rx = AsyncSocket::new(AddressFamily::AF_INET6, SocketKind::SOCK_DGRAM, None)?;
    /// rx.bind("[::1]:0".parse::<SockAddr>()?)?;
    /// let tx = AsyncSocket::new(AddressFamily::AF_INET6, SocketKind::SOCK_DGRAM, None)?;
    /// assert_eq!(tx.send_to(b"to you", rx.local_addr()?).await?, 6);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAFNOSUPPORT` for an address of another family (reported when the future is first
    /// polled); `EMSGSIZE` for a datagram too large; otherwise as [`send`](Self::send).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `send_to` has sent nothing.
    pub fn send_to<'a>(&'a self, data: &'a [u8], addr: impl Into<SockAddr>) -> SendToFuture<'a> {
        self.send_to_with_flags(data, addr, MsgFlags::empty())
    }

    /// [`send_to`](Self::send_to) with flags.
    ///
    /// ```
    /// use asock::{AddressFamily, AsyncSocket, MsgFlags, SockAddr, SocketKind};
    ///
    /// # asock::block_on(async {
    /// let rx = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, None)?;
    /// rx.bind("127.0.0.1:0".parse::<SockAddr>()?)?;
    /// let tx = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, None)?;
    /// tx.send_to_with_flags(b"x", rx.local_addr()?, MsgFlags::MSG_DONTWAIT).await?;
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
    /// Cancel safe, as [`send_to`](Self::send_to).
    pub fn send_to_with_flags<'a>(
        &'a self,
        data: &'a [u8],
        addr: impl Into<SockAddr>,
        flags: MsgFlags,
    ) -> SendToFuture<'a> {
        let op = checked(self.shape(), &addr.into(), false).map(|addr| SendTo {
            data,
            addr,
            flags: flags.raw(),
        });
        SendToFuture(OpFuture::new(self, op))
    }
}

op_future! {
    /// The future of [`AsyncSocket::recv`], [`recv_with_flags`](AsyncSocket::recv_with_flags)
    /// and [`recv_buf`](AsyncSocket::recv_buf): the byte count. An
    /// [`Operation`](crate::Operation).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: no byte is taken until the future completes.
    pub struct RecvFuture<'a, B: ?Sized + RecvBuf = [u8]>(Recv<&'a mut B>) -> usize;

    /// The future of [`AsyncSocket::recv_from`]: the byte count and the sender's address. An
    /// [`Operation`](crate::Operation).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: no datagram is taken until the future completes.
    pub struct RecvFromFuture<'a>(RecvFrom<&'a mut [u8]>) -> (usize, SockAddr);

    /// The future of [`AsyncSocket::send`]: the byte count sent. An
    /// [`Operation`](crate::Operation).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: nothing is sent unless the future completes.
    pub struct SendFuture<'a>(Send<'a>) -> usize;

    /// The future of [`AsyncSocket::send_vectored`]: the byte count sent. An
    /// [`Operation`](crate::Operation).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: nothing is sent unless the future completes.
    pub struct SendVectoredFuture<'a>(SendVectored<'a, 'a>) -> usize;

    /// The future of [`AsyncSocket::send_to`]: the byte count sent. An
    /// [`Operation`](crate::Operation).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: nothing is sent unless the future completes.
    pub struct SendToFuture<'a>(SendTo<'a>) -> usize;

    /// The future of [`AsyncSocket::send_all`]. An [`Operation`](crate::Operation) whose mode
    /// bounds the whole call.
    ///
    /// # Cancel safety
    ///
    /// Not cancel safe: dropped before completing, it may have sent part of the data, and
    /// does not say how much.
    pub struct SendAllFuture<'a>(SendAll<'a>) -> ();
}

// ===== try_*: one attempt, never waits =====

impl AsyncSocket {
    /// [`recv`](Self::recv) without waiting, whatever the mode: `EAGAIN` if nothing is there.
    ///
    /// ```
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// let mut buf = [0; 8];
    /// assert!(b.try_recv(&mut buf).unwrap_err().is_would_block());
    /// a.try_send(b"now")?;
    /// assert_eq!(b.try_recv(&mut buf)?, 3);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAGAIN` when nothing is ready; otherwise as [`recv`](Self::recv).
    pub fn try_recv(&self, buf: &mut [u8]) -> Result<usize> {
        self.try_recv_with_flags(buf, MsgFlags::empty())
    }

    /// [`recv_with_flags`](Self::recv_with_flags) without waiting.
    ///
    /// # Errors
    ///
    /// As [`try_recv`](Self::try_recv).
    pub fn try_recv_with_flags(&self, buf: &mut [u8], flags: MsgFlags) -> Result<usize> {
        self.try_op(Recv { buf, flags: flags.raw() })
    }

    /// [`recv_buf`](Self::recv_buf) without waiting.
    ///
    /// # Errors
    ///
    /// As [`try_recv`](Self::try_recv).
    pub fn try_recv_buf<B: RecvBuf + ?Sized>(&self, buf: &mut B) -> Result<usize> {
        self.try_op(Recv { buf, flags: 0 })
    }

    /// [`recv_from`](Self::recv_from) without waiting.
    ///
    /// ```
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.try_send(b"d")?;
    /// let mut buf = [0; 8];
    /// assert_eq!(b.try_recv_from(&mut buf)?.0, 1);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`try_recv`](Self::try_recv).
    pub fn try_recv_from(&self, buf: &mut [u8]) -> Result<(usize, SockAddr)> {
        self.try_op(RecvFrom { buf, flags: 0 })
    }

    /// [`send`](Self::send) without waiting, whatever the mode: `EAGAIN` if the buffer is
    /// full.
    ///
    /// ```
    /// let (a, _b) = asock::async_socket::socketpair()?;
    /// assert_eq!(a.try_send(b"now")?, 3);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAGAIN` when the buffer is full; otherwise as [`send`](Self::send).
    pub fn try_send(&self, data: &[u8]) -> Result<usize> {
        self.try_send_with_flags(data, MsgFlags::empty())
    }

    /// [`send_with_flags`](Self::send_with_flags) without waiting.
    ///
    /// # Errors
    ///
    /// As [`try_send`](Self::try_send).
    pub fn try_send_with_flags(&self, data: &[u8], flags: MsgFlags) -> Result<usize> {
        self.try_op(Send { data, flags: flags.raw() })
    }

    /// [`send_vectored`](Self::send_vectored) without waiting.
    ///
    /// # Errors
    ///
    /// As [`try_send`](Self::try_send).
    pub fn try_send_vectored(&self, bufs: &[IoSlice<'_>]) -> Result<usize> {
        self.try_op(SendVectored { bufs, flags: 0 })
    }

    /// [`send_to`](Self::send_to) without waiting.
    ///
    /// ```
    /// use asock::{AddressFamily, AsyncSocket, SockAddr, SocketKind};
    ///
    /// let rx = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, None)?;
    /// rx.bind("127.0.0.1:0".parse::<SockAddr>()?)?;
    /// let tx = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, None)?;
    /// assert_eq!(tx.try_send_to(b"dgram", &rx.local_addr()?)?, 5);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send_to`](Self::send_to); `EAGAIN` when the buffer is full.
    pub fn try_send_to(&self, data: &[u8], addr: impl Into<SockAddr>) -> Result<usize> {
        let addr = checked(self.shape(), &addr.into(), false)?;
        self.try_op(SendTo { data, addr, flags: 0 })
    }
}

// ===== poll_*: for trait impls =====

impl AsyncSocket {
    /// Receives into `buf`, or stores `cx`'s waker and returns `Pending`: the building block
    /// of `AsyncRead`. Waits with no deadline, whatever the socket's mode (a `poll_*`
    /// function has no call to time; bound the caller instead).
    ///
    /// ```
    /// use std::future::poll_fn;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.send_all(b"polled").await?;
    /// let mut buf = [0u8; 16];
    /// let n = poll_fn(|cx| b.poll_recv(cx, &mut buf[..])).await?;
    /// assert_eq!(&buf[..n], b"polled");
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv`](Self::recv) (never `EAGAIN` or a timeout).
    pub fn poll_recv<B: RecvBuf + ?Sized>(
        &self,
        cx: &mut Context<'_>,
        buf: &mut B,
    ) -> Poll<Result<usize>> {
        self.poll_op_once(cx, &mut Recv { buf, flags: 0 })
    }

    /// Receives a datagram into `buf` with its sender's address, or stores `cx`'s waker and
    /// returns `Pending`. Waits with no deadline, whatever the socket's mode.
    ///
    /// # Errors
    ///
    /// As [`recv_from`](Self::recv_from) (never `EAGAIN` or a timeout).
    pub fn poll_recv_from<B: RecvBuf + ?Sized>(
        &self,
        cx: &mut Context<'_>,
        buf: &mut B,
    ) -> Poll<Result<(usize, SockAddr)>> {
        self.poll_op_once(cx, &mut RecvFrom { buf, flags: 0 })
    }

    /// Sends what the kernel takes of `data`, or stores `cx`'s waker and returns `Pending`:
    /// the building block of `AsyncWrite`. Waits with no deadline, whatever the mode.
    ///
    /// ```
    /// use std::future::poll_fn;
    ///
    /// # asock::block_on(async {
    /// let (a, _b) = asock::async_socket::socketpair()?;
    /// assert_eq!(poll_fn(|cx| a.poll_send(cx, b"polled")).await?, 6);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send) (never `EAGAIN` or a timeout).
    pub fn poll_send(&self, cx: &mut Context<'_>, data: &[u8]) -> Poll<Result<usize>> {
        self.poll_op_once(cx, &mut Send { data, flags: 0 })
    }

    /// [`poll_send`](Self::poll_send) of gathered buffers: the building block of
    /// `AsyncWrite::poll_write_vectored`.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send) (never `EAGAIN` or a timeout).
    pub fn poll_send_vectored(
        &self,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<Result<usize>> {
        self.poll_op_once(cx, &mut SendVectored { bufs, flags: 0 })
    }

    /// Sends `data` to `addr`, or stores `cx`'s waker and returns `Pending`. Waits with no
    /// deadline, whatever the mode.
    ///
    /// # Errors
    ///
    /// As [`send_to`](Self::send_to) (never `EAGAIN` or a timeout).
    pub fn poll_send_to(
        &self,
        cx: &mut Context<'_>,
        data: &[u8],
        addr: &SockAddr,
    ) -> Poll<Result<usize>> {
        let addr = checked(self.shape(), addr, false)?;
        self.poll_op_once(cx, &mut SendTo { data, addr, flags: 0 })
    }
}
