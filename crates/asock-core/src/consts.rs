//! Every integer constant of Python's `socket` module on Linux, under the same name.
//!
//! This is Python's flat namespace (`socket.SO_REUSEADDR`, `socket.TCP_NODELAY`, ...) kept
//! flat: the name is the C name, the value is the one Python 3.11 on Linux x86-64 shows, and
//! the type is the one the C API uses for it (`c_int` for option names, levels and flags;
//! `u32` for the IPv4 addresses `INADDR_*` and the vsock `VMADDR_*` values, which Python gives
//! unsigned; `u8`/`u16`/`u64` where the C field is that wide). [`ALL`] lists every name with
//! its value, so tools and tests can walk the table; a test keeps it equal to what the
//! machine's `python3` reports.
//!
//! Values come from the `libc` crate where it defines the name; the few it lacks are literals
//! with the Linux header they come from. Constants that Python added after 3.11 say so in
//! their docs; the Bluetooth ones exist only in Pythons built with the BlueZ headers.
//!
//! The typed newtypes [`AddressFamily`](crate::AddressFamily),
//! [`SocketKind`](crate::SocketKind) and [`Protocol`](crate::Protocol) carry the most used of
//! these values with names that print; this module is the complete, untyped list.
//!
//! ```
//! use asock_core::consts;
//!
//! assert_eq!(consts::SOL_SOCKET, 1);
//! assert_eq!(consts::INADDR_LOOPBACK, 0x7f00_0001);
//! assert!(consts::ALL.contains(&("TCP_NODELAY", 1)));
//! ```

use libc::{c_int, c_ulong, socklen_t};

