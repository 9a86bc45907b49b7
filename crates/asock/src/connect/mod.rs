//! Connecting to a named host: Happy Eyeballs v2 (RFC 8305), generic over how names are
//! resolved ([`Resolve`](crate::resolve::Resolve)) and how one address is connected
//! ([`Connect`]).
//!
//! [`happy_eyeballs`] is the algorithm behind `create_connection`: it asks for the host's IPv6
//! and IPv4 addresses at once, starts connecting as soon as it has an address, starts another
//! attempt whenever the previous one fails or has been running for the attempt delay, and
//! returns the first connection made, closing every other. The whole race runs inside the one
//! future it returns: nothing is spawned, so dropping that future stops every attempt and
//! closes every socket. `docs/happy-eyeballs.md` has the timeline and the comparison with trio,
//! asyncio, Go and hyper.
//!
//! | entry point | socket | resolver |
//! |---|---|---|
//! | [`create_connection`] (also `asock::create_connection`) | [`AsyncSocket`](crate::AsyncSocket) | [`SystemResolver`](crate::resolve::SystemResolver) |
//! | [`create_connection_with`] | `AsyncSocket` | any [`Resolve`](crate::resolve::Resolve) |
//! | [`blocking::create_connection`](crate::blocking::create_connection) / [`_with`](crate::blocking::create_connection_with) | [`blocking::Socket`](crate::blocking::Socket), one `poll(2)`, no thread | system / any |
//! | [`happy_eyeballs`] | any [`Connect`] (e.g. [`AsyncConnector`]) | any |
//!
//! All take [`ConnectOptions`].
//!
//! # Examples
//!
//! Connect with tokio's `TcpStream`, resolving with a resolver that knows one name:
//!
//! ```
//! use asock::connect::{happy_eyeballs, Connect, ConnectOptions};
//! use asock::resolve::{AddrInfo, Hints, Resolve, ResolveFuture};
//! use asock::{AddressFamily, Error, Protocol, SockAddr, SocketKind};
//!
//! /// Knows that "db.test" is 127.0.0.1 and has no IPv6 address.
//! struct Hosts;
//!
//! impl Resolve for Hosts {
//!     fn getaddrinfo(&self, _host: Option<&str>, service: Option<&str>, hints: Hints)
//!         -> ResolveFuture
//!     {
//!         let port: u16 = service.and_then(|s| s.parse().ok()).unwrap_or(0);
//!         let answer = if hints.family == AddressFamily::AF_INET {
//!             Ok(vec![AddrInfo {
//!                 family: AddressFamily::AF_INET,
//!                 kind: SocketKind::SOCK_STREAM,
//!                 proto: Protocol::from(0),
//!                 canonname: None,
//!                 addr: SockAddr::inet("127.0.0.1", port).unwrap(),
//!             }])
//!         } else {
//!             Err(Error::gai(libc::EAI_NODATA, None))
//!         };
//!         Box::pin(async move { answer })
//!     }
//! }
//!
//! /// One attempt = one tokio `TcpStream::connect`.
//! struct Tokio;
//!
//! impl Connect for Tokio {
//!     type Stream = tokio::net::TcpStream;
//!
//!     async fn connect(&self, addr: SockAddr, _source: Option<SockAddr>)
//!         -> asock::Result<Self::Stream>
//!     {
//!         let addr = addr.as_socket().ok_or_else(|| Error::invalid_input("not IP"))?;
//!         Ok(tokio::net::TcpStream::connect(addr).await?)
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> asock::Result<()> {
//! let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
//! let port = listener.local_addr()?.port();
//!
//! let options = ConnectOptions::new().timeout(std::time::Duration::from_secs(5));
//! let stream = happy_eyeballs(&Hosts, &Tokio, "db.test", port, &options).await?;
//! assert_eq!(stream.peer_addr()?, listener.local_addr()?);
//! # Ok(())
//! # }
//! ```

use std::future::Future;

use crate::resolve::Hints;
use crate::{AddressFamily, Result, SockAddr, SocketKind};

mod async_connector;
pub(crate) mod attempt;
pub(crate) mod candidates;
mod create_connection;
mod happy_eyeballs;
mod options;
pub(crate) mod outcome;

pub use async_connector::AsyncConnector;
pub use create_connection::{create_connection, create_connection_with};
pub use happy_eyeballs::happy_eyeballs;
pub use options::ConnectOptions;

/// Connects one socket to one address: what [`happy_eyeballs`] runs once per attempt.
///
/// asock implements it for its own sockets; tests implement it with fakes, and users with
/// anything that can open a stream to a `SockAddr` (a proxy, a TLS wrapper, ...).
///
/// # Cancel safety
///
/// [`happy_eyeballs`] drops the future of every attempt that loses the race, and the stream of
/// any attempt that connects after the winner. An implementation must therefore own its socket
/// inside the future and close it when dropped (an `OwnedFd`, a `TcpStream`, ... do), and
/// `Stream` must close on drop too.
pub trait Connect {
    /// A connected stream.
    type Stream;

    /// Creates a socket of `addr`'s family, binds it to `source` when one is given (its family
    /// is always `addr`'s), and connects it to `addr`.
    ///
    /// # Errors
    ///
    /// Whatever creating, binding or connecting failed with; [`happy_eyeballs`] records it
    /// against `addr` and moves on to the next address.
    fn connect(
        &self,
        addr: SockAddr,
        source: Option<SockAddr>,
    ) -> impl Future<Output = Result<Self::Stream>>;
}

impl<C: Connect + ?Sized> Connect for &C {
    type Stream = C::Stream;

    fn connect(
        &self,
        addr: SockAddr,
        source: Option<SockAddr>,
    ) -> impl Future<Output = Result<Self::Stream>> {
        (**self).connect(addr, source)
    }
}

/// `getaddrinfo` hints for TCP addresses of one family, with no flags (`AI_ADDRCONFIG` would
/// hide `::1` on hosts without global IPv6; see happy_eyeballs.rs).
pub(crate) fn stream_hints(family: AddressFamily) -> Hints {
    Hints { family, kind: SocketKind::SOCK_STREAM, ..Hints::default() }
}

/// The only clock connect/ reads and the only timer it sets: asock's own time source, which
/// follows tokio's (paused, in tests) clock inside a tokio runtime and runs on asock's own
/// reactor anywhere else, so the race needs no tokio runtime.
pub(crate) mod clock {
    use std::future::Future;

    pub(crate) use crate::time::Instant;

    /// Completes at `deadline` (at once if it has passed).
    pub(crate) fn sleep_until(deadline: Instant) -> impl Future<Output = ()> + Send {
        crate::reactor::sleep_until(deadline)
    }
}
