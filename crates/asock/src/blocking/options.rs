//! Socket options: Python's raw `getsockopt` / `setsockopt`, and typed getters and setters
//! (socket2's naming: the getter is the option's name, the setter has `set_`), one `impl`
//! block per option level.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use libc::c_int;

use super::{Socket, TcpInfo};
use crate::sys;
use crate::{Error, Result};

/// An option value as Python's `getsockopt` returns it and `setsockopt` takes it: an `int`
/// or a buffer of bytes (a C struct, a string).
///
/// ```
/// use asock::blocking::OptionValue;
///
/// assert_eq!(OptionValue::from(true), OptionValue::Int(1));
/// assert_eq!(OptionValue::from(&b"lo"[..]).as_bytes(), Some(&b"lo"[..]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OptionValue {
    /// An `int` option.
    Int(i32),
    /// A buffer option.
    Bytes(Vec<u8>),
}

impl OptionValue {
    /// The integer, for [`OptionValue::Int`].
    ///
    /// ```
    /// assert_eq!(asock::blocking::OptionValue::Int(7).as_int(), Some(7));
    /// ```
    #[must_use]
    pub fn as_int(&self) -> Option<i32> {
        match self {
            OptionValue::Int(v) => Some(*v),
            OptionValue::Bytes(_) => None,
        }
    }

    /// The bytes, for [`OptionValue::Bytes`].
    ///
    /// ```
    /// assert_eq!(asock::blocking::OptionValue::Int(7).as_bytes(), None);
    /// ```
    #[must_use]
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            OptionValue::Bytes(b) => Some(b),
            OptionValue::Int(_) => None,
        }
    }
}

impl From<i32> for OptionValue {
    fn from(value: i32) -> Self {
        OptionValue::Int(value)
    }
}

impl From<bool> for OptionValue {
    fn from(value: bool) -> Self {
        OptionValue::Int(i32::from(value))
    }
}

impl From<&[u8]> for OptionValue {
    fn from(value: &[u8]) -> Self {
        OptionValue::Bytes(value.to_vec())
    }
}

impl<const N: usize> From<&[u8; N]> for OptionValue {
    fn from(value: &[u8; N]) -> Self {
        OptionValue::Bytes(value.to_vec())
    }
}

impl From<Vec<u8>> for OptionValue {
    fn from(value: Vec<u8>) -> Self {
        OptionValue::Bytes(value)
    }
}

/// A non-negative value as the `int` the kernel takes, or Python's `OverflowError` text.
fn c_int_of(value: impl TryInto<c_int>) -> Result<c_int> {
    value.try_into().map_err(|_| Error::invalid_input("Python int too large to convert to C int"))
}

/// An option the kernel reports as a non-negative `int`, as an unsigned value.
fn unsigned(value: c_int) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

/// Whole seconds of `d` as an `int` (the unit of `SO_LINGER` and the TCP keepalive options).
fn secs_of(d: Duration) -> Result<c_int> {
    c_int_of(d.as_secs())
}

// ===== raw: Python's getsockopt / setsockopt =====

impl Socket {
    /// Reads an option: Python's `getsockopt(level, optname[, buflen])`. `buflen == 0` reads
    /// an `int` ([`OptionValue::Int`]); otherwise up to `buflen` bytes ([`OptionValue::Bytes`],
    /// as many as the kernel wrote).
    ///
    /// ```
    /// use asock::blocking::OptionValue;
    ///
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// let kind = a.get_option(libc::SOL_SOCKET, libc::SO_TYPE, 0)?;
    /// assert_eq!(kind, OptionValue::Int(libc::SOCK_STREAM));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` ("getsockopt buflen out of range", as Python) for `buflen > 1024`;
    /// `ENOPROTOOPT` for an unknown option; `EBADF` when closed.
    pub fn get_option(&self, level: i32, name: i32, buflen: usize) -> Result<OptionValue> {
        let fd = self.fd()?;
        if buflen == 0 {
            return sys::socket::get_option_int(fd, level, name).map(OptionValue::Int);
        }
        sys::socket::get_option_bytes(fd, level, name, buflen).map(OptionValue::Bytes)
    }

    /// Sets an option: Python's `setsockopt(level, optname, value)` with an `int` (or `bool`)
    /// or a byte buffer.
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.set_option(libc::SOL_SOCKET, libc::SO_SNDBUF, 65536)?;
    /// assert!(a.send_buffer_size()? >= 65536);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ENOPROTOOPT` for an unknown option, `EINVAL` for a bad value, `EBADF` when closed.
    pub fn set_option(&self, level: i32, name: i32, value: impl Into<OptionValue>) -> Result<()> {
        let fd = self.fd()?;
        match value.into() {
            OptionValue::Int(v) => sys::socket::set_option_int(fd, level, name, v),
            OptionValue::Bytes(b) => sys::socket::set_option_bytes(fd, level, name, &b),
        }
    }