/// Declares the constants and builds [`ALL`] from the same list, so the two cannot drift.
macro_rules! python_consts {
    ($(
        $(#[$meta:meta])*
        $name:ident: $ty:ty = $value:expr;
    )*) => {
        $(
            $(#[$meta])*
            pub const $name: $ty = $value;
        )*

        /// Every integer constant of this module as `(name, value)`, in the order of the file.
        ///
        /// Values are widened to `i64`, which holds every one of them exactly (Python's ints
        /// have no width, and the unsigned 32-bit ones such as `INADDR_BROADCAST` stay
        /// positive, as Python shows them).
        ///
        /// ```
        /// let (name, value) = asock_core::consts::ALL[0];
        /// assert_eq!((name, value), ("AF_UNSPEC", 0));
        /// ```
        pub const ALL: &[(&str, i64)] = &[$((stringify!($name), $name as i64),)*];
    };
}

/// Whether IPv6 is supported (Python's `socket.has_ipv6`): always `true` on Linux.
pub const HAS_IPV6: bool = true;

/// Bluetooth's "any device" address, Python's `socket.BDADDR_ANY` (a string, not an int).
pub const BDADDR_ANY: &str = "00:00:00:00:00:00";

/// Bluetooth's "local device" address, Python's `socket.BDADDR_LOCAL` (a string).
pub const BDADDR_LOCAL: &str = "00:00:00:FF:FF:FF";

python_consts! {
    // ===== Address families (first argument of socket(2)) =====
    /// Unspecified family: "any" in `getaddrinfo` hints.
    AF_UNSPEC: c_int = libc::AF_UNSPEC;
    /// UNIX domain sockets (local IPC by path or abstract name).
    AF_UNIX: c_int = libc::AF_UNIX;
    /// IPv4.
    AF_INET: c_int = libc::AF_INET;
    /// Amateur radio AX.25.
    AF_AX25: c_int = libc::AF_AX25;
    /// Novell IPX.
    AF_IPX: c_int = libc::AF_IPX;
    /// AppleTalk DDP.
    AF_APPLETALK: c_int = libc::AF_APPLETALK;
    /// Amateur radio NET/ROM.
    AF_NETROM: c_int = libc::AF_NETROM;
    /// Multiprotocol bridge.
    AF_BRIDGE: c_int = libc::AF_BRIDGE;
    /// ATM permanent virtual circuits.
    AF_ATMPVC: c_int = libc::AF_ATMPVC;
    /// ITU-T X.25 / ISO-8208.
    AF_X25: c_int = libc::AF_X25;
    /// IPv6.
    AF_INET6: c_int = libc::AF_INET6;
    /// Amateur radio X.25 PLP (ROSE).
    AF_ROSE: c_int = libc::AF_ROSE;
    /// DECnet (reserved; Python's enum omits it because the name is not all upper case).
    #[allow(non_upper_case_globals)]
    AF_DECnet: c_int = libc::AF_DECnet;
    /// 802.2 LLC project (reserved).
    AF_NETBEUI: c_int = libc::AF_NETBEUI;
    /// Security callback pseudo family.
    AF_SECURITY: c_int = libc::AF_SECURITY;
    /// PF_KEY key management (IPsec).
    AF_KEY: c_int = libc::AF_KEY;
    /// Netlink: kernel / user-space messaging.
    AF_NETLINK: c_int = libc::AF_NETLINK;
    /// BSD name of `AF_NETLINK` (same value).
    AF_ROUTE: c_int = libc::AF_ROUTE;
    /// Packet sockets: raw link-layer frames.
    AF_PACKET: c_int = libc::AF_PACKET;
    /// Ash.
    AF_ASH: c_int = libc::AF_ASH;
    /// Acorn Econet.
    AF_ECONET: c_int = libc::AF_ECONET;
    /// ATM switched virtual circuits.
    AF_ATMSVC: c_int = libc::AF_ATMSVC;
    /// Reliable Datagram Sockets.
    AF_RDS: c_int = libc::AF_RDS;
    /// Linux SNA.
    AF_SNA: c_int = libc::AF_SNA;
    /// IrDA.
    AF_IRDA: c_int = libc::AF_IRDA;
    /// PPP over X (PPPoE, PPTP, L2TP).
    AF_PPPOX: c_int = libc::AF_PPPOX;
    /// Wanpipe API sockets.
    AF_WANPIPE: c_int = libc::AF_WANPIPE;
    /// Linux LLC.
    AF_LLC: c_int = libc::AF_LLC;
    /// Controller Area Network (SocketCAN).
    AF_CAN: c_int = libc::AF_CAN;
    /// TIPC cluster communication.
    AF_TIPC: c_int = libc::AF_TIPC;
    /// Bluetooth (only in Pythons built with the BlueZ headers).
    AF_BLUETOOTH: c_int = libc::AF_BLUETOOTH;
    /// Kernel crypto API (`AF_ALG`).
    AF_ALG: c_int = libc::AF_ALG;
    /// VM sockets (host / guest communication).
    AF_VSOCK: c_int = libc::AF_VSOCK;
    /// Qualcomm IPC router.
    AF_QIPCRTR: c_int = 42; // linux/socket.h
    /// Protocol-family name of `AF_CAN`.
    PF_CAN: c_int = libc::PF_CAN;
    /// Protocol-family name of `AF_PACKET`.
    PF_PACKET: c_int = libc::PF_PACKET;
    /// Protocol-family name of `AF_RDS`.
    PF_RDS: c_int = libc::PF_RDS;

    // ===== Socket kinds (second argument of socket(2)) =====
    /// Sequenced, reliable, connection-based byte stream (TCP).
    SOCK_STREAM: c_int = libc::SOCK_STREAM;
    /// Connectionless datagrams (UDP).
    SOCK_DGRAM: c_int = libc::SOCK_DGRAM;
    /// Raw network-protocol access.
    SOCK_RAW: c_int = libc::SOCK_RAW;
    /// Reliably delivered messages.
    SOCK_RDM: c_int = libc::SOCK_RDM;
    /// Sequenced, reliable, connection-based datagrams.
    SOCK_SEQPACKET: c_int = libc::SOCK_SEQPACKET;
    /// Flag for the kind argument: create the socket non-blocking.
    SOCK_NONBLOCK: c_int = libc::SOCK_NONBLOCK;
    /// Flag for the kind argument: close the socket on `exec`.
    SOCK_CLOEXEC: c_int = libc::SOCK_CLOEXEC;

    // ===== Option levels (first argument of getsockopt/setsockopt) =====
    /// Socket-level options (`SO_*`).
    SOL_SOCKET: c_int = libc::SOL_SOCKET;
    /// IPv4 options (`IP_*`); same as `IPPROTO_IP`.
    SOL_IP: c_int = libc::SOL_IP;
    /// TCP options (`TCP_*`); same as `IPPROTO_TCP`.
    SOL_TCP: c_int = libc::SOL_TCP;
    /// UDP options; same as `IPPROTO_UDP`.
    SOL_UDP: c_int = libc::SOL_UDP;
    /// Base of the CAN option levels.
    SOL_CAN_BASE: c_int = libc::SOL_CAN_BASE;
    /// CAN_RAW options (`CAN_RAW_*`).
    SOL_CAN_RAW: c_int = libc::SOL_CAN_RAW;
    /// RDS options.
    SOL_RDS: c_int = libc::SOL_RDS;
    /// TIPC options (`TIPC_*`).
    SOL_TIPC: c_int = libc::SOL_TIPC;
    /// AF_ALG options (`ALG_SET_*`).
    SOL_ALG: c_int = libc::SOL_ALG;
    /// Bluetooth HCI options (only in Pythons built with the BlueZ headers).
    SOL_HCI: c_int = 0; // bluetooth/bluetooth.h

    // ===== SOL_SOCKET options =====
    /// Record debugging information.
    SO_DEBUG: c_int = libc::SO_DEBUG;
    /// Whether the socket is listening (read-only).
    SO_ACCEPTCONN: c_int = libc::SO_ACCEPTCONN;
    /// Allow reuse of a local address in `TIME_WAIT`.
    SO_REUSEADDR: c_int = libc::SO_REUSEADDR;
    /// Report the CPU that handled the last packet; steer with `SO_REUSEPORT`.
    SO_INCOMING_CPU: c_int = libc::SO_INCOMING_CPU;
    /// Send TCP keep-alive probes.
    SO_KEEPALIVE: c_int = libc::SO_KEEPALIVE;
    /// Bypass routing: send only to directly connected hosts.
    SO_DONTROUTE: c_int = libc::SO_DONTROUTE;
    /// Allow sending to broadcast addresses.
    SO_BROADCAST: c_int = libc::SO_BROADCAST;
    /// Linger on close while unsent data remains (`struct linger`).
    SO_LINGER: c_int = libc::SO_LINGER;
    /// Receive out-of-band data inline.
    SO_OOBINLINE: c_int = libc::SO_OOBINLINE;
    /// Let several sockets bind the same address and port.
    SO_REUSEPORT: c_int = libc::SO_REUSEPORT;
    /// Send buffer size in bytes.
    SO_SNDBUF: c_int = libc::SO_SNDBUF;
    /// Receive buffer size in bytes.
    SO_RCVBUF: c_int = libc::SO_RCVBUF;
    /// Minimum bytes to send at once (fixed at 1 on Linux).
    SO_SNDLOWAT: c_int = libc::SO_SNDLOWAT;
    /// Minimum bytes before a receive returns.
    SO_RCVLOWAT: c_int = libc::SO_RCVLOWAT;
    /// Send timeout (`struct timeval`).
    SO_SNDTIMEO: c_int = libc::SO_SNDTIMEO;
    /// Receive timeout (`struct timeval`).
    SO_RCVTIMEO: c_int = libc::SO_RCVTIMEO;
    /// Pending socket error, cleared when read (read-only).
    SO_ERROR: c_int = libc::SO_ERROR;
    /// Socket kind, a `SOCK_*` value (read-only).
    SO_TYPE: c_int = libc::SO_TYPE;
    /// Receive `SCM_CREDENTIALS` messages on a UNIX socket.
    SO_PASSCRED: c_int = libc::SO_PASSCRED;
    /// Credentials of the peer process (`struct ucred`, read-only).
    SO_PEERCRED: c_int = libc::SO_PEERCRED;
    /// Receive `SCM_SECURITY` messages (security context).
    SO_PASSSEC: c_int = libc::SO_PASSSEC;
    /// Security context of the peer (read-only).
    SO_PEERSEC: c_int = libc::SO_PEERSEC;
    /// Bind to a network interface by name.
    SO_BINDTODEVICE: c_int = libc::SO_BINDTODEVICE;
    /// Bind to a network interface by index (Python 3.13+).
    SO_BINDTOIFINDEX: c_int = libc::SO_BINDTOIFINDEX;
    /// Queueing priority of outgoing packets.
    SO_PRIORITY: c_int = libc::SO_PRIORITY;
    /// Firewall mark of outgoing packets.
    SO_MARK: c_int = libc::SO_MARK;
    /// Address family, an `AF_*` value (read-only).
    SO_DOMAIN: c_int = libc::SO_DOMAIN;
    /// Protocol number (read-only).
    SO_PROTOCOL: c_int = libc::SO_PROTOCOL;
    /// Original destination before netfilter NAT (level `SOL_IP`; Python 3.14+).
    SO_ORIGINAL_DST: c_int = libc::SO_ORIGINAL_DST;
    /// Largest `listen(2)` backlog the kernel headers advertise.
    SOMAXCONN: c_int = libc::SOMAXCONN;

    // ===== Ancillary message types (SOL_SOCKET cmsg) =====
    /// Pass file descriptors over a UNIX socket.
    SCM_RIGHTS: c_int = libc::SCM_RIGHTS;
    /// Pass process credentials over a UNIX socket.
    SCM_CREDENTIALS: c_int = libc::SCM_CREDENTIALS;

    // ===== send/recv flags =====
    /// Send or receive out-of-band data.
    MSG_OOB: c_int = libc::MSG_OOB;
    /// Look at incoming data without removing it.
    MSG_PEEK: c_int = libc::MSG_PEEK;
    /// Send without using a gateway.
    MSG_DONTROUTE: c_int = libc::MSG_DONTROUTE;
    /// Non-blocking for this one call.
    MSG_DONTWAIT: c_int = libc::MSG_DONTWAIT;
    /// End of record.
    MSG_EOR: c_int = libc::MSG_EOR;
    /// The datagram was longer than the buffer (or: return its real length).
    MSG_TRUNC: c_int = libc::MSG_TRUNC;
    /// Control data was truncated.
    MSG_CTRUNC: c_int = libc::MSG_CTRUNC;
    /// Wait until the whole request is satisfied.
    MSG_WAITALL: c_int = libc::MSG_WAITALL;
    /// Do not raise `SIGPIPE` on a broken stream.
    MSG_NOSIGNAL: c_int = libc::MSG_NOSIGNAL;
    /// Set close-on-exec on descriptors received with `SCM_RIGHTS`.
    MSG_CMSG_CLOEXEC: c_int = libc::MSG_CMSG_CLOEXEC;
    /// Receive from the socket's error queue.
    MSG_ERRQUEUE: c_int = libc::MSG_ERRQUEUE;
    /// Tell the link layer that forward progress happened.
    MSG_CONFIRM: c_int = libc::MSG_CONFIRM;
    /// More data follows (like `TCP_CORK` for one call).
    MSG_MORE: c_int = libc::MSG_MORE;
    /// Send data in the SYN (TCP Fast Open).
    MSG_FASTOPEN: c_int = libc::MSG_FASTOPEN;

    // ===== IP protocol numbers (third argument of socket(2)) =====
    /// Dummy protocol for TCP / IPv4 option level.
    IPPROTO_IP: c_int = libc::IPPROTO_IP;
    /// IPv6 hop-by-hop options header.
    IPPROTO_HOPOPTS: c_int = libc::IPPROTO_HOPOPTS;
    /// ICMP.
    IPPROTO_ICMP: c_int = libc::IPPROTO_ICMP;
    /// IGMP.
    IPPROTO_IGMP: c_int = libc::IPPROTO_IGMP;
    /// IP-in-IP tunnels.
    IPPROTO_IPIP: c_int = libc::IPPROTO_IPIP;
    /// TCP.
    IPPROTO_TCP: c_int = libc::IPPROTO_TCP;
    /// Exterior Gateway Protocol.
    IPPROTO_EGP: c_int = libc::IPPROTO_EGP;
    /// PUP.
    IPPROTO_PUP: c_int = libc::IPPROTO_PUP;
    /// UDP.
    IPPROTO_UDP: c_int = libc::IPPROTO_UDP;
    /// XNS IDP.
    IPPROTO_IDP: c_int = libc::IPPROTO_IDP;
    /// SO Transport Protocol class 4.
    IPPROTO_TP: c_int = libc::IPPROTO_TP;
    /// IPv6 header; also the IPv6 option level.
    IPPROTO_IPV6: c_int = libc::IPPROTO_IPV6;
    /// IPv6 routing header.
    IPPROTO_ROUTING: c_int = libc::IPPROTO_ROUTING;
    /// IPv6 fragmentation header.
    IPPROTO_FRAGMENT: c_int = libc::IPPROTO_FRAGMENT;
    /// RSVP.
    IPPROTO_RSVP: c_int = libc::IPPROTO_RSVP;
    /// GRE.
    IPPROTO_GRE: c_int = libc::IPPROTO_GRE;
    /// IPsec Encapsulating Security Payload.
    IPPROTO_ESP: c_int = libc::IPPROTO_ESP;
    /// IPsec Authentication Header.
    IPPROTO_AH: c_int = libc::IPPROTO_AH;
    /// ICMPv6.
    IPPROTO_ICMPV6: c_int = libc::IPPROTO_ICMPV6;
    /// IPv6 "no next header".
    IPPROTO_NONE: c_int = libc::IPPROTO_NONE;
    /// IPv6 destination options header.
    IPPROTO_DSTOPTS: c_int = libc::IPPROTO_DSTOPTS;
    /// Protocol Independent Multicast.
    IPPROTO_PIM: c_int = libc::IPPROTO_PIM;
    /// SCTP.
    IPPROTO_SCTP: c_int = libc::IPPROTO_SCTP;
    /// UDP-Lite.
    IPPROTO_UDPLITE: c_int = libc::IPPROTO_UDPLITE;
    /// Raw IP packets.
    IPPROTO_RAW: c_int = libc::IPPROTO_RAW;
    /// Multipath TCP.
    IPPROTO_MPTCP: c_int = libc::IPPROTO_MPTCP;

    // ===== Ports and IPv4 addresses (host byte order, as Python gives them) =====
    /// Ports below this one need privilege to bind.
    IPPORT_RESERVED: u16 = 1024; // netinet/in.h
    /// Ports from here up are for user servers (BSD convention).
    IPPORT_USERRESERVED: u16 = 5000; // netinet/in.h
    /// `0.0.0.0`: any local address.
    INADDR_ANY: u32 = libc::INADDR_ANY;
    /// `255.255.255.255`: limited broadcast.
    INADDR_BROADCAST: u32 = libc::INADDR_BROADCAST;
    /// `127.0.0.1`: loopback.
    INADDR_LOOPBACK: u32 = libc::INADDR_LOOPBACK;
    /// `224.0.0.0`: base of the multicast groups.
    INADDR_UNSPEC_GROUP: u32 = 0xe000_0000; // netinet/in.h
    /// `224.0.0.1`: all hosts on this network.
    INADDR_ALLHOSTS_GROUP: u32 = 0xe000_0001; // netinet/in.h
    /// `224.0.0.255`: last local multicast group.
    INADDR_MAX_LOCAL_GROUP: u32 = 0xe000_00ff; // netinet/in.h
    /// `255.255.255.255`: the error value of `inet_addr`.
    INADDR_NONE: u32 = libc::INADDR_NONE;

    // ===== IPPROTO_IP options =====
    /// IP options to send with every packet.
    IP_OPTIONS: c_int = libc::IP_OPTIONS;
    /// The application supplies the IP header (raw sockets).
    IP_HDRINCL: c_int = libc::IP_HDRINCL;
    /// Type of Service / DSCP byte.
    IP_TOS: c_int = libc::IP_TOS;
    /// Time To Live of outgoing unicast packets.
    IP_TTL: c_int = libc::IP_TTL;
    /// Queue extended errors for `MSG_ERRQUEUE` (Python 3.14+).
    IP_RECVERR: c_int = libc::IP_RECVERR;
    /// Receive the IP options of incoming packets.
    IP_RECVOPTS: c_int = libc::IP_RECVOPTS;
    /// Receive the original destination address (Python 3.14+).
    IP_RECVORIGDSTADDR: c_int = libc::IP_RECVORIGDSTADDR;
    /// Receive the IP options for a reply (alias of `IP_RETOPTS`).
    IP_RECVRETOPTS: c_int = libc::IP_RETOPTS; // glibc: #define IP_RECVRETOPTS IP_RETOPTS
    /// Receive the TOS byte of incoming packets.
    IP_RECVTOS: c_int = libc::IP_RECVTOS;
    /// Receive the TTL of incoming packets (Python 3.14+).
    IP_RECVTTL: c_int = libc::IP_RECVTTL;
    /// IP options to send, unprocessed.
    IP_RETOPTS: c_int = libc::IP_RETOPTS;
    /// Outgoing interface for multicast.
    IP_MULTICAST_IF: c_int = libc::IP_MULTICAST_IF;
    /// TTL of outgoing multicast packets.
    IP_MULTICAST_TTL: c_int = libc::IP_MULTICAST_TTL;
    /// Loop outgoing multicast back to local listeners.
    IP_MULTICAST_LOOP: c_int = libc::IP_MULTICAST_LOOP;
    /// Join a multicast group (`struct ip_mreq`).
    IP_ADD_MEMBERSHIP: c_int = libc::IP_ADD_MEMBERSHIP;
    /// Leave a multicast group.
    IP_DROP_MEMBERSHIP: c_int = libc::IP_DROP_MEMBERSHIP;
    /// Default multicast TTL.
    IP_DEFAULT_MULTICAST_TTL: c_int = libc::IP_DEFAULT_MULTICAST_TTL;
    /// Default multicast loopback setting.
    IP_DEFAULT_MULTICAST_LOOP: c_int = libc::IP_DEFAULT_MULTICAST_LOOP;
    /// Most groups one socket may join (historical BSD limit).
    IP_MAX_MEMBERSHIPS: c_int = 20; // bits/in.h
    /// Bind to an address that is not (yet) local (Python 3.14+).
    IP_FREEBIND: c_int = libc::IP_FREEBIND;
    /// Transparent proxying: bind and receive for foreign addresses.
    IP_TRANSPARENT: c_int = libc::IP_TRANSPARENT;
    /// Receive `IP_PKTINFO` messages: destination and interface (Python 3.12+).
    IP_PKTINFO: c_int = libc::IP_PKTINFO;
    /// Defer port choice to `connect` when binding to port 0.
    IP_BIND_ADDRESS_NO_PORT: c_int = libc::IP_BIND_ADDRESS_NO_PORT;
    /// Unblock a multicast source (Python 3.12+).
    IP_UNBLOCK_SOURCE: c_int = libc::IP_UNBLOCK_SOURCE;
    /// Block a multicast source (Python 3.12+).
    IP_BLOCK_SOURCE: c_int = libc::IP_BLOCK_SOURCE;
    /// Join a source-specific multicast group (Python 3.12+).
    IP_ADD_SOURCE_MEMBERSHIP: c_int = libc::IP_ADD_SOURCE_MEMBERSHIP;
    /// Leave a source-specific multicast group (Python 3.12+).
    IP_DROP_SOURCE_MEMBERSHIP: c_int = libc::IP_DROP_SOURCE_MEMBERSHIP;

    // ===== IPPROTO_IPV6 options =====
    /// Join a multicast group (`struct ipv6_mreq`).
    IPV6_JOIN_GROUP: c_int = libc::IPV6_ADD_MEMBERSHIP; // glibc: IPV6_ADD_MEMBERSHIP is its alias
    /// Leave a multicast group.
    IPV6_LEAVE_GROUP: c_int = libc::IPV6_DROP_MEMBERSHIP; // glibc: IPV6_DROP_MEMBERSHIP alias
    /// Hop limit of outgoing multicast packets.
    IPV6_MULTICAST_HOPS: c_int = libc::IPV6_MULTICAST_HOPS;
    /// Outgoing interface index for multicast.
    IPV6_MULTICAST_IF: c_int = libc::IPV6_MULTICAST_IF;
    /// Loop outgoing multicast back to local listeners.
    IPV6_MULTICAST_LOOP: c_int = libc::IPV6_MULTICAST_LOOP;
    /// Hop limit of outgoing unicast packets.
    IPV6_UNICAST_HOPS: c_int = libc::IPV6_UNICAST_HOPS;
    /// Restrict an `AF_INET6` socket to IPv6 (no IPv4-mapped addresses).
    IPV6_V6ONLY: c_int = libc::IPV6_V6ONLY;
    /// Offset of the checksum field for raw sockets.
    IPV6_CHECKSUM: c_int = libc::IPV6_CHECKSUM;
    /// Do not fragment outgoing packets.
    IPV6_DONTFRAG: c_int = libc::IPV6_DONTFRAG;
    /// Destination options header (ancillary data).
    IPV6_DSTOPTS: c_int = libc::IPV6_DSTOPTS;
    /// Hop limit (ancillary data).
    IPV6_HOPLIMIT: c_int = libc::IPV6_HOPLIMIT;
    /// Hop-by-hop options header (ancillary data).
    IPV6_HOPOPTS: c_int = libc::IPV6_HOPOPTS;
    /// Next hop address (ancillary data).
    IPV6_NEXTHOP: c_int = libc::IPV6_NEXTHOP;
    /// Current path MTU (read-only).
    IPV6_PATHMTU: c_int = libc::IPV6_PATHMTU;
    /// Destination address and interface (ancillary data).
    IPV6_PKTINFO: c_int = libc::IPV6_PKTINFO;
    /// Receive destination options headers.
    IPV6_RECVDSTOPTS: c_int = libc::IPV6_RECVDSTOPTS;
    /// Queue extended errors for `MSG_ERRQUEUE` (Python 3.14+).
    IPV6_RECVERR: c_int = libc::IPV6_RECVERR;
    /// Receive the hop limit of incoming packets.
    IPV6_RECVHOPLIMIT: c_int = libc::IPV6_RECVHOPLIMIT;
    /// Receive hop-by-hop options headers.
    IPV6_RECVHOPOPTS: c_int = libc::IPV6_RECVHOPOPTS;
    /// Receive `IPV6_PKTINFO` messages.
    IPV6_RECVPKTINFO: c_int = libc::IPV6_RECVPKTINFO;
    /// Receive routing headers.
    IPV6_RECVRTHDR: c_int = libc::IPV6_RECVRTHDR;
    /// Receive the traffic class of incoming packets.
    IPV6_RECVTCLASS: c_int = libc::IPV6_RECVTCLASS;
    /// Routing header (ancillary data).
    IPV6_RTHDR: c_int = libc::IPV6_RTHDR;
    /// Destination options before a routing header (ancillary data).
    IPV6_RTHDRDSTOPTS: c_int = libc::IPV6_RTHDRDSTOPTS;
    /// Routing header type 0.
    IPV6_RTHDR_TYPE_0: c_int = 0; // netinet/in.h
    /// Receive path MTU changes.
    IPV6_RECVPATHMTU: c_int = libc::IPV6_RECVPATHMTU;
    /// Traffic class of outgoing packets.
    IPV6_TCLASS: c_int = libc::IPV6_TCLASS;

    // ===== IPPROTO_TCP options =====
    /// Disable Nagle's algorithm: send small segments at once.
    TCP_NODELAY: c_int = libc::TCP_NODELAY;
    /// Maximum segment size.
    TCP_MAXSEG: c_int = libc::TCP_MAXSEG;
    /// Hold back partial frames until uncorked.
    TCP_CORK: c_int = libc::TCP_CORK;
    /// Idle seconds before keep-alive probes start.
    TCP_KEEPIDLE: c_int = libc::TCP_KEEPIDLE;
    /// Seconds between keep-alive probes.
    TCP_KEEPINTVL: c_int = libc::TCP_KEEPINTVL;
    /// Unanswered probes before the connection is dropped.
    TCP_KEEPCNT: c_int = libc::TCP_KEEPCNT;
    /// SYN retransmissions before a connect gives up.
    TCP_SYNCNT: c_int = libc::TCP_SYNCNT;
    /// Lifetime of orphaned `FIN_WAIT2` sockets.
    TCP_LINGER2: c_int = libc::TCP_LINGER2;
    /// Wake `accept` only when data has arrived.
    TCP_DEFER_ACCEPT: c_int = libc::TCP_DEFER_ACCEPT;
    /// Bound the advertised window.
    TCP_WINDOW_CLAMP: c_int = libc::TCP_WINDOW_CLAMP;
    /// Connection statistics (`struct tcp_info`, read-only).
    TCP_INFO: c_int = libc::TCP_INFO;
    /// Send ACKs at once rather than delayed.
    TCP_QUICKACK: c_int = libc::TCP_QUICKACK;
    /// Congestion-control algorithm by name.
    TCP_CONGESTION: c_int = libc::TCP_CONGESTION;
    /// TCP MD5 signature (RFC 2385) (Python 3.12+).
    TCP_MD5SIG: c_int = libc::TCP_MD5SIG;
    /// Linear timeouts for thin streams (Python 3.12+).
    TCP_THIN_LINEAR_TIMEOUTS: c_int = libc::TCP_THIN_LINEAR_TIMEOUTS;
    /// Fast retransmit after one duplicate ACK for thin streams (Python 3.12+).
    TCP_THIN_DUPACK: c_int = libc::TCP_THIN_DUPACK;
    /// Milliseconds unacknowledged data may wait before the connection drops.
    TCP_USER_TIMEOUT: c_int = libc::TCP_USER_TIMEOUT;
    /// Repair mode for checkpoint / restore (Python 3.12+).
    TCP_REPAIR: c_int = libc::TCP_REPAIR;
    /// Queue selected in repair mode (Python 3.12+).
    TCP_REPAIR_QUEUE: c_int = libc::TCP_REPAIR_QUEUE;
    /// Sequence number of the repair queue (Python 3.12+).
    TCP_QUEUE_SEQ: c_int = libc::TCP_QUEUE_SEQ;
    /// Options restored in repair mode (Python 3.12+).
    TCP_REPAIR_OPTIONS: c_int = libc::TCP_REPAIR_OPTIONS;
    /// Server-side TCP Fast Open queue length.
    TCP_FASTOPEN: c_int = libc::TCP_FASTOPEN;
    /// TCP timestamp offset (Python 3.12+).
    TCP_TIMESTAMP: c_int = libc::TCP_TIMESTAMP;
    /// Bytes unsent before the socket counts as writable.
    TCP_NOTSENT_LOWAT: c_int = libc::TCP_NOTSENT_LOWAT;
    /// Congestion-control information (Python 3.12+).
    TCP_CC_INFO: c_int = libc::TCP_CC_INFO;
    /// Record the SYN headers of incoming connections (Python 3.12+).
    TCP_SAVE_SYN: c_int = libc::TCP_SAVE_SYN;
    /// Read the saved SYN headers (Python 3.12+).
    TCP_SAVED_SYN: c_int = libc::TCP_SAVED_SYN;
    /// Window state in repair mode (Python 3.12+).
    TCP_REPAIR_WINDOW: c_int = libc::TCP_REPAIR_WINDOW;
    /// Client-side TCP Fast Open on `connect` (Python 3.12+).
    TCP_FASTOPEN_CONNECT: c_int = libc::TCP_FASTOPEN_CONNECT;
    /// Attach an upper-layer protocol such as kTLS (Python 3.12+).
    TCP_ULP: c_int = libc::TCP_ULP;
    /// TCP MD5 signature with prefix / interface (Python 3.12+).
    TCP_MD5SIG_EXT: c_int = libc::TCP_MD5SIG_EXT;
    /// TCP Fast Open key (Python 3.12+).
    TCP_FASTOPEN_KEY: c_int = libc::TCP_FASTOPEN_KEY;
    /// TCP Fast Open without a cookie (Python 3.12+).
    TCP_FASTOPEN_NO_COOKIE: c_int = libc::TCP_FASTOPEN_NO_COOKIE;
    /// Zero-copy receive via `mmap` (Python 3.12+).
    TCP_ZEROCOPY_RECEIVE: c_int = libc::TCP_ZEROCOPY_RECEIVE;
    /// Report the queued byte count with each receive (Python 3.12+).
    TCP_INQ: c_int = libc::TCP_INQ;
    /// Delay outgoing packets by this many microseconds (Python 3.12+).
    TCP_TX_DELAY: c_int = 37; // linux/tcp.h

    // ===== IPPROTO_UDPLITE options =====
    /// Checksum coverage of sent packets.
    UDPLITE_SEND_CSCOV: c_int = 10; // linux/udp.h
    /// Minimum checksum coverage of received packets.
    UDPLITE_RECV_CSCOV: c_int = 11; // linux/udp.h

    // ===== getaddrinfo / getnameinfo =====
    /// Error: the host has no address in the requested family.
    EAI_ADDRFAMILY: c_int = -9; // netdb.h (GNU extension)
    /// Error: temporary failure in name resolution.
    EAI_AGAIN: c_int = libc::EAI_AGAIN;
    /// Error: bad value for the flags.
    EAI_BADFLAGS: c_int = libc::EAI_BADFLAGS;
    /// Error: non-recoverable failure in name resolution.
    EAI_FAIL: c_int = libc::EAI_FAIL;
    /// Error: family not supported.
    EAI_FAMILY: c_int = libc::EAI_FAMILY;
    /// Error: out of memory.
    EAI_MEMORY: c_int = libc::EAI_MEMORY;
    /// Error: no address associated with the host name.
    EAI_NODATA: c_int = libc::EAI_NODATA;
    /// Error: name or service not known.
    EAI_NONAME: c_int = libc::EAI_NONAME;
    /// Error: an argument buffer overflowed.
    EAI_OVERFLOW: c_int = libc::EAI_OVERFLOW;
    /// Error: service not supported for the socket kind.
    EAI_SERVICE: c_int = libc::EAI_SERVICE;
    /// Error: socket kind not supported.
    EAI_SOCKTYPE: c_int = libc::EAI_SOCKTYPE;
    /// Error: system error, see `errno`.
    EAI_SYSTEM: c_int = libc::EAI_SYSTEM;
    /// Flag: addresses for `bind` (wildcard when the host is empty).
    AI_PASSIVE: c_int = libc::AI_PASSIVE;
    /// Flag: also return the canonical name.
    AI_CANONNAME: c_int = libc::AI_CANONNAME;
    /// Flag: the host must be a numeric address; no lookup.
    AI_NUMERICHOST: c_int = libc::AI_NUMERICHOST;
    /// Flag: the service must be a port number; no lookup.
    AI_NUMERICSERV: c_int = libc::AI_NUMERICSERV;
    /// Flag: with `AI_V4MAPPED`, return IPv6 and mapped IPv4 addresses.
    AI_ALL: c_int = libc::AI_ALL;
    /// Flag: only families configured on a local interface.
    AI_ADDRCONFIG: c_int = libc::AI_ADDRCONFIG;
    /// Flag: map IPv4 results to IPv6 when no IPv6 address exists.
    AI_V4MAPPED: c_int = libc::AI_V4MAPPED;
    /// Longest host name `getnameinfo` writes, with its NUL.
    NI_MAXHOST: socklen_t = libc::NI_MAXHOST;
    /// Longest service name `getnameinfo` writes, with its NUL.
    NI_MAXSERV: socklen_t = 32; // netdb.h
    /// Flag: only the host part of local names.
    NI_NOFQDN: c_int = libc::NI_NOFQDN;
    /// Flag: numeric host, no reverse lookup.
    NI_NUMERICHOST: c_int = libc::NI_NUMERICHOST;
    /// Flag: fail if the host has no name.
    NI_NAMEREQD: c_int = libc::NI_NAMEREQD;
    /// Flag: numeric service, no lookup.
    NI_NUMERICSERV: c_int = libc::NI_NUMERICSERV;
    /// Flag: the service is a datagram service (UDP).
    NI_DGRAM: c_int = libc::NI_DGRAM;
    /// Flag: decode IDN host names (Python 3.13+).
    NI_IDN: c_int = libc::NI_IDN;

    // ===== shutdown(2) =====
    /// Shut down the receiving side.
    SHUT_RD: c_int = libc::SHUT_RD;
    /// Shut down the sending side.
    SHUT_WR: c_int = libc::SHUT_WR;
    /// Shut down both sides.
    SHUT_RDWR: c_int = libc::SHUT_RDWR;

    // ===== errno values the module re-exports =====
    /// Resource temporarily unavailable.
    EAGAIN: c_int = libc::EAGAIN;
    /// Bad file descriptor.
    EBADF: c_int = libc::EBADF;
    /// Operation would block (same value as `EAGAIN` on Linux).
    EWOULDBLOCK: c_int = libc::EWOULDBLOCK;

    // ===== AF_NETLINK protocols =====
    /// Routing and link updates (rtnetlink).
    NETLINK_ROUTE: c_int = libc::NETLINK_ROUTE;
    /// Reserved for user-mode protocols.
    NETLINK_USERSOCK: c_int = libc::NETLINK_USERSOCK;
    /// Historical firewall packet queue.
    NETLINK_FIREWALL: c_int = libc::NETLINK_FIREWALL;
    /// Netfilter/iptables ULOG.
    NETLINK_NFLOG: c_int = libc::NETLINK_NFLOG;
    /// IPsec (xfrm).
    NETLINK_XFRM: c_int = libc::NETLINK_XFRM;
    /// Historical IPv6 firewall.
    NETLINK_IP6_FW: c_int = libc::NETLINK_IP6_FW;
    /// DECnet routing messages.
    NETLINK_DNRTMSG: c_int = libc::NETLINK_DNRTMSG;
    /// Kernel crypto API configuration.
    NETLINK_CRYPTO: c_int = libc::NETLINK_CRYPTO;

    // ===== AF_PACKET =====
    /// Packet type: to us.
    PACKET_HOST: u8 = libc::PACKET_HOST;
    /// Packet type: to everyone (broadcast).
    PACKET_BROADCAST: u8 = libc::PACKET_BROADCAST;
    /// Packet type: to a group (multicast).
    PACKET_MULTICAST: u8 = libc::PACKET_MULTICAST;
    /// Packet type: to someone else (promiscuous mode).
    PACKET_OTHERHOST: u8 = libc::PACKET_OTHERHOST;
    /// Packet type: sent by us.
    PACKET_OUTGOING: u8 = libc::PACKET_OUTGOING;
    /// Packet type: looped back.
    PACKET_LOOPBACK: u8 = libc::PACKET_LOOPBACK;
    /// Packet type: fast-routed (historical).
    PACKET_FASTROUTE: u8 = 6; // linux/if_packet.h
    /// Protocol: every Ethernet frame (pass through `htons`) (Python 3.12+).
    ETH_P_ALL: c_int = libc::ETH_P_ALL;
    /// EtherType of ARP (Python 3.12+).
    ETHERTYPE_ARP: u16 = 0x0806; // net/ethernet.h
    /// EtherType of IPv4 (Python 3.12+).
    ETHERTYPE_IP: u16 = 0x0800; // net/ethernet.h
    /// EtherType of IPv6 (Python 3.12+).
    ETHERTYPE_IPV6: u16 = 0x86dd; // net/ethernet.h
    /// EtherType of an IEEE 802.1Q VLAN tag (Python 3.12+).
    ETHERTYPE_VLAN: u16 = 0x8100; // net/ethernet.h

    // ===== AF_CAN =====
    /// Protocol: raw CAN frames.
    CAN_RAW: c_int = libc::CAN_RAW;
    /// Protocol: broadcast manager.
    CAN_BCM: c_int = libc::CAN_BCM;
    /// Protocol: ISO 15765-2 transport.
    CAN_ISOTP: c_int = libc::CAN_ISOTP;
    /// Protocol: SAE J1939.
    CAN_J1939: c_int = libc::CAN_J1939;
    /// Identifier flag: 29-bit extended frame.
    CAN_EFF_FLAG: u32 = libc::CAN_EFF_FLAG;
    /// Identifier flag: remote transmission request.
    CAN_RTR_FLAG: u32 = libc::CAN_RTR_FLAG;
    /// Identifier flag: error frame.
    CAN_ERR_FLAG: u32 = libc::CAN_ERR_FLAG;
    /// Mask of an 11-bit standard identifier.
    CAN_SFF_MASK: u32 = libc::CAN_SFF_MASK;
    /// Mask of a 29-bit extended identifier.
    CAN_EFF_MASK: u32 = libc::CAN_EFF_MASK;
    /// Mask of the error class bits.
    CAN_ERR_MASK: u32 = libc::CAN_ERR_MASK;
    /// CAN_RAW option: receive filters.
    CAN_RAW_FILTER: c_int = libc::CAN_RAW_FILTER;
    /// CAN_RAW option: error frame filter (in Python up to 3.10, again from 3.14).
    CAN_RAW_ERR_FILTER: c_int = libc::CAN_RAW_ERR_FILTER;
    /// CAN_RAW option: loop sent frames back locally.
    CAN_RAW_LOOPBACK: c_int = libc::CAN_RAW_LOOPBACK;
    /// CAN_RAW option: receive our own sent frames.
    CAN_RAW_RECV_OWN_MSGS: c_int = libc::CAN_RAW_RECV_OWN_MSGS;
    /// CAN_RAW option: allow CAN FD frames.
    CAN_RAW_FD_FRAMES: c_int = libc::CAN_RAW_FD_FRAMES;
    /// CAN_RAW option: all filters must match.
    CAN_RAW_JOIN_FILTERS: c_int = libc::CAN_RAW_JOIN_FILTERS;
    /// BCM opcode: create or update a cyclic transmission.
    CAN_BCM_TX_SETUP: u32 = 1; // linux/can/bcm.h (TX_SETUP)
    /// BCM opcode: remove a cyclic transmission.
    CAN_BCM_TX_DELETE: u32 = 2; // linux/can/bcm.h (TX_DELETE)
    /// BCM opcode: read a cyclic transmission.
    CAN_BCM_TX_READ: u32 = 3; // linux/can/bcm.h (TX_READ)
    /// BCM opcode: send one frame.
    CAN_BCM_TX_SEND: u32 = 4; // linux/can/bcm.h (TX_SEND)
    /// BCM opcode: create or update a receive filter.
    CAN_BCM_RX_SETUP: u32 = 5; // linux/can/bcm.h (RX_SETUP)
    /// BCM opcode: remove a receive filter.
    CAN_BCM_RX_DELETE: u32 = 6; // linux/can/bcm.h (RX_DELETE)
    /// BCM opcode: read a receive filter.
    CAN_BCM_RX_READ: u32 = 7; // linux/can/bcm.h (RX_READ)
    /// BCM reply: status of a transmission.
    CAN_BCM_TX_STATUS: u32 = 8; // linux/can/bcm.h (TX_STATUS)
    /// BCM notice: a counted transmission finished.
    CAN_BCM_TX_EXPIRED: u32 = 9; // linux/can/bcm.h (TX_EXPIRED)
    /// BCM reply: status of a receive filter.
    CAN_BCM_RX_STATUS: u32 = 10; // linux/can/bcm.h (RX_STATUS)
    /// BCM notice: cyclic reception timed out.
    CAN_BCM_RX_TIMEOUT: u32 = 11; // linux/can/bcm.h (RX_TIMEOUT)
    /// BCM notice: received data changed.
    CAN_BCM_RX_CHANGED: u32 = 12; // linux/can/bcm.h (RX_CHANGED)
    /// BCM flag: set the timer values.
    CAN_BCM_SETTIMER: u32 = 0x0001; // linux/can/bcm.h (SETTIMER)
    /// BCM flag: start the timer.
    CAN_BCM_STARTTIMER: u32 = 0x0002; // linux/can/bcm.h (STARTTIMER)
    /// BCM flag: notify when the count expires.
    CAN_BCM_TX_COUNTEVT: u32 = 0x0004; // linux/can/bcm.h (TX_COUNTEVT)
    /// BCM flag: send changed data at once.
    CAN_BCM_TX_ANNOUNCE: u32 = 0x0008; // linux/can/bcm.h (TX_ANNOUNCE)
    /// BCM flag: copy the CAN id from the message head.
    CAN_BCM_TX_CP_CAN_ID: u32 = 0x0010; // linux/can/bcm.h (TX_CP_CAN_ID)
    /// BCM flag: filter by CAN id only.
    CAN_BCM_RX_FILTER_ID: u32 = 0x0020; // linux/can/bcm.h (RX_FILTER_ID)
    /// BCM flag: also report data length changes.
    CAN_BCM_RX_CHECK_DLC: u32 = 0x0040; // linux/can/bcm.h (RX_CHECK_DLC)
    /// BCM flag: do not restart the timeout timer automatically.
    CAN_BCM_RX_NO_AUTOTIMER: u32 = 0x0080; // linux/can/bcm.h (RX_NO_AUTOTIMER)
    /// BCM flag: announce a resumed reception.
    CAN_BCM_RX_ANNOUNCE_RESUME: u32 = 0x0100; // linux/can/bcm.h (RX_ANNOUNCE_RESUME)
    /// BCM flag: restart the multi-frame index.
    CAN_BCM_TX_RESET_MULTI_IDX: u32 = 0x0200; // linux/can/bcm.h (TX_RESET_MULTI_IDX)
    /// BCM flag: answer remote transmission requests.
    CAN_BCM_RX_RTR_FRAME: u32 = 0x0400; // linux/can/bcm.h (RX_RTR_FRAME)
    /// BCM flag: the frames are CAN FD frames.
    CAN_BCM_CAN_FD_FRAME: u32 = 0x0800; // linux/can/bcm.h (CAN_FD_FRAME)

    // ===== CAN_J1939 =====
    /// Highest unicast address.
    J1939_MAX_UNICAST_ADDR: u8 = libc::J1939_MAX_UNICAST_ADDR;
    /// Address of a node that has not claimed one.
    J1939_IDLE_ADDR: u8 = libc::J1939_IDLE_ADDR;
    /// No address (broadcast destination).
    J1939_NO_ADDR: u8 = libc::J1939_NO_ADDR;
    /// No NAME.
    J1939_NO_NAME: u64 = libc::J1939_NO_NAME;
    /// PGN of a Request.
    J1939_PGN_REQUEST: u32 = libc::J1939_PGN_REQUEST;
    /// PGN of Address Claimed.
    J1939_PGN_ADDRESS_CLAIMED: u32 = libc::J1939_PGN_ADDRESS_CLAIMED;
    /// PGN of Commanded Address.
    J1939_PGN_ADDRESS_COMMANDED: u32 = libc::J1939_PGN_ADDRESS_COMMANDED;
    /// Highest PDU1 (destination-specific) PGN.
    J1939_PGN_PDU1_MAX: u32 = libc::J1939_PGN_PDU1_MAX;
    /// Highest PGN.
    J1939_PGN_MAX: u32 = libc::J1939_PGN_MAX;
    /// No PGN.
    J1939_NO_PGN: u32 = libc::J1939_NO_PGN;
    /// Option (level `SOL_CAN_J1939`): receive filters.
    SO_J1939_FILTER: c_int = libc::SO_J1939_FILTER;
    /// Option: promiscuous mode.
    SO_J1939_PROMISC: c_int = libc::SO_J1939_PROMISC;
    /// Option: priority of sent frames.
    SO_J1939_SEND_PRIO: c_int = libc::SO_J1939_SEND_PRIO;
    /// Option: report errors on the error queue.
    SO_J1939_ERRQUEUE: c_int = libc::SO_J1939_ERRQUEUE;
    /// Ancillary data: destination address.
    SCM_J1939_DEST_ADDR: c_int = libc::SCM_J1939_DEST_ADDR;
    /// Ancillary data: destination NAME.
    SCM_J1939_DEST_NAME: c_int = libc::SCM_J1939_DEST_NAME;
    /// Ancillary data: priority.
    SCM_J1939_PRIO: c_int = libc::SCM_J1939_PRIO;
    /// Ancillary data: error queue entry.
    SCM_J1939_ERRQUEUE: c_int = libc::SCM_J1939_ERRQUEUE;
    /// Netlink attribute: padding.
    J1939_NLA_PAD: c_int = libc::J1939_NLA_PAD;
    /// Netlink attribute: bytes acknowledged.
    J1939_NLA_BYTES_ACKED: c_int = libc::J1939_NLA_BYTES_ACKED;
    /// Error-queue info: none.
    J1939_EE_INFO_NONE: c_int = libc::J1939_EE_INFO_NONE;
    /// Error-queue info: transmission aborted.
    J1939_EE_INFO_TX_ABORT: c_int = libc::J1939_EE_INFO_TX_ABORT;
    /// Most filters one socket may set.
    J1939_FILTER_MAX: c_int = libc::J1939_FILTER_MAX;

    // ===== AF_TIPC =====
    /// Address type: service range.
    TIPC_ADDR_NAMESEQ: c_int = 1; // linux/tipc.h
    /// Address type: service.
    TIPC_ADDR_NAME: c_int = 2; // linux/tipc.h
    /// Address type: socket id.
    TIPC_ADDR_ID: c_int = 3; // linux/tipc.h
    /// Scope: zone.
    TIPC_ZONE_SCOPE: c_int = 1; // linux/tipc.h
    /// Scope: cluster.
    TIPC_CLUSTER_SCOPE: c_int = 2; // linux/tipc.h
    /// Scope: node.
    TIPC_NODE_SCOPE: c_int = 3; // linux/tipc.h
    /// Option: message importance.
    TIPC_IMPORTANCE: c_int = 127; // linux/tipc.h
    /// Option: drop messages from this source when congested.
    TIPC_SRC_DROPPABLE: c_int = 128; // linux/tipc.h
    /// Option: drop undeliverable messages rather than return them.
    TIPC_DEST_DROPPABLE: c_int = 129; // linux/tipc.h
    /// Option: connect timeout in milliseconds.
    TIPC_CONN_TIMEOUT: c_int = 130; // linux/tipc.h
    /// Importance: low.
    TIPC_LOW_IMPORTANCE: c_int = 0; // linux/tipc.h
    /// Importance: medium.
    TIPC_MEDIUM_IMPORTANCE: c_int = 1; // linux/tipc.h
    /// Importance: high.
    TIPC_HIGH_IMPORTANCE: c_int = 2; // linux/tipc.h
    /// Importance: critical.
    TIPC_CRITICAL_IMPORTANCE: c_int = 3; // linux/tipc.h
    /// Subscription: report each port.
    TIPC_SUB_PORTS: c_int = 1; // linux/tipc.h
    /// Subscription: report the service as a whole.
    TIPC_SUB_SERVICE: c_int = 2; // linux/tipc.h
    /// Subscription: cancel.
    TIPC_SUB_CANCEL: c_int = 4; // linux/tipc.h
    /// Subscription timeout: never (`~0`, which is -1 as a C int).
    TIPC_WAIT_FOREVER: c_int = -1; // linux/tipc.h
    /// Event: a service was published.
    TIPC_PUBLISHED: c_int = 1; // linux/tipc.h
    /// Event: a service was withdrawn.
    TIPC_WITHDRAWN: c_int = 2; // linux/tipc.h
    /// Event: the subscription timed out.
    TIPC_SUBSCR_TIMEOUT: c_int = 3; // linux/tipc.h
    /// Well-known service: configuration.
    TIPC_CFG_SRV: c_int = 0; // linux/tipc.h
    /// Well-known service: topology.
    TIPC_TOP_SRV: c_int = 1; // linux/tipc.h

    // ===== AF_ALG =====
    /// Option: set the key.
    ALG_SET_KEY: c_int = libc::ALG_SET_KEY;
    /// Ancillary data: initialisation vector.
    ALG_SET_IV: c_int = libc::ALG_SET_IV;
    /// Ancillary data: operation (`ALG_OP_*`).
    ALG_SET_OP: c_int = libc::ALG_SET_OP;
    /// Ancillary data: AEAD associated-data length.
    ALG_SET_AEAD_ASSOCLEN: c_int = libc::ALG_SET_AEAD_ASSOCLEN;
    /// Option: AEAD authentication tag size.
    ALG_SET_AEAD_AUTHSIZE: c_int = libc::ALG_SET_AEAD_AUTHSIZE;
    /// Option: set a public key.
    ALG_SET_PUBKEY: c_int = 6; // linux/if_alg.h
    /// Operation: decrypt.
    ALG_OP_DECRYPT: c_int = libc::ALG_OP_DECRYPT;
    /// Operation: encrypt.
    ALG_OP_ENCRYPT: c_int = libc::ALG_OP_ENCRYPT;
    /// Operation: sign.
    ALG_OP_SIGN: c_int = 2; // linux/if_alg.h
    /// Operation: verify.
    ALG_OP_VERIFY: c_int = 3; // linux/if_alg.h

    // ===== AF_VSOCK =====
    /// Option (level `AF_VSOCK`): buffer size.
    SO_VM_SOCKETS_BUFFER_SIZE: c_int = 0; // linux/vm_sockets.h
    /// Option: minimum buffer size.
    SO_VM_SOCKETS_BUFFER_MIN_SIZE: c_int = 1; // linux/vm_sockets.h
    /// Option: maximum buffer size.
    SO_VM_SOCKETS_BUFFER_MAX_SIZE: c_int = 2; // linux/vm_sockets.h
    /// Context id: any (bind to every CID).
    VMADDR_CID_ANY: u32 = libc::VMADDR_CID_ANY;
    /// Port: any (let the kernel choose).
    VMADDR_PORT_ANY: u32 = libc::VMADDR_PORT_ANY;
    /// Context id: local loopback (Python 3.14+).
    VMADDR_CID_LOCAL: u32 = libc::VMADDR_CID_LOCAL;
    /// Context id: the host.
    VMADDR_CID_HOST: u32 = libc::VMADDR_CID_HOST;
    /// Invalid VMCI version.
    VM_SOCKETS_INVALID_VERSION: u32 = 0xffff_ffff; // linux/vm_sockets.h
    /// `ioctl` on `/dev/vsock`: this machine's context id.
    IOCTL_VM_SOCKETS_GET_LOCAL_CID: c_ulong = 0x7b9; // linux/vm_sockets.h: _IO(7, 0xb9)

    // ===== Bluetooth (only in Pythons built with the BlueZ headers) =====
    /// Protocol: L2CAP.
    BTPROTO_L2CAP: c_int = 0; // bluetooth/bluetooth.h
    /// Protocol: HCI.
    BTPROTO_HCI: c_int = 1; // bluetooth/bluetooth.h
    /// Protocol: SCO.
    BTPROTO_SCO: c_int = 2; // bluetooth/bluetooth.h
    /// Protocol: RFCOMM.
    BTPROTO_RFCOMM: c_int = 3; // bluetooth/bluetooth.h
    /// HCI option: report the direction of packets.
    HCI_DATA_DIR: c_int = 1; // bluetooth/hci.h
    /// HCI option: event filter.
    HCI_FILTER: c_int = 2; // bluetooth/hci.h
    /// HCI option: time-stamp packets.
    HCI_TIME_STAMP: c_int = 3; // bluetooth/hci.h
}
