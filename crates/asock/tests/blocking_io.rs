//! Moving bytes: recv*, send*, flags, shutdown, and Read / Write as Python's makefile.

mod blocking_util;

use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::net::Shutdown;
use std::thread;
use std::time::Duration;

use asock::blocking::{socketpair, Socket};
use asock::{AddressFamily, ErrorKind, Protocol, SockAddr, SocketKind, UnixAddr};
use blocking_util::*;

// ===== recv family =====

#[test]
fn recv_returns_at_most_bufsize_bytes() {
    let (a, b) = socketpair().unwrap();
    a.send_all(b"0123456789").unwrap();
    assert_eq!(b.recv(4).unwrap(), b"0123");
    assert_eq!(b.recv(100).unwrap(), b"456789");
}

#[test]
fn recv_zero_bytes_returns_empty_without_consuming() {
    let (a, b) = socketpair().unwrap();
    a.send_all(b"kept").unwrap();
    assert_eq!(b.recv(0).unwrap(), b"");
    assert_eq!(b.recv(4).unwrap(), b"kept");
}

#[test]
fn recv_result_does_not_keep_a_huge_allocation() {
    let (a, b) = socketpair().unwrap();
    a.send_all(b"small").unwrap();
    let data = b.recv(64 << 20).unwrap();
    assert_eq!(data, b"small");
    assert!(data.capacity() < 4096, "capacity {}", data.capacity());
}

#[test]
fn recv_with_an_unallocatable_bufsize_is_enomem_not_a_panic() {
    let (_a, b) = socketpair().unwrap();
    assert_eq!(errno(b.recv(usize::MAX)), libc::ENOMEM);
    assert_eq!(errno(b.recv_from(isize::MAX as usize)), libc::ENOMEM);
}

#[test]
fn recv_into_with_zero_nbytes_fills_up_to_the_whole_buffer() {
    let (a, b) = socketpair().unwrap();
    a.send_all(b"abcdef").unwrap();
    let mut buf = [0u8; 4];
    assert_eq!(b.recv_into(&mut buf, 0).unwrap(), 4);
    assert_eq!(&buf, b"abcd");
}

#[test]
fn recv_into_reads_at_most_nbytes() {
    let (a, b) = socketpair().unwrap();
    a.send_all(b"abcdef").unwrap();
    let mut buf = [0u8; 6];
    assert_eq!(b.recv_into(&mut buf, 2).unwrap(), 2);
    assert_eq!(&buf[..2], b"ab");
    assert_eq!(&buf[2..], [0; 4]);
}

#[test]
fn recv_into_nbytes_larger_than_the_buffer_is_pythons_value_error() {
    let (a, b) = socketpair().unwrap();
    a.send_all(b"abc").unwrap();
    let err = b.recv_into(&mut [0u8; 2], 3).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.to_string(), "buffer too small for requested bytes");
    assert_eq!(b.recv(3).unwrap(), b"abc", "nothing was consumed");
}

#[test]
fn recv_from_into_nbytes_larger_than_the_buffer_is_pythons_value_error() {
    let (_a, b) = socketpair().unwrap();
    let err = b.recv_from_into(&mut [0u8; 2], usize::MAX).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.to_string(), "nbytes is greater than the length of the buffer");
}

#[test]
fn recv_from_reports_the_udp_sender() {
    for family in [AddressFamily::AF_INET, AddressFamily::AF_INET6] {
        let (a, b) = (bound_udp(family), bound_udp(family));
        a.send_to(b"who", &b.local_addr().unwrap()).unwrap();
        let (data, from) = b.recv_from(16).unwrap();
        assert_eq!(data, b"who");
        assert_eq!(from, a.local_addr().unwrap());
    }
}

