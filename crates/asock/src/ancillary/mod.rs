//! Ancillary data: the control messages of `sendmsg` / `recvmsg`, typed.
//!
//! Python passes control messages as a list of `(cmsg_level, cmsg_type, cmsg_data)` tuples
//! and leaves their bytes to `struct` and `array`. asock builds and reads them as values:
//!
//! - to send, a [`ControlBuf`] collects messages ([`fds`](ControlBuf::fds),
//!   [`credentials`](ControlBuf::credentials), [`ip_pktinfo`](ControlBuf::ip_pktinfo), ... or
//!   Python's raw tuples with [`ControlBuf::from_raw`]);
//! - a receive returns [`ControlMessage`]s: received fds are [`OwnedFd`](std::os::fd::OwnedFd)s
//!   from the moment the call returns (and close-on-exec: asock always receives with
//!   `MSG_CMSG_CLOEXEC`), so none leaks even if the caller ignores them;
//!   [`ControlMessage::to_raw`] gives Python's tuple back;
//! - [`ControlSize`] sizes the receive buffer, and [`cmsg_len`] / [`cmsg_space`] are
//!   Python's `socket.CMSG_LEN` / `socket.CMSG_SPACE`.
//!
//! A control buffer too small for what arrives is not an error: the kernel drops what does
//! not fit (closing any fds in it) and sets `MSG_CTRUNC` ([`MsgFlags::ctrunc`]).
//!
//! ```
//! use std::os::fd::AsFd;
//! use asock::ancillary::{ControlBuf, ControlMessage, ControlSize};
//!
//! let (a, b) = asock::blocking::socketpair()?;
//! let file = std::fs::File::open("/dev/null")?;
//!
//! let mut control = ControlBuf::new();
//! control.fds(&[file.as_fd()])?;
//! a.send_msg(&[std::io::IoSlice::new(b"here")], &control, 0, None)?;
//!
//! let msg = b.recv_msg(16, ControlSize::new().fds(1).bytes(), 0)?;
//! assert_eq!(msg.data, b"here");
//! assert!(matches!(&msg.ancillary[..], [ControlMessage::ScmRights(fds)] if fds.len() == 1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod builder;
mod message;
mod recv;
mod values;

pub use asock_core::MsgFlags;
pub use builder::ControlBuf;
pub use message::ControlMessage;
pub(crate) use message::{decode_all, decode_fixed};
pub(crate) use recv::{control_buffer, finish, zeroed};
pub use recv::{ControlSize, RecvFds, RecvFdsInto, RecvMsg, RecvMsgInto};
pub use values::{Credentials, IpPktinfo, Ipv6Pktinfo};

use crate::sys;
use asock_core::{Error, Result};

/// Python's `socket.CMSG_LEN(length)`: the `cmsg_len` of a control message carrying
/// `length` bytes of data (header included, trailing padding not).
///
/// ```
/// assert_eq!(asock::ancillary::cmsg_len(4)?, 20); // one fd, on 64-bit Linux
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// `InvalidInput` (Python's `OverflowError`) if the result would pass `INT_MAX`.
pub fn cmsg_len(length: usize) -> Result<usize> {
    sys::msg::cmsg_len(length)
        .ok_or_else(|| Error::invalid_input("CMSG_LEN() argument out of range"))
}

/// Python's `socket.CMSG_SPACE(length)`: the bytes a control message carrying `length` bytes
/// of data occupies in a buffer, trailing padding included. Sum it over the messages
/// expected to size a receive buffer (or use [`ControlSize`]).
///
/// ```
/// assert_eq!(asock::ancillary::cmsg_space(4)?, 24); // one fd, on 64-bit Linux
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// `InvalidInput` (Python's `OverflowError`) if the result would pass `INT_MAX`.
pub fn cmsg_space(length: usize) -> Result<usize> {
    sys::msg::cmsg_space(length)
        .ok_or_else(|| Error::invalid_input("CMSG_SPACE() argument out of range"))
}
