//! Name resolution: `getaddrinfo` and friends, blocking and async, and the [`Resolve`] trait.
//!
//! Python's resolver functions, with CPython's results and errors on the same machine:
//!
//! | Python | blocking (`asock::blocking::`) | async (`asock::`) |
//! |---|---|---|
//! | `getaddrinfo(host, port, family, type, proto, flags)` | [`getaddrinfo`](crate::blocking::getaddrinfo) | [`getaddrinfo`](crate::getaddrinfo) |
//! | `getnameinfo(sockaddr, flags)` | [`getnameinfo`](crate::blocking::getnameinfo) | [`getnameinfo`](crate::getnameinfo) |
//! | `gethostbyname(host)` | [`gethostbyname`](crate::blocking::gethostbyname) | [`gethostbyname`](crate::gethostbyname) |
//! | `gethostbyname_ex(host)` | [`gethostbyname_ex`](crate::blocking::gethostbyname_ex) | [`gethostbyname_ex`](crate::gethostbyname_ex) |
//! | `gethostbyaddr(ip)` | [`gethostbyaddr`](crate::blocking::gethostbyaddr) | [`gethostbyaddr`](crate::gethostbyaddr) |
//! | `getfqdn(name)` | [`getfqdn`](crate::blocking::getfqdn) | [`getfqdn`](crate::getfqdn) |
//! | `getservbyname(name, proto)` | [`getservbyname`](crate::blocking::getservbyname) | [`getservbyname`](crate::getservbyname) |
//! | `getservbyport(port, proto)` | [`getservbyport`](crate::blocking::getservbyport) | [`getservbyport`](crate::getservbyport) |
//! | `getprotobyname(name)` | [`getprotobyname`](crate::blocking::getprotobyname) | [`getprotobyname`](crate::getprotobyname) |
//! | `gethostname()`, `if_nameindex()`, `if_nametoindex(name)`, `if_indextoname(index)` | the same functions in both places: they never wait | |
//!
//! Errors keep Python's exception kinds: `gaierror` is [`ErrorKind::Gai`](crate::ErrorKind)
//! with the `EAI_*` code and `gai_strerror`'s text (`[Errno -2] Name or service not known`),
//! `herror` is [`ErrorKind::Host`](crate::ErrorKind) with `h_errno`, and CPython's errno-less
//! `OSError`s ("service/proto not found") and argument errors are `InvalidInput` with Python's
//! message. One deliberate difference: a host name with an embedded NUL is `InvalidInput`,
//! where CPython silently resolves the part before the NUL.
//!
//! # Async without blocking the executor
//!
//! The async forms never block the thread that polls them. Numeric hosts and ports take a
//! synchronous fast path: `getaddrinfo` is first tried with `AI_NUMERICHOST | AI_NUMERICSERV`
//! (trio's trick), which the C library answers without any lookup. Everything else runs on a
//! blocking thread: tokio's `spawn_blocking` inside a tokio runtime, otherwise asock's own
//! small pool (up to 4 threads named `asock-resolve`, which exit after 3 idle seconds). Each
//! lookup sent to a thread emits a `DEBUG` tracing event with target `asock::resolve::pool`.
//! Dropping the future abandons the lookup: a lookup not yet started is skipped, one under way
//! finishes on its thread and its answer is dropped; nothing leaks.
//!
//! ```
//! use asock::{AddressFamily, Protocol, SocketKind};
//!
//! # futures::executor::block_on(async {
//! // Numeric: answered on the spot.
//! let infos = asock::getaddrinfo(
//!     "127.0.0.1", 80, AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0), 0,
//! ).await?;
//! assert_eq!(infos[0].addr.to_string(), "127.0.0.1:80");
//!
//! // A name (and a service name): looked up on a blocking thread.
//! let infos = asock::getaddrinfo(
//!     "localhost", "http", AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0), 0,
//! ).await?;
//! assert_eq!(infos[0].addr.port(), Some(80));
//! # Ok::<(), asock::Error>(())
//! # }).unwrap();
//! ```
//!
//! # Plugging in a resolver
//!
//! Code that resolves on behalf of a user (`create_connection`) takes any [`Resolve`]:
//! [`SystemResolver`] is the C library's resolver as described above, [`FakeResolver`] answers
//! from a table with scripted delays for tests, and the trait's documentation shows a resolver
//! of one's own.

mod blocking_impl;
mod fake;
mod gai;
mod hostent;
mod idna;
pub(crate) mod lookup;
mod pool;
mod service;
mod system;