#[test]
fn recv_from_into_reports_the_udp_sender() {
    let (a, b) = (bound_udp(AddressFamily::AF_INET), bound_udp(AddressFamily::AF_INET));
    a.send_to(b"into", &b.local_addr().unwrap()).unwrap();
    let mut buf = [0u8; 16];
    let (n, from) = b.recv_from_into(&mut buf, 0).unwrap();
    assert_eq!((&buf[..n], from), (&b"into"[..], a.local_addr().unwrap()));
}

#[test]
fn recv_truncates_a_datagram_larger_than_bufsize() {
    let (a, b) = (bound_udp(AddressFamily::AF_INET), bound_udp(AddressFamily::AF_INET));
    a.send_to(b"0123456789", &b.local_addr().unwrap()).unwrap();
    a.send_to(b"next", &b.local_addr().unwrap()).unwrap();
    assert_eq!(b.recv(4).unwrap(), b"0123");
    assert_eq!(b.recv(100).unwrap(), b"next", "the rest of the first datagram is gone");
}

#[test]
fn recv_with_msg_trunc_reports_the_full_datagram_length_without_overflowing() {
    let (a, b) = (bound_udp(AddressFamily::AF_INET), bound_udp(AddressFamily::AF_INET));
    a.send_to(b"0123456789", &b.local_addr().unwrap()).unwrap();
    let mut buf = [0u8; 4];
    assert_eq!(b.recv_into_with_flags(&mut buf, 0, libc::MSG_TRUNC).unwrap(), 10);
    a.send_to(b"0123456789", &b.local_addr().unwrap()).unwrap();
    assert_eq!(b.recv_with_flags(4, libc::MSG_TRUNC).unwrap(), b"0123");
}

#[test]
fn recv_with_msg_peek_leaves_the_data() {
    let (a, b) = socketpair().unwrap();
    a.send_all(b"peek").unwrap();
    assert_eq!(b.recv_with_flags(4, libc::MSG_PEEK).unwrap(), b"peek");
    let mut buf = [0u8; 4];
    assert_eq!(b.recv_from_into_with_flags(&mut buf, 0, libc::MSG_PEEK).unwrap().0, 4);
    assert_eq!(b.recv_from_with_flags(4, libc::MSG_PEEK).unwrap().0, b"peek");
    assert_eq!(b.recv(4).unwrap(), b"peek");
}

#[test]
fn recv_with_msg_waitall_waits_for_all_bytes() {
    let (a, b) = socketpair().unwrap();
    let writer = thread::spawn(move || {
        a.send_all(b"ab").unwrap();
        thread::sleep(Duration::from_millis(50));
        a.send_all(b"cd").unwrap();
    });
    let mut buf = [0u8; 4];
    assert_eq!(b.recv_into_with_flags(&mut buf, 0, libc::MSG_WAITALL).unwrap(), 4);
    assert_eq!(&buf, b"abcd");
    writer.join().unwrap();
}

#[test]
fn recv_from_an_unnamed_unix_datagram_sender_is_unnamed() {
    let (a, b) =
        Socket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM, Protocol::from(0)).unwrap();
    a.send(b"anon").unwrap();
    let (data, from) = b.recv_from(16).unwrap();
    assert_eq!(data, b"anon");
    assert_eq!(from, SockAddr::Unix(UnixAddr::Unnamed));
}

// ===== shutdown and end of stream =====

#[test]
fn recv_after_peer_shutdown_write_returns_empty() {
    let (a, b) = tcp_pair(AddressFamily::AF_INET);
    a.send_all(b"last").unwrap();
    a.shutdown(Shutdown::Write).unwrap();
    assert_eq!(b.recv(10).unwrap(), b"last");
    assert_eq!(b.recv(10).unwrap(), b"");
    assert_eq!(b.recv(10).unwrap(), b"", "end of stream stays");
}

#[test]
fn recv_after_own_shutdown_read_returns_empty() {
    let (a, _b) = tcp_pair(AddressFamily::AF_INET6);
    a.shutdown(Shutdown::Read).unwrap();
    assert_eq!(a.recv(10).unwrap(), b"");
}

