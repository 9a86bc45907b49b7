//! Creating, adopting, duplicating, converting and closing `blocking::Socket`s.

mod blocking_util;

use std::net::{TcpListener, TcpStream, UdpSocket};
use std::os::fd::{AsFd, AsRawFd, FromRawFd, IntoRawFd, OwnedFd};
use std::os::unix::net::{UnixDatagram, UnixListener, UnixStream};
use std::time::Duration;

use asock::blocking::{socketpair, Socket};
use asock::{AddressFamily, Protocol, SocketKind};
use blocking_util::*;

#[test]
fn new_reports_family_kind_and_proto_as_given() {
    let s = Socket::new(AddressFamily::AF_INET6, SocketKind::SOCK_DGRAM, Protocol::IPPROTO_UDP)
        .unwrap();
    assert_eq!(s.family(), AddressFamily::AF_INET6);
    assert_eq!(s.kind(), SocketKind::SOCK_DGRAM);
    assert_eq!(s.proto(), Protocol::IPPROTO_UDP);
}

#[test]
fn new_is_always_close_on_exec() {
    let s = tcp4();
    assert!(!s.inheritable().unwrap());
    let (a, b) = socketpair().unwrap();
    assert!(!a.inheritable().unwrap() && !b.inheritable().unwrap());
}

#[test]
fn set_inheritable_toggles_fd_cloexec() {
    let s = tcp4();
    s.set_inheritable(true).unwrap();
    assert!(s.inheritable().unwrap());
    s.set_inheritable(false).unwrap();
    assert!(!s.inheritable().unwrap());
}

#[test]
fn sock_nonblock_in_kind_gives_nonblocking_mode_and_is_stripped_from_kind() {
    let kind = SocketKind::SOCK_STREAM.with_flags(SocketKind::SOCK_NONBLOCK);
    let s = Socket::new(AddressFamily::AF_INET, kind, Protocol::from(0)).unwrap();
    assert_eq!(s.kind(), SocketKind::SOCK_STREAM);
    assert_eq!(s.timeout(), Some(Duration::ZERO));
    assert!(!s.is_blocking());
    // The fd really is non-blocking: reading the raw fd as std would says so.
    let (a, _b) = Socket::pair(AddressFamily::AF_UNIX, kind, Protocol::from(0)).unwrap();
    assert!(a.recv(1).unwrap_err().is_would_block());
}

#[test]
fn new_with_unknown_family_fails_with_eafnosupport() {
    let err = Socket::new(AddressFamily::from(4242), SocketKind::SOCK_STREAM, Protocol::from(0));
    assert_eq!(errno(err), libc::EAFNOSUPPORT);
}

#[test]
fn socketpair_defaults_to_unix_stream() {
    let (a, b) = socketpair().unwrap();
    assert_eq!(
        (a.family(), a.kind(), a.proto().raw()),
        (AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM, 0)
    );
    a.send_all(b"x").unwrap();
    assert_eq!(b.recv(1).unwrap(), b"x");
}

#[test]
fn pair_supports_unix_dgram_and_seqpacket() {
    for kind in [SocketKind::SOCK_DGRAM, SocketKind::SOCK_SEQPACKET] {
        let (a, b) = Socket::pair(AddressFamily::AF_UNIX, kind, Protocol::from(0)).unwrap();
        assert_eq!(b.kind(), kind);
        a.send(b"message one").unwrap();
        a.send(b"two").unwrap();
        assert_eq!(b.recv(100).unwrap(), b"message one", "{kind}");
        assert_eq!(b.recv(100).unwrap(), b"two", "{kind}");
    }
}

#[test]
fn pair_of_inet_fails_with_eopnotsupp() {
    let err = Socket::pair(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0));
    assert_eq!(errno(err), libc::EOPNOTSUPP);
}

#[test]
fn from_fd_duplicates_and_reads_family_kind_proto_back() {
    let udp = UdpSocket::bind("[::1]:0").unwrap();
    let s = Socket::from_fd(udp.as_fd()).unwrap();
    assert_ne!(s.fileno(), udp.as_raw_fd());
    assert_eq!(s.family(), AddressFamily::AF_INET6);
    assert_eq!(s.kind(), SocketKind::SOCK_DGRAM);
    assert_eq!(s.proto(), Protocol::IPPROTO_UDP);
    assert_eq!(s.local_addr().unwrap(), udp.local_addr().unwrap().into());
    // The original stays usable after the duplicate is closed.
    drop(s);
    assert!(udp.local_addr().is_ok());
}

