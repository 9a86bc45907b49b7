//! Every family and kind that works on this kernel: IPv4 and IPv6, UNIX (pathname, abstract,
//! unnamed) × stream, datagram, seqpacket; netlink, packet and raw sockets where privileges
//! allow. What the kernel lacks is reported as SKIPPED with the reason.

mod blocking_util;

use std::time::Duration;

use asock::blocking::Socket;
use asock::{AddressFamily, NetlinkAddr, PacketAddr, Protocol, SockAddr, SocketKind, UnixAddr};
use blocking_util::*;

const STREAMISH: [SocketKind; 2] = [SocketKind::SOCK_STREAM, SocketKind::SOCK_SEQPACKET];

/// Connects a `kind` socket to a listener bound at `at`, exchanges two messages each way and
/// returns the addresses both sides saw.
fn connected_exchange(
    family: AddressFamily,
    kind: SocketKind,
    at: &SockAddr,
) -> (SockAddr, SockAddr) {
    let l = sock(family, kind);
    l.bind(at).unwrap();
    l.listen(None).unwrap();
    let target = l.local_addr().unwrap();
    let c = sock(family, kind);
    c.set_timeout(Some(PATIENCE)).unwrap();
    c.connect(&target).unwrap();
    let (s, peer) = l.accept().unwrap();
    s.set_timeout(Some(PATIENCE)).unwrap();
    c.send_all(b"first").unwrap();
    s.send_all(b"reply").unwrap();
    assert_eq!(s.recv(5).unwrap(), b"first");
    assert_eq!(c.recv(5).unwrap(), b"reply");
    if kind == SocketKind::SOCK_SEQPACKET {
        // Message boundaries are kept: two sends, two receives.
        c.send(b"one").unwrap();
        c.send(b"two").unwrap();
        assert_eq!(s.recv(100).unwrap(), b"one");
        assert_eq!(s.recv(100).unwrap(), b"two");
    }
    (target, peer)
}

/// Sends a datagram from a socket bound at `from` to one bound at `to`; returns what the
/// receiver saw as the sender.
fn datagram_exchange(family: AddressFamily, from: &SockAddr, to: &SockAddr) -> SockAddr {
    let (a, b) = (sock(family, SocketKind::SOCK_DGRAM), sock(family, SocketKind::SOCK_DGRAM));
    a.bind(from).unwrap();
    b.bind(to).unwrap();
    b.set_timeout(Some(PATIENCE)).unwrap();
    a.send_to(b"datagram", &b.local_addr().unwrap()).unwrap();
    let (data, sender) = b.recv_from(64).unwrap();
    assert_eq!(data, b"datagram");
    assert_eq!(sender, a.local_addr().unwrap());
    sender
}

// ===== IP =====

#[test]
fn inet_stream_connects_and_exchanges() {
    let (target, peer) =
        connected_exchange(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, &addr("127.0.0.1:0"));
    assert_eq!(target.family(), AddressFamily::AF_INET);
    assert_eq!(peer.family(), AddressFamily::AF_INET);
}

#[test]
fn inet6_stream_connects_and_exchanges() {
    let (target, _) =
        connected_exchange(AddressFamily::AF_INET6, SocketKind::SOCK_STREAM, &addr("[::1]:0"));
    assert_eq!(target.family(), AddressFamily::AF_INET6);
}

#[test]
fn inet_dgram_exchanges() {
    datagram_exchange(AddressFamily::AF_INET, &addr("127.0.0.1:0"), &addr("127.0.0.1:0"));
}

#[test]
fn inet6_dgram_exchanges() {
    datagram_exchange(AddressFamily::AF_INET6, &addr("[::1]:0"), &addr("[::1]:0"));
}

#[test]
fn inet_seqpacket_needs_sctp() {
    for family in [AddressFamily::AF_INET, AddressFamily::AF_INET6] {
        match Socket::new(family, SocketKind::SOCK_SEQPACKET, Protocol::from(0)) {
            Ok(_) => {
                connected_exchange(
                    family,
                    SocketKind::SOCK_SEQPACKET,
                    &addr(if family == AddressFamily::AF_INET { "127.0.0.1:0" } else { "[::1]:0" }),
                );
            }
            Err(e) => {
                let errno = e.raw_os_error().unwrap();
                assert!([libc::EPROTONOSUPPORT, libc::ESOCKTNOSUPPORT].contains(&errno), "{e}");
                skipped(&format!("{family} SOCK_SEQPACKET: no SCTP in this kernel ({e})"));
            }
        }
    }
}

