//! `create_connection`, blocking: the Happy Eyeballs engine driven by
//! [`happy_eyeballs`] over a [`SocketNetwork`] (non-blocking connects and one `poll(2)` over
//! every attempt in flight and the lookups). No thread of its own, no runtime.

use std::time::Duration;

use super::{happy_eyeballs, Socket, SocketNetwork, Target};
use crate::happy_eyeballs::{ip_literal, ConnectOptions};
use crate::mode::Mode;
use crate::resolve::{Resolve, SystemResolver};
use asock_core::{Result, SockAddr};

/// Connects to `host`:`port` over TCP: Python's `socket.create_connection((host, port))`, with
/// Happy Eyeballs (RFC 8305), without threads or a runtime.
///
/// `host` is a name or an IP literal, resolved with the C library's `getaddrinfo`
/// ([`SystemResolver`]); the IPv6 and IPv4 addresses are then raced with non-blocking connects
/// and one `poll(2)`, so an address that black-holes costs
/// [`happy_eyeballs_delay`](ConnectOptions::happy_eyeballs_delay) (250 ms), not the kernel's
/// two-minute SYN timeout. [`timeout`](ConnectOptions::timeout), or when none is given the
/// default timeout ([`default_timeout`](super::default_timeout)) as in Python, bounds the whole
/// call, resolution included, and becomes the socket's timeout.
/// [`create_connection_with`] takes another resolver.
///
/// IP literals (`::1`, or `[::1]` as in a URI) are answered on the calling thread. A name is
/// looked up on asock's resolver pool (or tokio's blocking pool when called inside a tokio
/// runtime) while this thread waits for it in the same `poll(2)` as the attempts: a
/// `getaddrinfo` on this thread could not be interrupted, and the timeout would not cover
/// resolution (it does not in Python). Both families are asked at once; the race starts on
/// the AAAA answer, or on the A answer plus the Resolution Delay, as the async one does.
///
/// ```
/// use std::time::Duration;
/// use asock::blocking::{create_connection, create_server};
/// use asock::connect::ConnectOptions;
///
/// let server = create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
/// let port = server.local_addr()?.port().unwrap();
///
/// let options = ConnectOptions::new().timeout(Duration::from_secs(5));
/// let client = create_connection("127.0.0.1", port, &options)?;
/// let (conn, peer) = server.accept()?;
/// assert_eq!(peer, client.local_addr()?);
/// assert_eq!(client.timeout(), Some(Duration::from_secs(5)));
///
/// client.send_all(b"hello")?;
/// assert_eq!(conn.recv(16)?, b"hello");
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// As [`create_connection_with`]: the resolver's `Gai` error when no address is found, the
/// last attempt's error (or every one, with [`all_errors`](ConnectOptions::all_errors)),
/// [`Error::timeout()`](crate::Error::timeout) when the timeout passes first, `InvalidInput` for a bad source address
/// or timeout.
///
/// Like every blocking function, do not call it from async code: it blocks the thread.
pub fn create_connection(host: &str, port: u16, options: &ConnectOptions) -> Result<Socket> {
    match ip_literal(host, port) {
        Some(addr) => create_connection_to(&[addr], options),
        None => create_connection_with(&SystemResolver, host, port, options),
    }
}

