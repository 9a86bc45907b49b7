//! [`UdpSocket`]: a UDP socket, as tokio's.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::task::{Context, Poll};

use super::addr::{first_that_works, resolve, ToSocketAddrs};
use super::common::{typed_socket, UDP};
use super::datagram_methods::datagram_methods;
use super::readiness::readiness_methods;
use super::{ip_addr, NetFuture, UdpSendToFuture};
use crate::async_socket::AsyncSocket;
use crate::async_socket::{RecvFromFuture, RecvFuture};
use crate::ops::recv::RecvFrom;
use crate::sys::buf::RecvBuf;
use asock_core::{AddressFamily, MsgFlags, Result, SockAddr, SocketKind};

/// A UDP socket: tokio's `UdpSocket` over an [`AsyncSocket`].
///
/// Its operations (`send`, `recv`, `send_to`, `recv_from`, `peek_from`, ...) are asock
/// operation futures, so one call can wait in a mode of its own: `.timeout(d)`,
/// `.nonblocking()`. They take `&self`: any number of tasks can share one socket
/// (`Arc<UdpSocket>`), each woken by the event it waits for.
///
/// ```
/// use asock::net::UdpSocket;
///
/// # asock::block_on(async {
/// let server = UdpSocket::bind("127.0.0.1:0").await?;
/// let client = UdpSocket::bind("127.0.0.1:0").await?;
/// client.connect(server.local_addr()?).await?;
/// client.send(b"ping").await?;
/// let mut buf = [0; 64];
/// let (n, from) = server.recv_from(&mut buf).await?;
/// server.send_to(&buf[..n], from).await?;
/// let n = client.recv(&mut buf).await?;
/// assert_eq!(&buf[..n], b"ping");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Debug)]
pub struct UdpSocket {
    sock: AsyncSocket,
}

typed_socket!(
    UdpSocket,
    fits: UDP,
    std: std::net::UdpSocket,
    tokio: tokio::net::UdpSocket,
    setup: "let sock = asock::block_on(asock::net::UdpSocket::bind(\"127.0.0.1:0\"))?;",
    std_setup: "let std_socket = std::net::UdpSocket::bind(\"127.0.0.1:0\")?;",
);

// ===== binding and connecting =====

impl UdpSocket {
    /// Creates a UDP socket bound to `addr`: each address `addr` names is tried in turn until
    /// one binds; a host name is resolved first (on a blocking thread).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let sock = asock::net::UdpSocket::bind("127.0.0.1:0").await?;
    /// assert_ne!(sock.local_addr()?.port(), 0);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The last address's error (`EADDRINUSE`, `EADDRNOTAVAIL`, ...); `InvalidInput` for
    /// text that is not `host:port` or no address at all; the resolver's error.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future closes the socket it was binding and abandons a lookup.
    pub async fn bind<A: ToSocketAddrs>(addr: A) -> Result<UdpSocket> {
        let addrs = resolve(&addr, SocketKind::SOCK_DGRAM).await?;
        let sock = first_that_works(&addrs, |addr| async move {
            let sock = AsyncSocket::new(family_of(&addr), SocketKind::SOCK_DGRAM, None)?;
            sock.bind(SockAddr::from(addr))?;
            Ok(sock)
        })
        .await?;
        Ok(UdpSocket { sock })
    }

    /// Sets the peer: [`send`](Self::send) goes to it, and only its datagrams are received.
    /// Each address `addr` names is tried in turn; a host name is resolved first.
    ///
    /// ```
    /// use asock::net::UdpSocket;
    ///
    /// # asock::block_on(async {
    /// let a = UdpSocket::bind("127.0.0.1:0").await?;
    /// let b = UdpSocket::bind("127.0.0.1:0").await?;
    /// a.connect(b.local_addr()?).await?;
    /// assert_eq!(a.peer_addr()?, b.local_addr()?);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The last address's error (`EAFNOSUPPORT` for another family, `ENETUNREACH`, ...);
    /// `InvalidInput` for text that is not `host:port` or no address at all.
    ///
    /// # Cancel safety
    ///
    /// A dropped `connect` may have set the peer already (a UDP connect completes at once).
    pub async fn connect<A: ToSocketAddrs>(&self, addr: A) -> Result<()> {
        let addrs = resolve(&addr, SocketKind::SOCK_DGRAM).await?;
        first_that_works(&addrs, |addr| self.sock.connect(addr)).await
    }

