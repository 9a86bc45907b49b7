//! `blocking::Socket`'s ancillary data: `send_msg` / `recv_msg` / `recv_msg_into`,
//! `send_fds` / `recv_fds`, each control message kind on a real socket, and bad input.
//!
//! Fd leaks are checked by counting the entries of /proc/self/fd that point at a file only
//! the test knows, so tests running in parallel cannot disturb the count.

use std::fs::File;
use std::io::{IoSlice, IoSliceMut, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::os::fd::{AsFd, AsRawFd, OwnedFd, RawFd};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use asock::ancillary::{
    cmsg_len, cmsg_space, ControlBuf, ControlMessage, ControlSize, Credentials, IpPktinfo,
};
use asock::blocking::{socketpair, Socket};
use asock::{AddressFamily, ErrorKind, Protocol, SockAddr, SocketKind};

const LIMIT: Duration = Duration::from_secs(5);

// ===== helpers =====

/// A UNIX stream pair whose receives give up after [`LIMIT`].
fn pair() -> (Socket, Socket) {
    let (a, b) = socketpair().unwrap();
    b.set_timeout(Some(LIMIT)).unwrap();
    a.set_timeout(Some(LIMIT)).unwrap();
    (a, b)
}

/// A UDP socket bound to `host` port 0, receives bounded by [`LIMIT`].
fn udp(host: &str) -> Socket {
    let addr: SockAddr = format!("{host}:0").parse().unwrap();
    let s = Socket::new(addr.family(), SocketKind::SOCK_DGRAM, Protocol::from(0)).unwrap();
    s.bind(&addr).unwrap();
    s.set_timeout(Some(LIMIT)).unwrap();
    s
}

/// A UDP socket on `[::1]`, or `None` (after printing why) where IPv6 loopback is missing.
fn udp6() -> Option<Socket> {
    let s = Socket::new(AddressFamily::AF_INET6, SocketKind::SOCK_DGRAM, Protocol::from(0));
    match s.and_then(|s| s.bind(&"[::1]:0".parse().unwrap()).map(|()| s)) {
        Ok(s) => {
            s.set_timeout(Some(LIMIT)).unwrap();
            Some(s)
        }
        Err(e) => {
            println!("SKIPPED: no IPv6 loopback here ({e})");
            None
        }
    }
}

/// A temporary file only this test names, holding `bytes`; removed on drop.
struct TempFile {
    path: PathBuf,
    file: File,
}

impl TempFile {
    fn new(tag: &str, bytes: &[u8]) -> TempFile {
        let path = std::env::temp_dir().join(format!("asock-anc-{tag}-{}", std::process::id()));
        let mut file =
            File::options().read(true).write(true).create(true).truncate(true).open(&path).unwrap();
        file.write_all(bytes).unwrap();
        TempFile { path, file }
    }

    /// How many of this process's fds point at the file.
    fn open_count(&self) -> usize {
        std::fs::read_dir("/proc/self/fd")
            .unwrap()
            .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
            .filter(|target| *target == self.path)
            .count()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether `fd` has `FD_CLOEXEC`, from /proc/self/fdinfo (`flags:` is octal, O_CLOEXEC is
/// 02000000).
fn cloexec(fd: RawFd) -> bool {
    let info = std::fs::read_to_string(format!("/proc/self/fdinfo/{fd}")).unwrap();
    let flags = info.lines().find_map(|l| l.strip_prefix("flags:")).unwrap().trim();
    u32::from_str_radix(flags, 8).unwrap() & 0o2000000 != 0
}

/// Whether this process holds CAP_SYS_ADMIN (bit 21 of `CapEff` in /proc/self/status).
fn has_cap_sys_admin() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let caps = status.lines().find_map(|l| l.strip_prefix("CapEff:")).unwrap().trim();
    u64::from_str_radix(caps, 16).unwrap() & (1 << 21) != 0
}

fn lo_ifindex() -> u32 {
    std::fs::read_to_string("/sys/class/net/lo/ifindex").unwrap().trim().parse().unwrap()
}

fn only_rights(msgs: Vec<ControlMessage>) -> Vec<OwnedFd> {
    match <[ControlMessage; 1]>::try_from(msgs) {
        Ok([ControlMessage::ScmRights(fds)]) => fds,
        Ok(other) => panic!("expected one SCM_RIGHTS, got {other:?}"),
        Err(msgs) => panic!("expected one SCM_RIGHTS, got {msgs:?}"),
    }
}

// ===== SCM_RIGHTS =====

#[test]
fn scm_rights_passes_three_fds_that_work() {
    let (a, b) = pair();
    let tmp = TempFile::new("three", b"");
    let (x, y) = std::os::unix::net::UnixStream::pair().unwrap();
    let (s, t) = pair();

    let mut control = ControlBuf::new();
    control.fds(&[tmp.file.as_fd(), x.as_fd(), s.as_fd()]).unwrap();
    assert_eq!(a.send_msg(&[IoSlice::new(b"3 fds")], &control, 0, None).unwrap(), 5);

    let msg = b.recv_msg(16, ControlSize::new().fds(3).bytes(), 0).unwrap();
    assert_eq!(msg.data, b"3 fds");
    assert!(!msg.flags.ctrunc());
    let mut fds = only_rights(msg.ancillary).into_iter();
    let (f, x2, s2) = (fds.next().unwrap(), fds.next().unwrap(), fds.next().unwrap());

    // The same open file: a write through the received fd lands in it.
    File::from(f).write_all(b"via fd").unwrap();
    assert_eq!(std::fs::read(&tmp.path).unwrap(), b"via fd");
    // The same socket: what goes in at the received end comes out at the peer.
    std::os::unix::net::UnixStream::from(x2).write_all(b"ping").unwrap();
    let mut got = [0; 4];
    (&y).read_exact(&mut got).unwrap();
    assert_eq!(&got, b"ping");
    let s2 = Socket::from(s2);
    s2.send_all(b"pong").unwrap();
    assert_eq!(t.recv(4).unwrap(), b"pong");
}

#[test]
fn received_fds_are_close_on_exec() {
    let (a, b) = pair();
    let (x, _y) = std::os::unix::net::UnixStream::pair().unwrap();
    // The sent fd without FD_CLOEXEC, so the flag on the received one is the receive's doing.
    let sent = Socket::from(OwnedFd::from(x));
    sent.set_inheritable(true).unwrap();
    assert!(!cloexec(sent.as_raw_fd()));
    a.send_fds(&[IoSlice::new(b"x")], &[sent.as_fd()], 0, None).unwrap();
    let got = b.recv_fds(1, 1, 0).unwrap();
    assert_eq!(got.fds.len(), 1);
    assert!(cloexec(got.fds[0].as_raw_fd()));
}

#[test]
fn a_control_buffer_too_small_sets_ctrunc_and_leaks_nothing() {
    let (a, b) = pair();
    let tmp = TempFile::new("ctrunc", b"");
    let fd = tmp.file.as_fd();
    assert_eq!(tmp.open_count(), 1);

    // Room for one fd of three (CMSG_LEN(4): CMSG_SPACE would round up to room for two):
    // one arrives, the kernel closes the other two.
    a.send_fds(&[IoSlice::new(b"a")], &[fd, fd, fd], 0, None).unwrap();
    let msg = b.recv_msg(1, cmsg_len(4).unwrap(), 0).unwrap();
    assert!(msg.flags.ctrunc(), "{:?}", msg.flags);
    assert_eq!(only_rights(msg.ancillary).len(), 1);
    assert_eq!(tmp.open_count(), 1, "the received fd closed with the message");

    // No room at all: nothing arrives, nothing stays open.
    a.send_fds(&[IoSlice::new(b"b")], &[fd, fd], 0, None).unwrap();
    let msg = b.recv_msg(1, 0, 0).unwrap();
    assert!(msg.flags.ctrunc());
    assert!(msg.ancillary.is_empty());
    assert_eq!(tmp.open_count(), 1);

    // Room for a header but not one whole fd.
    a.send_fds(&[IoSlice::new(b"c")], &[fd], 0, None).unwrap();
    let msg = b.recv_msg(1, cmsg_len(0).unwrap() + 2, 0).unwrap();
    assert!(msg.flags.ctrunc());
    drop(msg);
    assert_eq!(tmp.open_count(), 1);
}

#[test]
fn ignored_received_fds_are_closed() {
    let (a, b) = pair();
    let tmp = TempFile::new("ignored", b"");
    a.send_fds(&[IoSlice::new(b"x")], &[tmp.file.as_fd()], 0, None).unwrap();
    let msg = b.recv_msg(1, ControlSize::new().fds(1).bytes(), 0).unwrap();
    assert_eq!(tmp.open_count(), 2);
    drop(msg);
    assert_eq!(tmp.open_count(), 1);
}

#[test]
fn send_fds_and_recv_fds_as_python() {
    let (a, b) = pair();
    let (x, y) = pair();
    let sent = a.send_fds(&[IoSlice::new(b"he"), IoSlice::new(b"llo")], &[x.as_fd()], 0, None);
    assert_eq!(sent.unwrap(), 5);
    let got = b.recv_fds(64, 4, 0).unwrap();
    assert_eq!(got.data, b"hello");
    assert_eq!(got.fds.len(), 1);
    assert_eq!(got.flags.raw(), 0);
    assert!(got.addr.is_none());
    let x2 = Socket::from(got.fds.into_iter().next().unwrap());
    x2.send_all(b"through").unwrap();
    assert_eq!(y.recv(16).unwrap(), b"through");
}

#[test]
fn recv_fds_beyond_maxfds_sets_ctrunc() {
    let (a, b) = pair();
    let tmp = TempFile::new("maxfds", b"");
    let fd = tmp.file.as_fd();
    a.send_fds(&[IoSlice::new(b"x")], &[fd, fd, fd], 0, None).unwrap();
    let got = b.recv_fds(1, 2, 0).unwrap();
    assert_eq!(got.fds.len(), 2);
    assert!(got.flags.ctrunc());
    drop(got);
    assert_eq!(tmp.open_count(), 1);
}

#[test]
fn python_raw_form_works_both_ways() {
    let (a, b) = pair();
    let tmp = TempFile::new("raw", b"");
    let number = tmp.file.as_raw_fd().to_ne_bytes();
    let control =
        ControlBuf::from_raw([(libc::SOL_SOCKET, libc::SCM_RIGHTS, &number[..])]).unwrap();
    a.send_msg(&[IoSlice::new(b"r")], &control, 0, None).unwrap();
    let msg = b.recv_msg(1, cmsg_space(4).unwrap(), 0).unwrap();
    let raw: Vec<_> = msg.ancillary.iter().map(ControlMessage::to_raw).collect();
    let ControlMessage::ScmRights(fds) = &msg.ancillary[0] else { panic!("{msg:?}") };
    assert_eq!(
        raw,
        vec![(libc::SOL_SOCKET, libc::SCM_RIGHTS, fds[0].as_raw_fd().to_ne_bytes().to_vec())]
    );
}

#[test]
fn messages_are_received_in_order_with_rights_among_them() {
    let (a, b) = pair();
    b.options().set_option(libc::SOL_SOCKET, libc::SO_PASSCRED, 1).unwrap();
    let (x, _y) = pair();
    let mut control = ControlBuf::new();
    control.credentials(Credentials::current()).unwrap().fds(&[x.as_fd(), x.as_fd()]).unwrap();
    a.send_msg(&[IoSlice::new(b"m")], &control, 0, None).unwrap();
    let size = ControlSize::new().credentials().fds(2).bytes();
    let msg = b.recv_msg(1, size, 0).unwrap();
    let kinds: Vec<_> = msg.ancillary.iter().map(|m| (m.level(), m.kind())).collect();
    // Linux delivers SCM_RIGHTS first, then credentials (unix_stream_read_generic's order).
    assert!(kinds.contains(&(libc::SOL_SOCKET, libc::SCM_RIGHTS)), "{kinds:?}");
    assert!(kinds.contains(&(libc::SOL_SOCKET, libc::SCM_CREDENTIALS)), "{kinds:?}");
    let n: usize = msg
        .ancillary
        .iter()
        .map(|m| if let ControlMessage::ScmRights(f) = m { f.len() } else { 0 })
        .sum();
    assert_eq!(n, 2);
}

// ===== SCM_CREDENTIALS =====

#[test]
fn scm_credentials_report_the_sender() {
    let (a, b) = pair();
    b.options().set_option(libc::SOL_SOCKET, libc::SO_PASSCRED, 1).unwrap();
    let me = Credentials::current();

    // Attached explicitly...
    let mut control = ControlBuf::new();
    control.credentials(me).unwrap();
    a.send_msg(&[IoSlice::new(b"1")], &control, 0, None).unwrap();
    let msg = b.recv_msg(1, ControlSize::new().credentials().bytes(), 0).unwrap();
    assert!(
        matches!(&msg.ancillary[..], [ControlMessage::ScmCredentials(c)] if *c == me),
        "{msg:?}"
    );

    // ...or added by the kernel for a receiver with SO_PASSCRED.
    a.send_all(b"2").unwrap();
    let msg = b.recv_msg(1, ControlSize::new().credentials().bytes(), 0).unwrap();
    assert!(
        matches!(&msg.ancillary[..], [ControlMessage::ScmCredentials(c)] if *c == me),
        "{msg:?}"
    );
    assert_eq!(me.pid, std::process::id() as i32);
}

#[test]
fn claiming_another_process_is_refused() {
    let (a, _b) = pair();
    let me = Credentials::current();
    let mut control = ControlBuf::new();
    control.credentials(Credentials { pid: i32::MAX, ..me }).unwrap();
    let err = a.send_msg(&[IoSlice::new(b"x")], &control, 0, None).unwrap_err();
    // Without CAP_SYS_ADMIN: EPERM. With it the claim is allowed, but no such process
    // exists: ESRCH.
    let want = if has_cap_sys_admin() { libc::ESRCH } else { libc::EPERM };
    assert_eq!(err.raw_os_error(), Some(want), "{err}");
}

// ===== IP_PKTINFO / IPV6_PKTINFO =====

#[test]
fn ip_pktinfo_reports_destination_and_interface() {
    let rx = udp("127.0.0.1");
    rx.options().set_option(libc::IPPROTO_IP, libc::IP_PKTINFO, 1).unwrap();
    let tx = udp("127.0.0.1");
    tx.send_to(b"where", &rx.local_addr().unwrap()).unwrap();

    let msg = rx.recv_msg(16, ControlSize::new().ip_pktinfo().bytes(), 0).unwrap();
    assert_eq!(msg.data, b"where");
    assert_eq!(msg.addr, Some(tx.local_addr().unwrap()));
    let want = IpPktinfo {
        ifindex: lo_ifindex(),
        spec_dst: Ipv4Addr::LOCALHOST,
        addr: Ipv4Addr::LOCALHOST,
    };
    assert!(matches!(&msg.ancillary[..], [ControlMessage::IpPktinfo(p)] if *p == want), "{msg:?}");
}

#[test]
fn ip_pktinfo_sent_picks_the_source_address() {
    let rx = udp("127.0.0.1");
    let tx =
        Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, Protocol::from(0)).unwrap();
    let mut control = ControlBuf::new();
    let source = Ipv4Addr::new(127, 0, 0, 2);
    control
        .ip_pktinfo(IpPktinfo { ifindex: 0, spec_dst: source, addr: Ipv4Addr::UNSPECIFIED })
        .unwrap();
    let to = rx.local_addr().unwrap();
    tx.send_msg(&[IoSlice::new(b"src")], &control, 0, Some(&to)).unwrap();
    let msg = rx.recv_msg(16, 0, 0).unwrap();
    let from = msg.addr.and_then(|a| a.as_socket()).unwrap();
    assert_eq!(from.ip(), source);
}

#[test]
fn ipv6_pktinfo_reports_destination_and_interface() {
    let Some(rx) = udp6() else { return };
    rx.options().set_option(libc::IPPROTO_IPV6, libc::IPV6_RECVPKTINFO, 1).unwrap();
    let tx = udp6().unwrap();
    tx.send_to(b"where6", &rx.local_addr().unwrap()).unwrap();
    let msg = rx.recv_msg(16, ControlSize::new().ipv6_pktinfo().bytes(), 0).unwrap();
    assert_eq!(msg.data, b"where6");
    match &msg.ancillary[..] {
        [ControlMessage::Ipv6Pktinfo(p)] => {
            assert_eq!(p.addr, Ipv6Addr::LOCALHOST);
            assert_eq!(p.ifindex, lo_ifindex());
        }
        other => panic!("{other:?}"),
    }
}

// ===== TOS, TTL, traffic class, hop limit =====

#[test]
fn ip_tos_and_ttl_sent_per_datagram_arrive() {
    let rx = udp("127.0.0.1");
    rx.options().set_option(libc::IPPROTO_IP, libc::IP_RECVTOS, 1).unwrap();
    rx.options().set_option(libc::IPPROTO_IP, libc::IP_RECVTTL, 1).unwrap();
    let tx = udp("127.0.0.1");
    let mut control = ControlBuf::new();
    control.ip_tos(0x28).unwrap().ip_ttl(7).unwrap();
    tx.send_msg(&[IoSlice::new(b"t")], &control, 0, Some(&rx.local_addr().unwrap())).unwrap();
    let msg = rx.recv_msg(4, ControlSize::new().int().int().bytes(), 0).unwrap();
    let mut tos = None;
    let mut ttl = None;
    for m in &msg.ancillary {
        match m {
            ControlMessage::IpTos(v) => tos = Some(*v),
            ControlMessage::IpTtl(v) => ttl = Some(*v),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((tos, ttl), (Some(0x28), Some(7)));
}

#[test]
fn ipv6_tclass_and_hop_limit_sent_per_datagram_arrive() {
    let Some(rx) = udp6() else { return };
    rx.options().set_option(libc::IPPROTO_IPV6, libc::IPV6_RECVTCLASS, 1).unwrap();
    rx.options().set_option(libc::IPPROTO_IPV6, libc::IPV6_RECVHOPLIMIT, 1).unwrap();
    let tx = udp6().unwrap();
    let mut control = ControlBuf::new();
    control.ipv6_tclass(0x20).unwrap().ipv6_hop_limit(9).unwrap();
    tx.send_msg(&[IoSlice::new(b"t")], &control, 0, Some(&rx.local_addr().unwrap())).unwrap();
    let msg = rx.recv_msg(4, ControlSize::new().int().int().bytes(), 0).unwrap();
    let mut got: Vec<(i32, i32)> = Vec::new();
    for m in &msg.ancillary {
        match m {
            ControlMessage::Ipv6Tclass(v) => got.push((libc::IPV6_TCLASS, *v)),
            ControlMessage::Ipv6HopLimit(v) => got.push((libc::IPV6_HOPLIMIT, *v)),
            other => panic!("unexpected {other:?}"),
        }
    }
    got.sort();
    let mut want = vec![(libc::IPV6_TCLASS, 0x20), (libc::IPV6_HOPLIMIT, 9)];
    want.sort();
    assert_eq!(got, want);
}

// ===== timestamps =====

fn assert_near_now(t: SystemTime) {
    let now = SystemTime::now();
    let skew = now.duration_since(t).unwrap_or_else(|e| e.duration());
    assert!(skew < LIMIT, "timestamp {t:?} is {skew:?} from now");
}

#[test]
fn so_timestamp_gives_the_arrival_time() {
    let rx = udp("127.0.0.1");
    rx.options().set_option(libc::SOL_SOCKET, libc::SO_TIMESTAMP, 1).unwrap();
    udp("127.0.0.1").send_to(b"when", &rx.local_addr().unwrap()).unwrap();
    let msg = rx.recv_msg(8, ControlSize::new().timestamp().bytes(), 0).unwrap();
    match &msg.ancillary[..] {
        [ControlMessage::SoTimestamp(t)] => assert_near_now(*t),
        other => panic!("{other:?}"),
    }
}

#[test]
fn so_timestampns_gives_the_arrival_time() {
    let rx = udp("127.0.0.1");
    rx.options().set_option(libc::SOL_SOCKET, libc::SO_TIMESTAMPNS, 1).unwrap();
    udp("127.0.0.1").send_to(b"when", &rx.local_addr().unwrap()).unwrap();
    let msg = rx.recv_msg(8, ControlSize::new().timestamp_ns().bytes(), 0).unwrap();
    match &msg.ancillary[..] {
        [ControlMessage::SoTimestampNs(t)] => assert_near_now(*t),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_timestamp_cut_short_is_unknown_and_ctrunc() {
    let rx = udp("127.0.0.1");
    rx.options().set_option(libc::SOL_SOCKET, libc::SO_TIMESTAMPNS, 1).unwrap();
    udp("127.0.0.1").send_to(b"when", &rx.local_addr().unwrap()).unwrap();
    let msg = rx.recv_msg(8, cmsg_len(8).unwrap(), 0).unwrap();
    assert!(msg.flags.ctrunc());
    match &msg.ancillary[..] {
        [ControlMessage::Unknown { level: libc::SOL_SOCKET, kind: libc::SCM_TIMESTAMPNS, data }] => {
            assert_eq!(data.len(), 8);
        }
        other => panic!("{other:?}"),
    }
}

// ===== data, addresses, flags =====

#[test]
fn recv_msg_into_scatters_over_the_buffers() {
    let (a, b) = pair();
    a.send_msg(&[IoSlice::new(b"abc"), IoSlice::new(b"defgh")], &ControlBuf::new(), 0, None)
        .unwrap();
    let (mut x, mut y) = ([0u8; 3], [0u8; 10]);
    let got =
        b.recv_msg_into(&mut [IoSliceMut::new(&mut x), IoSliceMut::new(&mut y)], 0, 0).unwrap();
    assert_eq!(got.bytes, 8);
    assert_eq!((&x, &y[..5]), (b"abc", &b"defgh"[..]));
    assert!(got.ancillary.is_empty() && got.addr.is_none());
}

#[test]
fn a_long_datagram_is_cut_with_msg_trunc() {
    let (a, b) =
        Socket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM, Protocol::from(0)).unwrap();
    b.set_timeout(Some(LIMIT)).unwrap();
    a.send(b"0123456789").unwrap();
    let msg = b.recv_msg(4, 0, 0).unwrap();
    assert_eq!(msg.data, b"0123");
    assert!(msg.flags.trunc() && !msg.flags.ctrunc());
    // With MSG_TRUNC asked for, the datagram's full length is reported.
    a.send(b"0123456789").unwrap();
    let mut buf = [0; 4];
    let got = b.recv_msg_into(&mut [IoSliceMut::new(&mut buf)], 0, libc::MSG_TRUNC).unwrap();
    assert_eq!(got.bytes, 4, "bytes counts what was written, never past the buffers");
}

#[test]
fn recv_msg_gives_the_sender_of_a_datagram() {
    let rx = udp("127.0.0.1");
    let tx = udp("127.0.0.1");
    tx.send_msg(&[IoSlice::new(b"hi")], &ControlBuf::new(), 0, Some(&rx.local_addr().unwrap()))
        .unwrap();
    let msg = rx.recv_msg(8, 0, 0).unwrap();
    assert_eq!(msg.addr, Some(tx.local_addr().unwrap()));
    assert_eq!(msg.flags.raw(), 0);
}

// ===== modes =====

#[test]
fn a_non_blocking_recv_msg_with_nothing_queued_would_block() {
    let (_a, b) = socketpair().unwrap();
    b.set_blocking(false).unwrap();
    let err = b.recv_msg(8, 64, 0).unwrap_err();
    assert!(err.is_would_block(), "{err}");
    let err = b.recv_fds(8, 1, 0).unwrap_err();
    assert!(err.is_would_block(), "{err}");
}

#[test]
fn a_recv_msg_under_a_timeout_times_out() {
    let (_a, b) = socketpair().unwrap();
    b.set_timeout(Some(Duration::from_millis(100))).unwrap();
    let start = Instant::now();
    let err = b.recv_msg(8, 64, 0).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(100) && took < LIMIT, "{took:?}");
}

#[test]
fn a_blocking_recv_msg_waits_for_the_sender() {
    let (a, b) = socketpair().unwrap();
    let sender = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        a.send_fds(&[IoSlice::new(b"late")], &[a.as_fd()], 0, None).unwrap();
    });
    let got = b.recv_fds(8, 1, 0).unwrap();
    sender.join().unwrap();
    assert_eq!((got.data.as_slice(), got.fds.len()), (&b"late"[..], 1));
}

#[test]
fn operations_on_a_closed_socket_are_ebadf() {
    let (a, mut b) = socketpair().unwrap();
    b.close().unwrap();
    assert_eq!(b.recv_msg(1, 0, 0).unwrap_err().raw_os_error(), Some(libc::EBADF));
    let err = b.send_fds(&[IoSlice::new(b"x")], &[a.as_fd()], 0, None).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EBADF));
}

