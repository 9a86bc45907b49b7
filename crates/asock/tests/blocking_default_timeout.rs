//! The process-wide default timeout (Python's `socket.setdefaulttimeout`).
//!
//! The default is global, so this file is its own test binary and every test holds one lock
//! and restores the default when done.

mod blocking_util;

use std::net::UdpSocket;
use std::os::fd::AsFd;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use asock::blocking::{self, socketpair, Socket};
use asock::{AddressFamily, ErrorKind, Protocol, SocketKind};
use blocking_util::*;

static LOCK: Mutex<()> = Mutex::new(());

/// Holds the lock and puts the default back to `None` when dropped.
struct Default(#[allow(dead_code)] MutexGuard<'static, ()>);

impl Drop for Default {
    fn drop(&mut self) {
        blocking::set_default_timeout(None).unwrap();
    }
}

fn with_default(timeout: Option<Duration>) -> Default {
    let guard = LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    blocking::set_default_timeout(timeout).unwrap();
    Default(guard)
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn default_timeout_starts_as_none() {
    let _lock = LOCK.lock().unwrap_or_else(|p| p.into_inner());
    assert_eq!(blocking::default_timeout(), None);
}

#[test]
fn new_sockets_start_with_the_default_timeout() {
    let _d = with_default(Some(ms(1500)));
    assert_eq!(blocking::default_timeout(), Some(ms(1500)));
    assert_eq!(tcp4().timeout(), Some(ms(1500)));
    let (a, b) = socketpair().unwrap();
    assert_eq!((a.timeout(), b.timeout()), (Some(ms(1500)), Some(ms(1500))));
}

#[test]
fn new_sockets_really_wait_for_the_default_timeout() {
    let _d = with_default(Some(ms(150)));
    let (a, _b) = socketpair().unwrap();
    let start = Instant::now();
    assert_eq!(a.recv(1).unwrap_err().kind(), ErrorKind::Timeout);
    assert!(start.elapsed() >= ms(150));
}

#[test]
fn default_zero_makes_new_sockets_nonblocking() {
    let _d = with_default(Some(Duration::ZERO));
    let (a, _b) = socketpair().unwrap();
    assert!(!a.is_blocking());
    assert!(a.recv(1).unwrap_err().is_would_block());
}

#[test]
fn sock_nonblock_overrides_the_default_timeout() {
    let _d = with_default(Some(ms(3000)));
    let kind = SocketKind::SOCK_STREAM.with_flags(SocketKind::SOCK_NONBLOCK);
    let s = Socket::new(AddressFamily::AF_INET, kind, Protocol::from(0)).unwrap();
    assert_eq!(s.timeout(), Some(Duration::ZERO));
}

#[test]
fn existing_sockets_keep_their_mode_when_the_default_changes() {
    let d = with_default(None);
    let s = tcp4();
    blocking::set_default_timeout(Some(ms(700))).unwrap();
    assert_eq!(s.timeout(), None);
    drop(d);
}

#[test]
fn accepted_sockets_take_the_default_timeout() {
    let l = listener(AddressFamily::AF_INET); // created with no default
    let c = tcp4();
    c.connect(&l.local_addr().unwrap()).unwrap();
    let _d = with_default(Some(ms(300)));
    let (conn, _) = l.accept().unwrap();
    assert_eq!(conn.timeout(), Some(ms(300)));
    let start = Instant::now();
    assert_eq!(conn.recv(1).unwrap_err().kind(), ErrorKind::Timeout, "the fd is O_NONBLOCK");
    assert!(start.elapsed() >= ms(300));
}

#[test]
fn adopted_fds_take_the_default_timeout_and_become_nonblocking() {
    let _d = with_default(Some(ms(900)));
    let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    let s = Socket::from_fd(udp.as_fd()).unwrap();
    assert_eq!(s.timeout(), Some(ms(900)));
    // As in CPython, O_NONBLOCK is on the shared open file description: the original sees it.
    let mut buf = [0u8; 1];
    assert_eq!(udp.recv(&mut buf).unwrap_err().kind(), std::io::ErrorKind::WouldBlock);
    let converted = Socket::from(UdpSocket::bind("127.0.0.1:0").unwrap());
    assert_eq!(converted.timeout(), Some(ms(900)));
}

#[test]
fn dup_keeps_the_sockets_own_timeout_not_the_default() {
    let d = with_default(None);
    let s = tcp4();
    s.set_timeout(Some(ms(400))).unwrap();
    blocking::set_default_timeout(Some(ms(9000))).unwrap();
    assert_eq!(s.dup().unwrap().timeout(), Some(ms(400)));
    drop(d);
}

#[test]
fn set_default_timeout_secs_rejects_bad_values_and_keeps_the_old_default() {
    let _d = with_default(Some(ms(250)));
    let cases = [
        (f64::NAN, "Invalid value NaN (not a number)"),
        (-0.5, "Timeout value out of range"),
        (f64::INFINITY, "timestamp out of range for platform time_t"),
    ];
    for (value, message) in cases {
        let err = blocking::set_default_timeout_secs(Some(value)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert_eq!(err.to_string(), message);
    }
    assert!(blocking::set_default_timeout(Some(Duration::MAX)).is_err());
    assert_eq!(blocking::default_timeout(), Some(ms(250)));
    blocking::set_default_timeout_secs(Some(0.5)).unwrap();
    assert_eq!(blocking::default_timeout(), Some(ms(500)));
}

#[test]
fn default_timeout_matches_python_for_the_same_calls() {
    let _d = with_default(None);
    let python = python_output(
        "import socket\n\
         socket.setdefaulttimeout(2.5)\n\
         a = socket.socket().gettimeout()\n\
         b = socket.socket(type=socket.SOCK_STREAM | socket.SOCK_NONBLOCK).gettimeout()\n\
         print(a, b)",
    );
    blocking::set_default_timeout_secs(Some(2.5)).unwrap();
    let a = tcp4().timeout().unwrap().as_secs_f64();
    let kind = SocketKind::SOCK_STREAM.with_flags(SocketKind::SOCK_NONBLOCK);
    let b =
        Socket::new(AddressFamily::AF_INET, kind, Protocol::from(0)).unwrap().timeout().unwrap();
    assert_eq!(python.trim(), format!("{a:?} {:?}", b.as_secs_f64()));
}