    /// The address the socket is bound to: `getsockname(2)`.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let sock = asock::net::UdpSocket::bind("127.0.0.1:0").await?;
    /// assert!(sock.local_addr()?.ip().is_loopback());
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `getsockname(2)`.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        ip_addr(self.sock.local_addr()?)
    }

    /// The peer set by [`connect`](Self::connect): `getpeername(2)`.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let sock = asock::net::UdpSocket::bind("127.0.0.1:0").await?;
    /// assert_eq!(sock.peer_addr().unwrap_err().raw_os_error(), Some(libc::ENOTCONN));
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ENOTCONN` when no peer is set.
    pub fn peer_addr(&self) -> Result<SocketAddr> {
        ip_addr(self.sock.peer_addr()?)
    }
}

// ===== datagrams =====

/// The doctest lines the shared methods start from: `setup` binds `sock`, connected to a std
/// socket; `pair` binds `sock` and `peer`, connected to each other.
macro_rules! udp_doctest {
    (setup) => {
        "let server = std::net::UdpSocket::bind(\"127.0.0.1:0\")?;\n\
         let sock = asock::block_on(asock::net::UdpSocket::bind(\"127.0.0.1:0\"))?;\n\
         asock::block_on(sock.connect(server.local_addr()?))?;"
    };
    (pair) => {
        "let sock = asock::block_on(asock::net::UdpSocket::bind(\"127.0.0.1:0\"))?;\n\
         let peer = asock::block_on(asock::net::UdpSocket::bind(\"127.0.0.1:0\"))?;\n\
         asock::block_on(sock.connect(peer.local_addr()?))?;\n\
         asock::block_on(peer.connect(sock.local_addr()?))?;"
    };
}

datagram_methods!(
    UdpSocket,
    addr: SocketAddr,
    with_sender: with_ip_sender,
    send_errors: "`EDESTADDRREQ` without a peer; `EMSGSIZE` for a datagram too large; `ECONNREFUSED`\n\
                  when an earlier datagram was refused; \"timed out\" or `EAGAIN` by the mode.",
    recv_errors: "`ECONNREFUSED` when an earlier datagram was refused; \"timed out\" or `EAGAIN` by the\n\
                  mode.",
    full: "the send buffer",
    sender_note: "",
    setup: udp_doctest!(setup),
    pair: udp_doctest!(pair),
);

readiness_methods!(
    UdpSocket,
    what: "socket",
    try_read: try_recv,
    try_write: try_send,
    setup: udp_doctest!(setup),
    pair: udp_doctest!(pair),
);

impl UdpSocket {
    /// Sends `buf` as one datagram to `target`: `sendto(2)`. A host name is resolved first
    /// (on a blocking thread) and the datagram goes to its first address of the socket's
    /// family; the call's mode bounds both steps.
    ///
    /// ```
    /// use asock::net::UdpSocket;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = (UdpSocket::bind("127.0.0.1:0").await?, UdpSocket::bind("127.0.0.1:0").await?);
    /// let port = b.local_addr()?.port();
    /// a.send_to(b"by address", b.local_addr()?).await?;
    /// a.send_to(b"by name", ("localhost", port)).await?;
    /// let mut buf = [0; 64];
    /// for expected in [&b"by address"[..], b"by name"] {
    ///     let (n, from) = b.recv_from(&mut buf).await?;
    ///     assert_eq!((&buf[..n], from), (expected, a.local_addr()?));
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// `EMSGSIZE` for a datagram too large; `EAFNOSUPPORT` for an address of another family;
    /// the resolver's error; `InvalidInput` for text that is not `host:port`; "timed out" or
    /// `EAGAIN` by the mode.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: nothing is sent unless the future completes.
    pub fn send_to<'a, A: ToSocketAddrs>(
        &'a self,
        buf: &'a [u8],
        target: A,
    ) -> UdpSendToFuture<'a> {
        UdpSendToFuture::new(&self.sock, buf, &target)
    }

    /// Receives the next datagram into `buf` without taking it (`MSG_PEEK`), from the peer.
    ///
    /// ```
    /// use asock::net::UdpSocket;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = (UdpSocket::bind("127.0.0.1:0").await?, UdpSocket::bind("127.0.0.1:0").await?);
    /// b.connect(a.local_addr()?).await?;
    /// a.send_to(b"twice", b.local_addr()?).await?;
    /// let mut buf = [0; 16];
    /// assert_eq!(b.peek(&mut buf).await?, 5);
    /// assert_eq!(b.recv(&mut buf).await?, 5); // still there
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv`](Self::recv).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: peeking takes nothing.
    pub fn peek<'a>(&'a self, buf: &'a mut [u8]) -> RecvFuture<'a> {
        self.sock.recv_with_flags(buf, MsgFlags::MSG_PEEK)
    }

    /// [`recv_from`](Self::recv_from) without taking the datagram (`MSG_PEEK`).
    ///
    /// ```
    /// use asock::net::UdpSocket;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = (UdpSocket::bind("127.0.0.1:0").await?, UdpSocket::bind("127.0.0.1:0").await?);
    /// a.send_to(b"peeked", b.local_addr()?).await?;
    /// let mut buf = [0; 16];
    /// let (n, from) = b.peek_from(&mut buf).await?;
    /// assert_eq!((&buf[..n], from), (&b"peeked"[..], a.local_addr()?));
    /// assert_eq!(b.recv_from(&mut buf).await?.0, 6); // still there
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv_from`](Self::recv_from).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: peeking takes nothing.
    pub fn peek_from<'a>(
        &'a self,
        buf: &'a mut [u8],
    ) -> NetFuture<RecvFromFuture<'a>, (usize, SocketAddr)> {
        NetFuture::new(self.sock.recv_from_with_flags(buf, MsgFlags::MSG_PEEK), with_ip_sender)
    }

    /// The sender of the next datagram, without taking it, as tokio's `peek_sender`.
    ///
    /// ```
    /// use asock::net::UdpSocket;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = (UdpSocket::bind("127.0.0.1:0").await?, UdpSocket::bind("127.0.0.1:0").await?);
    /// a.send_to(b"who?", b.local_addr()?).await?;
    /// assert_eq!(b.peek_sender().await?, a.local_addr()?);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv_from`](Self::recv_from).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: peeking takes nothing.
    pub fn peek_sender(&self) -> NetFuture<RecvFromFuture<'_>, SocketAddr> {
        NetFuture::new(self.sock.recv_from_with_flags(&mut [], MsgFlags::MSG_PEEK), |peeked| {
            peeked.and_then(|(_, from)| ip_addr(from))
        })
    }
}

