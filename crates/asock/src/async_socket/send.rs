//! Sending: `send`, `send_all`, `send_to` as futures, `try_*` and `poll_*`.
//!
//! Every send adds `MSG_NOSIGNAL`: a closed peer gives `EPIPE`, never `SIGPIPE`.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use super::operation::{debug_operation, socket_operation};
use super::AsyncSocket;
use crate::mode::OpWait;
use crate::reactor::Interest;
use crate::sys;
use crate::{Result, SockAddr};

// ===== async methods =====

impl AsyncSocket {
    /// Sends what the kernel takes of `data`: Python's `send(bytes)` (`send(2)`). Returns the
    /// byte count, which can be less than `data.len()` on a stream socket.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// assert_eq!(a.send(b"hi").await?, 2);
    /// assert_eq!(b.recv(2).await?, b"hi");
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
    pub fn send<'a>(&'a self, data: &'a [u8]) -> Send<'a> {
        self.send_with_flags(data, 0)
    }

    /// [`send`](Self::send) with `MSG_*` flags (`MSG_NOSIGNAL` is always added).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.send_with_flags(b"more", libc::MSG_DONTWAIT).await?;
    /// assert_eq!(b.recv(4).await?, b"more");
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
    pub fn send_with_flags<'a>(&'a self, data: &'a [u8], flags: i32) -> Send<'a> {
        Send { sock: self, data, flags, wait: self.op_wait() }
    }

    /// Sends all of `data`: Python's `sendall(bytes)`, `send(2)` until done.
    ///
    /// The mode bounds the whole call: 8 MiB to a slow reader under `.timeout(1s)` fails after
    /// one second in total, not per chunk. Empty `data` still makes one `send` (an empty
    /// datagram on a datagram socket).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.send_all(b"every byte").await?;
    /// assert_eq!(b.recv(64).await?, b"every byte");
    ///
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
    /// an unknown position. Use [`send`](Self::send) in a loop to track progress across
    /// cancellation.
    pub fn send_all<'a>(&'a self, data: &'a [u8]) -> SendAll<'a> {
        self.send_all_with_flags(data, 0)
    }

    /// [`send_all`](Self::send_all) with `MSG_*` flags.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.send_all_with_flags(b"flagged", 0).await?;
    /// assert_eq!(b.recv(64).await?, b"flagged");
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
    pub fn send_all_with_flags<'a>(&'a self, data: &'a [u8], flags: i32) -> SendAll<'a> {
        SendAll { sock: self, data, sent: 0, flags, wait: self.op_wait() }
    }

    /// Sends `data` to `addr`: Python's `sendto(bytes, address)` (`sendto(2)`).
    ///
    /// ```
    /// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
    ///
    /// # asock::block_on(async {
    /// let rx = AsyncSocket::new(AddressFamily::AF_INET6, SocketKind::SOCK_DGRAM, Protocol::from(0))?;
    /// rx.bind(&"[::1]:0".parse()?)?;
    /// let tx = AsyncSocket::new(AddressFamily::AF_INET6, SocketKind::SOCK_DGRAM, Protocol::from(0))?;
    /// assert_eq!(tx.send_to(b"to you", &rx.local_addr()?).await?, 6);
    /// assert_eq!(rx.recv(64).await?, b"to you");
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAFNOSUPPORT` for an address of another family; `EMSGSIZE` for a datagram too large;
    /// otherwise as [`send`](Self::send).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `send_to` has sent nothing.
    pub fn send_to<'a>(&'a self, data: &'a [u8], addr: &'a SockAddr) -> SendTo<'a> {
        self.send_to_with_flags(data, 0, addr)
    }

    /// [`send_to`](Self::send_to) with `MSG_*` flags: Python's `sendto(bytes, flags, address)`.
    ///
    /// ```
    /// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
    ///
    /// # asock::block_on(async {
    /// let rx = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, Protocol::from(0))?;
    /// rx.bind(&"127.0.0.1:0".parse()?)?;
    /// let tx = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, Protocol::from(0))?;
    /// tx.send_to_with_flags(b"x", libc::MSG_DONTWAIT, &rx.local_addr()?).await?;
    /// assert_eq!(rx.recv(8).await?, b"x");
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
        flags: i32,
        addr: &'a SockAddr,
    ) -> SendTo<'a> {
        SendTo { sock: self, data, flags, addr, wait: self.op_wait() }
    }
}

// ===== try_* and poll_* =====

impl AsyncSocket {
    /// [`send`](Self::send) without waiting, whatever the mode: `EAGAIN` if the buffer is
    /// full.
    ///
    /// ```
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// assert_eq!(a.try_send(b"now")?, 3);
    /// assert_eq!(b.try_recv(8)?, b"now");
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAGAIN` when the buffer is full; otherwise as [`send`](Self::send).
    pub fn try_send(&self, data: &[u8]) -> Result<usize> {
        self.try_send_with_flags(data, 0)
    }

    /// [`send_with_flags`](Self::send_with_flags) without waiting.
    ///
    /// # Errors
    ///
    /// As [`try_send`](Self::try_send).
    pub fn try_send_with_flags(&self, data: &[u8], flags: i32) -> Result<usize> {
        self.try_op(Interest::WRITABLE, |fd| {
            let n = sys::io::try_send(fd, data, flags)?;
            Ok((n, self.write_progress(n, data.len())))
        })
    }

    /// [`send_to`](Self::send_to) without waiting.
    ///
    /// ```
    /// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
    ///
    /// let rx = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, Protocol::from(0))?;
    /// rx.bind(&"127.0.0.1:0".parse()?)?;
    /// let tx = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, Protocol::from(0))?;
    /// assert_eq!(tx.try_send_to(b"dgram", &rx.local_addr()?)?, 5);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send_to`](Self::send_to); `EAGAIN` when the buffer is full.
    pub fn try_send_to(&self, data: &[u8], addr: &SockAddr) -> Result<usize> {
        self.try_send_to_with_flags(data, 0, addr)
    }

