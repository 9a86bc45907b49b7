//! `Shape`: what kind of socket an fd is, as the operations need to know it.

use asock_core::{AddressFamily, Error, Protocol, Result, SocketKind};

use super::Progress;

/// A socket's family, kind and protocol (Python's `family`, `type`, `proto` attributes),
/// fixed when the socket is made or adopted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape {
    pub(crate) family: AddressFamily,
    pub(crate) kind: SocketKind,
    pub(crate) proto: Protocol,
}

impl Shape {
    /// The shape of Python's `socket(family, type, proto)`: the kind without its flags, and
    /// protocol 0 (the family's default) for `None`.
    pub(crate) fn new(
        family: AddressFamily,
        kind: SocketKind,
        proto: impl Into<Option<Protocol>>,
    ) -> Shape {
        Shape { family, kind: kind.base(), proto: proto.into().unwrap_or(Protocol::from(0)) }
    }

    /// The check of every conversion into a typed socket (`target`, named in the message),
    /// so that a datagram socket never becomes a `TcpStream`.
    ///
    /// # Errors
    ///
    /// `InvalidInput` unless the socket is of `kind` and one of `families`.
    pub(crate) fn check_fits(
        self,
        kind: SocketKind,
        families: &[AddressFamily],
        target: &str,
    ) -> Result<()> {
        if self.kind == kind && families.contains(&self.family) {
            return Ok(());
        }
        let Shape { family, kind, .. } = self;
        Err(Error::invalid_input(format!("a {family} {kind} socket cannot become a {target}")))
    }

    /// How a read of `got` bytes into `room` ends. Only on TCP does a short read prove the
    /// receive queue empty: a UNIX stream read also stops early, with data still queued, at a
    /// segment that carries fds or another sender's credentials, and a datagram read says
    /// nothing about the datagrams behind it.
    pub(crate) fn read_progress(self, got: usize, room: usize) -> Progress {
        let tcp = self.kind == SocketKind::SOCK_STREAM
            && matches!(self.family, AddressFamily::AF_INET | AddressFamily::AF_INET6);
        if tcp && got < room {
            Progress::Drained
        } else {
            Progress::More
        }
    }

    /// How a write of `sent` of `len` bytes ends: on any stream, a short write means the send
    /// buffer is full.
    pub(crate) fn write_progress(self, sent: usize, len: usize) -> Progress {
        if self.kind == SocketKind::SOCK_STREAM && sent < len {
            Progress::Drained
        } else {
            Progress::More
        }
    }
}