// ===== single tries and polling =====

impl UdpSocket {
    /// [`send_to`](Self::send_to) an address once, never waiting.
    ///
    /// ```
    /// use asock::net::UdpSocket;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = (UdpSocket::bind("127.0.0.1:0").await?, UdpSocket::bind("127.0.0.1:0").await?);
    /// assert_eq!(a.try_send_to(b"now", b.local_addr()?)?, 3);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAGAIN` when the send buffer is full; otherwise as [`send_to`](Self::send_to).
    pub fn try_send_to(&self, buf: &[u8], target: SocketAddr) -> Result<usize> {
        self.sock.try_send_to(buf, target)
    }

    /// [`peek_from`](Self::peek_from) once, never waiting.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let sock = asock::net::UdpSocket::bind("127.0.0.1:0").await?;
    /// assert!(sock.try_peek_from(&mut [0; 8]).unwrap_err().is_would_block());
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAGAIN` when no datagram is there.
    pub fn try_peek_from(&self, buf: &mut [u8]) -> Result<(usize, SocketAddr)> {
        let peek = RecvFrom { buf, flags: MsgFlags::MSG_PEEK.raw() };
        with_ip_sender(self.sock.try_op(peek))
    }

    /// Receives a datagram into `buf`, or stores `cx`'s waker and returns `Pending`. Waits
    /// with no deadline, whatever the mode.
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use asock::net::UdpSocket;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = (UdpSocket::bind("127.0.0.1:0").await?, UdpSocket::bind("127.0.0.1:0").await?);
    /// a.send_to(b"polled", b.local_addr()?).await?;
    /// let mut buf = [0; 16];
    /// assert_eq!(poll_fn(|cx| b.poll_recv(cx, &mut buf[..])).await?, 6);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv`](Self::recv) (never `EAGAIN` or a timeout).
    pub fn poll_recv<B: RecvBuf + ?Sized>(
        &self,
        cx: &mut Context<'_>,
        buf: &mut B,
    ) -> Poll<Result<usize>> {
        self.sock.poll_recv(cx, buf)
    }

    /// Receives a datagram into `buf` with its sender, or stores `cx`'s waker and returns
    /// `Pending`. Waits with no deadline, whatever the mode.
    ///
    /// ```
    /// # asock::block_on(async {
    /// use std::future::poll_fn;
    /// use asock::net::UdpSocket;
    ///
    /// let (a, b) = (UdpSocket::bind("127.0.0.1:0").await?, UdpSocket::bind("127.0.0.1:0").await?);
    /// a.send_to(b"polled", b.local_addr()?).await?;
    /// let mut buf = [0; 16];
    /// let (n, from) = poll_fn(|cx| b.poll_recv_from(cx, &mut buf[..])).await?;
    /// assert_eq!((n, from), (6, a.local_addr()?));
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv_from`](Self::recv_from) (never `EAGAIN` or a timeout).
    pub fn poll_recv_from<B: RecvBuf + ?Sized>(
        &self,
        cx: &mut Context<'_>,
        buf: &mut B,
    ) -> Poll<Result<(usize, SocketAddr)>> {
        self.sock.poll_recv_from(cx, buf).map(with_ip_sender)
    }

    /// Sends `buf` to the peer, or stores `cx`'s waker and returns `Pending`. Waits with no
    /// deadline, whatever the mode.
    ///
    /// ```
    /// # asock::block_on(async {
    /// use std::future::poll_fn;
    /// use asock::net::UdpSocket;
    ///
    /// let (a, b) = (UdpSocket::bind("127.0.0.1:0").await?, UdpSocket::bind("127.0.0.1:0").await?);
    /// a.connect(b.local_addr()?).await?;
    /// assert_eq!(poll_fn(|cx| a.poll_send(cx, b"polled")).await?, 6);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send) (never `EAGAIN` or a timeout).
    pub fn poll_send(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<Result<usize>> {
        self.sock.poll_send(cx, buf)
    }

    /// Sends `buf` to `target`, or stores `cx`'s waker and returns `Pending`. Waits with no
    /// deadline, whatever the mode.
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use asock::net::UdpSocket;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = (UdpSocket::bind("127.0.0.1:0").await?, UdpSocket::bind("127.0.0.1:0").await?);
    /// let to = b.local_addr()?;
    /// assert_eq!(poll_fn(|cx| a.poll_send_to(cx, b"polled", to)).await?, 6);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send_to`](Self::send_to) (never `EAGAIN` or a timeout).
    pub fn poll_send_to(
        &self,
        cx: &mut Context<'_>,
        buf: &[u8],
        target: SocketAddr,
    ) -> Poll<Result<usize>> {
        self.sock.poll_send_to(cx, buf, &SockAddr::from(target))
    }
}

