//! Ancillary data and `send_file`: Python's `sendmsg`, `recvmsg`, `recvmsg_into`,
//! `socket.send_fds`, `socket.recv_fds` and `sendfile`.
//!
//! Each follows the socket's mode like every other operation: one system call in blocking and
//! non-blocking mode, `poll(2)` up to one deadline for the whole call in timeout mode.

use std::fs::File;
use std::io::{IoSlice, IoSliceMut};
use std::os::fd::BorrowedFd;

use super::Socket;
use crate::ancillary::{zeroed, ControlBuf, RecvFds, RecvMsg, RecvMsgInto};
use crate::mode::Mode;
use crate::ops::msg::{fds_control, fds_control_len, take_fds, RecvMsg as RecvMsgOp, SendMsg};
use crate::ops::send_file::SendFile;
use asock_core::{Error, Result, SockAddr};

// ===== sendmsg / recvmsg =====

impl Socket {
    /// Sends the gathered `bufs` with the control messages `control`, optionally to `addr`:
    /// Python's `sendmsg(buffers, ancdata, flags, address)` (`sendmsg(2)` with
    /// `MSG_NOSIGNAL`). Returns the number of data bytes sent.
    ///
    /// ```
    /// use std::io::IoSlice;
    /// use asock::ancillary::{ControlBuf, Credentials};
    ///
    /// let (a, b) = asock::blocking::socketpair()?;
    /// let mut control = ControlBuf::new();
    /// control.credentials(Credentials::current())?;
    /// let sent = a.send_msg(&[IoSlice::new(b"two "), IoSlice::new(b"parts")], &control, 0, None)?;
    /// assert_eq!(sent, 9);
    /// assert_eq!(b.recv(64)?, b"two parts");
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send), and from the kernel's checks of the control messages:
    /// `EINVAL` for more than 253 fds in one `SCM_RIGHTS` or a malformed message, `EBADF` for
    /// an fd number that is not open, `EPERM` for credentials that are not the sender's,
    /// `ENOBUFS` past `net.core.optmem_max`. `InvalidInput` for an `addr` that cannot be
    /// encoded.
    pub fn send_msg(
        &self,
        bufs: &[IoSlice<'_>],
        control: &ControlBuf<'_>,
        flags: i32,
        addr: Option<&SockAddr>,
    ) -> Result<usize> {
        self.run(SendMsg { bufs, control: control.as_bytes().into(), flags, addr })
    }

    /// Receives up to `bufsize` bytes and up to `ancbufsize` bytes of control messages:
    /// Python's `recvmsg(bufsize, ancbufsize, flags)` (`recvmsg(2)` with `MSG_CMSG_CLOEXEC`).
    ///
    /// Size `ancbufsize` with [`ControlSize`](crate::ancillary::ControlSize) or
    /// [`cmsg_space`](crate::ancillary::cmsg_space). Messages that do not fit are dropped
    /// (any fds in them closed by the kernel) and `flags.ctrunc()` is set; a datagram longer
    /// than `bufsize` is cut and `flags.trunc()` set. Received fds are owned by the returned
    /// [`ControlMessage::ScmRights`](crate::ancillary::ControlMessage::ScmRights) and
    /// close-on-exec.
    ///
    /// ```
    /// use asock::ancillary::{ControlMessage, ControlSize};
    /// use asock::{AddressFamily, Protocol, SocketKind};
    /// use asock::blocking::Socket;
    ///
    /// let rx = Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, Protocol::from(0))?;
    /// rx.bind(&"127.0.0.1:0".parse()?)?;
    /// rx.options().set_option(libc::IPPROTO_IP, libc::IP_PKTINFO, 1)?;
    /// let tx = Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, Protocol::from(0))?;
    /// tx.bind(&"127.0.0.1:0".parse()?)?;
    /// tx.send_to(b"ping", &rx.local_addr()?)?;
    ///
    /// let msg = rx.recv_msg(64, ControlSize::new().ip_pktinfo().bytes(), 0)?;
    /// assert_eq!(msg.data, b"ping");
    /// assert_eq!(msg.addr, Some(tx.local_addr()?));
    /// match &msg.ancillary[..] {
    ///     [ControlMessage::IpPktinfo(info)] => assert!(info.addr.is_loopback()),
    ///     other => panic!("{other:?}"),
    /// }
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv`](Self::recv); `InvalidInput` for an `ancbufsize` above `INT_MAX` (Python's
    /// "invalid ancillary data buffer length"); `ENOMEM` if the buffers cannot be reserved.
    pub fn recv_msg(&self, bufsize: usize, ancbufsize: usize, flags: i32) -> Result<RecvMsg> {
        let mut data = zeroed(bufsize)?;
        let got =
            self.run(RecvMsgOp::new(&mut [IoSliceMut::new(&mut data)], ancbufsize, flags)?)?;
        data.truncate(got.bytes);
        Ok(RecvMsg { data, ancillary: got.ancillary, flags: got.flags, addr: got.addr })
    }

    /// Receives into the scattered `bufs`, in order, and up to `ancbufsize` bytes of control
    /// messages: Python's `recvmsg_into(buffers, ancbufsize, flags)`.
    ///
    /// ```
    /// use std::io::IoSliceMut;
    ///
    /// let (a, b) = asock::blocking::socketpair()?;
    /// a.send_all(b"headbody")?;
    /// let (mut head, mut body) = ([0; 4], [0; 16]);
    /// let got = b.recv_msg_into(&mut [IoSliceMut::new(&mut head), IoSliceMut::new(&mut body)], 0, 0)?;
    /// assert_eq!(got.bytes, 8);
    /// assert_eq!((&head, &body[..4]), (b"head", &b"body"[..]));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv_msg`](Self::recv_msg).
    pub fn recv_msg_into(
        &self,
        bufs: &mut [IoSliceMut<'_>],
        ancbufsize: usize,
        flags: i32,
    ) -> Result<RecvMsgInto> {
        self.run(RecvMsgOp::new(bufs, ancbufsize, flags)?)
    }

    /// Sends `bufs` with the fds `fds` in one `SCM_RIGHTS` message: Python 3.9's
    /// `socket.send_fds(sock, buffers, fds, flags, address)`.
    ///
    /// Unlike CPython's (which drops them), `flags` and `addr` are honoured.
    ///
    /// ```
    /// use std::io::IoSlice;
    /// use std::os::fd::AsFd;
    ///
    /// let (a, b) = asock::blocking::socketpair()?;
    /// let (x, _y) = asock::blocking::socketpair()?;
    /// a.send_fds(&[IoSlice::new(b"fd")], &[x.as_fd()], 0, None)?;
    /// let got = b.recv_fds(16, 1, 0)?;
    /// assert_eq!((got.data.as_slice(), got.fds.len()), (&b"fd"[..], 1));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send_msg`](Self::send_msg): `EINVAL` for more than 253 fds.
    pub fn send_fds(
        &self,
        bufs: &[IoSlice<'_>],
        fds: &[BorrowedFd<'_>],
        flags: i32,
        addr: Option<&SockAddr>,
    ) -> Result<usize> {
        self.run(SendMsg { bufs, control: fds_control(fds)?.into(), flags, addr })
    }

    /// Receives up to `bufsize` bytes and up to `maxfds` fds: Python 3.9's
    /// `socket.recv_fds(sock, bufsize, maxfds, flags)`.
    ///
    /// The control buffer is `CMSG_LEN(maxfds * 4)` bytes, as CPython sizes it. The fds of
    /// every `SCM_RIGHTS` message that arrives are returned owned and close-on-exec; other
    /// control messages are dropped. Fds beyond `maxfds` are closed by the kernel and
    /// `flags.ctrunc()` is set.
    ///
    /// ```
    /// use std::io::IoSlice;
    /// use std::os::fd::AsFd;
    ///
    /// let (a, b) = asock::blocking::socketpair()?;
    /// let file = std::fs::File::open("/dev/null")?;
    /// a.send_fds(&[IoSlice::new(b"three")], &[file.as_fd(), file.as_fd(), file.as_fd()], 0, None)?;
    /// let got = b.recv_fds(16, 2, 0)?;
    /// assert_eq!(got.fds.len(), 2);
    /// assert!(got.flags.ctrunc()); // the third was closed by the kernel
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv_msg`](Self::recv_msg); `InvalidInput` if `CMSG_LEN(maxfds * 4)` passes
    /// `INT_MAX`.
    pub fn recv_fds(&self, bufsize: usize, maxfds: usize, flags: i32) -> Result<RecvFds> {
        let msg = self.recv_msg(bufsize, fds_control_len(maxfds)?, flags)?;
        Ok(RecvFds {
            data: msg.data,
            fds: take_fds(msg.ancillary),
            flags: msg.flags,
            addr: msg.addr,
        })
    }
}

// ===== send_file =====

impl Socket {
    /// Sends `file` from `offset` until its end, or `count` bytes: Python's
    /// `sendfile(file, offset, count)`, with `sendfile(2)` for a regular file. Returns the
    /// number of bytes sent.
    ///
    /// As in CPython: only `SOCK_STREAM` sockets; not in non-blocking mode; an empty regular
    /// file sends nothing; an offset past the end sends nothing; when bytes were sent, the
    /// file's position is left just after the last one sent (`offset` + the result). A file
    /// `sendfile(2)` cannot read (a pipe, or an error before any byte went) is read and sent
    /// with `send` instead, from `offset` (seeking there when it is not 0).
    ///
    /// Two differences: in timeout mode the deadline covers the whole call (CPython applies
    /// the timeout to each wait); and CPython returns 0 at once for any file whose `st_size`
    /// is 0, pipes included, despite documenting the `send` fallback for them, where asock
    /// sends a pipe's contents until its end.
    ///
    /// ```
    /// use std::io::{Seek, Write};
    ///
    /// let path = std::env::temp_dir().join(format!("asock-doc-sendfile-{}", std::process::id()));
    /// let mut file = std::fs::File::options().read(true).write(true).create(true).open(&path)?;
    /// std::fs::remove_file(&path)?;
    /// file.write_all(b"0123456789")?;
    ///
    /// let (a, b) = asock::blocking::socketpair()?;
    /// assert_eq!(a.send_file(&file, 2, Some(5))?, 5);
    /// assert_eq!(b.recv(64)?, b"23456");
    /// assert_eq!(file.stream_position()?, 7);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` for `Some(0)` as `count` ("count must be a positive integer"), a socket
    /// that is not `SOCK_STREAM`, non-blocking mode, or an `offset` above `i64::MAX`; a
    /// timeout in timeout mode; the errors of `send` (`EPIPE`, ...), of reading the file, and
    /// `ESPIPE` for a non-zero `offset` on a pipe.
    pub fn send_file(&self, file: &File, offset: u64, count: Option<usize>) -> Result<usize> {
        let op = SendFile::new(self.kind(), file, offset, count, true)?;
        if self.mode() == Mode::NonBlocking {
            return Err(Error::invalid_input("non-blocking sockets are not supported"));
        }
        self.run(op)
    }
}
