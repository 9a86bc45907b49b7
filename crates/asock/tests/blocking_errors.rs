//! Bad input: each case gets Python's error kind and errno, never a panic. The errnos are
//! checked against CPython itself where Python reaches the kernel the same way.

mod blocking_util;

use std::time::Duration;

use asock::blocking::Socket;
use asock::{AddressFamily, ErrorKind, Protocol, SockAddr, SocketKind, UnixAddr};
use blocking_util::*;

#[test]
fn bind_twice_is_einval() {
    let s = tcp4();
    s.bind(&addr("127.0.0.1:0")).unwrap();
    assert_eq!(errno(s.bind(&addr("127.0.0.1:0"))), libc::EINVAL);
}

#[test]
fn bind_to_an_address_in_use_is_eaddrinuse() {
    let l = listener(AddressFamily::AF_INET);
    let s = tcp4();
    assert_eq!(errno(s.bind(&l.local_addr().unwrap())), libc::EADDRINUSE);
}

#[test]
fn accept_on_a_socket_that_is_not_listening_is_einval() {
    let s = tcp4();
    s.bind(&addr("127.0.0.1:0")).unwrap();
    assert_eq!(errno(s.accept()), libc::EINVAL);
}

#[test]
fn accept_in_timeout_mode_before_listen_fails_at_once_not_after_the_timeout() {
    // Trying the call before polling reports the error immediately (trio's order).
    let s = tcp4();
    s.set_timeout(Some(Duration::from_secs(30))).unwrap();
    let start = std::time::Instant::now();
    assert_eq!(errno(s.accept()), libc::EINVAL);
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn listen_on_a_datagram_socket_is_eopnotsupp() {
    assert_eq!(errno(udp4().listen(None)), libc::EOPNOTSUPP);
}

#[test]
fn listen_with_a_negative_backlog_is_zero_as_cpython() {
    let s = tcp4();
    s.bind(&addr("127.0.0.1:0")).unwrap();
    s.listen(Some(-5)).unwrap();
    assert!(s.options().is_listener().unwrap());
}

#[test]
fn connect_an_inet_socket_to_an_inet6_address_is_eafnosupport() {
    let s = tcp4();
    assert_eq!(errno(s.connect(&addr("[::1]:80"))), libc::EAFNOSUPPORT);
    assert_eq!(errno(s.connect_ex(&addr("[::1]:80"))), libc::EAFNOSUPPORT, "raised, not returned");
}

#[test]
fn bind_an_inet6_socket_to_an_inet_address_is_eafnosupport() {
    assert_eq!(errno(tcp6().bind(&addr("127.0.0.1:0"))), libc::EAFNOSUPPORT);
}

#[test]
fn send_to_an_address_of_another_family_is_eafnosupport() {
    let s = udp4();
    assert_eq!(errno(s.send_to(b"x", &addr("[::1]:9"))), libc::EAFNOSUPPORT);
    let unix: SockAddr = UnixAddr::pathname("/tmp/nowhere").into();
    assert_eq!(errno(s.send_to(b"x", &unix)), libc::EAFNOSUPPORT);
}

#[test]
fn connect_a_unix_socket_to_an_ip_address_is_eafnosupport() {
    let s = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM);
    assert_eq!(errno(s.connect(&addr("127.0.0.1:80"))), libc::EAFNOSUPPORT);
}

#[test]
fn unix_path_too_long_is_invalid_input() {
    let s = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM);
    let long: SockAddr = UnixAddr::pathname("/tmp/".to_owned() + &"x".repeat(200)).into();
    assert_eq!(s.bind(&long).unwrap_err().kind(), ErrorKind::InvalidInput);
    assert_eq!(s.connect(&long).unwrap_err().kind(), ErrorKind::InvalidInput);
    assert_eq!(s.connect_ex(&long).unwrap_err().kind(), ErrorKind::InvalidInput);
}