// ===== options =====

/// The doctest of an [`option_pair!`]: bind with `$bind`, set `$value`, read it back.
macro_rules! option_example {
    ($bind:literal, $get:ident, $set:ident, $value:expr) => {
        concat!(
            "```\n# asock::block_on(async {\n",
            "if let Ok(sock) = asock::net::UdpSocket::bind(\"",
            $bind,
            "\").await {\n",
            "    sock.",
            stringify!($set),
            "(",
            stringify!($value),
            ")?;\n",
            "    assert_eq!(sock.",
            stringify!($get),
            "()?, ",
            stringify!($value),
            ");\n",
            "}\n# Ok::<(), asock::Error>(())\n# })?;\n# Ok::<(), asock::Error>(())\n```"
        )
    };
}

/// A getter and its setter over [`SocketOptions`](crate::SocketOptions), as tokio's
/// `UdpSocket` has them: `$get` says `$what`; the doctests bind `sock` with `$bind` (an IPv6
/// bind may fail on a host without IPv6: then they check nothing), then set `$value` and read
/// it back.
macro_rules! option_pair {
    ($(
        $what:literal, $option:literal, $bind:literal, $get_errors:literal;
        fn $get:ident / $set:ident ($arg:ident: $t:ty) = $value:expr;
    )*) => {$(
        #[doc = concat!($what, " (`", $option, "`).")]
        ///
        #[doc = option_example!($bind, $get, $set, $value)]
        ///
        /// # Errors
        ///
        #[doc = $get_errors]
        pub fn $get(&self) -> Result<$t> {
            self.sock.options().$get()
        }

        #[doc = concat!("Sets `", $option, "`. See [`", stringify!($get), "`](Self::", stringify!($get), ").")]
        ///
        #[doc = option_example!($bind, $get, $set, $value)]
        ///
        /// # Errors
        ///
        /// The errno of `setsockopt(2)`.
        pub fn $set(&self, $arg: $t) -> Result<()> {
            self.sock.options().$set($arg)
        }
    )*};
}

