//! What `bind` and `connect` take: [`ToSocketAddrs`], tokio's set of address forms, and
//! how each is turned into addresses.
//!
//! An address or a list of them is used as it is; a text that parses as `ip:port` too (no
//! system call, no thread). Only a host *name* is resolved: for `connect` by Happy Eyeballs
//! (`create_connection`, which races the IPv6 and IPv4 answers), for `bind` and UDP by
//! asock's `getaddrinfo` ([`Lookup`](crate::resolve::Lookup): a blocking thread, never the
//! executor's).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use crate::resolve::lookup::getaddrinfo;
use asock_core::{AddressFamily, Error, Protocol, Result, SockAddr, SocketKind};

/// An address, a list of addresses, or a host and port to resolve: what the typed sockets'
/// `bind`, `connect` and `send_to` take, as tokio's trait of that name.
///
/// Implemented for `SocketAddr` (and its V4 / V6 forms), `(IpAddr, u16)` (and the V4 / V6
/// forms), `&[SocketAddr]`, `"host:port"` as `str` or `String`, `(&str, u16)`,
/// `(String, u16)`, asock's [`SockAddr`] (an IP one), and references to all of these. A
/// host in the text forms is an IP literal (`"[::1]:80"`, `("::1", 80)`) or a name
/// (`"localhost:80"`). The trait is sealed: its method is asock's business.
///
/// ```
/// use std::net::{Ipv4Addr, SocketAddr};
/// use asock::net::UdpSocket;
///
/// # asock::block_on(async {
/// let a = UdpSocket::bind("127.0.0.1:0").await?;
/// let b = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await?;
/// let c = UdpSocket::bind(("127.0.0.1", 0)).await?;
/// let d = UdpSocket::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
/// let tried = ["[::1]:0".parse()?, "127.0.0.1:0".parse()?];
/// let e = UdpSocket::bind(&tried[..]).await?; // the first that binds
/// for sock in [a, b, c, d, e] {
///     assert!(sock.local_addr()?.ip().is_loopback());
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub trait ToSocketAddrs: sealed::Sealed {}

pub(crate) use sealed::{Sealed, Target};

mod sealed {
    use std::net::SocketAddr;

    use asock_core::Result;

    /// How an address form becomes a [`Target`].
    pub trait Sealed {
        /// The addresses named, or the host and port to resolve. Fails only on text that is
        /// not `host:port`.
        fn target(&self) -> Result<Target<'_>>;
    }

    /// What an address form names.
    #[derive(Debug)]
    pub enum Target<'a> {
        /// One address.
        One(SocketAddr),
        /// A list of addresses, in the caller's order.
        Many(&'a [SocketAddr]),
        /// A host name (not an IP literal) and a port.
        Host(&'a str, u16),
    }
}

/// The addresses `addr` names, a host name resolved by `getaddrinfo` for sockets of `kind`
/// (on a blocking thread; addresses and IP literals at once).
pub(crate) async fn resolve(
    addr: &(impl ToSocketAddrs + ?Sized),
    kind: SocketKind,
) -> Result<Vec<SocketAddr>> {
    let (host, port) = match addr.target()? {
        Target::One(addr) => return Ok(vec![addr]),
        Target::Many(addrs) => return Ok(addrs.to_vec()),
        Target::Host(host, port) => (host, port),
    };
    let infos =
        getaddrinfo(host, port, AddressFamily::AF_UNSPEC, kind, Protocol::DEFAULT, 0).await?;
    Ok(infos.iter().filter_map(|info| info.addr.as_socket()).collect())
}

/// Tries `attempt` on each address in order: the first success, else the last error (or,
/// for no address at all, tokio's and std's "could not resolve to any addresses").
pub(crate) async fn first_that_works<T, F, Fut>(addrs: &[SocketAddr], mut attempt: F) -> Result<T>
where
    F: FnMut(SocketAddr) -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let mut last = None;
    for &addr in addrs {
        match attempt(addr).await {
            Ok(done) => return Ok(done),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| Error::invalid_input("could not resolve to any addresses")))
}