// ===== bad input =====

#[test]
fn more_than_253_fds_in_one_message_is_einval() {
    let (a, _b) = pair();
    let fds = vec![a.as_fd(); 254];
    let err = a.send_fds(&[IoSlice::new(b"x")], &fds, 0, None).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EINVAL), "{err}");
    // 253 is the kernel's SCM_MAX_FD: accepted.
    let (c, d) = pair();
    c.send_fds(&[IoSlice::new(b"x")], &vec![c.as_fd(); 253], 0, None).unwrap();
    assert_eq!(d.recv_fds(1, 253, 0).unwrap().fds.len(), 253);
}

#[test]
fn a_bad_fd_number_is_ebadf() {
    let (a, _b) = pair();
    let control =
        ControlBuf::from_raw([(libc::SOL_SOCKET, libc::SCM_RIGHTS, (-1i32).to_ne_bytes())])
            .unwrap();
    let err = a.send_msg(&[IoSlice::new(b"x")], &control, 0, None).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EBADF));
}

#[test]
fn malformed_credentials_are_einval() {
    let (a, _b) = pair();
    let control =
        ControlBuf::from_raw([(libc::SOL_SOCKET, libc::SCM_CREDENTIALS, [0u8; 5])]).unwrap();
    let err = a.send_msg(&[IoSlice::new(b"x")], &control, 0, None).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
}

