//! Options at levels `IPPROTO_IP` (ip(7)) and `IPPROTO_IPV6` (ipv6(7)).

use std::net::{Ipv4Addr, Ipv6Addr};

use libc::c_int;

use super::SocketOptions;
use super::{c_int_of, unsigned};
use crate::sys;
use crate::Result;

// ===== IPPROTO_IP =====

/// Options at level `IPPROTO_IP` (ip(7)), for `AF_INET` sockets. On another family they fail
/// with the kernel's errno (`ENOPROTOOPT` or `EOPNOTSUPP`).
impl SocketOptions<'_> {
    /// `IP_TTL`: the time-to-live of outgoing unicast packets.
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("127.0.0.1:0")?);
    /// sock.options().set_ttl(42)?;
    /// assert_eq!(sock.options().ttl()?, 42);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn ttl(&self) -> Result<u32> {
        self.get_int(libc::IPPROTO_IP, libc::IP_TTL).map(unsigned)
    }

    /// Sets `IP_TTL` (1 to 255). See [`ttl`](Self::ttl).
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("127.0.0.1:0")?);
    /// assert!(sock.options().set_ttl(256).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EINVAL` out of range; `EBADF` when closed.
    pub fn set_ttl(&self, ttl: u32) -> Result<()> {
        self.set_int(libc::IPPROTO_IP, libc::IP_TTL, c_int_of(ttl)?)
    }

    /// `IP_TOS`: the type-of-service byte (DSCP and ECN) of outgoing packets.
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("127.0.0.1:0")?);
    /// sock.options().set_tos(0x10)?;
    /// assert_eq!(sock.options().tos()?, 0x10);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn tos(&self) -> Result<u32> {
        self.get_int(libc::IPPROTO_IP, libc::IP_TOS).map(unsigned)
    }

    /// Sets `IP_TOS`. See [`tos`](Self::tos).
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("127.0.0.1:0")?);
    /// sock.options().set_tos(0)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn set_tos(&self, tos: u32) -> Result<()> {
        self.set_int(libc::IPPROTO_IP, libc::IP_TOS, c_int_of(tos)?)
    }

    /// `IP_MULTICAST_TTL`: the time-to-live of outgoing multicast packets (default 1).
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("127.0.0.1:0")?);
    /// assert_eq!(sock.options().multicast_ttl_v4()?, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn multicast_ttl_v4(&self) -> Result<u32> {
        self.get_int(libc::IPPROTO_IP, libc::IP_MULTICAST_TTL).map(unsigned)
    }

    /// Sets `IP_MULTICAST_TTL`. See [`multicast_ttl_v4`](Self::multicast_ttl_v4).
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("127.0.0.1:0")?);
    /// sock.options().set_multicast_ttl_v4(8)?;
    /// assert_eq!(sock.options().multicast_ttl_v4()?, 8);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn set_multicast_ttl_v4(&self, ttl: u32) -> Result<()> {
        self.set_int(libc::IPPROTO_IP, libc::IP_MULTICAST_TTL, c_int_of(ttl)?)
    }

    /// `IP_MULTICAST_LOOP`: whether this host's own multicast packets loop back to it.
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("127.0.0.1:0")?);
    /// assert!(sock.options().multicast_loop_v4()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn multicast_loop_v4(&self) -> Result<bool> {
        self.get_bool(libc::IPPROTO_IP, libc::IP_MULTICAST_LOOP)
    }

    /// Sets `IP_MULTICAST_LOOP`. See [`multicast_loop_v4`](Self::multicast_loop_v4).
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("127.0.0.1:0")?);
    /// sock.options().set_multicast_loop_v4(false)?;
    /// assert!(!sock.options().multicast_loop_v4()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn set_multicast_loop_v4(&self, on: bool) -> Result<()> {
        self.set_bool(libc::IPPROTO_IP, libc::IP_MULTICAST_LOOP, on)
    }

    /// Joins the multicast group `group` on the interface with address `interface`
    /// (`UNSPECIFIED` lets the kernel choose): `IP_ADD_MEMBERSHIP` with a `struct ip_mreq`.
    ///
    /// ```
    /// use std::net::Ipv4Addr;
    ///
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("0.0.0.0:0")?);
    /// let group = Ipv4Addr::new(239, 255, 0, 1);
    /// sock.options().join_multicast_v4(&group, &Ipv4Addr::LOCALHOST)?;
    /// sock.options().leave_multicast_v4(&group, &Ipv4Addr::LOCALHOST)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EINVAL` for an address that is not multicast, `ENODEV` for no such interface,
    /// `EADDRINUSE` when already a member, `EBADF` when closed.
    pub fn join_multicast_v4(&self, group: &Ipv4Addr, interface: &Ipv4Addr) -> Result<()> {
        self.set_mreq_v4(libc::IP_ADD_MEMBERSHIP, group, interface)
    }

    /// Leaves a group joined with [`join_multicast_v4`](Self::join_multicast_v4)
    /// (`IP_DROP_MEMBERSHIP`).
    ///
    /// ```
    /// use std::net::Ipv4Addr;
    ///
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("0.0.0.0:0")?);
    /// let err = sock.options().leave_multicast_v4(&Ipv4Addr::new(239, 1, 2, 3), &Ipv4Addr::LOCALHOST);
    /// assert_eq!(err.unwrap_err().raw_os_error(), Some(libc::EADDRNOTAVAIL)); // never joined
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EADDRNOTAVAIL` when not a member, `EBADF` when closed.
    pub fn leave_multicast_v4(&self, group: &Ipv4Addr, interface: &Ipv4Addr) -> Result<()> {
        self.set_mreq_v4(libc::IP_DROP_MEMBERSHIP, group, interface)
    }

    fn set_mreq_v4(&self, name: c_int, group: &Ipv4Addr, interface: &Ipv4Addr) -> Result<()> {
        // struct ip_mreq { struct in_addr imr_multiaddr, imr_interface; }: network order.
        let mut mreq = [0u8; 8];
        mreq[..4].copy_from_slice(&group.octets());
        mreq[4..].copy_from_slice(&interface.octets());
        sys::options::set_option_bytes(self.fd()?, libc::IPPROTO_IP, name, &mreq)
    }
}

// ===== IPPROTO_IPV6 =====

/// Options at level `IPPROTO_IPV6` (ipv6(7)), for `AF_INET6` sockets.
impl SocketOptions<'_> {
    /// `IPV6_V6ONLY`: whether an `AF_INET6` socket refuses IPv4-mapped traffic.
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("[::1]:0")?);
    /// sock.options().only_v6()?; // the system default (net.ipv6.bindv6only)
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed; `ENOPROTOOPT` on a non-IPv6 socket.
    pub fn only_v6(&self) -> Result<bool> {
        self.get_bool(libc::IPPROTO_IPV6, libc::IPV6_V6ONLY)
    }

    /// Sets `IPV6_V6ONLY` (before `bind`). See [`only_v6`](Self::only_v6).
    ///
    /// ```
    /// use asock::blocking::Socket;
    /// use asock::{AddressFamily, Protocol, SocketKind};
    ///
    /// let sock = Socket::new(AddressFamily::AF_INET6, SocketKind::SOCK_STREAM, Protocol::from(0))?;
    /// sock.options().set_only_v6(true)?;
    /// assert!(sock.options().only_v6()?);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EINVAL` once bound; `EBADF` when closed.
    pub fn set_only_v6(&self, only_v6: bool) -> Result<()> {
        self.set_bool(libc::IPPROTO_IPV6, libc::IPV6_V6ONLY, only_v6)
    }

    /// `IPV6_UNICAST_HOPS`: the hop limit of outgoing unicast packets.
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("[::1]:0")?);
    /// sock.options().set_unicast_hops_v6(12)?;
    /// assert_eq!(sock.options().unicast_hops_v6()?, 12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn unicast_hops_v6(&self) -> Result<u32> {
        self.get_int(libc::IPPROTO_IPV6, libc::IPV6_UNICAST_HOPS).map(unsigned)
    }

    /// Sets `IPV6_UNICAST_HOPS`. See [`unicast_hops_v6`](Self::unicast_hops_v6).
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("[::1]:0")?);
    /// sock.options().set_unicast_hops_v6(64)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EINVAL` over 255; `EBADF` when closed.
    pub fn set_unicast_hops_v6(&self, hops: u32) -> Result<()> {
        self.set_int(libc::IPPROTO_IPV6, libc::IPV6_UNICAST_HOPS, c_int_of(hops)?)
    }

    /// `IPV6_MULTICAST_HOPS`: the hop limit of outgoing multicast packets (default 1).
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("[::1]:0")?);
    /// assert_eq!(sock.options().multicast_hops_v6()?, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn multicast_hops_v6(&self) -> Result<u32> {
        self.get_int(libc::IPPROTO_IPV6, libc::IPV6_MULTICAST_HOPS).map(unsigned)
    }

    /// Sets `IPV6_MULTICAST_HOPS`. See [`multicast_hops_v6`](Self::multicast_hops_v6).
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("[::1]:0")?);
    /// sock.options().set_multicast_hops_v6(5)?;
    /// assert_eq!(sock.options().multicast_hops_v6()?, 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn set_multicast_hops_v6(&self, hops: u32) -> Result<()> {
        self.set_int(libc::IPPROTO_IPV6, libc::IPV6_MULTICAST_HOPS, c_int_of(hops)?)
    }

    /// `IPV6_MULTICAST_LOOP`: whether this host's own multicast packets loop back to it.
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("[::1]:0")?);
    /// assert!(sock.options().multicast_loop_v6()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn multicast_loop_v6(&self) -> Result<bool> {
        self.get_bool(libc::IPPROTO_IPV6, libc::IPV6_MULTICAST_LOOP)
    }

    /// Sets `IPV6_MULTICAST_LOOP`. See [`multicast_loop_v6`](Self::multicast_loop_v6).
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("[::1]:0")?);
    /// sock.options().set_multicast_loop_v6(false)?;
    /// assert!(!sock.options().multicast_loop_v6()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn set_multicast_loop_v6(&self, on: bool) -> Result<()> {
        self.set_bool(libc::IPPROTO_IPV6, libc::IPV6_MULTICAST_LOOP, on)
    }

    /// Joins the multicast group `group` on the interface with index `interface` (0 lets the
    /// kernel choose): `IPV6_ADD_MEMBERSHIP` with a `struct ipv6_mreq`.
    ///
    /// ```
    /// use std::net::Ipv6Addr;
    ///
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("[::]:0")?);
    /// let group: Ipv6Addr = "ff02::1:3".parse()?;
    /// let lo = 1; // the loopback interface's index
    /// sock.options().join_multicast_v6(&group, lo)?;
    /// sock.options().leave_multicast_v6(&group, lo)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EINVAL` for an address that is not multicast, `ENODEV` for no such interface,
    /// `EADDRINUSE` when already a member, `EBADF` when closed.
    pub fn join_multicast_v6(&self, group: &Ipv6Addr, interface: u32) -> Result<()> {
        self.set_mreq_v6(libc::IPV6_ADD_MEMBERSHIP, group, interface)
    }

    /// Leaves a group joined with [`join_multicast_v6`](Self::join_multicast_v6)
    /// (`IPV6_DROP_MEMBERSHIP`).
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("[::]:0")?);
    /// assert!(sock.options().leave_multicast_v6(&"ff02::1:4".parse()?, 1).is_err()); // never joined
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EADDRNOTAVAIL` when not a member, `EBADF` when closed.
    pub fn leave_multicast_v6(&self, group: &Ipv6Addr, interface: u32) -> Result<()> {
        self.set_mreq_v6(libc::IPV6_DROP_MEMBERSHIP, group, interface)
    }

    fn set_mreq_v6(&self, name: c_int, group: &Ipv6Addr, interface: u32) -> Result<()> {
        // struct ipv6_mreq { struct in6_addr ipv6mr_multiaddr; int ipv6mr_interface; }
        let mut mreq = [0u8; 20];
        mreq[..16].copy_from_slice(&group.octets());
        mreq[16..].copy_from_slice(&interface.to_ne_bytes());
        sys::options::set_option_bytes(self.fd()?, libc::IPPROTO_IPV6, name, &mreq)
    }
}