impl UdpSocket {
    option_pair! {
        "Whether datagrams may go to broadcast addresses (off by default)", "SO_BROADCAST",
        "127.0.0.1:0", "The errno of `getsockopt(2)`.";
        fn broadcast / set_broadcast(on: bool) = true;

        "Whether IPv4 multicast sent is looped back to this host", "IP_MULTICAST_LOOP",
        "127.0.0.1:0", "The errno of `getsockopt(2)`.";
        fn multicast_loop_v4 / set_multicast_loop_v4(on: bool) = false;

        "The TTL of IPv4 multicast sent (1 by default: the local network)", "IP_MULTICAST_TTL",
        "127.0.0.1:0", "The errno of `getsockopt(2)`.";
        fn multicast_ttl_v4 / set_multicast_ttl_v4(ttl: u32) = 4;

        "Whether IPv6 multicast sent is looped back to this host", "IPV6_MULTICAST_LOOP",
        "[::1]:0", "The errno of `getsockopt(2)`: `ENOPROTOOPT` on an IPv4 socket.";
        fn multicast_loop_v6 / set_multicast_loop_v6(on: bool) = false;
    }

    /// Joins the IPv4 multicast group `multiaddr` on the interface with address `interface`
    /// (`UNSPECIFIED`: the kernel picks): `IP_ADD_MEMBERSHIP`.
    ///
    /// ```
    /// use std::net::Ipv4Addr;
    ///
    /// # asock::block_on(async {
    /// let sock = asock::net::UdpSocket::bind("0.0.0.0:0").await?;
    /// let group = Ipv4Addr::new(239, 255, 0, 1);
    /// match sock.join_multicast_v4(group, Ipv4Addr::LOCALHOST) {
    ///     Ok(()) => sock.leave_multicast_v4(group, Ipv4Addr::LOCALHOST)?,
    ///     // A loopback without MULTICAST (some containers) refuses.
    ///     Err(e) => eprintln!("SKIPPED: no multicast on lo: {e}"),
    /// }
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EINVAL` for an address that is not multicast; `ENODEV` for no such interface;
    /// `EADDRINUSE` when already joined.
    pub fn join_multicast_v4(&self, multiaddr: Ipv4Addr, interface: Ipv4Addr) -> Result<()> {
        self.sock.options().join_multicast_v4(&multiaddr, &interface)
    }

    /// Leaves an IPv4 multicast group: `IP_DROP_MEMBERSHIP`. See
    /// [`join_multicast_v4`](Self::join_multicast_v4).
    ///
    /// ```
    /// # asock::block_on(async {
    /// use std::net::Ipv4Addr;
    ///
    /// let sock = asock::net::UdpSocket::bind("127.0.0.1:0").await?;
    /// let err = sock.leave_multicast_v4(Ipv4Addr::new(239, 255, 0, 2), Ipv4Addr::LOCALHOST).unwrap_err();
    /// assert_eq!(err.raw_os_error(), Some(libc::EADDRNOTAVAIL)); // never joined
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EADDRNOTAVAIL` when not a member.
    pub fn leave_multicast_v4(&self, multiaddr: Ipv4Addr, interface: Ipv4Addr) -> Result<()> {
        self.sock.options().leave_multicast_v4(&multiaddr, &interface)
    }

    /// Joins the IPv6 multicast group `multiaddr` on interface index `interface` (0: the
    /// kernel picks): `IPV6_ADD_MEMBERSHIP`.
    ///
    /// ```
    /// use std::net::Ipv6Addr;
    ///
    /// # asock::block_on(async {
    /// if let Ok(sock) = asock::net::UdpSocket::bind("[::]:0").await {
    ///     let group: Ipv6Addr = "ff02::1:2".parse().unwrap();
    ///     let lo = asock::if_nametoindex("lo")?;
    ///     match sock.join_multicast_v6(&group, lo) {
    ///         Ok(()) => sock.leave_multicast_v6(&group, lo)?,
    ///         Err(e) => eprintln!("SKIPPED: no IPv6 multicast on lo: {e}"),
    ///     }
    /// }
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EINVAL` for an address that is not multicast; `ENODEV` for no such interface.
    pub fn join_multicast_v6(&self, multiaddr: &Ipv6Addr, interface: u32) -> Result<()> {
        self.sock.options().join_multicast_v6(multiaddr, interface)
    }

    /// Leaves an IPv6 multicast group: `IPV6_DROP_MEMBERSHIP`. See
    /// [`join_multicast_v6`](Self::join_multicast_v6).
    ///
    /// ```
    /// # asock::block_on(async {
    /// if let Ok(sock) = asock::net::UdpSocket::bind("[::]:0").await {
    ///     let group: std::net::Ipv6Addr = "ff02::1:3".parse().unwrap();
    ///     assert!(sock.leave_multicast_v6(&group, 0).is_err()); // never joined
    /// }
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EADDRNOTAVAIL` when not a member.
    pub fn leave_multicast_v6(&self, multiaddr: &Ipv6Addr, interface: u32) -> Result<()> {
        self.sock.options().leave_multicast_v6(multiaddr, interface)
    }

    /// `IP_TTL` (`IPV6_UNICAST_HOPS` on IPv6): the hop limit of unicast datagrams.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let sock = asock::net::UdpSocket::bind("127.0.0.1:0").await?;
    /// sock.set_ttl(9)?;
    /// assert_eq!(sock.ttl()?, 9);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `getsockopt(2)`.
    pub fn ttl(&self) -> Result<u32> {
        super::ttl(&self.sock)
    }

    /// Sets `IP_TTL` (`IPV6_UNICAST_HOPS` on IPv6). See [`ttl`](Self::ttl).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let sock = asock::net::UdpSocket::bind("127.0.0.1:0").await?;
    /// sock.set_ttl(64)?;
    /// assert_eq!(sock.ttl()?, 64);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EINVAL` for a value over 255.
    pub fn set_ttl(&self, ttl: u32) -> Result<()> {
        super::set_ttl(&self.sock, ttl)
    }