#[test]
fn from_fd_of_a_regular_file_fails_with_enotsock() {
    let file = std::fs::File::open("/proc/self/status").unwrap();
    assert_eq!(errno(Socket::from_fd(file.as_fd())), libc::ENOTSOCK);
}

#[test]
fn from_fd_of_a_nonblocking_fd_reports_nonblocking_mode() {
    let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    udp.set_nonblocking(true).unwrap();
    let s = Socket::from_fd(udp.as_fd()).unwrap();
    assert_eq!(s.timeout(), Some(Duration::ZERO));
    assert!(s.recv(10).unwrap_err().is_would_block());
}

#[test]
fn dup_keeps_family_kind_proto_and_timeout() {
    let s = udp6();
    s.set_timeout(Some(Duration::from_millis(1500))).unwrap();
    let d = s.dup().unwrap();
    assert_ne!(d.fileno(), s.fileno());
    assert_eq!((d.family(), d.kind(), d.proto()), (s.family(), s.kind(), s.proto()));
    assert_eq!(d.timeout(), Some(Duration::from_millis(1500)));
}

#[test]
fn dup_shares_the_connection() {
    let (a, b) = socketpair().unwrap();
    let a2 = a.dup().unwrap();
    drop(a);
    a2.send_all(b"still connected").unwrap();
    assert_eq!(b.recv(64).unwrap(), b"still connected");
}

#[test]
fn close_is_idempotent_and_later_operations_fail_with_ebadf() {
    let (mut a, _b) = socketpair().unwrap();
    a.close().unwrap();
    a.close().unwrap();
    assert!(a.is_closed());
    assert_eq!(a.fileno(), -1);
    assert_eq!(a.as_raw_fd(), -1);
    assert_eq!(errno(a.send(b"x")), libc::EBADF);
    assert_eq!(errno(a.recv(1)), libc::EBADF);
    assert_eq!(errno(a.local_addr()), libc::EBADF);
    assert_eq!(errno(a.dup()), libc::EBADF);
    assert_eq!(errno(a.set_timeout(Some(Duration::from_secs(1)))), libc::EBADF);
    assert_eq!(errno(a.set_blocking(false)), libc::EBADF);
    assert_eq!(errno(a.listen(None)), libc::EBADF);
    assert_eq!(errno(a.options().get_option(libc::SOL_SOCKET, libc::SO_TYPE, 0)), libc::EBADF);
    // As Python: family/type/proto and gettimeout still answer.
    assert_eq!(a.family(), AddressFamily::AF_UNIX);
    assert_eq!(a.timeout(), None);
}

#[test]
fn close_makes_the_peer_see_end_of_stream() {
    let (mut a, b) = socketpair().unwrap();
    a.close().unwrap();
    assert_eq!(b.recv(10).unwrap(), b"");
}

#[test]
fn detach_hands_over_the_fd_without_closing_it() {
    let (mut a, b) = socketpair().unwrap();
    let fd = a.detach().unwrap();
    assert!(a.detach().is_none());
    assert_eq!(errno(a.send(b"x")), libc::EBADF);
    let std_stream = UnixStream::from(fd);
    use std::io::Write;
    (&std_stream).write_all(b"after detach").unwrap();
    assert_eq!(b.recv(64).unwrap(), b"after detach");
}

#[test]
fn debug_shows_pythons_repr_fields() {
    let l = listener(AddressFamily::AF_INET);
    let text = format!("{l:?}");
    assert!(text.contains("family=AF_INET"), "{text}");
    assert!(text.contains("type=SOCK_STREAM"), "{text}");
    assert!(text.contains("laddr=127.0.0.1:"), "{text}");
    let mut c = tcp4();
    c.close().unwrap();
    assert!(format!("{c:?}").contains("[closed] fd=-1"));
}

// ===== fd traits =====

#[test]
fn into_raw_fd_and_from_raw_fd_round_trip() {
    let (a, b) = socketpair().unwrap();
    let raw = a.into_raw_fd();
    // SAFETY: `raw` was just released by into_raw_fd; nothing else owns it.
    let back = unsafe { Socket::from_raw_fd(raw) };
    assert_eq!(back.fileno(), raw);
    assert_eq!(back.family(), AddressFamily::AF_UNIX);
    back.send_all(b"back").unwrap();
    assert_eq!(b.recv(4).unwrap(), b"back");
}

#[test]
fn into_raw_fd_of_a_closed_socket_is_minus_one() {
    let (mut a, _b) = socketpair().unwrap();
    a.close().unwrap();
    assert_eq!(a.into_raw_fd(), -1);
}