#[test]
fn send_after_own_shutdown_write_is_epipe_without_sigpipe() {
    let (a, _b) = tcp_pair(AddressFamily::AF_INET);
    a.shutdown(Shutdown::Both).unwrap();
    // A SIGPIPE would kill the test process; MSG_NOSIGNAL turns it into EPIPE.
    assert_eq!(errno(a.send(b"x")), libc::EPIPE);
    assert_eq!(errno(a.send_all(b"x")), libc::EPIPE);
}

#[test]
fn send_to_a_closed_unix_peer_is_epipe_without_sigpipe() {
    let (a, b) = socketpair().unwrap();
    drop(b);
    assert_eq!(errno(a.send_all(&[0u8; 100_000])), libc::EPIPE);
}

#[test]
fn shutdown_of_an_unconnected_socket_is_enotconn() {
    assert_eq!(errno(tcp4().shutdown(Shutdown::Both)), libc::ENOTCONN);
}

// ===== send family =====

#[test]
fn send_returns_the_byte_count() {
    let (a, b) = tcp_pair(AddressFamily::AF_INET);
    assert_eq!(a.send(b"12345").unwrap(), 5);
    assert_eq!(b.recv(5).unwrap(), b"12345");
}

#[test]
fn blocking_send_all_sends_more_than_the_socket_buffer() {
    let (a, b) = socketpair().unwrap();
    let data: Vec<u8> = (0..(4usize << 20)).map(|i| (i % 253) as u8).collect();
    let expected = data.clone();
    let writer = thread::spawn(move || {
        a.send_all(&data).unwrap();
    });
    let mut got = Vec::new();
    while got.len() < expected.len() {
        got.extend(b.recv(1 << 16).unwrap());
    }
    writer.join().unwrap();
    assert!(got == expected);
}

#[test]
fn send_all_of_empty_data_sends_an_empty_datagram() {
    let (a, b) =
        Socket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_SEQPACKET, Protocol::from(0))
            .unwrap();
    a.send_all(b"").unwrap();
    b.set_timeout(Some(Duration::from_secs(5))).unwrap();
    assert_eq!(b.recv(10).unwrap(), b"");
}

#[test]
fn send_to_and_recv_from_over_unix_datagram_paths() {
    let (pa, pb) = (temp_path("dga"), temp_path("dgb"));
    let a = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM);
    let b = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM);
    a.bind(&UnixAddr::pathname(&pa).into()).unwrap();
    b.bind(&UnixAddr::pathname(&pb).into()).unwrap();
    assert_eq!(a.send_to(b"to b", &UnixAddr::pathname(&pb).into()).unwrap(), 4);
    let (data, from) = b.recv_from(16).unwrap();
    assert_eq!((data.as_slice(), from), (&b"to b"[..], UnixAddr::pathname(&pa).into()));
    let _ = std::fs::remove_file(pa);
    let _ = std::fs::remove_file(pb);
}

#[test]
fn send_to_with_flags_passes_flags() {
    let (a, b) = (bound_udp(AddressFamily::AF_INET6), bound_udp(AddressFamily::AF_INET6));
    a.send_to_with_flags(b"dw", libc::MSG_DONTWAIT, &b.local_addr().unwrap()).unwrap();
    assert_eq!(b.recv(2).unwrap(), b"dw");
}

#[test]
fn send_to_a_datagram_too_large_is_emsgsize() {
    let (a, b) = (bound_udp(AddressFamily::AF_INET), bound_udp(AddressFamily::AF_INET));
    assert_eq!(errno(a.send_to(&vec![0u8; 70_000], &b.local_addr().unwrap())), libc::EMSGSIZE);
}

#[test]
fn udp_connect_then_send_and_recv_without_addresses() {
    let (a, b) = (bound_udp(AddressFamily::AF_INET), bound_udp(AddressFamily::AF_INET));
    a.connect(&b.local_addr().unwrap()).unwrap();
    b.connect(&a.local_addr().unwrap()).unwrap();
    a.send(b"connected").unwrap();
    assert_eq!(b.recv(16).unwrap(), b"connected");
    assert_eq!(a.peer_addr().unwrap(), b.local_addr().unwrap());
}