    fn get_int(&self, level: c_int, name: c_int) -> Result<c_int> {
        sys::socket::get_option_int(self.fd()?, level, name)
    }

    fn set_int(&self, level: c_int, name: c_int, value: c_int) -> Result<()> {
        sys::socket::set_option_int(self.fd()?, level, name, value)
    }

    fn get_bool(&self, level: c_int, name: c_int) -> Result<bool> {
        self.get_int(level, name).map(|v| v != 0)
    }

    fn set_bool(&self, level: c_int, name: c_int, value: bool) -> Result<()> {
        self.set_int(level, name, c_int::from(value))
    }
}

// ===== SOL_SOCKET =====

/// Options at level `SOL_SOCKET` (socket(7)). Every getter and setter fails with `EBADF` once
/// the socket is closed.
impl Socket {
    /// `SO_REUSEADDR`: whether `bind` may reuse a local address still in `TIME_WAIT`.
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.set_reuse_address(true)?;
    /// assert!(a.reuse_address()?);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn reuse_address(&self) -> Result<bool> {
        self.get_bool(libc::SOL_SOCKET, libc::SO_REUSEADDR)
    }

    /// Sets `SO_REUSEADDR` (before `bind`). See [`reuse_address`](Self::reuse_address).
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.set_reuse_address(false)?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn set_reuse_address(&self, reuse: bool) -> Result<()> {
        self.set_bool(libc::SOL_SOCKET, libc::SO_REUSEADDR, reuse)
    }

    /// `SO_REUSEPORT`: whether several sockets may bind the same address and port, the
    /// kernel spreading connections or datagrams among them.
    ///
    /// ```
    /// let a = asock::blocking::Socket::from(std::net::UdpSocket::bind("127.0.0.1:0")?);
    /// a.set_reuse_port(true)?;
    /// assert!(a.reuse_port()?);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn reuse_port(&self) -> Result<bool> {
        self.get_bool(libc::SOL_SOCKET, libc::SO_REUSEPORT)
    }

    /// Sets `SO_REUSEPORT` (before `bind`). See [`reuse_port`](Self::reuse_port).
    ///
    /// ```
    /// let a = asock::blocking::Socket::from(std::net::UdpSocket::bind("127.0.0.1:0")?);
    /// a.set_reuse_port(false)?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn set_reuse_port(&self, reuse: bool) -> Result<()> {
        self.set_bool(libc::SOL_SOCKET, libc::SO_REUSEPORT, reuse)
    }

    /// `SO_KEEPALIVE`: whether TCP sends keepalive probes on an idle connection.
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// assert!(!a.keepalive()?);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn keepalive(&self) -> Result<bool> {
        self.get_bool(libc::SOL_SOCKET, libc::SO_KEEPALIVE)
    }

    /// Sets `SO_KEEPALIVE`. See [`keepalive`](Self::keepalive).
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.set_keepalive(true)?;
    /// assert!(a.keepalive()?);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn set_keepalive(&self, keepalive: bool) -> Result<()> {
        self.set_bool(libc::SOL_SOCKET, libc::SO_KEEPALIVE, keepalive)
    }

    /// `SO_BROADCAST`: whether a datagram socket may send to a broadcast address.
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.set_broadcast(true)?;
    /// assert!(a.broadcast()?);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn broadcast(&self) -> Result<bool> {
        self.get_bool(libc::SOL_SOCKET, libc::SO_BROADCAST)
    }

    /// Sets `SO_BROADCAST`. See [`broadcast`](Self::broadcast).
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.set_broadcast(false)?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn set_broadcast(&self, broadcast: bool) -> Result<()> {
        self.set_bool(libc::SOL_SOCKET, libc::SO_BROADCAST, broadcast)
    }

    /// `SO_SNDBUF`: the send buffer size in bytes. Linux reports double what was set (its
    /// bookkeeping overhead, socket(7)).
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// assert!(a.send_buffer_size()? > 0);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn send_buffer_size(&self) -> Result<usize> {
        self.get_int(libc::SOL_SOCKET, libc::SO_SNDBUF).map(|v| unsigned(v) as usize)
    }

    /// Sets `SO_SNDBUF`. See [`send_buffer_size`](Self::send_buffer_size).
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.set_send_buffer_size(32 * 1024)?;
    /// assert_eq!(a.send_buffer_size()?, 64 * 1024);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` over `i32::MAX`; `EBADF` when closed.
    pub fn set_send_buffer_size(&self, size: usize) -> Result<()> {
        self.set_int(libc::SOL_SOCKET, libc::SO_SNDBUF, c_int_of(size)?)
    }

    /// `SO_RCVBUF`: the receive buffer size in bytes (doubled by Linux, as `SO_SNDBUF`).
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// assert!(a.recv_buffer_size()? > 0);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn recv_buffer_size(&self) -> Result<usize> {
        self.get_int(libc::SOL_SOCKET, libc::SO_RCVBUF).map(|v| unsigned(v) as usize)
    }

    /// Sets `SO_RCVBUF`. See [`recv_buffer_size`](Self::recv_buffer_size).
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.set_recv_buffer_size(32 * 1024)?;
    /// assert_eq!(a.recv_buffer_size()?, 64 * 1024);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` over `i32::MAX`; `EBADF` when closed.
    pub fn set_recv_buffer_size(&self, size: usize) -> Result<()> {
        self.set_int(libc::SOL_SOCKET, libc::SO_RCVBUF, c_int_of(size)?)
    }

    /// `SO_LINGER`: `Some(t)` makes `close` wait up to `t` (whole seconds) for unsent data,
    /// `Some(ZERO)` makes it reset the connection; `None` (the default) closes in the
    /// background.
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// assert_eq!(a.linger()?, None);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn linger(&self) -> Result<Option<Duration>> {
        let bytes =
            sys::socket::get_option_bytes(self.fd()?, libc::SOL_SOCKET, libc::SO_LINGER, 8)?;
        let field = |at: usize| {
            bytes.get(at..at + 4).and_then(|b| b.try_into().ok()).map_or(0, i32::from_ne_bytes)
        };
        let (onoff, secs) = (field(0), field(4));
        Ok((onoff != 0).then(|| Duration::from_secs(u64::try_from(secs).unwrap_or(0))))
    }

    /// Sets `SO_LINGER` (`struct linger`). See [`linger`](Self::linger).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.set_linger(Some(Duration::from_secs(3)))?;
    /// assert_eq!(a.linger()?, Some(Duration::from_secs(3)));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` for more than `i32::MAX` seconds; `EBADF` when closed.
    pub fn set_linger(&self, linger: Option<Duration>) -> Result<()> {
        let (onoff, secs) = match linger {
            Some(t) => (1, secs_of(t)?),
            None => (0, 0),
        };
        let mut value = [0u8; 8];
        value[..4].copy_from_slice(&c_int::to_ne_bytes(onoff));
        value[4..].copy_from_slice(&secs.to_ne_bytes());
        sys::socket::set_option_bytes(self.fd()?, libc::SOL_SOCKET, libc::SO_LINGER, &value)
    }

    /// `SO_BINDTODEVICE`: the interface the socket is bound to, `None` for any.
    ///
    /// ```
    /// let udp = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// let sock = asock::blocking::Socket::from(udp);
    /// assert_eq!(sock.bind_device()?, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn bind_device(&self) -> Result<Option<Vec<u8>>> {
        let fd = self.fd()?;
        let mut name = sys::socket::get_option_bytes(
            fd,
            libc::SOL_SOCKET,
            libc::SO_BINDTODEVICE,
            libc::IFNAMSIZ,
        )?;
        if let Some(nul) = name.iter().position(|&b| b == 0) {
            name.truncate(nul);
        }
        Ok((!name.is_empty()).then_some(name))
    }

    /// Sets `SO_BINDTODEVICE` to an interface name (`b"lo"`), or clears it with `None`.
    /// Needs `CAP_NET_RAW` to change an existing binding. See
    /// [`bind_device`](Self::bind_device).
    ///
    /// ```
    /// let udp = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// let sock = asock::blocking::Socket::from(udp);
    /// match sock.set_bind_device(Some(b"lo")) {
    ///     Ok(()) => assert_eq!(sock.bind_device()?.as_deref(), Some(&b"lo"[..])),
    ///     Err(e) => assert_eq!(e.raw_os_error(), Some(libc::EPERM)), // unprivileged
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ENODEV` for an unknown interface, `EPERM` without privilege, `InvalidInput` for a
    /// name of `IFNAMSIZ` bytes or more, `EBADF` when closed.
    pub fn set_bind_device(&self, interface: Option<&[u8]>) -> Result<()> {
        let name = interface.unwrap_or_default();
        if name.len() >= libc::IFNAMSIZ {
            return Err(Error::invalid_input("interface name too long"));
        }
        sys::socket::set_option_bytes(self.fd()?, libc::SOL_SOCKET, libc::SO_BINDTODEVICE, name)
    }

    /// `SO_ACCEPTCONN`: whether the socket is listening.
    ///
    /// ```
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// assert!(asock::blocking::Socket::from(listener).is_listener()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn is_listener(&self) -> Result<bool> {
        self.get_bool(libc::SOL_SOCKET, libc::SO_ACCEPTCONN)
    }

    /// `SO_ERROR`: the pending error, cleared by reading it (`None` if there is none).
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// assert!(a.take_error()?.is_none());
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn take_error(&self) -> Result<Option<Error>> {
        sys::socket::take_error(self.fd()?)
    }
}