/// The blocking forms, re-exported by [`crate::blocking`].
pub(crate) mod blocking {
    pub use super::blocking_impl::*;
}

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;

pub use fake::{FakeLookup, FakeResolver};
pub use lookup::Lookup;
pub use pool::own_pool_threads;
pub use service::Service;
pub use system::SystemResolver;

use asock_core::{AddressFamily, Protocol, Result, SockAddr, SocketKind};

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

/// What `gethostbyname_ex` and `gethostbyaddr` return: Python's
/// `(hostname, aliaslist, ipaddrlist)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HostEntry {
    /// The host's primary name.
    pub name: String,
    /// Its other names.
    pub aliases: Vec<String>,
    /// Its addresses, all of one family.
    pub addrs: Vec<IpAddr>,
}

/// The future a [`Resolve`] implementation returns.
pub type ResolveFuture = Pin<Box<dyn Future<Output = Result<Vec<AddrInfo>>> + Send + 'static>>;

/// An asynchronous `getaddrinfo`: what `create_connection` resolves names with.
///
/// The default is the C library's resolver ([`SystemResolver`]); tests plug in a
/// [`FakeResolver`], users their own (DNS over HTTPS, a cache, a static table, ...).
///
/// A resolver of one's own: fixed answers for some names, the system resolver for the rest.
///
/// ```
/// use std::collections::HashMap;
/// use std::net::{IpAddr, SocketAddr};
///
/// use asock::resolve::{AddrInfo, Hints, Resolve, ResolveFuture, SystemResolver};
/// use asock::{AddressFamily, Protocol, SocketKind};
///
/// #[derive(Debug)]
/// struct Pinned {
///     table: HashMap<String, Vec<IpAddr>>,
/// }
///
/// impl Resolve for Pinned {
///     fn getaddrinfo(&self, host: Option<&str>, service: Option<&str>, hints: Hints)
///         -> ResolveFuture
///     {
///         let Some(ips) = host.and_then(|h| self.table.get(h)) else {
///             return SystemResolver.getaddrinfo(host, service, hints);
///         };
///         let port: u16 = service.and_then(|s| s.parse().ok()).unwrap_or(0);
///         let infos: Vec<AddrInfo> = ips
///             .iter()
///             .filter(|ip| match hints.family {
///                 AddressFamily::AF_INET => ip.is_ipv4(),
///                 AddressFamily::AF_INET6 => ip.is_ipv6(),
///                 _ => true,
///             })
///             .map(|ip| AddrInfo {
///                 family: if ip.is_ipv4() { AddressFamily::AF_INET } else { AddressFamily::AF_INET6 },
///                 kind: SocketKind::SOCK_STREAM,
///                 proto: Protocol::IPPROTO_TCP,
///                 canonname: None,
///                 addr: SocketAddr::new(*ip, port).into(),
///             })
///             .collect();
///         Box::pin(async move { Ok(infos) })
///     }
/// }
///
/// let resolver = Pinned {
///     table: HashMap::from([("db.internal".to_owned(), vec!["10.0.0.7".parse().unwrap()])]),
/// };
/// let infos = futures::executor::block_on(
///     resolver.getaddrinfo(Some("db.internal"), Some("5432"), Hints::default()),
/// )?;
/// assert_eq!(infos[0].addr.to_string(), "10.0.0.7:5432");
/// # Ok::<(), asock::Error>(())
/// ```
pub trait Resolve: Send + Sync {
    /// Resolves `host` and `port` (a port number or a service name, as text: Python's `port`
    /// argument) under `hints`.
    ///
    /// The future must not borrow from the arguments: copy what it needs.
    fn getaddrinfo(&self, host: Option<&str>, port: Option<&str>, hints: Hints) -> ResolveFuture;
}

impl<R: Resolve + ?Sized> Resolve for Arc<R> {
    fn getaddrinfo(&self, host: Option<&str>, port: Option<&str>, hints: Hints) -> ResolveFuture {
        (**self).getaddrinfo(host, port, hints)
    }
}

impl<R: Resolve + ?Sized> Resolve for Box<R> {
    fn getaddrinfo(&self, host: Option<&str>, port: Option<&str>, hints: Hints) -> ResolveFuture {
        (**self).getaddrinfo(host, port, hints)
    }
}

impl<R: Resolve + ?Sized> Resolve for &R {
    fn getaddrinfo(&self, host: Option<&str>, port: Option<&str>, hints: Hints) -> ResolveFuture {
        (**self).getaddrinfo(host, port, hints)
    }
}
