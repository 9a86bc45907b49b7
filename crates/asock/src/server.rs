//! `create_server` for async code: [`blocking::create_server`](crate::blocking::create_server)'s
//! listening socket, as an [`AsyncSocket`].

use crate::async_socket::AsyncSocket;
use asock_core::{Result, SockAddr};

pub use crate::blocking::{has_dualstack_ipv6, ServerOptions};

/// A TCP server socket bound to `address` and listening, as an [`AsyncSocket`]: Python's
/// `socket.create_server(address, *, family, backlog, reuse_port, dualstack_ipv6)`.
///
/// The socket is made exactly as [`blocking::create_server`](crate::blocking::create_server)
/// makes it (`SO_REUSEADDR`, `SO_REUSEPORT` if asked, `IPV6_V6ONLY` unless dual-stack, `bind`,
/// `listen`), then handed over as an `AsyncSocket` in the default mode. It is a plain function:
/// nothing here waits (the address is a [`SockAddr`], not a name), so it is called the same
/// way from async code and from blocking code; [`accept`](AsyncSocket::accept) is what waits,
/// on tokio's reactor inside a tokio runtime and on asock's own anywhere else.
///
/// ```
/// use std::time::Duration;
/// use asock::ServerOptions;
///
/// # asock::block_on(async {
/// let options = ServerOptions { backlog: Some(16), ..Default::default() };
/// let server = asock::create_server(&"127.0.0.1:0".parse()?, &options)?;
/// assert!(server.options().is_listener()?);
///
/// let client = std::net::TcpStream::connect(server.local_addr()?.as_socket().unwrap())?;
/// let (conn, peer) = server.accept().timeout(Duration::from_secs(5)).await?;
/// assert_eq!(peer, client.local_addr()?.into());
/// assert_eq!(conn.peer_addr()?, peer);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
///
/// A dual-stack server takes IPv4 and IPv6 clients on one socket:
///
/// ```
/// use asock::ServerOptions;
///
/// # asock::block_on(async {
/// if asock::has_dualstack_ipv6() {
///     let options = ServerOptions { dualstack_ipv6: true, ..Default::default() };
///     let server = asock::create_server(&"[::]:0".parse()?, &options)?;
///     let port = server.local_addr()?.port().unwrap();
///     let _v4 = std::net::TcpStream::connect(("127.0.0.1", port))?;
///     let (_conn, peer) = server.accept().await?;
///     assert_eq!(peer.to_string(), format!("[::ffff:127.0.0.1]:{}", peer.port().unwrap()));
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
///
/// # Errors
///
/// As [`blocking::create_server`](crate::blocking::create_server): `InvalidInput` for
/// dual-stack on another family than `AF_INET6` or without system support; `EADDRINUSE`,
/// `EACCES`, `EAFNOSUPPORT` from `bind`; the errors of `socket(2)` and `listen(2)`. The
/// socket is closed on every error.
pub fn create_server(address: &SockAddr, options: &ServerOptions) -> Result<AsyncSocket> {
    crate::blocking::create_server(address, options).map(AsyncSocket::from)
}
