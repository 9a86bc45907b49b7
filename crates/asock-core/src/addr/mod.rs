//! `SockAddr`: the address of every family, as Python's socket module spells them.
//!
//! Python passes addresses as tuples whose shape depends on the family (`(host, port)` for
//! AF_INET, `(host, port, flowinfo, scope_id)` for AF_INET6, a path for AF_UNIX, `(pid,
//! groups)` for AF_NETLINK, ...). Here each shape is a variant of one enum, convertible
//! losslessly to and from the kernel's `sockaddr_storage` ([`RawSockAddr`]), `socket2::SockAddr`
//! and `std::net::SocketAddr`, and from `(IpAddr, u16)` and `std::os::unix::net::SocketAddr`.

mod family_addrs;
mod parse;
mod raw;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

pub use family_addrs::{
    CanAddr, NetlinkAddr, OtherAddr, PacketAddr, TipcAddr, UnixAddr, VsockAddr,
};
pub use raw::RawSockAddr;

use crate::{AddressFamily, Error, Result};

/// A socket address of any family.
///
/// ```
/// use asock_core::{AddressFamily, SockAddr};
///
/// let addr: SockAddr = "127.0.0.1:8080".parse()?;
/// assert_eq!(addr.family(), AddressFamily::AF_INET);
/// assert_eq!(addr.to_string(), "127.0.0.1:8080");
///
/// // Through the kernel's representation and back, nothing is lost.
/// let raw = addr.to_raw()?;
/// assert_eq!(SockAddr::from_raw(&raw)?, addr);
/// # Ok::<(), asock_core::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SockAddr {
    /// `AF_INET`: Python's `(host, port)`.
    Inet(SocketAddrV4),
    /// `AF_INET6`: Python's `(host, port, flowinfo, scope_id)`.
    ///
    /// `flowinfo` is kept in host byte order, as Python shows it (CPython applies
    /// `htonl`/`ntohl` at the kernel boundary; `std` and socket2 copy it raw).
    Inet6(SocketAddrV6),
    /// `AF_UNIX`: a pathname, an abstract name or unnamed.
    Unix(UnixAddr),
    /// `AF_NETLINK`: Python's `(pid, groups)`.
    Netlink(NetlinkAddr),
    /// `AF_PACKET`: Python's `(ifname, proto, pkttype, hatype, addr)`, with the interface by
    /// index.
    Packet(PacketAddr),
    /// `AF_VSOCK`: Python's `(cid, port)`.
    Vsock(VsockAddr),
    /// `AF_CAN`: the interface and the protocol-specific part (ISO-TP ids or J1939 fields).
    Can(CanAddr),
    /// `AF_TIPC`: Python's `(addr_type, v1, v2, v3, scope)`.
    Tipc(TipcAddr),
    /// Any other family: the family and the bytes after it, kept as the kernel gave them.
    ///
    /// Also what the kernel reports but [`SockAddr::from_raw`] refuses, where asock must not
    /// drop it (see `From<&socket2::SockAddr>`): an `AF_UNIX` path of 108 bytes, which a C
    /// program can bind. `to_raw` gives those bytes back; they do not decode as `Unix`.
    Other(OtherAddr),
}

impl SockAddr {
    /// The address family of this address.
    #[must_use]
    pub fn family(&self) -> AddressFamily {
        match self {
            SockAddr::Inet(_) => AddressFamily::AF_INET,
            SockAddr::Inet6(_) => AddressFamily::AF_INET6,
            SockAddr::Unix(_) => AddressFamily::AF_UNIX,
            SockAddr::Netlink(_) => AddressFamily::AF_NETLINK,
            SockAddr::Packet(_) => AddressFamily::AF_PACKET,
            SockAddr::Vsock(_) => AddressFamily::AF_VSOCK,
            SockAddr::Can(_) => AddressFamily::AF_CAN,
            SockAddr::Tipc(_) => AddressFamily::AF_TIPC,
            SockAddr::Other(other) => other.family,
        }
    }

    /// The IP address and port, for `AF_INET` and `AF_INET6` addresses.
    #[must_use]
    pub fn as_socket(&self) -> Option<SocketAddr> {
        match self {
            SockAddr::Inet(a) => Some(SocketAddr::V4(*a)),
            SockAddr::Inet6(a) => Some(SocketAddr::V6(*a)),
            _ => None,
        }
    }

    /// The UNIX address, for `AF_UNIX` addresses.
    #[must_use]
    pub fn as_unix(&self) -> Option<&UnixAddr> {
        match self {
            SockAddr::Unix(a) => Some(a),
            _ => None,
        }
    }

    /// The vsock address, for `AF_VSOCK` addresses: its port is a `u32`, read as
    /// `addr.as_vsock()?.port`.
    #[must_use]
    pub fn as_vsock(&self) -> Option<VsockAddr> {
        match self {
            SockAddr::Vsock(a) => Some(*a),
            _ => None,
        }
    }

    /// The port, for `AF_INET` and `AF_INET6` addresses.
    ///
    /// An `AF_VSOCK` port is 32 bits wide and not an IP port: it is `None` here and
    /// [`as_vsock`](Self::as_vsock) gives it.
    ///
    /// ```
    /// use asock_core::{SockAddr, VsockAddr};
    ///
    /// let addr: SockAddr = "127.0.0.1:8080".parse()?;
    /// assert_eq!(addr.port(), Some(8080u16));
    /// let vsock = SockAddr::Vsock(VsockAddr { cid: 2, port: 70_000 });
    /// assert_eq!(vsock.port(), None);
    /// assert_eq!(vsock.as_vsock().map(|v| v.port), Some(70_000));
    /// # Ok::<(), asock_core::Error>(())
    /// ```
    #[must_use]
    pub fn port(&self) -> Option<u16> {
        match self {
            SockAddr::Inet(a) => Some(a.port()),
            SockAddr::Inet6(a) => Some(a.port()),
            _ => None,
        }
    }

