//! What a `recvmsg` returns, and how big a control buffer to give it.

use std::os::fd::OwnedFd;

use libc::c_int;

use super::ControlMessage;
use crate::sys::msg::cmsg_space;
use asock_core::{MsgFlags, SockAddr};

/// What [`recv_msg`](crate::blocking::Socket::recv_msg) returns: Python's
/// `(data, ancdata, msg_flags, address)`.
#[derive(Debug)]
pub struct RecvMsg {
    /// The data received.
    pub data: Vec<u8>,
    /// The control messages, received fds among them owned.
    pub ancillary: Vec<ControlMessage>,
    /// `msg_flags`.
    pub flags: MsgFlags,
    /// The sender's address; `None` where the kernel gives none (connected and stream
    /// sockets, unnamed UNIX peers), as Python returns `None`.
    pub addr: Option<SockAddr>,
}

/// What [`recv_msg_into`](crate::blocking::Socket::recv_msg_into) returns: Python's
/// `(nbytes, ancdata, msg_flags, address)`.
#[derive(Debug)]
pub struct RecvMsgInto {
    /// How many bytes were written into the buffers, in order.
    pub bytes: usize,
    /// The control messages, received fds among them owned.
    pub ancillary: Vec<ControlMessage>,
    /// `msg_flags`.
    pub flags: MsgFlags,
    /// The sender's address, as in [`RecvMsg::addr`].
    pub addr: Option<SockAddr>,
}

/// What [`recv_fds`](crate::blocking::Socket::recv_fds) returns: Python's
/// `(data, fds, msg_flags, address)`.
#[derive(Debug)]
pub struct RecvFds {
    /// The data received.
    pub data: Vec<u8>,
    /// The fds of every `SCM_RIGHTS` message, in order, owned and close-on-exec.
    pub fds: Vec<OwnedFd>,
    /// `msg_flags`: `ctrunc()` if more fds were sent than fit (the rest were closed).
    pub flags: MsgFlags,
    /// The sender's address, as in [`RecvMsg::addr`].
    pub addr: Option<SockAddr>,
}

/// What [`AsyncSocket::recv_fds`](crate::AsyncSocket::recv_fds) returns: the byte count
/// written into the caller's buffer, and the fds received.
#[derive(Debug)]
pub struct RecvFdsInto {
    /// How many bytes were written into the buffer.
    pub bytes: usize,
    /// The fds of every `SCM_RIGHTS` message, in order, owned and close-on-exec.
    pub fds: Vec<OwnedFd>,
    /// `msg_flags`: `ctrunc()` if more fds were sent than fit (the rest were closed).
    pub flags: MsgFlags,
    /// The sender's address, as in [`RecvMsg::addr`].
    pub addr: Option<SockAddr>,
}

/// Sizes a receive control buffer: the sum of `CMSG_SPACE` of each message expected.
///
/// A buffer too small for what arrives is not an error: the excess is dropped and
/// `MSG_CTRUNC` reported. Size for everything the socket has enabled.
///
/// ```
/// use asock::ancillary::{cmsg_space, ControlSize};
///
/// let size = ControlSize::new().fds(3).credentials().timestamp_ns().bytes();
/// assert_eq!(size, cmsg_space(12)? + cmsg_space(12)? + cmsg_space(16)?);
/// # Ok::<(), asock::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[must_use]
pub struct ControlSize(usize);

impl ControlSize {
    /// Nothing yet: 0 bytes.
    pub fn new() -> Self {
        ControlSize(0)
    }

    /// Room for a message carrying `data_len` bytes.
    pub fn data(self, data_len: usize) -> Self {
        ControlSize(self.0.saturating_add(cmsg_space(data_len).unwrap_or(usize::MAX)))
    }

    /// Room for one `SCM_RIGHTS` message of `count` fds. `CMSG_SPACE` rounds up to 8 bytes,
    /// so an odd `count` leaves room for one more; for exactly `count`, size the buffer with
    /// [`cmsg_len`](super::cmsg_len)`(count * 4)` as Python's `recv_fds` does.
    pub fn fds(self, count: usize) -> Self {
        self.data(count.saturating_mul(size_of::<c_int>()))
    }

    /// Room for `SCM_CREDENTIALS`.
    pub fn credentials(self) -> Self {
        self.data(size_of::<libc::ucred>())
    }

    /// Room for `IP_PKTINFO`.
    pub fn ip_pktinfo(self) -> Self {
        self.data(size_of::<libc::in_pktinfo>())
    }

    /// Room for `IPV6_PKTINFO`.
    pub fn ipv6_pktinfo(self) -> Self {
        self.data(size_of::<libc::in6_pktinfo>())
    }

    /// Room for `SCM_TIMESTAMP` (a `timeval`).
    pub fn timestamp(self) -> Self {
        self.data(size_of::<libc::timeval>())
    }

    /// Room for `SCM_TIMESTAMPNS` (a `timespec`).
    pub fn timestamp_ns(self) -> Self {
        self.data(size_of::<libc::timespec>())
    }

    /// Room for an `int`-sized message (`IP_TTL`, `IP_TOS`, `IPV6_TCLASS`,
    /// `IPV6_HOPLIMIT`).
    pub fn int(self) -> Self {
        self.data(size_of::<c_int>())
    }

    /// Room for `UDP_GRO` (the segment size of a coalesced datagram, an `int`).
    pub fn udp_gro(self) -> Self {
        self.int()
    }

    /// The total, saturating at `usize::MAX` (which a receive then rejects).
    #[must_use]
    pub fn bytes(self) -> usize {
        self.0
    }
}

// ===== buffers shared by the blocking and async receivers =====

/// `bufsize` zeroed bytes (recvmsg scatters into initialised buffers), or `ENOMEM`.
pub(crate) fn zeroed(bufsize: usize) -> asock_core::Result<Vec<u8>> {
    let mut buf = Vec::new();
    buf.try_reserve_exact(bufsize).map_err(|_| asock_core::Error::from_errno(libc::ENOMEM))?;
    buf.resize(bufsize, 0);
    Ok(buf)
}

/// A control buffer of `ancbufsize` bytes, checked as CPython checks it.
pub(crate) fn control_buffer(ancbufsize: usize) -> asock_core::Result<Vec<u8>> {
    if ancbufsize > crate::sys::msg::CONTROL_LIMIT {
        return Err(asock_core::Error::invalid_input("invalid ancillary data buffer length"));
    }
    zeroed(ancbufsize)
}

/// Decodes what one `recvmsg` produced into typed control messages.
pub(crate) fn finish(
    control: &[u8],
    out: crate::sys::msg::RecvMsgOut,
) -> (Vec<ControlMessage>, MsgFlags, Option<SockAddr>) {
    let filled = control.get(..out.cmsg_len).unwrap_or_default();
    (super::decode_all(filled, out.fds), MsgFlags(out.msg_flags), out.addr)
}