/// Connects to `host`:`port` over TCP, Python's `socket.create_connection((host, port))` with
/// Happy Eyeballs (RFC 8305), resolving through `resolver`.
///
/// Attempts are staggered by [`happy_eyeballs_delay`](ConnectOptions::happy_eyeballs_delay):
/// an address that black-holes costs that delay, not the kernel's two-minute SYN timeout. The
/// timeout (the given one, else the default timeout) bounds the whole call and becomes the
/// socket's timeout, as for [`create_connection`]. `docs/happy-eyeballs.md` has the details.
///
/// ```
/// use asock::blocking::{create_connection_with, create_server};
/// use asock::connect::ConnectOptions;
/// use asock::resolve::{AddrInfo, Hints, Resolve, ResolveFuture};
/// use asock::{AddressFamily, Error, Protocol, SockAddr, SocketKind};
///
/// /// Knows that "db.test" is 127.0.0.1.
/// struct Hosts;
///
/// impl Resolve for Hosts {
///     fn getaddrinfo(&self, _: Option<&str>, service: Option<&str>, hints: Hints) -> ResolveFuture {
///         let port = service.and_then(|s| s.parse().ok()).unwrap_or(0);
///         let answer = match hints.family {
///             AddressFamily::AF_INET => Ok(vec![AddrInfo {
///                 family: AddressFamily::AF_INET,
///                 kind: SocketKind::SOCK_STREAM,
///                 proto: Protocol::IPPROTO_TCP,
///                 canonname: None,
///                 addr: SockAddr::inet("127.0.0.1", port).unwrap(),
///             }]),
///             _ => Err(Error::gai(libc::EAI_NODATA, None)),
///         };
///         Box::pin(async move { answer })
///     }
/// }
///
/// let server = create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
/// let port = server.local_addr()?.port().unwrap();
/// let options = ConnectOptions::new().timeout(std::time::Duration::from_secs(5));
/// let sock = create_connection_with(&Hosts, "db.test", port, &options)?;
/// assert_eq!(sock.peer_addr()?, server.local_addr()?);
/// assert_eq!(sock.timeout(), Some(std::time::Duration::from_secs(5)));
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// - The resolver's error when neither query gives an address.
/// - When every attempt fails: [`Error::multiple`](crate::Error::multiple) listing every address and its error if
///   [`all_errors`](ConnectOptions::all_errors) is set, else the last address's error.
/// - [`Error::timeout()`](crate::Error::timeout) when the timeout passes first.
/// - `InvalidInput` for a source address that is not an IP address, or a timeout too large
///   for a socket (Python's `OverflowError`).
/// - An error of `poll(2)` itself (`ENOMEM`), which ends the call.
///
/// Like every blocking function, do not call it from async code: it blocks the thread while
/// it polls the resolver's futures and the attempts.
pub fn create_connection_with<R: Resolve + ?Sized>(
    resolver: &R,
    host: &str,
    port: u16,
    options: &ConnectOptions,
) -> Result<Socket> {
    race(resolver, Target::Name { host, port }, options)
}

/// [`create_connection`] over a given list of addresses, with no name to resolve: the same
/// race, the first address's family preferred, each family in the list's order.
///
/// ```
/// use std::time::Duration;
/// use asock::blocking::{create_connection_to, create_server};
/// use asock::connect::ConnectOptions;
///
/// let server = create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
/// let addrs = ["[::1]:1".parse()?, server.local_addr()?]; // ::1 refuses (or is missing)
/// let options = ConnectOptions::new().timeout(Duration::from_secs(5));
/// let client = create_connection_to(&addrs, &options)?;
/// assert_eq!(client.peer_addr()?, server.local_addr()?);
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// As [`create_connection`] without the resolver's; `InvalidInput` for an empty list or an
/// address that is not IPv4 or IPv6.
pub fn create_connection_to(addrs: &[SockAddr], options: &ConnectOptions) -> Result<Socket> {
    race(&SystemResolver, Target::Addresses(addrs), options)
}

fn race<R: Resolve + ?Sized>(
    resolver: &R,
    target: Target<'_>,
    options: &ConnectOptions,
) -> Result<Socket> {
    let (options, mode) = with_default_timeout(options)?;
    let mut network = SocketNetwork::new(resolver).socket_timeout(mode.timeout());
    happy_eyeballs(&mut network, target, &options)
}

/// The options with the default timeout filled in (Python's `timeout` defaults to
/// `getdefaulttimeout()`), and the mode the socket gets, checked before anything starts as
/// Python's `settimeout` would fail before connecting. Shared with the async entry points.
pub(crate) fn with_default_timeout(options: &ConnectOptions) -> Result<(ConnectOptions, Mode)> {
    let timeout: Option<Duration> = options.get_timeout().or_else(crate::mode::default_timeout);
    let mode = Mode::checked_from_timeout(timeout)?;
    let options = match timeout {
        Some(timeout) => options.clone().timeout(timeout),
        None => options.clone(),
    };
    Ok((options, mode))
}