#[test]
fn as_fd_borrows_the_open_fd() {
    let (a, _b) = socketpair().unwrap();
    assert_eq!(a.as_fd().as_raw_fd(), a.fileno());
}

#[test]
fn owned_fd_round_trip_keeps_the_socket() {
    let (a, b) = socketpair().unwrap();
    let fd = OwnedFd::try_from(a).unwrap();
    let a = Socket::from(fd);
    assert_eq!(a.kind(), SocketKind::SOCK_STREAM);
    a.send_all(b"ok").unwrap();
    assert_eq!(b.recv(2).unwrap(), b"ok");
}

#[test]
fn owned_fd_from_a_closed_socket_is_ebadf() {
    let (mut a, _b) = socketpair().unwrap();
    a.close().unwrap();
    assert_eq!(errno(OwnedFd::try_from(a)), libc::EBADF);
}

// ===== std and socket2 conversions =====

#[test]
fn tcp_stream_converts_both_ways() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let std_client = TcpStream::connect(l.local_addr().unwrap()).unwrap();
    let peer = std_client.peer_addr().unwrap();
    let s = Socket::from(std_client);
    assert_eq!(
        (s.family(), s.kind(), s.proto()),
        (AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::IPPROTO_TCP)
    );
    assert_eq!(s.peer_addr().unwrap(), peer.into());
    let back = TcpStream::try_from(s).unwrap();
    assert_eq!(back.peer_addr().unwrap(), peer);
}

#[test]
fn tcp_listener_converts_both_ways() {
    let l = TcpListener::bind("[::1]:0").unwrap();
    let local = l.local_addr().unwrap();
    let s = Socket::from(l);
    assert!(s.options().is_listener().unwrap());
    let back = TcpListener::try_from(s).unwrap();
    assert_eq!(back.local_addr().unwrap(), local);
}

#[test]
fn udp_socket_converts_both_ways() {
    let u = UdpSocket::bind("127.0.0.1:0").unwrap();
    let local = u.local_addr().unwrap();
    let s = Socket::from(u);
    assert_eq!(s.kind(), SocketKind::SOCK_DGRAM);
    assert_eq!(UdpSocket::try_from(s).unwrap().local_addr().unwrap(), local);
}

#[test]
fn unix_types_convert_both_ways() {
    let path = temp_path("conv");
    let l = UnixListener::bind(&path).unwrap();
    let s = Socket::from(l);
    assert_eq!(s.family(), AddressFamily::AF_UNIX);
    let l = UnixListener::try_from(s).unwrap();
    let c = UnixStream::connect(&path).unwrap();
    let c = Socket::from(c);
    let c = UnixStream::try_from(c).unwrap();
    drop((l, c));
    let _ = std::fs::remove_file(&path);

    let (d, _) = UnixDatagram::pair().unwrap();
    let s = Socket::from(d);
    assert_eq!(s.kind(), SocketKind::SOCK_DGRAM);
    UnixDatagram::try_from(s).unwrap();
}

#[test]
fn conversion_to_a_std_type_of_the_wrong_kind_is_invalid_input() {
    let err = TcpStream::try_from(udp4()).unwrap_err();
    assert_eq!(err.kind(), asock::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("SOCK_DGRAM"), "{err}");
    let err = UnixStream::try_from(tcp4()).unwrap_err();
    assert_eq!(err.kind(), asock::ErrorKind::InvalidInput);
}

#[test]
fn conversion_of_a_closed_socket_is_ebadf() {
    let mut s = tcp4();
    s.close().unwrap();
    assert_eq!(errno(TcpStream::try_from(s)), libc::EBADF);
}

#[test]
fn socket_in_timeout_mode_becomes_a_nonblocking_std_socket() {
    let (a, _b) = tcp_pair(AddressFamily::AF_INET);
    a.set_timeout(Some(Duration::from_secs(1))).unwrap();
    let mut std_stream = TcpStream::try_from(a).unwrap();
    use std::io::Read;
    let err = std_stream.read(&mut [0u8; 4]).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::WouldBlock);
}

#[test]
fn socket2_converts_both_ways() {
    let s2 = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::DGRAM, None).unwrap();
    let s = Socket::from(s2);
    assert_eq!((s.family(), s.kind()), (AddressFamily::AF_INET, SocketKind::SOCK_DGRAM));
    let s2 = socket2::Socket::try_from(s).unwrap();
    assert_eq!(s2.r#type().unwrap(), socket2::Type::DGRAM);
}