    /// The type-of-service byte of IPv4 datagrams sent (`IP_TOS`).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let sock = asock::net::UdpSocket::bind("127.0.0.1:0").await?;
    /// sock.set_tos(0x10)?;
    /// assert_eq!(sock.tos()?, 0x10);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `getsockopt(2)`.
    pub fn tos(&self) -> Result<u32> {
        self.sock.options().tos()
    }

    /// Sets `IP_TOS`. See [`tos`](Self::tos).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let sock = asock::net::UdpSocket::bind("127.0.0.1:0").await?;
    /// sock.set_tos(0xb8)?; // DSCP EF
    /// assert_eq!(sock.tos()?, 0xb8);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `setsockopt(2)`.
    pub fn set_tos(&self, tos: u32) -> Result<()> {
        self.sock.options().set_tos(tos)
    }
}

fn family_of(addr: &SocketAddr) -> AddressFamily {
    if addr.is_ipv4() {
        AddressFamily::AF_INET
    } else {
        AddressFamily::AF_INET6
    }
}

/// A received datagram's length and sender, the sender as an IP address.
fn with_ip_sender(received: Result<(usize, SockAddr)>) -> Result<(usize, SocketAddr)> {
    received.and_then(|(n, from)| Ok((n, ip_addr(from)?)))
}
