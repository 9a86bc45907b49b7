//! Socket options: a table of typed getters/setters (get, set, get again, restore) on IPv4
//! and IPv6 where the option applies, the raw getsockopt/setsockopt, and TCP_INFO.

mod blocking_util;

use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use asock::blocking::{OptionValue, Socket};
use asock::{AddressFamily, ErrorKind};
use blocking_util::*;

/// One row per option: `test_name: getter / setter = value => expected, on [sockets];`
/// Each test reads the option, sets it, reads it back, then restores the first value and
/// reads that back too, on every socket listed. Buffer sizes read back doubled (socket(7)),
/// so their rows say what to set to restore: `restore with |read| read / 2`.
macro_rules! option_table {
    ($($test:ident: $get:ident / $set:ident = $value:expr => $expected:expr
       $(, restore with $restore:expr)?, on [$($sock:expr),+];)*) => {$(
        #[test]
        fn $test() {
            for sock in [$($sock),+] {
                let label = format!("{} on {:?}", stringify!($get), sock);
                let before = sock.options().$get().expect(&label);
                sock.options().$set($value).expect(&label);
                assert_eq!(sock.options().$get().expect(&label), $expected, "{label}");
                #[allow(unused_mut)]
                let mut restore = before.clone();
                $( restore = ($restore)(restore); )?
                sock.options().$set(restore).expect(&label);
                assert_eq!(sock.options().$get().expect(&label), before, "{label} restored");
            }
        }
    )*};
}

option_table! {
    // SOL_SOCKET
    reuse_address_get_set_get: reuse_address / set_reuse_address = true => true, on [tcp4(), tcp6(), udp4(), udp6()];
    reuse_port_get_set_get: reuse_port / set_reuse_port = true => true, on [tcp4(), tcp6(), udp4(), udp6()];
    keepalive_get_set_get: keepalive / set_keepalive = true => true, on [tcp4(), tcp6()];
    broadcast_get_set_get: broadcast / set_broadcast = true => true, on [udp4(), udp6()];
    send_buffer_size_get_set_get_is_doubled: send_buffer_size / set_send_buffer_size = 32768 => 65536, restore with |read: usize| read / 2, on [tcp4(), tcp6(), udp4(), udp6()];
    recv_buffer_size_get_set_get_is_doubled: recv_buffer_size / set_recv_buffer_size = 32768 => 65536, restore with |read: usize| read / 2, on [tcp4(), tcp6(), udp4(), udp6()];
    linger_get_set_get: linger / set_linger = Some(Duration::from_secs(5)) => Some(Duration::from_secs(5)), on [tcp4(), tcp6()];
    linger_zero_get_set_get: linger / set_linger = Some(Duration::ZERO) => Some(Duration::ZERO), on [tcp4(), tcp6()];
    // IPPROTO_IP
    ttl_get_set_get: ttl / set_ttl = 42 => 42, on [tcp4(), udp4()];
    tos_get_set_get: tos / set_tos = 0x10 => 0x10, on [tcp4(), udp4()];
    multicast_ttl_v4_get_set_get: multicast_ttl_v4 / set_multicast_ttl_v4 = 8 => 8, on [udp4()];
    multicast_loop_v4_get_set_get: multicast_loop_v4 / set_multicast_loop_v4 = false => false, on [udp4()];
    // IPPROTO_IPV6
    only_v6_get_set_get: only_v6 / set_only_v6 = true => true, on [tcp6(), udp6()];
    unicast_hops_v6_get_set_get: unicast_hops_v6 / set_unicast_hops_v6 = 12 => 12, on [tcp6(), udp6()];
    multicast_hops_v6_get_set_get: multicast_hops_v6 / set_multicast_hops_v6 = 5 => 5, on [udp6()];
    multicast_loop_v6_get_set_get: multicast_loop_v6 / set_multicast_loop_v6 = false => false, on [udp6()];
    // IPPROTO_TCP
    nodelay_get_set_get: nodelay / set_nodelay = true => true, on [tcp4(), tcp6()];
    keepalive_time_get_set_get: keepalive_time / set_keepalive_time = Duration::from_secs(60) => Duration::from_secs(60), on [tcp4(), tcp6()];
    keepalive_interval_get_set_get: keepalive_interval / set_keepalive_interval = Duration::from_secs(5) => Duration::from_secs(5), on [tcp4(), tcp6()];
    keepalive_retries_get_set_get: keepalive_retries / set_keepalive_retries = 3 => 3, on [tcp4(), tcp6()];
}

// ===== options with their own shape =====