/// A `host:port` text: an `ip:port` at once, else a host name and its port.
fn parse_host_port(text: &str) -> Result<Target<'_>> {
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(Target::One(addr));
    }
    let (host, port) =
        text.rsplit_once(':').ok_or_else(|| Error::invalid_input("invalid socket address"))?;
    let port = port.parse::<u16>().map_err(|_| Error::invalid_input("invalid port value"))?;
    Ok(host_and_port(host, port))
}

/// A host (an IP literal, with or without brackets, or a name) and a port.
fn host_and_port(host: &str, port: u16) -> Target<'_> {
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    match bare.parse::<IpAddr>() {
        Ok(ip) => Target::One(SocketAddr::new(ip, port)),
        Err(_) => Target::Host(host, port),
    }
}

// ===== the forms =====

macro_rules! one_address {
    ($($ty:ty => |$this:ident| $addr:expr;)*) => {$(
        impl ToSocketAddrs for $ty {}

        impl Sealed for $ty {
            fn target(&self) -> Result<Target<'_>> {
                let $this = self;
                Ok(Target::One($addr))
            }
        }
    )*};
}

one_address! {
    SocketAddr => |a| *a;
    SocketAddrV4 => |a| SocketAddr::V4(*a);
    SocketAddrV6 => |a| SocketAddr::V6(*a);
    (IpAddr, u16) => |a| SocketAddr::new(a.0, a.1);
    (Ipv4Addr, u16) => |a| SocketAddr::new(IpAddr::V4(a.0), a.1);
    (Ipv6Addr, u16) => |a| SocketAddr::new(IpAddr::V6(a.0), a.1);
}

impl ToSocketAddrs for [SocketAddr] {}

impl Sealed for [SocketAddr] {
    fn target(&self) -> Result<Target<'_>> {
        Ok(Target::Many(self))
    }
}

impl ToSocketAddrs for str {}

impl Sealed for str {
    fn target(&self) -> Result<Target<'_>> {
        parse_host_port(self)
    }
}

impl ToSocketAddrs for String {}

impl Sealed for String {
    fn target(&self) -> Result<Target<'_>> {
        parse_host_port(self)
    }
}

impl ToSocketAddrs for (&str, u16) {}

impl Sealed for (&str, u16) {
    fn target(&self) -> Result<Target<'_>> {
        Ok(host_and_port(self.0, self.1))
    }
}

impl ToSocketAddrs for (String, u16) {}

impl Sealed for (String, u16) {
    fn target(&self) -> Result<Target<'_>> {
        Ok(host_and_port(&self.0, self.1))
    }
}

impl ToSocketAddrs for SockAddr {}

impl Sealed for SockAddr {
    /// An IP address; any other family is `EAFNOSUPPORT`, as binding it to an IP socket is.
    fn target(&self) -> Result<Target<'_>> {
        self.as_socket().map(Target::One).ok_or_else(|| Error::from_errno(libc::EAFNOSUPPORT))
    }
}

impl<T: ToSocketAddrs + ?Sized> ToSocketAddrs for &T {}

impl<T: Sealed + ?Sized> Sealed for &T {
    fn target(&self) -> Result<Target<'_>> {
        (**self).target()
    }
}

/// Resolves `addr` to its addresses, as tokio's `lookup_host`: an address or an IP literal at
/// once, a host name through `getaddrinfo` on a blocking thread (never the executor's).
///
/// ```
/// # asock::block_on(async {
/// let addrs: Vec<_> = asock::net::lookup_host("127.0.0.1:80").await?.collect();
/// assert_eq!(addrs, ["127.0.0.1:80".parse()?]);
/// let local: Vec<_> = asock::net::lookup_host(("localhost", 8080)).await?.collect();
/// assert!(local.iter().all(|a| a.ip().is_loopback() && a.port() == 8080));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
///
/// # Errors
///
/// `InvalidInput` for text that is not `host:port` ("invalid socket address", "invalid port
/// value"); the resolver's `Gai` error for a name it does not know.
///
/// # Cancel safety
///
/// Dropping the future abandons the lookup (see [`Lookup`](crate::resolve::Lookup)).
pub async fn lookup_host<A: ToSocketAddrs>(addr: A) -> Result<std::vec::IntoIter<SocketAddr>> {
    Ok(resolve(&addr, SocketKind::SOCK_STREAM).await?.into_iter())
}