#[test]
fn buffer_sizes_out_of_range_are_errors_not_panics() {
    let (_a, b) = pair();
    let err = b.recv_msg(1, i32::MAX as usize + 1, 0).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.to_string(), "invalid ancillary data buffer length");
    assert_eq!(b.recv_msg(usize::MAX, 0, 0).unwrap_err().raw_os_error(), Some(libc::ENOMEM));
    assert_eq!(b.recv_fds(1, usize::MAX / 2, 0).unwrap_err().kind(), ErrorKind::InvalidInput);
    assert_eq!(
        b.recv_fds(1, (i32::MAX / 4) as usize, 0).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        b.recv_msg(1, ControlSize::new().fds(usize::MAX).bytes(), 0).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(cmsg_len(usize::MAX).unwrap_err().kind(), ErrorKind::InvalidInput);
    assert_eq!(
        cmsg_space(i32::MAX as usize).unwrap_err().to_string(),
        "CMSG_SPACE() argument out of range"
    );
}

#[test]
fn cmsg_len_and_space_agree_with_python() {
    let max = i32::MAX as usize;
    let values = [
        0,
        1,
        3,
        4,
        7,
        8,
        12,
        16,
        20,
        1000,
        4096,
        max - 24,
        max - 23,
        max - 17,
        max - 16,
        max - 15,
        max,
    ];
    let list = values.map(|v| v.to_string()).join(",");
    let script = format!(
        "import socket\n\
         for v in [{list}]:\n\
         \x20   out = []\n\
         \x20   for f in (socket.CMSG_LEN, socket.CMSG_SPACE):\n\
         \x20       try: out.append(str(f(v)))\n\
         \x20       except OverflowError: out.append('E')\n\
         \x20   print(' '.join(out))\n"
    );
    let out = match std::process::Command::new("python3").arg("-c").arg(&script).output() {
        Ok(out) => out,
        Err(e) => {
            println!("SKIPPED: python3 is not available ({e})");
            return;
        }
    };
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let show = |r: asock::Result<usize>| r.map_or("E".to_owned(), |n| n.to_string());
    let ours: Vec<String> =
        values.iter().map(|&v| format!("{} {}", show(cmsg_len(v)), show(cmsg_space(v)))).collect();
    let python: Vec<String> =
        String::from_utf8(out.stdout).unwrap().lines().map(str::to_owned).collect();
    assert_eq!(ours, python);
}

