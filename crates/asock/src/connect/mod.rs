//! Connecting to a named host: Happy Eyeballs v2 (RFC 8305), generic over how names are
//! resolved ([`Resolve`](crate::resolve::Resolve)) and how one address is connected
//! ([`Connect`]).
//!
//! [`happy_eyeballs`] is the async driver behind `create_connection`: it asks for the host's IPv6
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
//! | [`create_connection_to`] | `AsyncSocket` | none: a given list of addresses |
//! | [`blocking::create_connection`](crate::blocking::create_connection) / [`_with`](crate::blocking::create_connection_with) / [`_to`](crate::blocking::create_connection_to) | [`blocking::Socket`](crate::blocking::Socket), one `poll(2)`, no thread | system / any / a list |
//! | [`happy_eyeballs`] / [`happy_eyeballs_to`] | any [`Connect`] (e.g. [`AsyncConnector`]) | any / a list |
//!
//! All take [`ConnectOptions`] and run the one engine of [`crate::happy_eyeballs`]. Where an
//! attempt counts as a success is the connector's business: [`ConnectExt::and_then`] chains a
//! step (a TLS handshake, [`first_byte`], ...) onto any connector, and a failed step is a
//! failed attempt.
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

use asock_core::{Result, SockAddr};

mod and_then;
mod async_connector;
mod create_connection;
mod happy_eyeballs;

/// The options of every race, defined with the engine in [`crate::happy_eyeballs`].
pub use crate::happy_eyeballs::ConnectOptions;
pub use and_then::{first_byte, AndThen, ConnectExt};
pub use async_connector::AsyncConnector;
pub use create_connection::{create_connection, create_connection_to, create_connection_with};
pub use happy_eyeballs::{happy_eyeballs, happy_eyeballs_to};

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
