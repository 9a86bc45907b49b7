//! Socket options: the blocking socket's, called as they are.
//!
//! Options never wait, so an `AsyncSocket` has nothing of its own to add: each method here is
//! one line calling the [`blocking::Socket`](crate::blocking::Socket) method of the same name
//! on the inner socket (same syscall, same checks, same errors). A macro stamps out those
//! lines, so the ~60 typed options exist once, in `blocking/options.rs`, and the two types
//! cannot drift apart (`tests/async_parity.rs` checks that every blocking method has its
//! async twin).

use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use super::AsyncSocket;
use crate::blocking::{OptionValue, TcpInfo};
use crate::{Error, Result};

/// `pub fn name(&self, args) -> Result<T> { self.inner()?.name(args) }`, documented with the
/// given lines plus a link to the blocking method and the `# Errors` section.
macro_rules! delegate {
    ($(
        $(#[$meta:meta])*
        fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty;
    )*) => {$(
        $(#[$meta])*
        ///
        #[doc = concat!(
            "The same call as [`blocking::Socket::", stringify!($name),
            "`](crate::blocking::Socket::", stringify!($name), "), which has the details."
        )]
        ///
        /// # Errors
        ///
        #[doc = concat!(
            "As [`blocking::Socket::", stringify!($name),
            "`](crate::blocking::Socket::", stringify!($name), "); `EBADF` when closed."
        )]
        pub fn $name(&self $(, $arg: $ty)*) -> $ret {
            self.inner()?.$name($($arg),*)
        }
    )*};
}

// ===== raw: Python's getsockopt / setsockopt =====

impl AsyncSocket {
    delegate! {
        /// Reads an option: Python's `getsockopt(level, optname[, buflen])`; `buflen == 0`
        /// reads an `int`.
        ///
        /// ```
        /// use asock::blocking::OptionValue;
        ///
        /// let (a, _b) = asock::async_socket::socketpair()?;
        /// let kind = a.get_option(libc::SOL_SOCKET, libc::SO_TYPE, 0)?;
        /// assert_eq!(kind, OptionValue::Int(libc::SOCK_STREAM));
        /// # Ok::<(), asock::Error>(())
        /// ```
        fn get_option(&self, level: i32, name: i32, buflen: usize) -> Result<OptionValue>;

        /// Sets an option: Python's `setsockopt(level, optname, value)`.
        ///
        /// ```
        /// let (a, _b) = asock::async_socket::socketpair()?;
        /// a.set_option(libc::SOL_SOCKET, libc::SO_SNDBUF, 65536)?;
        /// assert!(a.send_buffer_size()? >= 65536);
        /// # Ok::<(), asock::Error>(())
        /// ```
        fn set_option(&self, level: i32, name: i32, value: impl Into<OptionValue>) -> Result<()>;
    }
}

// ===== SOL_SOCKET =====