#[test]
fn values_the_ip_layer_refuses_are_einval() {
    let rx = udp("127.0.0.1");
    let tx = udp("127.0.0.1");
    let to = rx.local_addr().unwrap();
    let mut control = ControlBuf::new();
    control.ip_ttl(300).unwrap();
    let err = tx.send_msg(&[IoSlice::new(b"x")], &control, 0, Some(&to)).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EINVAL), "a TTL above 255: {err}");
    let control = ControlBuf::from_raw([(libc::IPPROTO_IP, libc::IP_TTL, [64u8, 0])]).unwrap();
    let err = tx.send_msg(&[IoSlice::new(b"x")], &control, 0, Some(&to)).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EINVAL), "a 2-byte IP_TTL: {err}");
}

// ===== send_file (Python's sendfile) =====

/// A stream pair and a reader thread that collects everything the second end receives.
fn send_file_scene() -> (Socket, std::thread::JoinHandle<Vec<u8>>) {
    let (a, b) = pair();
    let reader = std::thread::spawn(move || {
        let mut all = Vec::new();
        (&b).read_to_end(&mut all).unwrap();
        all
    });
    (a, reader)
}

fn finish_send_file(a: Socket, reader: std::thread::JoinHandle<Vec<u8>>) -> Vec<u8> {
    a.shutdown(std::net::Shutdown::Write).unwrap();
    reader.join().unwrap()
}

