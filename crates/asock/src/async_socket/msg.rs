//! Ancillary data on an `AsyncSocket`: `send_msg`, `recv_msg`, `send_fds` and `recv_fds`,
//! the operations of `ops/msg.rs` (the same `blocking::Socket` runs), with Rust signatures:
//! received data goes into the caller's buffers.

use std::io::{IoSlice, IoSliceMut};
use std::os::fd::BorrowedFd;

use super::op_future::{op_future, OpFuture};
use super::AsyncSocket;
use crate::ancillary::{ControlBuf, RecvFdsInto, RecvMsgInto};
use crate::ops::msg::{fds_control, RecvFds, RecvMsg, SendMsg};
use asock_core::{MsgFlags, SockAddr};

impl AsyncSocket {
    /// Sends the gathered `bufs` with the control messages `control`, optionally to `addr`:
    /// `sendmsg(2)` (Python's `sendmsg(buffers, ancdata, flags, address)`). Returns the number
    /// of data bytes sent.
    ///
    /// ```
    /// use std::io::IoSlice;
    /// use asock::ancillary::{ControlBuf, Credentials};
    /// use asock::MsgFlags;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// let mut control = ControlBuf::new();
    /// control.credentials(Credentials::current())?;
    /// let bufs = [IoSlice::new(b"two "), IoSlice::new(b"parts")];
    /// assert_eq!(a.send_msg(&bufs, &control, MsgFlags::empty(), None).await?, 9);
    /// let mut buf = [0; 16];
    /// let n = b.recv(&mut buf).await?;
    /// assert_eq!(&buf[..n], b"two parts");
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
        control: &'a ControlBuf<'_>,
        flags: MsgFlags,
        addr: Option<&'a SockAddr>,
    ) -> SendMsgFuture<'a> {
        let op = SendMsg { bufs, control: control.as_bytes().into(), flags: flags.raw(), addr };
        SendMsgFuture(OpFuture::new(self, Ok(op)))
    }

    /// Sends `fds` with the data `bufs` (one `SCM_RIGHTS` message): Python 3.9's
    /// `socket.send_fds(sock, buffers, fds, flags, address)`.
    ///
    /// ```
    /// use std::io::IoSlice;
    /// use std::os::fd::AsFd;
    /// use asock::MsgFlags;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// let (x, _y) = asock::async_socket::socketpair()?;
    /// a.send_fds(&[IoSlice::new(b"sock")], &[x.as_fd()], MsgFlags::empty(), None).await?;
    /// let mut buf = [0; 16];
    /// let got = b.recv_fds(&mut buf, 4, MsgFlags::empty()).await?;
    /// assert_eq!((got.bytes, got.fds.len()), (4, 1));
    /// let passed = asock::AsyncSocket::from(got.fds.into_iter().next().unwrap());
    /// assert_eq!(passed.family(), asock::AddressFamily::AF_UNIX);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send_msg`](Self::send_msg); `EINVAL` for more than 253 fds.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `send_fds` has sent nothing (and no fd).
    pub fn send_fds<'a>(
        &'a self,
        bufs: &'a [IoSlice<'a>],
        fds: &[BorrowedFd<'_>],
        flags: MsgFlags,
        addr: Option<&'a SockAddr>,
    ) -> SendMsgFuture<'a> {
        let op = fds_control(fds).map(|control| SendMsg {
            bufs,
            control: control.into(),
            flags: flags.raw(),
            addr,
        });
        SendMsgFuture(OpFuture::new(self, op))
    }

    /// Receives into the scattered `bufs` with up to `ancbufsize` bytes of control messages:
    /// `recvmsg(2)` (Python's `recvmsg_into(buffers, ancbufsize, flags)`). Received fds come
    /// back owned and close-on-exec; size the control buffer with
    /// [`ControlSize`](crate::ancillary::ControlSize).
    ///
    /// ```
    /// use std::io::{IoSlice, IoSliceMut};
    /// use asock::ancillary::{ControlBuf, ControlMessage, ControlSize, Credentials};
    /// use asock::MsgFlags;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// // The receiver asks for its peer's credentials (SO_PASSCRED).
    /// b.options().set_option(libc::SOL_SOCKET, libc::SO_PASSCRED, 1)?;
    /// let mut control = ControlBuf::new();
    /// control.credentials(Credentials::current())?;
    /// a.send_msg(&[IoSlice::new(b"who")], &control, MsgFlags::empty(), None).await?;
    /// let mut data = [0; 8];
    /// let ancbufsize = ControlSize::new().credentials().bytes();
    /// let got = b.recv_msg(&mut [IoSliceMut::new(&mut data)], ancbufsize, MsgFlags::empty()).await?;
    /// assert_eq!(&data[..got.bytes], b"who");
    /// assert!(matches!(got.ancillary[..], [ControlMessage::ScmCredentials(_)]));
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
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
    pub fn recv_msg<'a, 'b>(
        &'a self,
        bufs: &'a mut [IoSliceMut<'b>],
        ancbufsize: usize,
        flags: MsgFlags,
    ) -> RecvMsgFuture<'a, 'b> {
        RecvMsgFuture(OpFuture::new(self, RecvMsg::new(bufs, ancbufsize, flags.raw())))
    }

    /// Receives into `buf` and up to `maxfds` fds: Python 3.9's
    /// `socket.recv_fds(sock, bufsize, maxfds, flags)`, into the caller's buffer. The control
    /// buffer is `CMSG_LEN(maxfds * 4)` bytes, as CPython sizes it; fds beyond `maxfds` are
    /// closed by the kernel and `flags.ctrunc()` is set. See [`send_fds`](Self::send_fds).
    ///
    /// # Errors
    ///
    /// As [`recv_msg`](Self::recv_msg); `InvalidInput` if `CMSG_LEN(maxfds * 4)` passes
    /// `INT_MAX`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `recv_fds` has taken no data and no fd.
    pub fn recv_fds<'a>(
        &'a self,
        buf: &'a mut [u8],
        maxfds: usize,
        flags: MsgFlags,
    ) -> RecvFdsFuture<'a> {
        RecvFdsFuture(OpFuture::new(self, RecvFds::new(buf, maxfds, flags.raw())))
    }
}

op_future! {
    /// The future of [`AsyncSocket::send_msg`] and [`send_fds`](AsyncSocket::send_fds): the
    /// data bytes sent. An [`Operation`](crate::Operation).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: nothing is sent unless the future completes.
    pub struct SendMsgFuture<'a>(SendMsg<'a, 'a>) -> usize;

    /// The future of [`AsyncSocket::recv_msg`]: an
    /// [`ancillary::RecvMsgInto`](RecvMsgInto). An [`Operation`](crate::Operation).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: no data or fd is taken unless the future completes.
    pub struct RecvMsgFuture<'a, 'b>(RecvMsg<'a, 'b>) -> RecvMsgInto;

    /// The future of [`AsyncSocket::recv_fds`]: an
    /// [`ancillary::RecvFdsInto`](RecvFdsInto). An [`Operation`](crate::Operation).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: no data or fd is taken unless the future completes.
    pub struct RecvFdsFuture<'a>(RecvFds<'a>) -> RecvFdsInto;
}
