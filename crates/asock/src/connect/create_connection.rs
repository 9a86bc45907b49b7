//! `create_connection`, async: the Happy Eyeballs race of [`happy_eyeballs`] with
//! [`AsyncSocket`]s, resolving through the system's resolver or a given one, or over a given
//! list of addresses.

use super::{happy_eyeballs, happy_eyeballs_to, AsyncConnector, ConnectOptions};
use crate::async_socket::AsyncSocket;
use crate::blocking::with_default_timeout;
use crate::happy_eyeballs::ip_literal;
use crate::resolve::{Resolve, SystemResolver};
use asock_core::{Result, SockAddr};

/// Connects to `host`:`port` over TCP: Python's `socket.create_connection((host, port))`, with
/// Happy Eyeballs (RFC 8305) and an [`AsyncSocket`].
///
/// `host` is a name or an IP literal (`::1`, or `[::1]` as in a URI), resolved with the C
/// library's `getaddrinfo`
/// ([`SystemResolver`]: literals at once, names on a blocking thread); the IPv6 and IPv4
/// addresses are raced as `docs/happy-eyeballs.md` describes, so an address that black-holes
/// costs [`happy_eyeballs_delay`](ConnectOptions::happy_eyeballs_delay) (250 ms), not the
/// kernel's two-minute SYN timeout. [`create_connection_with`] takes another resolver.
///
/// [`timeout`](ConnectOptions::timeout), or when none is given the default timeout
/// ([`default_timeout`](crate::default_timeout)), as Python's `timeout` parameter defaults to
/// it, bounds the whole call, resolution included, and becomes the returned socket's timeout,
/// so the socket is in the mode Python's would be in. It works on any executor: inside a tokio
/// runtime it uses tokio's reactor, anywhere else asock's own.
///
/// ```
/// use std::time::Duration;
/// use asock::connect::ConnectOptions;
///
/// # asock::block_on(async {
/// let server = asock::create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
/// let port = server.local_addr()?.port().unwrap();
///
/// let options = ConnectOptions::new().timeout(Duration::from_secs(5));
/// let client = asock::create_connection("127.0.0.1", port, &options).await?;
/// let (conn, peer) = server.accept().await?;
/// assert_eq!(peer, client.local_addr()?);
/// assert_eq!(client.timeout(), Some(Duration::from_secs(5)));
///
/// client.send_all(b"hello").await?;
/// let mut buf = [0; 16];
/// let n = conn.recv(&mut buf).await?;
/// assert_eq!(&buf[..n], b"hello");
/// # Ok::<(), asock::Error>(())
/// # })?;
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// - The resolver's error (a `Gai` error such as `[Errno -2] Name or service not known`) when
///   neither the IPv6 nor the IPv4 query gives an address.
/// - When every attempt fails: [`Error::multiple`](crate::Error::multiple) listing every
///   address and its error if [`all_errors`](ConnectOptions::all_errors) is set, else the
///   last address's error (`ECONNREFUSED`, `ENETUNREACH`, ...).
/// - [`Error::timeout()`](crate::Error::timeout) ("timed out") when the timeout passes first.
/// - `InvalidInput` for a source address that is not an IP address, or a timeout too large
///   for a socket (Python's `OverflowError`), before anything starts.
///
/// # Cancel safety
///
/// Nothing is spawned: dropping the future cancels every attempt still running and closes its
/// socket, and abandons the lookups (a lookup already on a blocking thread finishes there and
/// its answer is dropped). No connection outlives the future unless it is returned.
pub async fn create_connection(
    host: &str,
    port: u16,
    options: &ConnectOptions,
) -> Result<AsyncSocket> {
    match ip_literal(host, port) {
        Some(addr) => create_connection_to(&[addr], options).await,
        None => create_connection_with(&SystemResolver, host, port, options).await,
    }
}

/// [`create_connection`] resolving through `resolver`: a [`FakeResolver`] in tests, a resolver
/// of one's own (DNS over HTTPS, a fixed table, ...) in programs.
///
/// ```
/// use std::time::Duration;
/// use asock::connect::ConnectOptions;
/// use asock::resolve::FakeResolver;
///
/// # asock::block_on(async {
/// let server = asock::create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
/// let port = server.local_addr()?.port().unwrap();
///
/// let resolver = FakeResolver::new().with_answer("db.test", [127, 0, 0, 1], Duration::ZERO);
/// let client = asock::create_connection_with(&resolver, "db.test", port, &ConnectOptions::new()).await?;
/// assert_eq!(client.peer_addr()?, server.local_addr()?);
/// # Ok::<(), asock::Error>(())
/// # })?;
/// # Ok::<(), asock::Error>(())
/// ```
///
/// [`FakeResolver`]: crate::resolve::FakeResolver
///
/// # Errors
///
/// As [`create_connection`], with `resolver`'s errors for resolution.
///
/// # Cancel safety
///
/// As [`create_connection`]: dropping the future closes every attempt's socket.
pub async fn create_connection_with<R: Resolve + ?Sized>(
    resolver: &R,
    host: &str,
    port: u16,
    options: &ConnectOptions,
) -> Result<AsyncSocket> {
    let (options, mode) = with_default_timeout(options)?;
    let sock = happy_eyeballs(resolver, &AsyncConnector, host, port, &options).await?;
    sock.set_timeout(mode.timeout())?;
    Ok(sock)
}

/// [`create_connection`] over a given list of addresses, with no name to resolve: the same
/// race, the first address's family preferred, each family in the list's order.
///
/// ```
/// use std::time::Duration;
/// use asock::connect::ConnectOptions;
///
/// # asock::block_on(async {
/// let server = asock::create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
/// let addrs = ["[::1]:1".parse()?, server.local_addr()?]; // ::1 refuses (or is missing)
/// let options = ConnectOptions::new().timeout(Duration::from_secs(5));
/// let client = asock::connect::create_connection_to(&addrs, &options).await?;
/// assert_eq!(client.peer_addr()?, server.local_addr()?);
/// # Ok::<(), asock::Error>(())
/// # })?;
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// As [`create_connection`] without the resolver's; `InvalidInput` for an empty list or an
/// address that is not IPv4 or IPv6.
///
/// # Cancel safety
///
/// As [`create_connection`]: dropping the future closes every attempt's socket.
pub async fn create_connection_to(
    addrs: &[SockAddr],
    options: &ConnectOptions,
) -> Result<AsyncSocket> {
    let (options, mode) = with_default_timeout(options)?;
    let sock = happy_eyeballs_to(&AsyncConnector, addrs, &options).await?;
    sock.set_timeout(mode.timeout())?;
    Ok(sock)
}