#[test]
fn bind_device_sets_reads_back_and_clears() {
    for s in [udp4(), udp6()] {
        assert_eq!(s.options().bind_device().unwrap(), None);
        match s.options().set_bind_device(Some(b"lo")) {
            Err(e) if e.raw_os_error() == Some(libc::EPERM) => {
                return skipped("SO_BINDTODEVICE needs CAP_NET_RAW");
            }
            other => other.unwrap(),
        }
        assert_eq!(s.options().bind_device().unwrap().as_deref(), Some(&b"lo"[..]));
        s.options().set_bind_device(None).unwrap();
        assert_eq!(s.options().bind_device().unwrap(), None);
    }
}

#[test]
fn bind_device_to_an_unknown_interface_is_enodev() {
    let err = udp4().options().set_bind_device(Some(b"nosuchif0"));
    let e = errno(err);
    if e == libc::EPERM {
        return skipped("SO_BINDTODEVICE needs CAP_NET_RAW");
    }
    assert_eq!(e, libc::ENODEV);
}

#[test]
fn bind_device_with_a_name_too_long_is_invalid_input() {
    let err = udp4().options().set_bind_device(Some(&[b'x'; 16])).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}

#[test]
fn multicast_v4_join_then_leave_on_loopback() {
    let s = udp4();
    s.bind(&addr("0.0.0.0:0")).unwrap();
    let group = Ipv4Addr::new(239, 255, 42, 1);
    s.options().join_multicast_v4(&group, &Ipv4Addr::LOCALHOST).unwrap();
    assert_eq!(
        errno(s.options().join_multicast_v4(&group, &Ipv4Addr::LOCALHOST)),
        libc::EADDRINUSE
    );
    s.options().leave_multicast_v4(&group, &Ipv4Addr::LOCALHOST).unwrap();
    assert_eq!(
        errno(s.options().leave_multicast_v4(&group, &Ipv4Addr::LOCALHOST)),
        libc::EADDRNOTAVAIL
    );
}

#[test]
fn multicast_v4_join_of_a_unicast_address_is_einval() {
    let s = udp4();
    assert_eq!(
        errno(s.options().join_multicast_v4(&Ipv4Addr::LOCALHOST, &Ipv4Addr::UNSPECIFIED)),
        libc::EINVAL
    );
}

#[test]
fn multicast_v6_join_then_leave_on_loopback() {
    let lo: u32 =
        std::fs::read_to_string("/sys/class/net/lo/ifindex").unwrap().trim().parse().unwrap();
    let s = udp6();
    s.bind(&addr("[::]:0")).unwrap();
    let group: Ipv6Addr = "ff02::1:7".parse().unwrap();
    s.options().join_multicast_v6(&group, lo).unwrap();
    s.options().leave_multicast_v6(&group, lo).unwrap();
    assert_eq!(errno(s.options().leave_multicast_v6(&group, lo)), libc::EADDRNOTAVAIL);
}

#[test]
fn only_v6_cannot_change_after_bind() {
    let s = udp6();
    s.bind(&addr("[::1]:0")).unwrap();
    assert_eq!(errno(s.options().set_only_v6(true)), libc::EINVAL);
}

#[test]
fn ttl_out_of_range_is_einval() {
    assert_eq!(errno(udp4().options().set_ttl(256)), libc::EINVAL);
}

#[test]
fn buffer_size_past_c_int_is_invalid_input() {
    let err = tcp4().options().set_send_buffer_size(usize::MAX).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}