    /// Checks a port given as a wider integer, as Python does for the tuple's second item.
    ///
    /// # Errors
    ///
    /// `InvalidInput` ("port must be 0-65535.", Python's `OverflowError` text) when out of range.
    pub fn check_port(port: i64) -> Result<u16> {
        u16::try_from(port).map_err(|_| Error::invalid_input("port must be 0-65535."))
    }
}

impl fmt::Display for SockAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SockAddr::Inet(a) => write!(f, "{a}"),
            SockAddr::Inet6(a) => write!(f, "{a}"),
            SockAddr::Unix(a) => write!(f, "{a}"),
            SockAddr::Netlink(a) => write!(f, "{a}"),
            SockAddr::Packet(a) => write!(f, "{a}"),
            SockAddr::Vsock(a) => write!(f, "{a}"),
            SockAddr::Can(a) => write!(f, "{a}"),
            SockAddr::Tipc(a) => write!(f, "{a}"),
            SockAddr::Other(a) => write!(f, "{a}"),
        }
    }
}

impl fmt::Debug for SockAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SockAddr({}: {self})", self.family())
    }
}

impl From<SocketAddr> for SockAddr {
    fn from(addr: SocketAddr) -> Self {
        match addr {
            SocketAddr::V4(a) => SockAddr::Inet(a),
            SocketAddr::V6(a) => SockAddr::Inet6(a),
        }
    }
}

impl From<&SockAddr> for SockAddr {
    /// A clone, so that functions taking `impl Into<SockAddr>` accept a borrowed address.
    fn from(addr: &SockAddr) -> Self {
        addr.clone()
    }
}

impl From<(IpAddr, u16)> for SockAddr {
    /// `(ip, port)`, as `std::net::SocketAddr` builds it (IPv6 with flowinfo and scope 0).
    fn from((ip, port): (IpAddr, u16)) -> Self {
        SockAddr::from(SocketAddr::new(ip, port))
    }
}

impl From<(Ipv4Addr, u16)> for SockAddr {
    fn from((ip, port): (Ipv4Addr, u16)) -> Self {
        SockAddr::Inet(SocketAddrV4::new(ip, port))
    }
}

impl From<(Ipv6Addr, u16)> for SockAddr {
    /// An IPv6 address with flowinfo and scope id 0.
    fn from((ip, port): (Ipv6Addr, u16)) -> Self {
        SockAddr::Inet6(SocketAddrV6::new(ip, port, 0, 0))
    }
}

impl From<SocketAddrV4> for SockAddr {
    fn from(addr: SocketAddrV4) -> Self {
        SockAddr::Inet(addr)
    }
}

impl From<SocketAddrV6> for SockAddr {
    fn from(addr: SocketAddrV6) -> Self {
        SockAddr::Inet6(addr)
    }
}

impl From<UnixAddr> for SockAddr {
    fn from(addr: UnixAddr) -> Self {
        SockAddr::Unix(addr)
    }
}

impl From<&std::os::unix::net::SocketAddr> for SockAddr {
    /// The address of a std `UnixListener`/`UnixStream`/`UnixDatagram`: a path, an abstract
    /// name or unnamed.
    fn from(addr: &std::os::unix::net::SocketAddr) -> Self {
        SockAddr::Unix(UnixAddr::from(addr))
    }
}

impl From<std::os::unix::net::SocketAddr> for SockAddr {
    fn from(addr: std::os::unix::net::SocketAddr) -> Self {
        SockAddr::from(&addr)
    }
}

impl TryFrom<SockAddr> for SocketAddr {
    type Error = Error;

    fn try_from(addr: SockAddr) -> Result<Self> {
        addr.as_socket().ok_or_else(|| {
            Error::invalid_input(format!("{} address is not an IP address", addr.family()))
        })
    }
}

impl From<&socket2::SockAddr> for SockAddr {
    /// Decodes as [`SockAddr::from_raw`] does. What it refuses (a malformed address, or an
    /// `AF_UNIX` path of 108 bytes the kernel reported) becomes [`SockAddr::Other`] with the
    /// bytes as they were, rather than a panic or a loss.
    fn from(addr: &socket2::SockAddr) -> Self {
        let raw = RawSockAddr::from_socket2(addr);
        SockAddr::from_raw(&raw).unwrap_or_else(|_| SockAddr::Other(OtherAddr::from_raw(&raw)))
    }
}

impl From<socket2::SockAddr> for SockAddr {
    fn from(addr: socket2::SockAddr) -> Self {
        SockAddr::from(&addr)
    }
}

impl TryFrom<&SockAddr> for socket2::SockAddr {
    type Error = Error;

    fn try_from(addr: &SockAddr) -> Result<Self> {
        addr.to_raw()?.to_socket2()
    }
}

impl TryFrom<SockAddr> for socket2::SockAddr {
    type Error = Error;

    fn try_from(addr: SockAddr) -> Result<Self> {
        socket2::SockAddr::try_from(&addr)
    }
}
