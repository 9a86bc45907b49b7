//! Options at levels `IPPROTO_IP` (ip(7)) and `IPPROTO_IPV6` (ipv6(7)).

use std::net::{Ipv4Addr, Ipv6Addr};

use super::{fits_c_int, SocketOptions};
use asock_core::Result;

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
        self.socket2(|s| s.ttl_v4())
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
    /// `EINVAL` over 255, `InvalidInput` over `i32::MAX` (refused before the kernel sees it);
    /// `EBADF` when closed.
    pub fn set_ttl(&self, ttl: u32) -> Result<()> {
        let ttl = fits_c_int(ttl)?;
        self.socket2(|s| s.set_ttl_v4(ttl))
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
        self.socket2(|s| s.tos_v4())
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
    /// `InvalidInput` over `i32::MAX`; `EBADF` when closed.
    pub fn set_tos(&self, tos: u32) -> Result<()> {
        let tos = fits_c_int(tos)?;
        self.socket2(|s| s.set_tos_v4(tos))
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
        self.socket2(|s| s.multicast_ttl_v4())
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
    /// `EINVAL` over 255, `InvalidInput` over `i32::MAX`; `EBADF` when closed.
    pub fn set_multicast_ttl_v4(&self, ttl: u32) -> Result<()> {
        let ttl = fits_c_int(ttl)?;
        self.socket2(|s| s.set_multicast_ttl_v4(ttl))
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
        self.socket2(|s| s.multicast_loop_v4())
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
        self.socket2(|s| s.set_multicast_loop_v4(on))
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
        self.socket2(|s| s.join_multicast_v4(group, interface))
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
        self.socket2(|s| s.leave_multicast_v4(group, interface))
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
        self.socket2(|s| s.only_v6())
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
        self.socket2(|s| s.set_only_v6(only_v6))
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
        self.socket2(|s| s.unicast_hops_v6())
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
    /// `EINVAL` over 255, `InvalidInput` over `i32::MAX`; `EBADF` when closed.
    pub fn set_unicast_hops_v6(&self, hops: u32) -> Result<()> {
        let hops = fits_c_int(hops)?;
        self.socket2(|s| s.set_unicast_hops_v6(hops))
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
        self.socket2(|s| s.multicast_hops_v6())
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
    /// `EINVAL` over 255, `InvalidInput` over `i32::MAX`; `EBADF` when closed.
    pub fn set_multicast_hops_v6(&self, hops: u32) -> Result<()> {
        let hops = fits_c_int(hops)?;
        self.socket2(|s| s.set_multicast_hops_v6(hops))
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
        self.socket2(|s| s.multicast_loop_v6())
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
        self.socket2(|s| s.set_multicast_loop_v6(on))
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
        self.socket2(|s| s.join_multicast_v6(group, interface))
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
        self.socket2(|s| s.leave_multicast_v6(group, interface))
    }
}
