//! Name resolution: `getaddrinfo` and friends, and the [`Resolve`] trait.

use std::future::Future;
use std::pin::Pin;

use crate::{AddressFamily, Protocol, Result, SockAddr, SocketKind};

/// One entry of `getaddrinfo`'s answer: Python's `(family, type, proto, canonname, sockaddr)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AddrInfo {
    /// The address family of `addr`.
    pub family: AddressFamily,
    /// The socket kind to create for it.
    pub kind: SocketKind,
    /// The protocol to create it with.
    pub proto: Protocol,
    /// The canonical name, on the first entry when `AI_CANONNAME` was asked for.
    pub canonname: Option<String>,
    /// The address.
    pub addr: SockAddr,
}

/// The filters and flags of a `getaddrinfo` call (the C `hints`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hints {
    /// `AF_UNSPEC` for any family.
    pub family: AddressFamily,
    /// `SocketKind(0)` for any kind.
    pub kind: SocketKind,
    /// `Protocol(0)` for any protocol.
    pub proto: Protocol,
    /// `AI_*` flags.
    pub flags: i32,
}

impl Default for Hints {
    fn default() -> Self {
        Hints {
            family: AddressFamily::AF_UNSPEC,
            kind: SocketKind::from(0),
            proto: Protocol::from(0),
            flags: 0,
        }
    }
}

/// The future a [`Resolve`] implementation returns.
pub type ResolveFuture = Pin<Box<dyn Future<Output = Result<Vec<AddrInfo>>> + Send + 'static>>;

/// An asynchronous `getaddrinfo`: what `create_connection` resolves names with.
///
/// The default is the C library's resolver (the system resolver); tests plug
/// in a fake, users their own (DNS over HTTPS, a cache, ...).
pub trait Resolve: Send + Sync {
    /// Resolves `host` and `service` (a port number or a service name, as text) under `hints`.
    ///
    /// The future must not borrow from the arguments: copy what it needs.
    fn getaddrinfo(&self, host: Option<&str>, service: Option<&str>, hints: Hints)
        -> ResolveFuture;
}
