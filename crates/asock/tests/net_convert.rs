//! Conversions of the typed sockets: to and from `AsyncSocket` (the kind, family and
//! protocol checked), `std`, `tokio::net` and socket2, with the fd's `O_NONBLOCK` and the
//! mode each side wants. Each body runs under tokio, `asock::block_on` and
//! `futures::executor::block_on`; the tokio conversions also outside any runtime.
#![cfg(feature = "tokio")] // tokio's AsyncRead / AsyncWrite and tokio::net conversions

mod net_support;
mod reactor_support;

use std::os::fd::AsRawFd;
use std::time::Duration;

use asock::net::{TcpListener, TcpStream, UdpSocket, UnixDatagram, UnixListener, UnixStream};
use asock::{AddressFamily, AsyncSocket, ErrorKind, Protocol, Result, SocketKind};
use net_support::*;
use reactor_support::Executor;

on_every_backend!(
    typed_sockets_come_from_fitting_async_sockets,
    a_socket_of_another_kind_is_refused_and_closed,
    a_closed_socket_is_ebadf,
    from_std_adopts_the_fd,
    into_std_follows_the_mode,
    socket2_both_ways,
    the_socket_inside_is_the_same_socket,
);

async fn typed_sockets_come_from_fitting_async_sockets(_: Executor) -> Result<()> {
    let tcp = AsyncSocket::new(AddressFamily::AF_INET6, SocketKind::SOCK_STREAM, None)?;
    tcp.bind(std::net::SocketAddr::from(([0u16; 8], 0)))?;
    tcp.listen(8)?;
    let listener = TcpListener::try_from(tcp)?;
    assert!(listener.local_addr()?.is_ipv6());
    let explicit =
        AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::IPPROTO_TCP)?;
    TcpStream::try_from(explicit)?;
    let udp =
        AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, Protocol::IPPROTO_UDP)?;
    UdpSocket::try_from(udp)?;
    let (a, _b) = AsyncSocket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM, None)?;
    UnixStream::try_from(a)?;
    let (d, _e) = AsyncSocket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM, None)?;
    UnixDatagram::try_from(d)?;
    let unix = AsyncSocket::new(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM, None)?;
    UnixListener::try_from(unix)?;
    // The drop-in replacements: MPTCP is a TCP stream, UDP-Lite a UDP socket.
    match AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::IPPROTO_MPTCP)
    {
        Ok(mptcp) => drop(TcpStream::try_from(mptcp)?),
        Err(e) => eprintln!("SKIPPED: no MPTCP in this kernel ({e})"),
    }
    match AsyncSocket::new(
        AddressFamily::AF_INET,
        SocketKind::SOCK_DGRAM,
        Protocol::IPPROTO_UDPLITE,
    ) {
        Ok(lite) => drop(UdpSocket::try_from(lite)?),
        Err(e) => eprintln!("SKIPPED: no UDP-Lite in this kernel ({e})"),
    }
    Ok(())
}

async fn a_socket_of_another_kind_is_refused_and_closed(_: Executor) -> Result<()> {
    let udp = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, None)?;
    let err = TcpStream::try_from(udp).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.to_string(), "an AF_INET SOCK_DGRAM socket is not a TCP socket");

    let (unix, _peer) = AsyncSocket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM, None)?;
    assert_eq!(UdpSocket::try_from(unix).unwrap_err().kind(), ErrorKind::InvalidInput);
    let (dgram, _peer) = AsyncSocket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM, None)?;
    assert_eq!(UnixStream::try_from(dgram).unwrap_err().kind(), ErrorKind::InvalidInput);
    let tcp = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, None)?;
    assert_eq!(UnixListener::try_from(tcp).unwrap_err().kind(), ErrorKind::InvalidInput);
    let seqpacket = AsyncSocket::new(AddressFamily::AF_UNIX, SocketKind::SOCK_SEQPACKET, None)?;
    assert_eq!(UnixStream::try_from(seqpacket).unwrap_err().kind(), ErrorKind::InvalidInput);
    // A stream socket of another protocol, where the kernel has SCTP.
    match AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::IPPROTO_SCTP)
    {
        Ok(sctp) => {
            let err = TcpStream::try_from(sctp).unwrap_err();
            assert_eq!(
                err.to_string(),
                "an AF_INET SOCK_STREAM socket of protocol 132 is not a TCP socket"
            );
        }
        Err(e) => eprintln!("SKIPPED: no SCTP in this kernel ({e}): the protocol check"),
    }
    // A datagram socket of another protocol: an ICMP "ping" socket, where the group may.
    match AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, Protocol::IPPROTO_ICMP) {
        Ok(ping) => {
            let err = UdpSocket::try_from(ping).unwrap_err();
            assert_eq!(
                err.to_string(),
                "an AF_INET SOCK_DGRAM socket of protocol 1 is not a UDP socket"
            );
        }
        Err(e) => {
            eprintln!("SKIPPED: no ICMP ping sockets for this group ({e}): the protocol check")
        }
    }
    // A std socket of the wrong kind through socket2.
    let std_udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    assert_eq!(
        TcpStream::try_from(socket2::Socket::from(std_udp)).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    Ok(())
}