/// Options at level `SOL_SOCKET` (socket(7)).
impl AsyncSocket {
    delegate! {
        /// `SO_REUSEADDR`: whether `bind` may reuse a local address still in `TIME_WAIT`.
        ///
        /// ```
        /// let (a, _b) = asock::async_socket::socketpair()?;
        /// a.set_reuse_address(true)?;
        /// assert!(a.reuse_address()?);
        /// # Ok::<(), asock::Error>(())
        /// ```
        fn reuse_address(&self) -> Result<bool>;
        /// Sets `SO_REUSEADDR` (before `bind`).
        fn set_reuse_address(&self, reuse: bool) -> Result<()>;
        /// `SO_REUSEPORT`: whether several sockets may bind the same address.
        fn reuse_port(&self) -> Result<bool>;
        /// Sets `SO_REUSEPORT` (before `bind`).
        fn set_reuse_port(&self, reuse: bool) -> Result<()>;
        /// `SO_KEEPALIVE`: whether TCP keepalive probes are sent.
        fn keepalive(&self) -> Result<bool>;
        /// Sets `SO_KEEPALIVE`.
        fn set_keepalive(&self, keepalive: bool) -> Result<()>;
        /// `SO_BROADCAST`: whether datagrams may go to broadcast addresses.
        fn broadcast(&self) -> Result<bool>;
        /// Sets `SO_BROADCAST`.
        fn set_broadcast(&self, broadcast: bool) -> Result<()>;
        /// `SO_SNDBUF`: the send buffer size, as the kernel reports it (doubled).
        fn send_buffer_size(&self) -> Result<usize>;
        /// Sets `SO_SNDBUF`.
        fn set_send_buffer_size(&self, size: usize) -> Result<()>;
        /// `SO_RCVBUF`: the receive buffer size, as the kernel reports it (doubled).
        fn recv_buffer_size(&self) -> Result<usize>;
        /// Sets `SO_RCVBUF`.
        fn set_recv_buffer_size(&self, size: usize) -> Result<()>;
        /// `SO_LINGER`: how long `close` waits for unsent data (`None`: it does not).
        fn linger(&self) -> Result<Option<Duration>>;
        /// Sets `SO_LINGER` (whole seconds).
        fn set_linger(&self, linger: Option<Duration>) -> Result<()>;
        /// `SO_BINDTODEVICE`: the interface the socket is bound to, if any.
        fn bind_device(&self) -> Result<Option<Vec<u8>>>;
        /// Sets `SO_BINDTODEVICE` (`None` unbinds).
        fn set_bind_device(&self, interface: Option<&[u8]>) -> Result<()>;
        /// `SO_ACCEPTCONN`: whether the socket is listening.
        ///
        /// ```
        /// let (a, _b) = asock::async_socket::socketpair()?;
        /// assert!(!a.is_listener()?);
        /// # Ok::<(), asock::Error>(())
        /// ```
        fn is_listener(&self) -> Result<bool>;
        /// `SO_ERROR`: the pending error, cleared by reading it (the outcome of a non-blocking
        /// `connect`).
        ///
        /// ```
        /// let (a, _b) = asock::async_socket::socketpair()?;
        /// assert!(a.take_error()?.is_none());
        /// # Ok::<(), asock::Error>(())
        /// ```
        fn take_error(&self) -> Result<Option<Error>>;
    }
}

// ===== IPPROTO_IP =====

/// Options at level `IPPROTO_IP` (ip(7)), for `AF_INET` sockets.
impl AsyncSocket {
    delegate! {
        /// `IP_TTL`: the time-to-live of outgoing packets.
        ///
        /// ```
        /// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
        ///
        /// let s = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, Protocol::from(0))?;
        /// s.set_ttl(42)?;
        /// assert_eq!(s.ttl()?, 42);
        /// # Ok::<(), asock::Error>(())
        /// ```
        fn ttl(&self) -> Result<u32>;
        /// Sets `IP_TTL`.
        fn set_ttl(&self, ttl: u32) -> Result<()>;
        /// `IP_TOS`: the type-of-service byte of outgoing packets.
        fn tos(&self) -> Result<u32>;
        /// Sets `IP_TOS`.
        fn set_tos(&self, tos: u32) -> Result<()>;
        /// `IP_MULTICAST_TTL`: the time-to-live of outgoing multicast packets.
        fn multicast_ttl_v4(&self) -> Result<u32>;
        /// Sets `IP_MULTICAST_TTL`.
        fn set_multicast_ttl_v4(&self, ttl: u32) -> Result<()>;
        /// `IP_MULTICAST_LOOP`: whether multicast packets loop back to local sockets.
        fn multicast_loop_v4(&self) -> Result<bool>;
        /// Sets `IP_MULTICAST_LOOP`.
        fn set_multicast_loop_v4(&self, on: bool) -> Result<()>;
        /// `IP_ADD_MEMBERSHIP`: joins a multicast group on an interface.
        fn join_multicast_v4(&self, group: &Ipv4Addr, interface: &Ipv4Addr) -> Result<()>;
        /// `IP_DROP_MEMBERSHIP`: leaves a multicast group.
        fn leave_multicast_v4(&self, group: &Ipv4Addr, interface: &Ipv4Addr) -> Result<()>;
    }
}

// ===== IPPROTO_IPV6 =====