fn position(file: &File) -> u64 {
    use std::io::Seek;
    let mut f = file;
    f.stream_position().unwrap()
}

#[test]
fn send_file_sends_the_whole_file() {
    let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let tmp = TempFile::new("sf-whole", &bytes);
    let (a, reader) = send_file_scene();
    assert_eq!(a.send_file(&tmp.file, 0, None).unwrap(), bytes.len());
    assert_eq!(finish_send_file(a, reader), bytes);
    assert_eq!(position(&tmp.file), bytes.len() as u64);
}

#[test]
fn send_file_from_an_offset_with_a_count() {
    let tmp = TempFile::new("sf-count", b"0123456789");
    let (a, reader) = send_file_scene();
    assert_eq!(a.send_file(&tmp.file, 3, Some(4)).unwrap(), 4);
    assert_eq!(position(&tmp.file), 7, "the file is left after the last byte sent");
    assert_eq!(a.send_file(&tmp.file, 8, None).unwrap(), 2);
    assert_eq!(
        a.send_file(&tmp.file, 6, Some(100)).unwrap(),
        4,
        "a count past the end stops at it"
    );
    assert_eq!(
        finish_send_file(a, reader),
        b"345689".iter().chain(b"6789").copied().collect::<Vec<_>>()
    );
}