// ===== IPPROTO_IP =====

/// Options at level `IPPROTO_IP` (ip(7)), for `AF_INET` sockets. On another family they fail
/// with the kernel's errno (`ENOPROTOOPT` or `EOPNOTSUPP`).
impl Socket {
    /// `IP_TTL`: the time-to-live of outgoing unicast packets.
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("127.0.0.1:0")?);
    /// sock.set_ttl(42)?;
    /// assert_eq!(sock.ttl()?, 42);
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
    /// assert!(sock.set_ttl(256).is_err());
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
    /// sock.set_tos(0x10)?;
    /// assert_eq!(sock.tos()?, 0x10);
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
    /// sock.set_tos(0)?;
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
    /// assert_eq!(sock.multicast_ttl_v4()?, 1);
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
    /// sock.set_multicast_ttl_v4(8)?;
    /// assert_eq!(sock.multicast_ttl_v4()?, 8);
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
    /// assert!(sock.multicast_loop_v4()?);
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
    /// sock.set_multicast_loop_v4(false)?;
    /// assert!(!sock.multicast_loop_v4()?);
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
    /// sock.join_multicast_v4(&group, &Ipv4Addr::LOCALHOST)?;
    /// sock.leave_multicast_v4(&group, &Ipv4Addr::LOCALHOST)?;
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
    /// let err = sock.leave_multicast_v4(&Ipv4Addr::new(239, 1, 2, 3), &Ipv4Addr::LOCALHOST);
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
        sys::socket::set_option_bytes(self.fd()?, libc::IPPROTO_IP, name, &mreq)
    }
}