async fn a_closed_socket_is_ebadf(_: Executor) -> Result<()> {
    let mut sock = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, None)?;
    sock.close()?;
    assert_eq!(errno(TcpStream::try_from(sock)), Some(libc::EBADF));
    Ok(())
}

async fn from_std_adopts_the_fd(_: Executor) -> Result<()> {
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = std_listener.local_addr().unwrap();
    let fd = std_listener.as_raw_fd();
    let listener = TcpListener::from_std(std_listener)?;
    assert_eq!(listener.as_raw_fd(), fd);
    assert!(is_nonblocking(&listener));
    assert_eq!(listener.timeout(), asock::default_timeout());
    let client = std::net::TcpStream::connect(addr).unwrap();
    let (stream, peer) = listener.accept().timeout(Duration::from_secs(10)).await?;
    assert_eq!(peer, client.local_addr().unwrap());
    drop(stream);
    // From (infallible) does the same.
    let std_udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let udp = UdpSocket::from(std_udp);
    assert!(is_nonblocking(&udp));
    let (std_a, _std_b) = std::os::unix::net::UnixStream::pair().unwrap();
    let a = UnixStream::from(std_a);
    assert_eq!(a.peer_addr()?, asock::UnixAddr::Unnamed);
    Ok(())
}

async fn into_std_follows_the_mode(_: Executor) -> Result<()> {
    let udp = UdpSocket::bind("127.0.0.1:0").await?;
    udp.set_timeout(None)?;
    let std_udp = udp.into_std()?;
    assert!(!is_nonblocking(&std_udp), "blocking mode: a blocking std socket");
    let udp = UdpSocket::from(std_udp);
    udp.set_timeout(Some(Duration::from_secs(1)))?;
    let std_udp = std::net::UdpSocket::try_from(udp)?;
    assert!(is_nonblocking(&std_udp), "timeout mode keeps O_NONBLOCK");
    let (a, _b) = UnixDatagram::pair()?;
    let std_a = a.into_std()?;
    std_a.send(b"std").unwrap();
    Ok(())
}

async fn socket2_both_ways(_: Executor) -> Result<()> {
    let raw = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    raw.bind(&std::net::SocketAddr::from(([127, 0, 0, 1], 0)).into()).unwrap();
    raw.listen(4).unwrap();
    let listener = TcpListener::try_from(raw)?;
    let addr = listener.local_addr()?;
    let stream = TcpStream::connect(addr).await?;
    let back = socket2::Socket::try_from(stream)?;
    assert_eq!(back.peer_addr().unwrap().as_socket(), Some(addr));
    Ok(())
}

async fn the_socket_inside_is_the_same_socket(_: Executor) -> Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let fd = listener.as_raw_fd();
    assert_eq!(listener.as_socket().fileno(), fd);
    let sock: AsyncSocket = listener.into();
    assert_eq!(sock.fileno(), fd);
    let listener = TcpListener::try_from(sock)?;
    assert_eq!(listener.into_socket().fileno(), fd);
    Ok(())
}

/// The tokio conversions: inside a runtime the fd moves (registered with tokio), outside one
/// the conversion is an error instead of tokio's panic.
#[test]
fn tokio_both_ways_inside_a_runtime_only() {
    reactor_support::run(Executor::Tokio, |_| async {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let tokio_listener = tokio::net::TcpListener::try_from(listener)?;
        let addr = tokio_listener.local_addr()?;
        let (client, accepted) = tokio::join!(TcpStream::connect(addr), tokio_listener.accept());
        let (client, (tokio_conn, _)) = (client?, accepted?);
        let conn = TcpStream::try_from(tokio_conn)?;
        assert_eq!(conn.peer_addr()?, client.local_addr()?);
        let (a, b) = UnixStream::pair()?;
        let tokio_a = tokio::net::UnixStream::try_from(a)?;
        tokio_a.writable().await?; // tokio knows no readiness before its reactor's first event
        tokio_a.try_write(b"via tokio")?;
        let mut buf = [0; 16];
        assert_eq!(b.peek(&mut buf).await?, 9);
        assert_eq!(&buf[..9], b"via tokio");
        let udp = UdpSocket::try_from(tokio::net::UdpSocket::bind("127.0.0.1:0").await?)?;
        assert!(udp.local_addr()?.ip().is_loopback());
        let dgram = UnixDatagram::try_from(tokio::net::UnixDatagram::unbound()?)?;
        assert!(tokio::net::UnixDatagram::try_from(dgram).is_ok());
        let path = socket_path("tokio-listener");
        let unix = UnixListener::bind(&path)?;
        let tokio_unix = tokio::net::UnixListener::try_from(unix)?;
        assert!(tokio_unix.local_addr()?.as_pathname().is_some());
        std::fs::remove_file(&path).unwrap();
        Ok(())
    });
    let outside = asock::block_on(UdpSocket::bind("127.0.0.1:0")).unwrap();
    let err = tokio::net::UdpSocket::try_from(outside).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
}