/// Options at level `IPPROTO_IPV6` (ipv6(7)), for `AF_INET6` sockets.
impl AsyncSocket {
    delegate! {
        /// `IPV6_V6ONLY`: whether an `AF_INET6` socket refuses IPv4-mapped traffic.
        ///
        /// ```
        /// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
        ///
        /// let s = AsyncSocket::new(AddressFamily::AF_INET6, SocketKind::SOCK_STREAM, Protocol::from(0))?;
        /// s.set_only_v6(true)?;
        /// assert!(s.only_v6()?);
        /// # Ok::<(), asock::Error>(())
        /// ```
        fn only_v6(&self) -> Result<bool>;
        /// Sets `IPV6_V6ONLY` (before `bind`).
        fn set_only_v6(&self, only_v6: bool) -> Result<()>;
        /// `IPV6_UNICAST_HOPS`: the hop limit of outgoing unicast packets.
        fn unicast_hops_v6(&self) -> Result<u32>;
        /// Sets `IPV6_UNICAST_HOPS`.
        fn set_unicast_hops_v6(&self, hops: u32) -> Result<()>;
        /// `IPV6_MULTICAST_HOPS`: the hop limit of outgoing multicast packets.
        fn multicast_hops_v6(&self) -> Result<u32>;
        /// Sets `IPV6_MULTICAST_HOPS`.
        fn set_multicast_hops_v6(&self, hops: u32) -> Result<()>;
        /// `IPV6_MULTICAST_LOOP`: whether multicast packets loop back to local sockets.
        fn multicast_loop_v6(&self) -> Result<bool>;
        /// Sets `IPV6_MULTICAST_LOOP`.
        fn set_multicast_loop_v6(&self, on: bool) -> Result<()>;
        /// `IPV6_ADD_MEMBERSHIP`: joins a multicast group on an interface index.
        fn join_multicast_v6(&self, group: &Ipv6Addr, interface: u32) -> Result<()>;
        /// `IPV6_DROP_MEMBERSHIP`: leaves a multicast group.
        fn leave_multicast_v6(&self, group: &Ipv6Addr, interface: u32) -> Result<()>;
    }
}

// ===== IPPROTO_TCP =====

/// Options at level `IPPROTO_TCP` (tcp(7)), for TCP sockets.
impl AsyncSocket {
    delegate! {
        /// `TCP_NODELAY`: whether Nagle's algorithm is off.
        ///
        /// ```
        /// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
        ///
        /// let s = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0))?;
        /// s.set_nodelay(true)?;
        /// assert!(s.nodelay()?);
        /// # Ok::<(), asock::Error>(())
        /// ```
        fn nodelay(&self) -> Result<bool>;
        /// Sets `TCP_NODELAY`.
        fn set_nodelay(&self, nodelay: bool) -> Result<()>;
        /// `TCP_KEEPIDLE`: idle time before the first keepalive probe.
        fn keepalive_time(&self) -> Result<Duration>;
        /// Sets `TCP_KEEPIDLE` (whole seconds).
        fn set_keepalive_time(&self, idle: Duration) -> Result<()>;
        /// `TCP_KEEPINTVL`: time between keepalive probes.
        fn keepalive_interval(&self) -> Result<Duration>;
        /// Sets `TCP_KEEPINTVL` (whole seconds).
        fn set_keepalive_interval(&self, interval: Duration) -> Result<()>;
        /// `TCP_KEEPCNT`: unanswered probes before the connection is dropped.
        fn keepalive_retries(&self) -> Result<u32>;
        /// Sets `TCP_KEEPCNT`.
        fn set_keepalive_retries(&self, count: u32) -> Result<()>;
        /// `TCP_INFO`: the kernel's view of the connection.
        ///
        /// ```
        /// # asock::block_on(async {
        /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        /// let sock = asock::AsyncSocket::from(std::net::TcpStream::connect(listener.local_addr()?)?);
        /// assert_eq!(sock.tcp_info()?.state, 1); // TCP_ESTABLISHED
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// # }).unwrap();
        /// ```
        fn tcp_info(&self) -> Result<TcpInfo>;
    }
}