#[test]
fn inet6_dual_stack_socket_accepts_ipv4_mapped_peers() {
    let l = tcp6();
    l.options().set_only_v6(false).unwrap();
    l.bind(&addr("[::]:0")).unwrap();
    l.listen(None).unwrap();
    let port = l.local_addr().unwrap().port().unwrap();
    let c = tcp4();
    c.connect(&addr(&format!("127.0.0.1:{port}"))).unwrap();
    let (_, peer) = l.accept().unwrap();
    assert_eq!(
        peer.to_string(),
        format!("[::ffff:127.0.0.1]:{}", c.local_addr().unwrap().port().unwrap())
    );
}

// ===== UNIX =====

#[test]
fn unix_pathname_stream_and_seqpacket_connect_and_exchange() {
    for kind in STREAMISH {
        let path = temp_path("path");
        let at: SockAddr = UnixAddr::pathname(&path).into();
        let (target, peer) = connected_exchange(AddressFamily::AF_UNIX, kind, &at);
        assert_eq!(target, at, "{kind}");
        assert_eq!(peer, SockAddr::Unix(UnixAddr::Unnamed), "an unbound client is unnamed");
        std::fs::remove_file(&path).unwrap();
    }
}

#[test]
fn unix_pathname_dgram_exchanges() {
    let (pa, pb) = (temp_path("pa"), temp_path("pb"));
    let sender = datagram_exchange(
        AddressFamily::AF_UNIX,
        &UnixAddr::pathname(&pa).into(),
        &UnixAddr::pathname(&pb).into(),
    );
    assert_eq!(sender, UnixAddr::pathname(&pa).into());
    let _ = std::fs::remove_file(pa);
    let _ = std::fs::remove_file(pb);
}

/// A peer bound to a 108-byte path (the kernel takes one unterminated from C; Python and asock
/// refuse to name one) loses nothing: its datagrams (`recv_from`, `recv_msg`) and its
/// connection arrive, and its address comes back as the kernel's bytes (`SockAddr::Other`),
/// not as an error after the fact.
#[test]
fn unix_peers_bound_to_a_108_byte_path_lose_nothing() {
    let dir = temp_path("long-dir");
    std::fs::create_dir(&dir).unwrap();
    let (dgram_at, stream_at) = (dir.join("d.sock"), dir.join("s.sock"));
    let b = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM);
    b.bind(&UnixAddr::pathname(&dgram_at).into()).unwrap();
    b.set_timeout(Some(PATIENCE)).unwrap();
    let l = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM);
    l.bind(&UnixAddr::pathname(&stream_at).into()).unwrap();
    l.listen(None).unwrap();
    l.set_timeout(Some(PATIENCE)).unwrap();

    // Python binds through libc directly (its own bind refuses the length), relative to `dir`.
    let script = r#"
import ctypes, socket, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
def bind_long(s, name):
    addr = struct.pack('H', socket.AF_UNIX) + name * 108
    if libc.bind(s.fileno(), addr, len(addr)) != 0:
        sys.exit('bind: errno %d' % ctypes.get_errno())
d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
bind_long(d, b'd')
d.sendto(b'datagram', sys.argv[1])
d.sendto(b'message', sys.argv[1])
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
bind_long(s, b's')
s.connect(sys.argv[2])
s.sendall(b'stream')
s.close()
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&dgram_at)
        .arg(&stream_at)
        .current_dir(&dir)
        .output()
        .expect("python3");
    assert!(out.status.success(), "python: {}", String::from_utf8_lossy(&out.stderr));

    let is_long_path = |addr: &SockAddr, byte: u8| {
        matches!(addr, SockAddr::Other(o)
            if o.family == AddressFamily::AF_UNIX && o.data.starts_with(&[byte; 108]))
    };
    let (data, sender) = b.recv_from(64).unwrap();
    assert_eq!(data, b"datagram");
    assert!(is_long_path(&sender, b'd'), "{sender:?}");
    let msg = b.recv_msg(64, 0, 0).unwrap();
    assert_eq!(msg.data, b"message");
    assert!(msg.addr.as_ref().is_some_and(|a| is_long_path(a, b'd')), "{:?}", msg.addr);
    let (conn, peer) = l.accept().unwrap();
    assert!(is_long_path(&peer, b's'), "{peer:?}");
    assert!(is_long_path(&conn.peer_addr().unwrap(), b's'));
    conn.set_timeout(Some(PATIENCE)).unwrap();
    assert_eq!(conn.recv(64).unwrap(), b"stream");
    let _ = std::fs::remove_dir_all(&dir);
}