#[test]
fn udp_connect_to_af_unspec_dissolves_the_association() {
    let (a, b) = (bound_udp(AddressFamily::AF_INET), bound_udp(AddressFamily::AF_INET));
    a.connect(&b.local_addr().unwrap()).unwrap();
    let unspec =
        SockAddr::Other(asock::OtherAddr { family: AddressFamily::AF_UNSPEC, data: vec![] });
    a.connect(&unspec).unwrap();
    assert_eq!(errno(a.peer_addr()), libc::ENOTCONN);
}

// ===== Read / Write =====

#[test]
fn bufreader_reads_lines_like_makefile() {
    let (a, b) = socketpair().unwrap();
    (&a).write_all(b"one\ntwo\nthree").unwrap();
    drop(a);
    let lines: Vec<String> = BufReader::new(b).lines().map(|l| l.unwrap()).collect();
    assert_eq!(lines, ["one", "two", "three"]);
}

#[test]
fn bufwriter_writes_through_on_flush() {
    let (a, b) = socketpair().unwrap();
    let mut w = BufWriter::new(a);
    let word = "buffered";
    write!(w, "{word}-{}", 42).unwrap();
    w.flush().unwrap();
    assert_eq!(b.recv(64).unwrap(), b"buffered-42");
}

#[test]
fn read_to_end_stops_at_end_of_stream() {
    let (a, mut b) = socketpair().unwrap();
    let writer = thread::spawn(move || {
        let mut a = a;
        a.write_all(&[9u8; 300_000]).unwrap();
    });
    let mut all = Vec::new();
    b.read_to_end(&mut all).unwrap();
    writer.join().unwrap();
    assert_eq!(all.len(), 300_000);
}

#[test]
fn read_in_timeout_mode_maps_to_io_timed_out() {
    let (_a, b) = socketpair().unwrap();
    b.set_timeout(Some(Duration::from_millis(20))).unwrap();
    let err = (&b).read(&mut [0u8; 4]).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
}

#[test]
fn read_in_nonblocking_mode_maps_to_io_would_block() {
    let (_a, b) = socketpair().unwrap();
    b.set_blocking(false).unwrap();
    let err = (&b).read(&mut [0u8; 4]).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::WouldBlock);
}

#[test]
fn write_all_of_nothing_makes_no_system_call() {
    let (mut a, _b) = socketpair().unwrap();
    a.close().unwrap();
    // Write::write_all's contract: nothing to write is success, even on a closed socket.
    a.write_all(b"").unwrap();
    assert_eq!(a.write(b"x").unwrap_err().raw_os_error(), Some(libc::EBADF));
}

#[test]
fn socket_is_usable_from_two_threads_at_once() {
    let (a, b) = socketpair().unwrap();
    let a = std::sync::Arc::new(a);
    let reader = {
        let a = std::sync::Arc::clone(&a);
        thread::spawn(move || a.recv(5).unwrap())
    };
    thread::sleep(Duration::from_millis(20));
    b.send_all(b"hello").unwrap();
    a.send_all(b"back").unwrap();
    assert_eq!(reader.join().unwrap(), b"hello");
    assert_eq!(b.recv(4).unwrap(), b"back");
}

#[test]
fn recv_from_on_a_connected_tcp_socket_has_no_sender_address() {
    // The kernel reports no address here; Python returns None, asock UnixAddr::Unnamed.
    let (a, b) = tcp_pair(AddressFamily::AF_INET);
    a.send_all(b"stream").unwrap();
    let (data, from) = b.recv_from(16).unwrap();
    assert_eq!(data, b"stream");
    assert_eq!(from, SockAddr::Unix(UnixAddr::Unnamed));
}