#[test]
fn connect_to_a_missing_unix_path_is_enoent() {
    let s = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM);
    let missing: SockAddr = UnixAddr::pathname(temp_path("missing")).into();
    assert_eq!(errno(s.connect(&missing)), libc::ENOENT);
}

#[test]
fn recv_on_an_unconnected_tcp_socket_is_enotconn() {
    assert_eq!(errno(tcp4().recv(1)), libc::ENOTCONN);
}

#[test]
fn send_on_an_unconnected_tcp_socket_is_epipe() {
    // Linux reports EPIPE (with MSG_NOSIGNAL no signal): what CPython raises too.
    assert_eq!(errno(tcp4().send(b"x")), libc::EPIPE);
}

#[test]
fn peer_addr_of_an_unconnected_socket_is_enotconn() {
    assert_eq!(errno(tcp4().peer_addr()), libc::ENOTCONN);
}

#[test]
fn every_operation_on_a_closed_socket_is_ebadf() {
    let mut s = tcp4();
    s.close().unwrap();
    let a = addr("127.0.0.1:1");
    let mut buf = [0u8; 4];
    let results = [
        errno(s.bind(&a)),
        errno(s.listen(None)),
        errno(s.accept()),
        errno(s.connect(&a)),
        errno(s.recv(1)),
        errno(s.recv_into(&mut buf, 0)),
        errno(s.recv_from(1)),
        errno(s.recv_from_into(&mut buf, 0)),
        errno(s.send(b"x")),
        errno(s.send_all(b"x")),
        errno(s.send_to(b"x", &a)),
        errno(s.shutdown(std::net::Shutdown::Both)),
        errno(s.local_addr()),
        errno(s.peer_addr()),
        errno(s.dup()),
        errno(s.set_timeout_secs(Some(1.0))),
        errno(s.inheritable()),
        errno(s.options().nodelay()),
        errno(s.options().tcp_info()),
        errno(s.options().set_linger(None)),
    ];
    assert!(results.iter().all(|&e| e == libc::EBADF), "{results:?}");
}

#[test]
fn set_timeout_on_a_closed_socket_still_validates_first() {
    let mut s = tcp4();
    s.close().unwrap();
    assert_eq!(s.set_timeout_secs(Some(f64::NAN)).unwrap_err().kind(), ErrorKind::InvalidInput);
}

#[test]
fn raw_socket_without_protocol_support_is_an_os_error_not_a_panic() {
    let err = Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::IPPROTO_UDP);
    assert_eq!(errno(err), libc::EPROTONOSUPPORT);
}

#[test]
fn errnos_match_cpython_for_the_same_mistakes() {
    // Differential: CPython's errno for each mistake, on the same kernel.
    let py = python_output(
        r#"
import socket
def errno_of(f):
    try:
        f()
        return 0
    except OSError as e:
        return e.errno
s = socket.socket(); s.bind(("127.0.0.1", 0))
print(errno_of(lambda: s.bind(("127.0.0.1", 0))))
print(errno_of(lambda: s.accept()))
print(errno_of(lambda: socket.socket(type=socket.SOCK_DGRAM).listen()))
print(errno_of(lambda: socket.socket().recv(1)))
print(errno_of(lambda: socket.socket().getpeername()))
c = socket.socket(); c.close()
print(errno_of(lambda: c.recv(1)))
"#,
    );
    let expected: Vec<i32> = py.lines().map(|l| l.parse().unwrap()).collect();
    let s = tcp4();
    s.bind(&addr("127.0.0.1:0")).unwrap();
    let mut closed = tcp4();
    closed.close().unwrap();
    let ours = vec![
        errno(s.bind(&addr("127.0.0.1:0"))),
        errno(s.accept()),
        errno(udp4().listen(None)),
        errno(tcp4().recv(1)),
        errno(tcp4().peer_addr()),
        errno(closed.recv(1)),
    ];
    assert_eq!(ours, expected);
}