#[test]
fn send_file_past_the_end_or_of_an_empty_file_sends_nothing() {
    let tmp = TempFile::new("sf-past", b"abc");
    let empty = TempFile::new("sf-empty", b"");
    let (a, reader) = send_file_scene();
    assert_eq!(a.send_file(&tmp.file, 10, None).unwrap(), 0);
    assert_eq!(position(&tmp.file), 3, "nothing sent: the position is untouched");
    assert_eq!(a.send_file(&empty.file, 0, None).unwrap(), 0);
    assert_eq!(finish_send_file(a, reader), b"");
}

#[test]
fn send_file_of_a_pipe_falls_back_to_send() {
    let mut child = std::process::Command::new("printf")
        .arg("through a pipe")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pipe = File::from(OwnedFd::from(child.stdout.take().unwrap()));
    let (a, reader) = send_file_scene();
    assert_eq!(a.send_file(&pipe, 0, None).unwrap(), 14);
    child.wait().unwrap();
    assert_eq!(finish_send_file(a, reader), b"through a pipe");
    // A pipe has no offsets.
    let err = a_send_file_offset_on_pipe();
    assert_eq!(err.raw_os_error(), Some(libc::ESPIPE), "{err}");
}

fn a_send_file_offset_on_pipe() -> asock::Error {
    let mut child = std::process::Command::new("printf")
        .arg("x")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pipe = File::from(OwnedFd::from(child.stdout.take().unwrap()));
    let (a, _b) = pair();
    let err = a.send_file(&pipe, 1, None).unwrap_err();
    child.wait().unwrap();
    err
}