fn abstract_name(tag: &str) -> UnixAddr {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    UnixAddr::abstract_name(format!("asock-test-{}-{tag}-{n}", std::process::id()))
}

#[test]
fn unix_abstract_stream_and_seqpacket_connect_and_exchange() {
    for kind in STREAMISH {
        let at: SockAddr = abstract_name("abs").into();
        let (target, _) = connected_exchange(AddressFamily::AF_UNIX, kind, &at);
        assert_eq!(target, at, "{kind}");
    }
}

#[test]
fn unix_abstract_dgram_exchanges() {
    let (a, b) = (abstract_name("da"), abstract_name("db"));
    let sender = datagram_exchange(AddressFamily::AF_UNIX, &a.clone().into(), &b.into());
    assert_eq!(sender, a.into());
}

#[test]
fn unix_abstract_name_with_embedded_nul_bytes_round_trips() {
    let name = UnixAddr::abstract_name(b"asock\0with\0nuls");
    let s = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM);
    s.bind(&name.clone().into()).unwrap();
    assert_eq!(s.local_addr().unwrap(), name.into());
}

#[test]
fn unix_bind_to_unnamed_autobinds_an_abstract_name() {
    // Python: sock.bind('') on AF_UNIX gives a kernel-chosen name like b'\0' + 5 hex digits.
    let s = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM);
    s.bind(&UnixAddr::Unnamed.into()).unwrap();
    match s.local_addr().unwrap() {
        SockAddr::Unix(UnixAddr::Abstract(name)) => assert_eq!(name.len(), 5, "{name:?}"),
        other => panic!("expected an autobound abstract name, got {other:?}"),
    }
}

#[test]
fn unix_unnamed_pairs_of_every_kind_exchange() {
    for kind in [SocketKind::SOCK_STREAM, SocketKind::SOCK_DGRAM, SocketKind::SOCK_SEQPACKET] {
        let (a, b) = Socket::pair(AddressFamily::AF_UNIX, kind, Protocol::from(0)).unwrap();
        assert_eq!(a.local_addr().unwrap(), SockAddr::Unix(UnixAddr::Unnamed));
        a.send(b"pair").unwrap();
        assert_eq!(b.recv(16).unwrap(), b"pair", "{kind}");
    }
}

// ===== netlink =====

/// Appends a u16/u32 in native order (netlink is host-endian).
fn push_u16(buf: &mut Vec<u8>, v: u16) {
    buf.extend_from_slice(&v.to_ne_bytes());
}
fn push_u32(buf: &mut Vec<u8>, v: u32) {
    buf.extend_from_slice(&v.to_ne_bytes());
}
fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_ne_bytes([b[at], b[at + 1]])
}
fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes(b[at..at + 4].try_into().unwrap())
}

