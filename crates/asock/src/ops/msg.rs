//! Messages with ancillary data: `sendmsg(2)` and `recvmsg(2)` (in `sys/msg.rs`, which
//! builds the `msghdr` and takes ownership of received fds), and the fd-passing helpers both
//! front doors size their buffers with.

use std::borrow::Cow;
use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{BorrowedFd, OwnedFd};

use libc::c_int;

use super::{Interest, Op, Progress, Step, Target};
use crate::ancillary::{self, control_buffer, finish, ControlBuf, ControlMessage};
use crate::ancillary::{RecvFdsInto, RecvMsgInto};
use crate::sys::msg::{try_recv_msg, try_send_msg};
use asock_core::{Error, Result, SockAddr};

/// `sendmsg(2)`: gathered `bufs`, an encoded control buffer (empty for none), an optional
/// destination; the data bytes sent.
#[derive(Debug)]
pub(crate) struct SendMsg<'d, 'b> {
    pub(crate) bufs: &'d [IoSlice<'b>],
    pub(crate) control: Cow<'d, [u8]>,
    pub(crate) flags: c_int,
    pub(crate) addr: Option<&'d SockAddr>,
}

impl Op for SendMsg<'_, '_> {
    type Output = usize;

    fn interest(&self) -> Interest {
        Interest::WRITABLE
    }

    fn attempt(&mut self, target: Target<'_>) -> Result<(Step<usize>, Progress)> {
        let n = try_send_msg(target.fd, self.bufs, &self.control, self.flags, self.addr)?;
        let len = self.bufs.iter().map(|b| b.len()).fold(0, usize::saturating_add);
        Ok((Step::Done(n), target.shape.write_progress(n, len)))
    }
}

/// `recvmsg(2)` into scattered `bufs` and a control buffer of its own: the bytes received
/// (at most what the buffers hold), the decoded control messages (received fds owned), the
/// message flags and the sender.
#[derive(Debug)]
pub(crate) struct RecvMsg<'d, 'b> {
    bufs: &'d mut [IoSliceMut<'b>],
    control: Vec<u8>,
    flags: c_int,
}

impl<'d, 'b> RecvMsg<'d, 'b> {
    /// # Errors
    ///
    /// `InvalidInput` for a control buffer past CPython's limit; `ENOMEM`.
    pub(crate) fn new(
        bufs: &'d mut [IoSliceMut<'b>],
        ancbufsize: usize,
        flags: c_int,
    ) -> Result<RecvMsg<'d, 'b>> {
        Ok(RecvMsg { bufs, control: control_buffer(ancbufsize)?, flags })
    }
}

impl Op for RecvMsg<'_, '_> {
    type Output = RecvMsgInto;

    fn interest(&self) -> Interest {
        Interest::READABLE
    }

    fn attempt(&mut self, target: Target<'_>) -> Result<(Step<RecvMsgInto>, Progress)> {
        let room = self.bufs.iter().map(|b| b.len()).fold(0, usize::saturating_add);
        let out = try_recv_msg(target.fd, self.bufs, &mut self.control, self.flags)?;
        let progress = target.shape.read_progress(out.bytes, room);
        let bytes = out.bytes.min(room);
        let (ancillary, flags, addr) = finish(&self.control, out);
        Ok((Step::Done(RecvMsgInto { bytes, ancillary, flags, addr }), progress))
    }
}

/// `recvmsg(2)` into one buffer, keeping only the fds of the control messages: Python's
/// `recv_fds`.
#[derive(Debug)]
pub(crate) struct RecvFds<'d> {
    buf: &'d mut [u8],
    control: Vec<u8>,
    flags: c_int,
}

impl<'d> RecvFds<'d> {
    /// # Errors
    ///
    /// `InvalidInput` if `CMSG_LEN(maxfds * 4)` passes `INT_MAX`; `ENOMEM`.
    pub(crate) fn new(buf: &'d mut [u8], maxfds: usize, flags: c_int) -> Result<RecvFds<'d>> {
        Ok(RecvFds { buf, control: control_buffer(fds_control_len(maxfds)?)?, flags })
    }
}

impl Op for RecvFds<'_> {
    type Output = RecvFdsInto;

    fn interest(&self) -> Interest {
        Interest::READABLE
    }

    fn attempt(&mut self, target: Target<'_>) -> Result<(Step<RecvFdsInto>, Progress)> {
        let room = self.buf.len();
        let bufs = &mut [IoSliceMut::new(self.buf)];
        let out = try_recv_msg(target.fd, bufs, &mut self.control, self.flags)?;
        let progress = target.shape.read_progress(out.bytes, room);
        let bytes = out.bytes.min(room);
        let (ancillary, flags, addr) = finish(&self.control, out);
        Ok((Step::Done(RecvFdsInto { bytes, fds: take_fds(ancillary), flags, addr }), progress))
    }
}

/// The encoded `SCM_RIGHTS` message carrying `fds`: Python's `send_fds`.
///
/// # Errors
///
/// `InvalidInput` when the message would be too large.
pub(crate) fn fds_control(fds: &[BorrowedFd<'_>]) -> Result<Vec<u8>> {
    let mut control = ControlBuf::new();
    control.fds(fds)?;
    Ok(control.as_bytes().to_vec())
}

/// The control buffer `recv_fds` gives `recvmsg`: `CMSG_LEN(maxfds * 4)`, as CPython sizes
/// it.
///
/// # Errors
///
/// `InvalidInput` when it would pass `INT_MAX`.
pub(crate) fn fds_control_len(maxfds: usize) -> Result<usize> {
    maxfds
        .checked_mul(size_of::<c_int>())
        .ok_or_else(|| Error::invalid_input("CMSG_LEN() argument out of range"))
        .and_then(ancillary::cmsg_len)
}

/// The fds of every `SCM_RIGHTS` message, in order; other messages are dropped.
pub(crate) fn take_fds(messages: Vec<ControlMessage>) -> Vec<OwnedFd> {
    messages
        .into_iter()
        .flat_map(|m| match m {
            ControlMessage::ScmRights(fds) => fds,
            _ => Vec::new(),
        })
        .collect()
}
