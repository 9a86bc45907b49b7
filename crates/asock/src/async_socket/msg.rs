//! Ancillary data on an `AsyncSocket`: `send_msg`, `recv_msg`, `recv_msg_into`, `send_fds`
//! and `recv_fds` as operation futures, with the blocking socket's semantics (see
//! [`blocking::Socket`](crate::blocking::Socket)'s methods of the same names) and the same
//! system calls (`sys::msg`).
//!
//! Three futures are named `…Future` because their output types (in [`crate::ancillary`])
//! already have the plain names: [`RecvMsgFuture`] gives an
//! [`ancillary::RecvMsg`](crate::ancillary::RecvMsg), and so on.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::io::{IoSlice, IoSliceMut};
use std::os::fd::BorrowedFd;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use super::operation::socket_operation;
use super::AsyncSocket;
use crate::ancillary::{self, ControlBuf, ControlMessage, RecvFds, RecvMsg, RecvMsgInto};
use crate::ancillary::{control_buffer, finish, zeroed};
use crate::mode::OpWait;
use crate::reactor::Interest;
use crate::sys::msg::{try_recv_msg, try_send_msg};
use crate::{Error, Result, SockAddr};

// ===== async methods =====

impl AsyncSocket {
    /// Sends the gathered `bufs` with the control messages `control`, optionally to `addr`:
    /// Python's `sendmsg(buffers, ancdata, flags, address)` (`sendmsg(2)` with
    /// `MSG_NOSIGNAL`). Returns the number of data bytes sent.
    ///
    /// ```
    /// use std::io::IoSlice;
    /// use asock::ancillary::{ControlBuf, Credentials};
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// let mut control = ControlBuf::new();
    /// control.credentials(Credentials::current())?;
    /// let bufs = [IoSlice::new(b"two "), IoSlice::new(b"parts")];
    /// assert_eq!(a.send_msg(&bufs, &control, 0, None).await?, 9);
    /// assert_eq!(b.recv(64).await?, b"two parts");
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`blocking::Socket::send_msg`](crate::blocking::Socket::send_msg); `EAGAIN` or
    /// "timed out" by the mode.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `send_msg` has sent nothing (and no fd).
    pub fn send_msg<'a>(
        &'a self,
        bufs: &'a [IoSlice<'a>],
        control: &'a ControlBuf<'a>,
        flags: i32,
        addr: Option<&'a SockAddr>,
    ) -> SendMsg<'a> {
        SendMsg {
            sock: self,
            bufs,
            control: Ok(Cow::Borrowed(control)),
            flags,
            addr,
            wait: self.op_wait(),
        }
    }

    /// Sends `bufs` with the fds `fds` in one `SCM_RIGHTS` message: Python 3.9's
    /// `socket.send_fds(sock, buffers, fds, flags, address)` (`flags` and `addr` honoured).
    ///
    /// ```
    /// use std::io::IoSlice;
    /// use std::os::fd::AsFd;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// let file = std::fs::File::open("/dev/null")?;
    /// a.send_fds(&[IoSlice::new(b"fd")], &[file.as_fd()], 0, None).await?;
    /// let got = b.recv_fds(16, 1, 0).await?;
    /// assert_eq!((got.data.as_slice(), got.fds.len()), (&b"fd"[..], 1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send_msg`](Self::send_msg): `EINVAL` for more than 253 fds.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `send_fds` has sent nothing (and no fd).
    pub fn send_fds<'a>(
        &'a self,
        bufs: &'a [IoSlice<'a>],
        fds: &[BorrowedFd<'a>],
        flags: i32,
        addr: Option<&'a SockAddr>,
    ) -> SendMsg<'a> {
        let mut control = ControlBuf::new();
        let control = match control.fds(fds) {
            Ok(_) => Ok(Cow::Owned(control)),
            Err(e) => Err(Some(e)),
        };
        SendMsg { sock: self, bufs, control, flags, addr, wait: self.op_wait() }
    }

    /// Receives up to `bufsize` bytes and up to `ancbufsize` bytes of control messages:
    /// Python's `recvmsg(bufsize, ancbufsize, flags)` (`recvmsg(2)` with
    /// `MSG_CMSG_CLOEXEC`). Received fds are owned by the result.
    ///
    /// ```
    /// use asock::ancillary::{ControlMessage, ControlSize};
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// b.set_option(libc::SOL_SOCKET, libc::SO_PASSCRED, 1)?;
    /// a.send_all(b"who").await?;
    /// let msg = b.recv_msg(16, ControlSize::new().credentials().bytes(), 0).await?;
    /// assert_eq!(msg.data, b"who");
    /// assert!(matches!(&msg.ancillary[..], [ControlMessage::ScmCredentials(c)] if c.pid == std::process::id() as i32));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// As [`blocking::Socket::recv_msg`](crate::blocking::Socket::recv_msg); `EAGAIN` or
    /// "timed out" by the mode.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `recv_msg` has taken no data and no fd.
    pub fn recv_msg(&self, bufsize: usize, ancbufsize: usize, flags: i32) -> RecvMsgFuture<'_> {
        RecvMsgFuture {
            sock: self,
            bufsize,
            ancbufsize,
            flags,
            buffers: None,
            wait: self.op_wait(),
        }
    }

    /// Receives into the scattered `bufs`, in order, and up to `ancbufsize` bytes of control
    /// messages: Python's `recvmsg_into(buffers, ancbufsize, flags)`.
    ///
    /// ```
    /// use std::io::IoSliceMut;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.send_all(b"headbody").await?;
    /// let (mut head, mut body) = ([0; 4], [0; 16]);
    /// let mut bufs = [IoSliceMut::new(&mut head), IoSliceMut::new(&mut body)];
    /// let got = b.recv_msg_into(&mut bufs, 0, 0).await?;
    /// assert_eq!(got.bytes, 8);
    /// assert_eq!((&head, &body[..4]), (b"head", &b"body"[..]));
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv_msg`](Self::recv_msg).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `recv_msg_into` has taken no data and no fd.
    pub fn recv_msg_into<'a, 'b>(
        &'a self,
        bufs: &'a mut [IoSliceMut<'b>],
        ancbufsize: usize,
        flags: i32,
    ) -> RecvMsgIntoFuture<'a, 'b> {
        RecvMsgIntoFuture {
            sock: self,
            bufs,
            ancbufsize,
            flags,
            control: None,
            wait: self.op_wait(),
        }
    }

    /// Receives up to `bufsize` bytes and up to `maxfds` fds: Python 3.9's
    /// `socket.recv_fds(sock, bufsize, maxfds, flags)`. The control buffer is
    /// `CMSG_LEN(maxfds * 4)` bytes, as CPython sizes it; fds beyond `maxfds` are closed by
    /// the kernel and `flags.ctrunc()` is set.
    ///
    /// ```
    /// use std::io::IoSlice;
    /// use std::os::fd::AsFd;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// let (x, _y) = asock::async_socket::socketpair()?;
    /// a.send_fds(&[IoSlice::new(b"sock")], &[x.as_fd()], 0, None).await?;
    /// let got = b.recv_fds(16, 4, 0).await?;
    /// let passed = asock::AsyncSocket::from(got.fds.into_iter().next().unwrap());
    /// assert_eq!(passed.family(), asock::AddressFamily::AF_UNIX);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv_msg`](Self::recv_msg); `InvalidInput` if `CMSG_LEN(maxfds * 4)` passes
    /// `INT_MAX`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `recv_fds` has taken no data and no fd.
    pub fn recv_fds(&self, bufsize: usize, maxfds: usize, flags: i32) -> RecvFdsFuture<'_> {
        let ancbufsize = maxfds
            .checked_mul(size_of::<i32>())
            .ok_or_else(|| Error::invalid_input("CMSG_LEN() argument out of range"))
            .and_then(ancillary::cmsg_len);
        match ancbufsize {
            Ok(ancbufsize) => {
                RecvFdsFuture { inner: self.recv_msg(bufsize, ancbufsize, flags), error: None }
            }
            Err(e) => RecvFdsFuture { inner: self.recv_msg(bufsize, 0, flags), error: Some(e) },
        }
    }
}