#[test]
fn netlink_route_dump_lists_the_loopback_interface() {
    let s = Socket::new(
        AddressFamily::AF_NETLINK,
        SocketKind::SOCK_RAW,
        Protocol::from(libc::NETLINK_ROUTE),
    )
    .unwrap();
    s.bind(&SockAddr::Netlink(NetlinkAddr { pid: 0, groups: 0 })).unwrap();
    assert!(
        matches!(s.local_addr().unwrap(), SockAddr::Netlink(a) if a.pid != 0),
        "kernel assigns a port id"
    );
    s.set_timeout(Some(PATIENCE)).unwrap();

    // struct nlmsghdr + struct ifinfomsg: RTM_GETLINK, dump everything.
    let mut req = Vec::new();
    push_u32(&mut req, 32);
    push_u16(&mut req, libc::RTM_GETLINK);
    push_u16(&mut req, (libc::NLM_F_REQUEST | libc::NLM_F_DUMP) as u16);
    push_u32(&mut req, 1); // seq
    push_u32(&mut req, 0); // pid
    req.extend_from_slice(&[0u8; 16]); // ifinfomsg: AF_UNSPEC, all zero
    let kernel = SockAddr::Netlink(NetlinkAddr { pid: 0, groups: 0 });
    assert_eq!(s.send_to(&req, &kernel).unwrap(), 32);

    let mut names = Vec::new();
    'dump: loop {
        let (msg, from) = s.recv_from(1 << 16).unwrap();
        assert_eq!(from, kernel, "replies come from the kernel");
        let mut at = 0;
        while at + 16 <= msg.len() {
            let len = u32_at(&msg, at) as usize;
            let kind = u16_at(&msg, at + 4);
            assert!(len >= 16 && at + len <= msg.len(), "malformed netlink message");
            match i32::from(kind) {
                libc::NLMSG_DONE => break 'dump,
                libc::NLMSG_ERROR => panic!("netlink error reply"),
                _ if kind == libc::RTM_NEWLINK => {
                    // Attributes follow the 16-byte ifinfomsg, each 4-byte aligned.
                    let mut a = at + 16 + 16;
                    while a + 4 <= at + len {
                        let (alen, atype) = (u16_at(&msg, a) as usize, u16_at(&msg, a + 2));
                        if alen < 4 {
                            break;
                        }
                        if atype == libc::IFLA_IFNAME {
                            let raw = &msg[a + 4..a + alen];
                            let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
                            names.push(String::from_utf8_lossy(&raw[..end]).into_owned());
                        }
                        a += (alen + 3) & !3;
                    }
                }
                _ => {}
            }
            at += (len + 3) & !3;
        }
    }
    assert!(names.iter().any(|n| n == "lo"), "interfaces: {names:?}");
}

// ===== packet and raw sockets =====

fn lo_index() -> i32 {
    std::fs::read_to_string("/sys/class/net/lo/ifindex").unwrap().trim().parse().unwrap()
}

/// Creates a socket that needs privilege, or reports the skip.
fn privileged(
    family: AddressFamily,
    kind: SocketKind,
    proto: Protocol,
    what: &str,
) -> Option<Socket> {
    match Socket::new(family, kind, proto) {
        Ok(s) => Some(s),
        Err(e) if matches!(e.raw_os_error(), Some(libc::EPERM | libc::EACCES)) => {
            skipped(&format!("{what} needs CAP_NET_RAW: {e}"));
            None
        }
        Err(e) => panic!("{what}: {e}"),
    }
}

#[test]
fn packet_socket_on_loopback_sees_a_udp_datagram() {
    const ETH_P_ALL: u16 = 0x0003;
    const ETH_P_IP: u16 = 0x0800;
    let proto = Protocol::from(i32::from(ETH_P_ALL.to_be()));
    let Some(p) = privileged(AddressFamily::AF_PACKET, SocketKind::SOCK_DGRAM, proto, "AF_PACKET")
    else {
        return;
    };
    let lo = lo_index();
    p.bind(&SockAddr::Packet(PacketAddr {
        ifindex: lo,
        protocol: ETH_P_ALL,
        ..Default::default()
    }))
    .unwrap();
    let marker = format!("asock-packet-{}", std::process::id());
    let (tx, rx) = (bound_udp(AddressFamily::AF_INET), bound_udp(AddressFamily::AF_INET));
    // The packet socket sees every frame on lo, from every test running beside this one; when
    // they flood it the kernel drops frames past its buffer, ours among them. A bigger buffer
    // and a re-send whenever a wait goes by without our frame keep the test honest under load.
    p.options().set_recv_buffer_size(4 << 20).unwrap();
    let send = || tx.send_to(marker.as_bytes(), &rx.local_addr().unwrap()).unwrap();
    send();
    p.set_timeout(Some(Duration::from_millis(200))).unwrap();
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        assert!(std::time::Instant::now() < deadline, "the datagram never showed up");
        let Ok((frame, from)) = p.recv_from(65536) else {
            send();
            continue;
        };
        if frame.windows(marker.len()).any(|w| w == marker.as_bytes()) {
            let SockAddr::Packet(from) = from else { panic!("{from:?}") };
            assert_eq!(from.ifindex, lo);
            assert_eq!(from.protocol, ETH_P_IP);
            assert_eq!(frame[0] >> 4, 4, "SOCK_DGRAM strips the link header: an IPv4 packet");
            return;
        }
    }
}

fn icmp_checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = data
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