#[test]
fn send_file_rejects_what_python_rejects() {
    let tmp = TempFile::new("sf-bad", b"abc");
    let (a, _b) = pair();
    let err = a.send_file(&tmp.file, 0, Some(0)).unwrap_err();
    assert_eq!(err.to_string(), "count must be a positive integer (got 0)");
    let err = a.send_file(&tmp.file, u64::MAX, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);

    let (d, _e) =
        Socket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM, Protocol::from(0)).unwrap();
    let err = d.send_file(&tmp.file, 0, None).unwrap_err();
    assert_eq!(err.to_string(), "only SOCK_STREAM type sockets are supported");

    a.set_blocking(false).unwrap();
    let err = a.send_file(&tmp.file, 0, None).unwrap_err();
    assert_eq!(err.to_string(), "non-blocking sockets are not supported");
    assert_eq!(position(&tmp.file), 3, "nothing was touched");
}

#[test]
fn send_file_under_a_timeout_is_bounded_as_a_whole() {
    // 64 MiB (sparse) to a peer that never reads: the socket buffer fills, then the deadline
    // ends the call, counted from its start.
    let tmp = TempFile::new("sf-timeout", b"");
    tmp.file.set_len(64 << 20).unwrap();
    let (a, _b) = socketpair().unwrap();
    a.set_timeout(Some(Duration::from_millis(300))).unwrap();
    let start = Instant::now();
    let err = a.send_file(&tmp.file, 0, None).unwrap_err();
    let took = start.elapsed();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(took >= Duration::from_millis(300) && took < LIMIT, "{took:?}");
    assert!(position(&tmp.file) > 0, "what was sent moved the file position");
}

#[test]
fn send_file_to_a_closed_peer_is_epipe() {
    let tmp = TempFile::new("sf-epipe", &[7; 100_000]);
    let (a, b) = pair();
    drop(b);
    let err = a.send_file(&tmp.file, 0, None).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EPIPE), "{err}");
}
