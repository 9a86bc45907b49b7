//! No operation leaks an fd, on success or on error.
//!
//! Counting /proc/self/fd only means something when nothing else in the process opens fds
//! meanwhile, so this binary holds a single test that runs every scenario in turn.

mod blocking_util;

use std::net::TcpStream;
use std::os::fd::AsFd;
use std::time::Duration;

use asock::blocking::{create_server, socketpair, ServerOptions, Socket};
use asock::{AddressFamily, Protocol, SocketKind};
use blocking_util::*;

/// Runs `scenario` and asserts the process has as many fds afterwards as before.
fn no_leak(name: &str, scenario: impl FnOnce()) {
    let before = fd_count();
    scenario();
    assert_eq!(fd_count(), before, "{name} leaked an fd");
}

#[test]
fn no_operation_leaks_an_fd() {
    no_leak("socket of an unsupported family", || {
        assert!(Socket::new(AddressFamily::from(4242), SocketKind::SOCK_STREAM, Protocol::from(0))
            .is_err());
    });
    no_leak("from_fd of a file", || {
        let file = std::fs::File::open("/proc/self/status").unwrap();
        assert!(Socket::from_fd(file.as_fd()).is_err());
    });
    no_leak("create_server on a port in use", || {
        let a = create_server(&addr("127.0.0.1:0"), &ServerOptions::default()).unwrap();
        assert!(create_server(&a.local_addr().unwrap(), &ServerOptions::default()).is_err());
    });
    no_leak("create_server with a family unlike the address", || {
        let options = ServerOptions { family: Some(AddressFamily::AF_INET6), ..Default::default() };
        assert!(create_server(&addr("127.0.0.1:0"), &options).is_err());
    });
    no_leak("connect refused", || {
        assert!(tcp4().connect(&refused_addr()).is_err());
        let s = tcp4();
        s.set_timeout(Some(Duration::from_secs(5))).unwrap();
        assert!(s.connect(&refused_addr()).is_err());
    });
    no_leak("accept timing out", || {
        let l = listener(AddressFamily::AF_INET);
        l.set_timeout(Some(Duration::from_millis(20))).unwrap();
        assert!(l.accept().is_err());
    });
    no_leak("accept, exchange, drop", || {
        let (a, b) = tcp_pair(AddressFamily::AF_INET6);
        a.send_all(b"x").unwrap();
        assert_eq!(b.recv(1).unwrap(), b"x");
    });
    no_leak("close, double close, detach", || {
        let (mut a, mut b) = socketpair().unwrap();
        a.close().unwrap();
        a.close().unwrap();
        let fd = b.detach().unwrap();
        drop(fd);
    });
    no_leak("dup and drop", || {
        let (a, _b) = socketpair().unwrap();
        let _copies: Vec<Socket> = (0..5).map(|_| a.dup().unwrap()).collect();
    });
    no_leak("conversion to the wrong std type", || {
        assert!(TcpStream::try_from(udp4()).is_err());
    });
    no_leak("recv with an unallocatable size", || {
        let (_a, b) = socketpair().unwrap();
        assert!(b.recv(usize::MAX).is_err());
    });
    no_leak("recv_into with nbytes too large", || {
        let (_a, b) = socketpair().unwrap();
        assert!(b.recv_into(&mut [0u8; 1], 2).is_err());
    });
    no_leak("operations on a closed socket", || {
        let mut s = tcp4();
        s.close().unwrap();
        assert!(s.dup().is_err());
        assert!(s.accept().is_err());
    });
    no_leak("socketpair of an unsupported kind", || {
        assert!(Socket::pair(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0))
            .is_err());
    });
}