    /// [`send_to_with_flags`](Self::send_to_with_flags) without waiting.
    ///
    /// # Errors
    ///
    /// As [`try_send_to`](Self::try_send_to).
    pub fn try_send_to_with_flags(
        &self,
        data: &[u8],
        flags: i32,
        addr: &SockAddr,
    ) -> Result<usize> {
        self.check_family(addr, false)?;
        self.try_op(Interest::WRITABLE, |fd| {
            Ok((sys::io::try_send_to(fd, data, flags, addr)?, crate::reactor::Progress::More))
        })
    }

    /// Sends what the kernel takes of `data`, or stores `cx`'s waker and returns `Pending`:
    /// the building block of `AsyncWrite`. Waits with no deadline, whatever the mode.
    ///
    /// ```
    /// use std::future::poll_fn;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// assert_eq!(poll_fn(|cx| a.poll_send(cx, b"polled")).await?, 6);
    /// assert_eq!(b.recv(16).await?, b"polled");
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send) (never `EAGAIN` or a timeout).
    pub fn poll_send(&self, cx: &mut Context<'_>, data: &[u8]) -> Poll<Result<usize>> {
        self.poll_io(cx, Interest::WRITABLE, |fd| {
            let n = sys::io::try_send(fd, data, 0)?;
            Ok((n, self.write_progress(n, data.len())))
        })
    }

    /// Sends `data` to `addr`, or stores `cx`'s waker and returns `Pending`. Waits with no
    /// deadline, whatever the mode.
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
    ///
    /// # asock::block_on(async {
    /// let rx = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, Protocol::from(0))?;
    /// rx.bind(&"127.0.0.1:0".parse()?)?;
    /// let tx = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, Protocol::from(0))?;
    /// let to = rx.local_addr()?;
    /// assert_eq!(poll_fn(|cx| tx.poll_send_to(cx, b"p", &to)).await?, 1);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
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
        self.check_family(addr, false)?;
        self.poll_io(cx, Interest::WRITABLE, |fd| {
            Ok((sys::io::try_send_to(fd, data, 0, addr)?, crate::reactor::Progress::More))
        })
    }
}

// ===== the futures =====

/// The future of [`AsyncSocket::send`]: the byte count sent. An
/// [`Operation`](crate::Operation).
///
/// # Cancel safety
///
/// Cancel safe: nothing is sent unless the future completes.
#[must_use = "futures do nothing unless polled"]
pub struct Send<'a> {
    sock: &'a AsyncSocket,
    data: &'a [u8],
    flags: i32,
    wait: OpWait,
}

impl Future for Send<'_> {
    type Output = Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<usize>> {
        let this = self.get_mut();
        let (sock, data, flags) = (this.sock, this.data, this.flags);
        sock.poll_op(cx, &mut this.wait, Interest::WRITABLE, |fd| {
            let n = sys::io::try_send(fd, data, flags)?;
            Ok((n, sock.write_progress(n, data.len())))
        })
    }
}

/// The future of [`AsyncSocket::send_all`]. An [`Operation`](crate::Operation) whose mode
/// bounds the whole call.
///
/// # Cancel safety
///
/// Not cancel safe: dropped before completing, it may have sent part of the data, and does
/// not say how much.
#[must_use = "futures do nothing unless polled"]
pub struct SendAll<'a> {
    sock: &'a AsyncSocket,
    data: &'a [u8],
    sent: usize,
    flags: i32,
    wait: OpWait,
}

impl Future for SendAll<'_> {
    type Output = Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        let (sock, flags) = (this.sock, this.flags);
        loop {
            let rest = this.data.get(this.sent..).unwrap_or_default();
            let n = ready!(sock.poll_op(cx, &mut this.wait, Interest::WRITABLE, |fd| {
                let n = sys::io::try_send(fd, rest, flags)?;
                Ok((n, sock.write_progress(n, rest.len())))
            }))?;
            this.sent += n;
            if this.sent >= this.data.len() {
                return Poll::Ready(Ok(()));
            }
        }
    }
}

/// The future of [`AsyncSocket::send_to`]: the byte count sent. An
/// [`Operation`](crate::Operation).
///
/// # Cancel safety
///
/// Cancel safe: nothing is sent unless the future completes.
#[must_use = "futures do nothing unless polled"]
pub struct SendTo<'a> {
    sock: &'a AsyncSocket,
    data: &'a [u8],
    flags: i32,
    addr: &'a SockAddr,
    wait: OpWait,
}

impl Future for SendTo<'_> {
    type Output = Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<usize>> {
        let this = self.get_mut();
        let (sock, data, flags, addr) = (this.sock, this.data, this.flags, this.addr);
        sock.check_family(addr, false)?;
        sock.poll_op(cx, &mut this.wait, Interest::WRITABLE, |fd| {
            Ok((sys::io::try_send_to(fd, data, flags, addr)?, crate::reactor::Progress::More))
        })
    }
}

socket_operation!(Send<'a>);
socket_operation!(SendAll<'a>);
socket_operation!(SendTo<'a>);

debug_operation!(Send, SendAll, SendTo);