// ===== the futures =====

/// The future of [`AsyncSocket::send_msg`] and [`send_fds`](AsyncSocket::send_fds): the data
/// bytes sent. An [`Operation`](crate::Operation).
///
/// # Cancel safety
///
/// Cancel safe: nothing is sent unless the future completes.
#[must_use = "futures do nothing unless polled"]
pub struct SendMsg<'a> {
    sock: &'a AsyncSocket,
    bufs: &'a [IoSlice<'a>],
    /// The control messages, or the error building them (reported at the first poll).
    control: Result<Cow<'a, ControlBuf<'a>>, Option<Error>>,
    flags: i32,
    addr: Option<&'a SockAddr>,
    wait: OpWait,
}

impl Future for SendMsg<'_> {
    type Output = Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<usize>> {
        let this = self.get_mut();
        let control = match &mut this.control {
            Ok(control) => control.as_bytes(),
            Err(e) => {
                let e = e.take().unwrap_or_else(|| Error::invalid_input("too much ancillary data"));
                return Poll::Ready(Err(e));
            }
        };
        let (sock, bufs, flags, addr) = (this.sock, this.bufs, this.flags, this.addr);
        let len: usize = bufs.iter().map(|b| b.len()).fold(0, usize::saturating_add);
        sock.poll_op(cx, &mut this.wait, Interest::WRITABLE, |fd| {
            let n = try_send_msg(fd, bufs, control, flags, addr)?;
            Ok((n, sock.write_progress(n, len)))
        })
    }
}

