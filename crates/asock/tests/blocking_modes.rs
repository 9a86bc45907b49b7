//! The three modes, as CPython's test_socket / test_timeout pin them down.
//!
//! Timing assertions use real time with generous upper bounds (the machine is shared); lower
//! bounds are exact, since a deadline must never end early.

mod blocking_util;

use std::os::fd::RawFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use asock::blocking::{socketpair, Socket};
use asock::{AddressFamily, ErrorKind, SocketKind};
use blocking_util::*;

/// Whether the fd has `O_NONBLOCK`, read from /proc/self/fdinfo (flags are octal there).
fn fd_nonblocking(fd: RawFd) -> bool {
    let info = std::fs::read_to_string(format!("/proc/self/fdinfo/{fd}")).unwrap();
    let flags = info.lines().find_map(|l| l.strip_prefix("flags:")).unwrap().trim();
    u32::from_str_radix(flags, 8).unwrap() & libc::O_NONBLOCK as u32 != 0
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

// ===== the mode table =====

#[test]
fn new_socket_is_in_blocking_mode_with_a_blocking_fd() {
    let s = tcp4();
    assert_eq!(s.timeout(), None);
    assert!(s.is_blocking());
    assert!(!fd_nonblocking(s.fileno()));
}

#[test]
fn set_timeout_zero_is_nonblocking_mode_with_o_nonblock() {
    let s = tcp4();
    s.set_timeout(Some(Duration::ZERO)).unwrap();
    assert_eq!(s.timeout(), Some(Duration::ZERO));
    assert!(!s.is_blocking());
    assert!(fd_nonblocking(s.fileno()));
}

#[test]
fn set_timeout_positive_is_timeout_mode_with_o_nonblock_and_counts_as_blocking() {
    let s = tcp4();
    s.set_timeout(Some(ms(2500))).unwrap();
    assert_eq!(s.timeout(), Some(ms(2500)));
    assert!(s.is_blocking(), "CPython's getblocking() is True in timeout mode");
    assert!(fd_nonblocking(s.fileno()));
}

#[test]
fn set_timeout_none_restores_a_blocking_fd() {
    let s = tcp4();
    s.set_timeout(Some(ms(10))).unwrap();
    s.set_timeout(None).unwrap();
    assert_eq!(s.timeout(), None);
    assert!(!fd_nonblocking(s.fileno()));
}

#[test]
fn set_blocking_is_set_timeout_none_or_zero() {
    let s = tcp4();
    s.set_timeout(Some(ms(700))).unwrap();
    s.set_blocking(false).unwrap();
    assert_eq!(s.timeout(), Some(Duration::ZERO));
    s.set_blocking(true).unwrap();
    assert_eq!(s.timeout(), None);
    assert!(!fd_nonblocking(s.fileno()));
}

// ===== timeout values =====

#[test]
fn set_timeout_secs_rounds_up_to_whole_nanoseconds_as_cpython() {
    let s = tcp4();
    s.set_timeout_secs(Some(1e-10)).unwrap();
    assert_eq!(s.timeout(), Some(Duration::from_nanos(1)));
    s.set_timeout_secs(Some(0.25)).unwrap();
    assert_eq!(s.timeout(), Some(ms(250)));
    s.set_timeout_secs(Some(0.0)).unwrap();
    assert_eq!(s.timeout(), Some(Duration::ZERO));
    s.set_timeout_secs(Some(-0.0)).unwrap();
    assert_eq!(s.timeout(), Some(Duration::ZERO));
}

#[test]
fn set_timeout_secs_rejects_nan_with_pythons_message() {
    let err = tcp4().set_timeout_secs(Some(f64::NAN)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.to_string(), "Invalid value NaN (not a number)");
}

#[test]
fn set_timeout_secs_rejects_negative_with_pythons_message() {
    for v in [-1.0, -1e-9, f64::NEG_INFINITY] {
        let err = tcp4().set_timeout_secs(Some(v)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert_eq!(err.to_string(), "Timeout value out of range");
    }
}

#[test]
fn set_timeout_secs_rejects_values_past_pythons_limit() {
    let s = tcp4();
    s.set_timeout_secs(Some(9.2e9)).unwrap(); // CPython accepts this
    for v in [9.3e9, 1e19, f64::INFINITY] {
        let err = s.set_timeout_secs(Some(v)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{v}");
        assert_eq!(err.to_string(), "timestamp out of range for platform time_t");
    }
    assert_eq!(s.timeout(), Some(Duration::from_secs(9_200_000_000)), "unchanged by errors");
}

#[test]
fn set_timeout_rejects_durations_past_i64_nanoseconds() {
    let s = tcp4();
    let err = s.set_timeout(Some(Duration::MAX)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(s.timeout(), None);
    s.set_timeout(Some(Duration::from_nanos(i64::MAX as u64))).unwrap();
}

#[test]
fn huge_timeout_waits_like_blocking_mode() {
    let (a, b) = socketpair().unwrap();
    a.set_timeout(Some(Duration::from_nanos(i64::MAX as u64))).unwrap();
    let writer = thread::spawn(move || {
        thread::sleep(ms(50));
        b.send_all(b"late").unwrap();
    });
    assert_eq!(a.recv(4).unwrap(), b"late");
    writer.join().unwrap();
}

// ===== recv =====

#[test]
fn blocking_recv_waits_for_data() {
    let (a, b) = socketpair().unwrap();
    let start = Instant::now();
    let writer = thread::spawn(move || {
        thread::sleep(ms(100));
        b.send_all(b"hello").unwrap();
    });
    assert_eq!(a.recv(5).unwrap(), b"hello");
    assert!(start.elapsed() >= ms(100));
    writer.join().unwrap();
}

#[test]
fn timeout_recv_fails_after_the_timeout_with_timed_out() {
    let (a, _b) = socketpair().unwrap();
    a.set_timeout(Some(ms(200))).unwrap();
    let start = Instant::now();
    let err = a.recv(10).unwrap_err();
    let elapsed = start.elapsed();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!(err.to_string(), "timed out");
    assert!(elapsed >= ms(200), "{elapsed:?}");
    assert!(elapsed < ms(2000), "{elapsed:?}");
}

#[test]
fn timeout_recv_returns_data_that_arrives_in_time() {
    let (a, b) = socketpair().unwrap();
    a.set_timeout(Some(Duration::from_secs(5))).unwrap();
    let writer = thread::spawn(move || {
        thread::sleep(ms(50));
        b.send_all(b"in time").unwrap();
    });
    let start = Instant::now();
    assert_eq!(a.recv(64).unwrap(), b"in time");
    assert!(start.elapsed() < Duration::from_secs(5));
    writer.join().unwrap();
}

#[test]
fn timeout_recv_with_data_ready_returns_at_once() {
    let (a, b) = socketpair().unwrap();
    b.send_all(b"ready").unwrap();
    a.set_timeout(Some(ms(1))).unwrap();
    assert_eq!(a.recv(5).unwrap(), b"ready");
}

#[test]
fn nonblocking_recv_with_nothing_to_read_is_would_block_not_timeout() {
    let (a, _b) = socketpair().unwrap();
    a.set_blocking(false).unwrap();
    let err = a.recv(10).unwrap_err();
    assert!(err.is_would_block());
    assert_eq!(err.kind(), ErrorKind::Os);
    assert_eq!(err.raw_os_error(), Some(libc::EAGAIN));
}

#[test]
fn timeout_recv_from_on_udp_times_out() {
    let s = bound_udp(AddressFamily::AF_INET);
    s.set_timeout_secs(Some(0.1)).unwrap();
    let start = Instant::now();
    assert_eq!(s.recv_from(10).unwrap_err().kind(), ErrorKind::Timeout);
    assert!(start.elapsed() >= ms(100));
}

// ===== accept =====

#[test]
fn timeout_accept_times_out_when_no_one_connects() {
    let l = listener(AddressFamily::AF_INET);
    l.set_timeout(Some(ms(150))).unwrap();
    let start = Instant::now();
    assert_eq!(l.accept().unwrap_err().kind(), ErrorKind::Timeout);
    assert!(start.elapsed() >= ms(150));
}

#[test]
fn nonblocking_accept_with_no_connection_is_would_block() {
    let l = listener(AddressFamily::AF_INET6);
    l.set_blocking(false).unwrap();
    assert!(l.accept().unwrap_err().is_would_block());
}

#[test]
fn timeout_accept_returns_a_connection_that_arrives_in_time() {
    let l = listener(AddressFamily::AF_INET);
    l.set_timeout(Some(Duration::from_secs(5))).unwrap();
    let target = l.local_addr().unwrap();
    let client = thread::spawn(move || {
        thread::sleep(ms(50));
        let c = tcp4();
        c.connect(&target).unwrap();
        c
    });
    let (conn, peer) = l.accept().unwrap();
    let c = client.join().unwrap();
    assert_eq!(peer, c.local_addr().unwrap());
    assert_eq!(conn.peer_addr().unwrap(), c.local_addr().unwrap());
}

#[test]
fn accepted_socket_takes_the_default_mode_not_the_listeners() {
    // CPython: a listener with a timeout (or non-blocking) hands out blocking sockets when no
    // default timeout is set.
    for listener_timeout in [Some(ms(5000)), Some(Duration::ZERO)] {
        let l = listener(AddressFamily::AF_INET);
        let c = tcp4();
        c.connect(&l.local_addr().unwrap()).unwrap();
        l.set_timeout(listener_timeout).unwrap();
        let (conn, _) = l.accept().unwrap();
        assert_eq!(conn.timeout(), None, "listener {listener_timeout:?}");
        assert!(!fd_nonblocking(conn.fileno()));
        assert!(!conn.inheritable().unwrap());
    }
}

// ===== send_all =====

#[test]
fn timeout_send_all_deadline_covers_the_whole_call_not_each_chunk() {
    // 8 MiB to a reader that drains 4 KiB every 20 ms: every chunk makes progress well within
    // the timeout, so a per-chunk timeout would never fire; the whole call must stop at ~1 s.
    let (a, b) = socketpair().unwrap();
    a.set_timeout(Some(Duration::from_secs(1))).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let reader_stop = Arc::clone(&stop);
    let reader = thread::spawn(move || {
        b.set_timeout(Some(ms(100))).unwrap();
        let mut buf = [0u8; 4096];
        while !reader_stop.load(Ordering::Relaxed) {
            let _ = b.recv_into(&mut buf, 0);
            thread::sleep(ms(20));
        }
    });
    let data = vec![7u8; 8 << 20];
    let start = Instant::now();
    let err = a.send_all(&data).unwrap_err();
    let elapsed = start.elapsed();
    stop.store(true, Ordering::Relaxed);
    reader.join().unwrap();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < ms(2500), "{elapsed:?}");
}

#[test]
fn timeout_send_all_delivers_every_byte_to_a_fast_reader() {
    let (a, b) = tcp_pair(AddressFamily::AF_INET);
    a.set_timeout(Some(Duration::from_secs(20))).unwrap();
    let reader = thread::spawn(move || {
        let mut total = 0usize;
        let mut sum = 0u64;
        let mut buf = vec![0u8; 65536];
        loop {
            let n = b.recv_into(&mut buf, 0).unwrap();
            if n == 0 {
                return (total, sum);
            }
            total += n;
            sum += buf[..n].iter().map(|&x| u64::from(x)).sum::<u64>();
        }
    });
    let data: Vec<u8> = (0..(8usize << 20)).map(|i| (i % 251) as u8).collect();
    let expected_sum: u64 = data.iter().map(|&x| u64::from(x)).sum();
    a.send_all(&data).unwrap();
    a.shutdown(std::net::Shutdown::Write).unwrap();
    assert_eq!(reader.join().unwrap(), (data.len(), expected_sum));
}

#[test]
fn nonblocking_send_to_a_full_buffer_is_would_block() {
    let (a, _b) = socketpair().unwrap();
    a.set_blocking(false).unwrap();
    let chunk = [0u8; 65536];
    let err = loop {
        if let Err(e) = a.send(&chunk) {
            break e;
        }
    };
    assert!(err.is_would_block());
    // And send_all in non-blocking mode reports the same error (bytes sent are unknown).
    assert!(a.send_all(&chunk).unwrap_err().is_would_block());
}

#[test]
fn timeout_send_to_a_full_buffer_times_out() {
    let (a, _b) = socketpair().unwrap();
    a.set_timeout(Some(ms(100))).unwrap();
    let chunk = [0u8; 65536];
    let start = Instant::now();
    let err = loop {
        if let Err(e) = a.send(&chunk) {
            break e;
        }
    };
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(start.elapsed() >= ms(100));
}

// ===== connect =====

#[test]
fn timeout_connect_succeeds_and_connects() {
    let l = listener(AddressFamily::AF_INET6);
    let c = tcp6();
    c.set_timeout(Some(Duration::from_secs(5))).unwrap();
    c.connect(&l.local_addr().unwrap()).unwrap();
    assert_eq!(c.peer_addr().unwrap(), l.local_addr().unwrap());
}

#[test]
fn timeout_connect_refused_reports_econnrefused_from_so_error() {
    let c = tcp4();
    c.set_timeout(Some(Duration::from_secs(5))).unwrap();
    assert_eq!(errno(c.connect(&refused_addr())), libc::ECONNREFUSED);
}

#[test]
fn nonblocking_connect_is_einprogress_then_completes() {
    let l = listener(AddressFamily::AF_INET);
    let c = tcp4();
    c.set_blocking(false).unwrap();
    assert_eq!(c.connect_ex(&l.local_addr().unwrap()).unwrap(), libc::EINPROGRESS);
    let (conn, peer) = l.accept().unwrap();
    assert_eq!(peer, conn.peer_addr().unwrap());
    // Once established, connecting again says so: 0 the first time (the kernel completes
    // the socket's state), EISCONN after that.
    let deadline = Instant::now() + PATIENCE;
    loop {
        match c.connect_ex(&l.local_addr().unwrap()).unwrap() {
            0 | libc::EISCONN => break,
            libc::EALREADY | libc::EINPROGRESS => {}
            other => panic!("unexpected errno {other}"),
        }
        assert!(Instant::now() < deadline);
        thread::sleep(ms(5));
    }
}

/// A listener whose accept queue is full: further SYNs are dropped, so connects hang.
fn saturated_listener() -> (Socket, Vec<Socket>) {
    let l = sock(AddressFamily::AF_INET, SocketKind::SOCK_STREAM);
    l.bind(&addr("127.0.0.1:0")).unwrap();
    l.listen(Some(0)).unwrap();
    let mut held = Vec::new();
    for _ in 0..8 {
        let c = tcp4();
        c.set_timeout(Some(ms(100))).unwrap();
        match c.connect(&l.local_addr().unwrap()) {
            Ok(()) => held.push(c),
            Err(e) if e.kind() == ErrorKind::Timeout => return (l, held),
            Err(e) => panic!("{e}"),
        }
    }
    panic!("the accept queue never filled up");
}

#[test]
fn timeout_connect_to_a_saturated_listener_times_out() {
    let (l, _held) = saturated_listener();
    let c = tcp4();
    c.set_timeout(Some(ms(300))).unwrap();
    let start = Instant::now();
    assert_eq!(c.connect(&l.local_addr().unwrap()).unwrap_err().kind(), ErrorKind::Timeout);
    let elapsed = start.elapsed();
    assert!(elapsed >= ms(300) && elapsed < ms(3000), "{elapsed:?}");
}

#[test]
fn timeout_connect_ex_reports_a_timeout_as_eagain_as_cpython() {
    let (l, _held) = saturated_listener();
    let c = tcp4();
    c.set_timeout(Some(ms(100))).unwrap();
    assert_eq!(c.connect_ex(&l.local_addr().unwrap()).unwrap(), libc::EWOULDBLOCK);
}

#[test]
fn connect_ex_returns_zero_on_success_and_the_errno_on_failure() {
    let l = listener(AddressFamily::AF_INET);
    assert_eq!(tcp4().connect_ex(&l.local_addr().unwrap()).unwrap(), 0);
    assert_eq!(tcp4().connect_ex(&refused_addr()).unwrap(), libc::ECONNREFUSED);
    let mut closed = tcp4();
    closed.close().unwrap();
    assert_eq!(closed.connect_ex(&l.local_addr().unwrap()).unwrap(), libc::EBADF);
}

#[test]
fn mode_is_shared_across_threads_through_shared_references() {
    let (a, b) = socketpair().unwrap();
    let a = Arc::new(a);
    let a2 = Arc::clone(&a);
    thread::spawn(move || a2.set_timeout(Some(ms(50))).unwrap()).join().unwrap();
    assert_eq!(a.timeout(), Some(ms(50)));
    assert_eq!(a.recv(1).unwrap_err().kind(), ErrorKind::Timeout);
    drop(b);
}
