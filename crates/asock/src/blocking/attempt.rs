//! The socket of one Happy Eyeballs attempt, before its `connect(2)`: shared by the blocking
//! race's [`SocketNetwork`](super::SocketNetwork) and the async race's `AsyncConnector`, so
//! both create and bind it the same way.

use std::os::fd::{AsFd, OwnedFd};

use crate::{sys, Protocol, Result, SockAddr, SocketKind};

/// A non-blocking TCP socket of `addr`'s family, bound to `source` when one is given.
///
/// The fd is closed on any error (it is dropped).
pub(crate) fn attempt_socket(addr: &SockAddr, source: Option<&SockAddr>) -> Result<OwnedFd> {
    let kind = SocketKind::SOCK_STREAM.with_flags(SocketKind::SOCK_NONBLOCK);
    let fd = sys::socket::socket(addr.family(), kind, Protocol::IPPROTO_TCP)?;
    if let Some(source) = source {
        if source.port() == Some(0) {
            // Bind the address only and leave the port to connect(), which can then share a
            // port between connections to different peers; a bind to port 0 would reserve a
            // port per attempt and exhaust the range sooner (ip(7) IP_BIND_ADDRESS_NO_PORT;
            // trio does the same). Best effort: an old kernel without it still works.
            let (level, name) = (libc::IPPROTO_IP, libc::IP_BIND_ADDRESS_NO_PORT);
            let _ = sys::socket::set_option_int(fd.as_fd(), level, name, 1);
        }
        sys::socket::bind(fd.as_fd(), source)?;
    }
    Ok(fd)
}