/// The future of [`AsyncSocket::recv_msg`]: an [`ancillary::RecvMsg`](RecvMsg). An
/// [`Operation`](crate::Operation).
///
/// # Cancel safety
///
/// Cancel safe: no data or fd is taken unless the future completes.
#[must_use = "futures do nothing unless polled"]
pub struct RecvMsgFuture<'a> {
    sock: &'a AsyncSocket,
    bufsize: usize,
    ancbufsize: usize,
    flags: i32,
    /// The data and control buffers, made at the first poll.
    buffers: Option<(Vec<u8>, Vec<u8>)>,
    wait: OpWait,
}

impl Future for RecvMsgFuture<'_> {
    type Output = Result<RecvMsg>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<RecvMsg>> {
        let this = self.get_mut();
        let (data, control) = match &mut this.buffers {
            Some(buffers) => buffers,
            None => this.buffers.insert((zeroed(this.bufsize)?, control_buffer(this.ancbufsize)?)),
        };
        let (sock, bufsize, flags) = (this.sock, this.bufsize, this.flags);
        let out = ready!(sock.poll_op(cx, &mut this.wait, Interest::READABLE, |fd| {
            let out = try_recv_msg(fd, &mut [IoSliceMut::new(data)], control, flags)?;
            let progress = sock.read_progress(out.bytes, bufsize);
            Ok((out, progress))
        }))?;
        let (mut data, control) = this.buffers.take().unwrap_or_default();
        data.truncate(out.bytes.min(bufsize));
        let (ancillary, flags, addr) = finish(&control, out);
        Poll::Ready(Ok(RecvMsg { data, ancillary, flags, addr }))
    }
}