// ===== IPPROTO_IPV6 =====

/// Options at level `IPPROTO_IPV6` (ipv6(7)), for `AF_INET6` sockets.
impl Socket {
    /// `IPV6_V6ONLY`: whether an `AF_INET6` socket refuses IPv4-mapped traffic.
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::UdpSocket::bind("[::1]:0")?);
    /// sock.only_v6()?; // the system default (net.ipv6.bindv6only)
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
    /// sock.set_only_v6(true)?;
    /// assert!(sock.only_v6()?);
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
    /// sock.set_unicast_hops_v6(12)?;
    /// assert_eq!(sock.unicast_hops_v6()?, 12);
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
    /// sock.set_unicast_hops_v6(64)?;
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
    /// assert_eq!(sock.multicast_hops_v6()?, 1);
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
    /// sock.set_multicast_hops_v6(5)?;
    /// assert_eq!(sock.multicast_hops_v6()?, 5);
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
    /// assert!(sock.multicast_loop_v6()?);
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
    /// sock.set_multicast_loop_v6(false)?;
    /// assert!(!sock.multicast_loop_v6()?);
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
    /// sock.join_multicast_v6(&group, lo)?;
    /// sock.leave_multicast_v6(&group, lo)?;
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
    /// assert!(sock.leave_multicast_v6(&"ff02::1:4".parse()?, 1).is_err()); // never joined
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
        sys::socket::set_option_bytes(self.fd()?, libc::IPPROTO_IPV6, name, &mreq)
    }
}

// ===== IPPROTO_TCP =====

/// Options at level `IPPROTO_TCP` (tcp(7)), for TCP sockets.
impl Socket {
    /// `TCP_NODELAY`: whether Nagle's algorithm is off (small writes go out at once).
    ///
    /// ```
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let sock = asock::blocking::Socket::from(std::net::TcpStream::connect(listener.local_addr()?)?);
    /// assert!(!sock.nodelay()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` on a non-TCP socket; `EBADF` when closed.
    pub fn nodelay(&self) -> Result<bool> {
        self.get_bool(libc::IPPROTO_TCP, libc::TCP_NODELAY)
    }