#[test]
fn raw_icmp_socket_pings_loopback() {
    let Some(s) = privileged(
        AddressFamily::AF_INET,
        SocketKind::SOCK_RAW,
        Protocol::IPPROTO_ICMP,
        "SOCK_RAW",
    ) else {
        return;
    };
    let id = (std::process::id() & 0xffff) as u16;
    let seq: u16 = 0x5a5a;
    let mut echo = vec![8u8, 0, 0, 0];
    echo.extend_from_slice(&id.to_be_bytes());
    echo.extend_from_slice(&seq.to_be_bytes());
    echo.extend_from_slice(b"asock ping payload");
    let sum = icmp_checksum(&echo);
    echo[2..4].copy_from_slice(&sum.to_be_bytes());
    s.send_to(&echo, &addr("127.0.0.1:0")).unwrap();
    s.set_timeout(Some(Duration::from_millis(200))).unwrap();
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        assert!(std::time::Instant::now() < deadline, "no echo reply");
        let Ok((packet, from)) = s.recv_from(2048) else { continue };
        // A raw IPv4 socket receives the IP header too.
        let icmp = &packet[usize::from(packet[0] & 0x0f) * 4..];
        let is_our_reply =
            icmp[0] == 0 && icmp[4..6] == id.to_be_bytes() && icmp[6..8] == seq.to_be_bytes();
        if is_our_reply {
            assert_eq!(from, addr("127.0.0.1:0"));
            assert!(icmp.ends_with(b"asock ping payload"));
            return;
        }
    }
}

// ===== families this kernel may lack =====

/// Creates a socket of a family the kernel may lack; reports SKIPPED when it does.
fn family_or_skip(
    family: AddressFamily,
    kind: SocketKind,
    proto: i32,
    name: &str,
) -> Option<Socket> {
    match Socket::new(family, kind, Protocol::from(proto)) {
        Ok(s) => {
            assert_eq!(s.family(), family);
            assert_eq!(s.kind(), kind);
            println!("{name}: available");
            Some(s)
        }
        Err(e) if e.raw_os_error() == Some(libc::EAFNOSUPPORT) => {
            skipped(&format!("{name}: this kernel lacks the family ({e})"));
            None
        }
        Err(e)
            if matches!(
                e.raw_os_error(),
                Some(libc::EPERM | libc::EACCES | libc::EPROTONOSUPPORT | libc::ESOCKTNOSUPPORT)
            ) =>
        {
            skipped(&format!("{name}: present but not usable here ({e})"));
            None
        }
        Err(e) => panic!("{name}: {e}"),
    }
}

#[test]
fn af_alg_is_created_or_skipped() {
    family_or_skip(AddressFamily::AF_ALG, SocketKind::SOCK_SEQPACKET, 0, "AF_ALG");
}

#[test]
fn af_tipc_is_created_or_skipped() {
    family_or_skip(AddressFamily::AF_TIPC, SocketKind::SOCK_RDM, 0, "AF_TIPC");
}

#[test]
fn af_can_is_created_or_skipped() {
    family_or_skip(AddressFamily::AF_CAN, SocketKind::SOCK_RAW, 1 /* CAN_RAW */, "AF_CAN");
}

#[test]
fn af_rds_is_created_or_skipped() {
    family_or_skip(AddressFamily::AF_RDS, SocketKind::SOCK_SEQPACKET, 0, "AF_RDS");
}

#[test]
fn af_bluetooth_is_created_or_skipped() {
    family_or_skip(
        AddressFamily::from(31),
        SocketKind::SOCK_STREAM,
        3, /* BTPROTO_RFCOMM */
        "AF_BLUETOOTH",
    );
}

#[test]
fn af_vsock_binds_an_ephemeral_port_or_is_skipped() {
    // vsock has no loopback transport here without the vsock_loopback module, so only
    // naming is checked: binding to VMADDR_PORT_ANY gets a port assigned.
    let Some(s) = family_or_skip(AddressFamily::AF_VSOCK, SocketKind::SOCK_STREAM, 0, "AF_VSOCK")
    else {
        return;
    };
    let any = asock::VsockAddr { cid: u32::MAX, port: u32::MAX };
    s.bind(&SockAddr::Vsock(any)).unwrap();
    match s.local_addr().unwrap() {
        SockAddr::Vsock(a) => assert_ne!(a.port, u32::MAX, "a port was assigned"),
        other => panic!("{other:?}"),
    }
}