/// The future of [`AsyncSocket::recv_msg_into`]: an
/// [`ancillary::RecvMsgInto`](RecvMsgInto). An [`Operation`](crate::Operation).
///
/// # Cancel safety
///
/// Cancel safe: no data or fd is taken unless the future completes.
#[must_use = "futures do nothing unless polled"]
pub struct RecvMsgIntoFuture<'a, 'b> {
    sock: &'a AsyncSocket,
    bufs: &'a mut [IoSliceMut<'b>],
    ancbufsize: usize,
    flags: i32,
    control: Option<Vec<u8>>,
    wait: OpWait,
}

impl Future for RecvMsgIntoFuture<'_, '_> {
    type Output = Result<RecvMsgInto>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<RecvMsgInto>> {
        let this = self.get_mut();
        let control = match &mut this.control {
            Some(control) => control,
            None => this.control.insert(control_buffer(this.ancbufsize)?),
        };
        let (sock, flags) = (this.sock, this.flags);
        let bufs = &mut *this.bufs;
        let capacity: usize = bufs.iter().map(|b| b.len()).fold(0, usize::saturating_add);
        let out = ready!(sock.poll_op(cx, &mut this.wait, Interest::READABLE, |fd| {
            let out = try_recv_msg(fd, bufs, control, flags)?;
            let progress = sock.read_progress(out.bytes, capacity);
            Ok((out, progress))
        }))?;
        let control = this.control.take().unwrap_or_default();
        let bytes = out.bytes.min(capacity);
        let (ancillary, flags, addr) = finish(&control, out);
        Poll::Ready(Ok(RecvMsgInto { bytes, ancillary, flags, addr }))
    }
}

/// The future of [`AsyncSocket::recv_fds`]: an [`ancillary::RecvFds`](RecvFds). An
/// [`Operation`](crate::Operation).
///
/// # Cancel safety
///
/// Cancel safe: no data or fd is taken unless the future completes.
#[must_use = "futures do nothing unless polled"]
pub struct RecvFdsFuture<'a> {
    inner: RecvMsgFuture<'a>,
    /// An impossible `maxfds`, reported at the first poll.
    error: Option<Error>,
}

impl Future for RecvFdsFuture<'_> {
    type Output = Result<RecvFds>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<RecvFds>> {
        let this = self.get_mut();
        if let Some(e) = this.error.take() {
            return Poll::Ready(Err(e));
        }
        let msg = ready!(Pin::new(&mut this.inner).poll(cx))?;
        let fds = msg
            .ancillary
            .into_iter()
            .flat_map(|m| match m {
                ControlMessage::ScmRights(fds) => fds,
                _ => Vec::new(),
            })
            .collect();
        Poll::Ready(Ok(RecvFds { data: msg.data, fds, flags: msg.flags, addr: msg.addr }))
    }
}

impl crate::Operation for RecvFdsFuture<'_> {
    fn with_mode(mut self, mode: crate::Mode) -> Self {
        self.inner.wait = OpWait::new(mode);
        self
    }

    fn with_deadline(mut self, deadline: crate::time::Instant) -> Self {
        self.inner.wait = OpWait::with_deadline(deadline);
        self
    }
}

socket_operation!(SendMsg<'a>);
socket_operation!(RecvMsgFuture<'a>);
socket_operation!(RecvMsgIntoFuture<'a, 'b>);
crate::mode::operation_modes!(impl[<'a>] RecvFdsFuture<'a>);

macro_rules! debug_msg_future {
    ($($name:ident<$($lt:lifetime),*>),*) => {$(
        impl<$($lt),*> fmt::Debug for $name<$($lt),*> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("fd", &self.sock.fileno())
                    .field("wait", &self.wait)
                    .finish_non_exhaustive()
            }
        }
    )*};
}

debug_msg_future!(SendMsg<'a>, RecvMsgFuture<'a>, RecvMsgIntoFuture<'a, 'b>);

impl fmt::Debug for RecvFdsFuture<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecvFdsFuture").field("inner", &self.inner).finish_non_exhaustive()
    }
}