    /// Sets `TCP_NODELAY`. See [`nodelay`](Self::nodelay).
    ///
    /// ```
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let sock = asock::blocking::Socket::from(std::net::TcpStream::connect(listener.local_addr()?)?);
    /// sock.set_nodelay(true)?;
    /// assert!(sock.nodelay()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` on a non-TCP socket; `EBADF` when closed.
    pub fn set_nodelay(&self, nodelay: bool) -> Result<()> {
        self.set_bool(libc::IPPROTO_TCP, libc::TCP_NODELAY, nodelay)
    }

    /// `TCP_KEEPIDLE`: how long a connection stays idle before the first keepalive probe
    /// (whole seconds; default 7200 s).
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::TcpListener::bind("127.0.0.1:0")?);
    /// assert!(sock.keepalive_time()?.as_secs() > 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` on a non-TCP socket; `EBADF` when closed.
    pub fn keepalive_time(&self) -> Result<Duration> {
        self.get_int(libc::IPPROTO_TCP, libc::TCP_KEEPIDLE)
            .map(|s| Duration::from_secs(u64::from(unsigned(s))))
    }

    /// Sets `TCP_KEEPIDLE` (1 s to 32767 s). See [`keepalive_time`](Self::keepalive_time).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let sock = asock::blocking::Socket::from(std::net::TcpListener::bind("127.0.0.1:0")?);
    /// sock.set_keepalive_time(Duration::from_secs(60))?;
    /// assert_eq!(sock.keepalive_time()?, Duration::from_secs(60));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EINVAL` out of range (under a second included); `EBADF` when closed.
    pub fn set_keepalive_time(&self, idle: Duration) -> Result<()> {
        self.set_int(libc::IPPROTO_TCP, libc::TCP_KEEPIDLE, secs_of(idle)?)
    }

    /// `TCP_KEEPINTVL`: the time between keepalive probes (whole seconds; default 75 s).
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::TcpListener::bind("127.0.0.1:0")?);
    /// assert!(sock.keepalive_interval()?.as_secs() > 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` on a non-TCP socket; `EBADF` when closed.
    pub fn keepalive_interval(&self) -> Result<Duration> {
        self.get_int(libc::IPPROTO_TCP, libc::TCP_KEEPINTVL)
            .map(|s| Duration::from_secs(u64::from(unsigned(s))))
    }

    /// Sets `TCP_KEEPINTVL` (1 s to 32767 s). See
    /// [`keepalive_interval`](Self::keepalive_interval).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let sock = asock::blocking::Socket::from(std::net::TcpListener::bind("127.0.0.1:0")?);
    /// sock.set_keepalive_interval(Duration::from_secs(5))?;
    /// assert_eq!(sock.keepalive_interval()?, Duration::from_secs(5));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EINVAL` out of range; `EBADF` when closed.
    pub fn set_keepalive_interval(&self, interval: Duration) -> Result<()> {
        self.set_int(libc::IPPROTO_TCP, libc::TCP_KEEPINTVL, secs_of(interval)?)
    }

    /// `TCP_KEEPCNT`: how many unanswered probes end the connection (default 9).
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::TcpListener::bind("127.0.0.1:0")?);
    /// assert!(sock.keepalive_retries()? > 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` on a non-TCP socket; `EBADF` when closed.
    pub fn keepalive_retries(&self) -> Result<u32> {
        self.get_int(libc::IPPROTO_TCP, libc::TCP_KEEPCNT).map(unsigned)
    }

    /// Sets `TCP_KEEPCNT` (1 to 127). See [`keepalive_retries`](Self::keepalive_retries).
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::TcpListener::bind("127.0.0.1:0")?);
    /// sock.set_keepalive_retries(3)?;
    /// assert_eq!(sock.keepalive_retries()?, 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EINVAL` out of range; `EBADF` when closed.
    pub fn set_keepalive_retries(&self, count: u32) -> Result<()> {
        self.set_int(libc::IPPROTO_TCP, libc::TCP_KEEPCNT, c_int_of(count)?)
    }

    /// `TCP_INFO`: the kernel's view of the connection, decoded ([`TcpInfo`]).
    ///
    /// ```
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let sock = asock::blocking::Socket::from(std::net::TcpStream::connect(listener.local_addr()?)?);
    /// let info = sock.tcp_info()?;
    /// assert_eq!(info.state, 1); // TCP_ESTABLISHED
    /// assert!(info.snd_mss > 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` on a non-TCP socket; `EBADF` when closed.
    pub fn tcp_info(&self) -> Result<TcpInfo> {
        let fd = self.fd()?;
        let bytes =
            sys::socket::get_option_bytes(fd, libc::IPPROTO_TCP, libc::TCP_INFO, TcpInfo::SIZE)?;
        Ok(TcpInfo::from_bytes(&bytes))
    }
}