#[test]
fn linger_past_c_int_seconds_is_invalid_input() {
    let err = tcp4().options().set_linger(Some(Duration::from_secs(u64::MAX))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}

#[test]
fn tcp_options_on_a_udp_socket_fail_with_the_kernels_errno() {
    for e in [errno(udp4().options().nodelay()), errno(udp4().options().tcp_info())] {
        assert!([libc::ENOPROTOOPT, libc::EOPNOTSUPP].contains(&e), "errno {e}");
    }
}

#[test]
fn is_listener_follows_listen() {
    let s = tcp4();
    s.bind(&addr("127.0.0.1:0")).unwrap();
    assert!(!s.options().is_listener().unwrap());
    s.listen(None).unwrap();
    assert!(s.options().is_listener().unwrap());
}

#[test]
fn take_error_reports_and_clears_a_pending_error() {
    // A connected UDP socket gets ECONNREFUSED queued when the peer port is closed.
    let s = udp4();
    let closed = bound_udp(AddressFamily::AF_INET);
    let target = closed.local_addr().unwrap();
    drop(closed);
    s.connect(&target).unwrap();
    s.send(b"x").unwrap();
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        if let Some(e) = s.options().take_error().unwrap() {
            assert_eq!(e.raw_os_error(), Some(libc::ECONNREFUSED));
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no error was queued");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(s.options().take_error().unwrap().is_none(), "reading SO_ERROR clears it");
}

// ===== what asock adds to socket2's options =====

/// `(call, errno)` for each call, labelled with its text.
macro_rules! errnos {
    ($($call:expr),* $(,)?) => { vec![$((stringify!($call), errno($call))),*] };
}

#[test]
fn every_option_of_a_closed_socket_is_ebadf() {
    let mut s = udp4();
    s.close().unwrap();
    let o = s.options();
    let (g4, any4) = (Ipv4Addr::new(239, 255, 42, 2), Ipv4Addr::UNSPECIFIED);
    let g6: Ipv6Addr = "ff02::1:8".parse().unwrap();
    let secs = Duration::from_secs(1);
    let results = errnos![
        o.reuse_address(),
        o.set_reuse_address(true),
        o.reuse_port(),
        o.set_reuse_port(true),
        o.keepalive(),
        o.set_keepalive(true),
        o.broadcast(),
        o.set_broadcast(true),
        o.send_buffer_size(),
        o.set_send_buffer_size(4096),
        o.recv_buffer_size(),
        o.set_recv_buffer_size(4096),
        o.linger(),
        o.set_linger(Some(secs)),
        o.bind_device(),
        o.set_bind_device(Some(b"lo")),
        o.is_listener(),
        o.take_error(),
        o.ttl(),
        o.set_ttl(1),
        o.tos(),
        o.set_tos(0),
        o.multicast_ttl_v4(),
        o.set_multicast_ttl_v4(1),
        o.multicast_loop_v4(),
        o.set_multicast_loop_v4(true),
        o.join_multicast_v4(&g4, &any4),
        o.leave_multicast_v4(&g4, &any4),
        o.only_v6(),
        o.set_only_v6(true),
        o.unicast_hops_v6(),
        o.set_unicast_hops_v6(1),
        o.multicast_hops_v6(),
        o.set_multicast_hops_v6(1),
        o.multicast_loop_v6(),
        o.set_multicast_loop_v6(true),
        o.join_multicast_v6(&g6, 0),
        o.leave_multicast_v6(&g6, 0),
        o.nodelay(),
        o.set_nodelay(true),
        o.keepalive_time(),
        o.set_keepalive_time(secs),
        o.keepalive_interval(),
        o.set_keepalive_interval(secs),
        o.keepalive_retries(),
        o.set_keepalive_retries(1),
        o.tcp_info(),
        o.get_option(libc::SOL_SOCKET, libc::SO_TYPE, 0),
        o.set_option(libc::SOL_SOCKET, libc::SO_REUSEADDR, 1),
    ];
    assert_eq!(results.len(), 49, "every typed option (47) and the two raw calls");
    let wrong: Vec<_> = results.iter().filter(|(_, e)| *e != libc::EBADF).collect();
    assert!(wrong.is_empty(), "not EBADF: {wrong:?}");
}

/// One row per setter whose value can exceed the kernel's `int`: the call is refused before
/// the kernel sees it (Python's OverflowError, here InvalidInput) and the option keeps its
/// value. Passed on as a cast, `u32::MAX` would be -1, which IP_TTL and the hop limits take as
/// "reset to the default" and accept.
macro_rules! past_c_int_table {
    ($($get:ident / $set:ident = $value:expr, on $sock:expr;)*) => {{
        let mut rows = 0;
        $(
            let sock = $sock;
            let label = stringify!($set);
            let before = sock.options().$get().expect(label);
            let err = sock.options().$set($value).expect_err(label);
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{label}: {err}");
            assert_eq!(err.to_string(), "Python int too large to convert to C int", "{label}");
            assert_eq!(sock.options().$get().expect(label), before, "{label} changed the option");
            rows += 1;
        )*
        rows
    }};
}

#[test]
fn values_past_c_int_are_invalid_input_and_change_nothing() {
    let huge = Duration::from_secs(u64::MAX);
    let rows = past_c_int_table! {
        send_buffer_size / set_send_buffer_size = usize::MAX, on tcp4();
        recv_buffer_size / set_recv_buffer_size = usize::MAX, on tcp4();
        linger / set_linger = Some(huge), on tcp4();
        ttl / set_ttl = u32::MAX, on udp4();
        tos / set_tos = u32::MAX, on udp4();
        multicast_ttl_v4 / set_multicast_ttl_v4 = u32::MAX, on udp4();
        unicast_hops_v6 / set_unicast_hops_v6 = u32::MAX, on udp6();
        multicast_hops_v6 / set_multicast_hops_v6 = u32::MAX, on udp6();
        keepalive_time / set_keepalive_time = huge, on tcp6();
        keepalive_interval / set_keepalive_interval = huge, on tcp6();
        keepalive_retries / set_keepalive_retries = u32::MAX, on tcp6();
    };
    assert_eq!(rows, 11);
}

#[test]
fn keepalive_parameters_leave_so_keepalive_as_it_was() {
    // Python's setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, n) sets that value alone; so does asock
    // (socket2's set_tcp_keepalive would switch SO_KEEPALIVE on as well), even when the
    // kernel refuses the value.
    for s in [tcp4(), tcp6()] {
        s.options().set_keepalive_time(Duration::from_secs(60)).unwrap();
        s.options().set_keepalive_interval(Duration::from_secs(5)).unwrap();
        s.options().set_keepalive_retries(3).unwrap();
        assert_eq!(errno(s.options().set_keepalive_time(Duration::ZERO)), libc::EINVAL);
        assert!(!s.options().keepalive().unwrap());
        s.options().set_keepalive(true).unwrap();
        s.options().set_keepalive_time(Duration::from_secs(61)).unwrap();
        assert!(s.options().keepalive().unwrap());
    }
}

#[test]
fn bind_device_reads_the_name_without_its_nul() {
    // The kernel reports the name with its terminating NUL; the getter drops it (as
    // CPython's callers must by hand).
    let s = udp4();
    match s.options().set_bind_device(Some(b"lo")) {
        Err(e) if e.raw_os_error() == Some(libc::EPERM) => {
            return skipped("SO_BINDTODEVICE needs CAP_NET_RAW");
        }
        other => other.unwrap(),
    }
    let raw = s.options().get_option(libc::SOL_SOCKET, libc::SO_BINDTODEVICE, 16).unwrap();
    assert_eq!(raw.as_bytes(), Some(&b"lo\0"[..]));
    assert_eq!(s.options().bind_device().unwrap().as_deref(), Some(&b"lo"[..]));
    s.options().set_bind_device(Some(b"")).unwrap();
    assert_eq!(s.options().bind_device().unwrap(), None, "an empty name clears the binding");
}

// ===== TCP_INFO =====

#[test]
fn tcp_info_of_a_listener_is_in_listen_state() {
    let l = listener(AddressFamily::AF_INET);
    assert_eq!(l.options().tcp_info().unwrap().state, 10 /* TCP_LISTEN */);
}

#[test]
fn tcp_info_counts_bytes_acked_and_received() {
    let (a, b) = tcp_pair(AddressFamily::AF_INET6);
    let info = a.options().tcp_info().unwrap();
    assert_eq!(info.state, 1 /* TCP_ESTABLISHED */);
    assert!(info.snd_mss > 0 && info.pmtu > 0 && info.snd_cwnd > 0, "{info:?}");
    a.send_all(&[1u8; 10_000]).unwrap();
    let mut got = 0;
    while got < 10_000 {
        got += b.recv(65536).unwrap().len();
    }
    assert_eq!(b.options().tcp_info().unwrap().bytes_received, 10_000);
    let deadline = std::time::Instant::now() + PATIENCE;
    while a.options().tcp_info().unwrap().bytes_acked < 10_000 {
        assert!(std::time::Instant::now() < deadline, "never acknowledged");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(a.options().tcp_info().unwrap().segs_out > 0);
}

// ===== raw getsockopt / setsockopt =====

#[test]
fn get_option_with_buflen_zero_reads_an_int() {
    let s = udp4();
    assert_eq!(
        s.options().get_option(libc::SOL_SOCKET, libc::SO_TYPE, 0).unwrap(),
        OptionValue::Int(libc::SOCK_DGRAM)
    );
    assert_eq!(
        s.options().get_option(libc::SOL_SOCKET, libc::SO_DOMAIN, 0).unwrap().as_int(),
        Some(libc::AF_INET)
    );
}

#[test]
fn get_option_with_buflen_reads_bytes_as_many_as_the_kernel_wrote() {
    let s = tcp4();
    s.options().set_linger(Some(Duration::from_secs(7))).unwrap();
    let v = s.options().get_option(libc::SOL_SOCKET, libc::SO_LINGER, 100).unwrap();
    let bytes = v.as_bytes().unwrap();
    assert_eq!(bytes.len(), 8);
    assert_eq!(&bytes[..4], 1i32.to_ne_bytes());
    assert_eq!(&bytes[4..], 7i32.to_ne_bytes());
}

#[test]
fn get_option_buflen_over_1024_is_pythons_error() {
    let err = tcp4().options().get_option(libc::SOL_SOCKET, libc::SO_TYPE, 1025).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.to_string(), "getsockopt buflen out of range");
    tcp4().options().get_option(libc::SOL_SOCKET, libc::SO_TYPE, 1024).unwrap();
}

#[test]
fn set_option_with_an_int_then_bytes() {
    let s = tcp4();
    s.options().set_option(libc::IPPROTO_TCP, libc::TCP_NODELAY, true).unwrap();
    assert!(s.options().nodelay().unwrap());
    let mut linger = Vec::new();
    linger.extend_from_slice(&1i32.to_ne_bytes());
    linger.extend_from_slice(&9i32.to_ne_bytes());
    s.options().set_option(libc::SOL_SOCKET, libc::SO_LINGER, linger).unwrap();
    assert_eq!(s.options().linger().unwrap(), Some(Duration::from_secs(9)));
}

#[test]
fn unknown_option_is_enoprotoopt() {
    assert_eq!(errno(tcp4().options().get_option(libc::SOL_SOCKET, 9999, 0)), libc::ENOPROTOOPT);
    assert_eq!(errno(tcp4().options().set_option(libc::SOL_SOCKET, 9999, 1)), libc::ENOPROTOOPT);
}

#[test]
fn default_option_values_match_python() {
    // Differential: a fresh socket's options, read by CPython and by asock.
    let rows: &[(i32, i32, &str, i32, i32, &str)] = &[
        (
            libc::AF_INET,
            libc::SOCK_STREAM,
            "SOL_SOCKET",
            libc::SOL_SOCKET,
            libc::SO_SNDBUF,
            "SO_SNDBUF",
        ),
        (
            libc::AF_INET,
            libc::SOCK_STREAM,
            "SOL_SOCKET",
            libc::SOL_SOCKET,
            libc::SO_RCVBUF,
            "SO_RCVBUF",
        ),
        (
            libc::AF_INET,
            libc::SOCK_STREAM,
            "SOL_SOCKET",
            libc::SOL_SOCKET,
            libc::SO_REUSEADDR,
            "SO_REUSEADDR",
        ),
        (
            libc::AF_INET,
            libc::SOCK_STREAM,
            "IPPROTO_TCP",
            libc::IPPROTO_TCP,
            libc::TCP_KEEPIDLE,
            "TCP_KEEPIDLE",
        ),
        (
            libc::AF_INET,
            libc::SOCK_STREAM,
            "IPPROTO_TCP",
            libc::IPPROTO_TCP,
            libc::TCP_KEEPCNT,
            "TCP_KEEPCNT",
        ),
        (libc::AF_INET, libc::SOCK_DGRAM, "IPPROTO_IP", libc::IPPROTO_IP, libc::IP_TTL, "IP_TTL"),
        (
            libc::AF_INET,
            libc::SOCK_DGRAM,
            "IPPROTO_IP",
            libc::IPPROTO_IP,
            libc::IP_MULTICAST_TTL,
            "IP_MULTICAST_TTL",
        ),
        (
            libc::AF_INET6,
            libc::SOCK_DGRAM,
            "IPPROTO_IPV6",
            libc::IPPROTO_IPV6,
            libc::IPV6_V6ONLY,
            "IPV6_V6ONLY",
        ),
        (
            libc::AF_INET6,
            libc::SOCK_DGRAM,
            "IPPROTO_IPV6",
            libc::IPPROTO_IPV6,
            libc::IPV6_UNICAST_HOPS,
            "IPV6_UNICAST_HOPS",
        ),
        (
            libc::AF_UNIX,
            libc::SOCK_STREAM,
            "SOL_SOCKET",
            libc::SOL_SOCKET,
            libc::SO_SNDBUF,
            "SO_SNDBUF",
        ),
    ];
    let mut script = String::from("import socket as s\n");
    for (family, kind, level, _, _, name) in rows {
        script += &format!("print(s.socket({family}, {kind}).getsockopt(s.{level}, s.{name}))\n");
    }
    let python: Vec<i32> = python_output(&script).lines().map(|l| l.parse().unwrap()).collect();
    for (row, expected) in rows.iter().zip(python) {
        let (family, kind, _, level, name, label) = *row;
        let s = Socket::new(family.into(), kind.into(), None).unwrap();
        let ours = s.options().get_option(level, name, 0).unwrap();
        assert_eq!(ours, OptionValue::Int(expected), "{label}");
    }
}
