//! `AsyncSocket` with the rest of the ecosystem: tokio's and futures' `AsyncRead` /
//! `AsyncWrite` (copy, buffered lines), `split` / `into_split`, and conversions from and into
//! fds, `std::net`, `std::os::unix::net`, socket2, `blocking::Socket` and `tokio::net`.
#![cfg(all(feature = "tokio", feature = "futures-io"))] // both kinds of AsyncRead / AsyncWrite, tokio::net

mod async_support;
mod reactor_support;

use std::net::Shutdown;
use std::os::fd::{AsFd, AsRawFd, FromRawFd, IntoRawFd, OwnedFd};
use std::time::Duration;

use asock::{AddressFamily, AsyncSocket, ErrorKind, Result, SocketKind};
use async_support::*;
use reactor_support::Executor;

on_every_backend!(
    tokio_copy_echoes_through_split_halves,
    tokio_buf_reader_reads_lines,
    futures_buf_reader_reads_lines_and_copy_works,
    write_all_and_shutdown_through_the_traits,
    traits_on_a_shared_reference,
    split_halves_work_concurrently,
    into_split_and_reunite,
    trait_shutdown_after_the_peer_reset_is_done,
    dropping_the_owned_write_half_shuts_the_write_side_down,
    reuniting_does_not_shut_down,
    a_forgotten_write_half_leaves_the_write_side_open,
    std_conversions_round_trip,
    std_conversions_check_kind_and_family,
    socket2_conversions,
    blocking_socket_conversions_carry_the_mode,
    fd_conversions,
    closed_sockets_convert_to_ebadf,
    tokio_conversions,
);

async fn tokio_copy_echoes_through_split_halves(_: Executor) -> Result<()> {
    let (c, s) = tcp_pair(AddressFamily::AF_INET).await?;
    let payload: Vec<u8> = (0..1_000_000u32).map(|i| (i % 241) as u8).collect();
    let echo = async {
        let (mut read, mut write) = s.split();
        let copied = tokio::io::copy(&mut read, &mut write).await?;
        tokio::io::AsyncWriteExt::shutdown(&mut write).await?;
        Ok::<_, std::io::Error>(copied)
    };
    let client = async {
        let send = async {
            c.send_all(&payload).await?;
            c.shutdown(Shutdown::Write)
        };
        let (sent, back) = futures::join!(send, read_to_end(&c));
        sent?;
        back
    };
    let (copied, back) = futures::join!(echo, client);
    assert_eq!(copied? as usize, payload.len());
    assert!(back? == payload);
    Ok(())
}

async fn tokio_buf_reader_reads_lines(_: Executor) -> Result<()> {
    use tokio::io::AsyncBufReadExt;
    let (a, b) = asock::async_socket::socketpair()?;
    let writer = async {
        for i in 0..100 {
            a.send_all(format!("line {i}\n").as_bytes()).await?;
        }
        a.shutdown(Shutdown::Write)
    };
    let reader = async {
        let mut lines = tokio::io::BufReader::new(&b).lines();
        let mut all = Vec::new();
        while let Some(line) = lines.next_line().await? {
            all.push(line);
        }
        Ok::<_, std::io::Error>(all)
    };
    let (written, lines) = futures::join!(writer, reader);
    written?;
    let lines = lines?;
    assert_eq!(lines.len(), 100);
    assert_eq!(lines[42], "line 42");
    Ok(())
}

async fn futures_buf_reader_reads_lines_and_copy_works(_: Executor) -> Result<()> {
    use futures::io::{AsyncBufReadExt, AsyncWriteExt};
    use futures::StreamExt;
    let (a, b) = asock::async_socket::socketpair()?;
    let (c, d) = asock::async_socket::socketpair()?;
    let writer = async {
        let mut a = &a;
        a.write_all(b"alpha\nbeta\ngamma\n").await?;
        a.close().await
    };
    // b -> (futures::io::copy) -> c -> lines read from d.
    let pump = async {
        let copied = futures::io::copy(&b, &mut &c).await?;
        (&c).close().await?;
        Ok::<_, std::io::Error>(copied)
    };
    let reader = async {
        let lines: Vec<String> =
            futures::io::BufReader::new(&d).lines().map(|l| l.unwrap()).collect().await;
        lines
    };
    let (written, copied, lines) = futures::join!(writer, pump, reader);
    written?;
    assert_eq!(copied?, 17);
    assert_eq!(lines, ["alpha", "beta", "gamma"]);
    Ok(())
}

async fn write_all_and_shutdown_through_the_traits(_: Executor) -> Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (mut a, mut b) = asock::async_socket::socketpair()?;
    a.write_all(b"owned value").await?;
    a.flush().await?;
    // (The inherent `shutdown(how)` is the socket's; the trait's is reached by path.)
    AsyncWriteExt::shutdown(&mut a).await?;
    let mut all = String::new();
    b.read_to_string(&mut all).await?;
    assert_eq!(all, "owned value");
    Ok(())
}

async fn traits_on_a_shared_reference(_: Executor) -> Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (a, b) = asock::async_socket::socketpair()?;
    (&a).write_all(b"shared").await?;
    let mut buf = [0u8; 6];
    (&b).read_exact(&mut buf).await?;
    assert_eq!(&buf, b"shared");
    // Errors come through as io::Error with the errno.
    let (mut x, _y) = asock::async_socket::socketpair()?;
    x.close()?;
    let err = (&x).write_all(b"closed").await.unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EBADF));
    Ok(())
}

async fn split_halves_work_concurrently(_: Executor) -> Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (a, b) = asock::async_socket::socketpair()?;
    let (mut a_read, mut a_write) = a.split();
    let (mut b_read, mut b_write) = b.split();
    let big = vec![5u8; 2 << 20];
    // Both directions at once, each bigger than the socket buffers: only concurrent halves
    // finish.
    let a_out = async {
        a_write.write_all(&big).await?;
        a_write.shutdown().await
    };
    let b_out = async {
        b_write.write_all(&big).await?;
        b_write.shutdown().await
    };
    let a_in = async {
        let mut v = Vec::new();
        a_read.read_to_end(&mut v).await.map(|_| v)
    };
    let b_in = async {
        let mut v = Vec::new();
        b_read.read_to_end(&mut v).await.map(|_| v)
    };
    let (r1, r2, r3, r4) = futures::join!(a_out, b_out, a_in, b_in);
    r1?;
    r2?;
    assert_eq!(r3?.len(), big.len());
    assert_eq!(r4?.len(), big.len());
    // The halves give the socket back for the operation futures.
    assert_eq!(a_read.as_ref().fileno(), a.fileno());
    Ok(())
}

async fn into_split_and_reunite(_: Executor) -> Result<()> {
    use futures::io::{AsyncReadExt, AsyncWriteExt};
    let (a, b) = asock::async_socket::socketpair()?;
    let (c, _d) = asock::async_socket::socketpair()?;
    let fd = a.fileno();
    let (mut read, mut write) = a.into_split();
    write.write_all(b"owned").await?;
    let mut buf = [0u8; 5];
    b.send_all(b"reply").await?;
    read.read_exact(&mut buf).await?;
    assert_eq!(&buf, b"reply");
    assert_eq!(recv_vec(&b, 5).await?, b"owned");
    // Halves of different sockets do not reunite, and come back intact.
    let (c_read, c_write) = c.into_split();
    let err = read.reunite(c_write).unwrap_err();
    assert_eq!(err.to_string(), "tried to reunite halves of different sockets");
    let asock::async_socket::ReuniteError(read, _c_write) = err;
    let a = write.reunite(read).expect("the two halves of a");
    assert_eq!(a.fileno(), fd);
    drop(c_read);
    Ok(())
}

/// A TCP connection whose peer reset it (`SO_LINGER` 0 close), once the reset has arrived:
/// `shutdown(SHUT_WR)` on it is `ENOTCONN`.
async fn reset_by_peer() -> Result<AsyncSocket> {
    let (c, s) = tcp_pair(AddressFamily::AF_INET).await?;
    s.options().set_linger(Some(Duration::ZERO))?;
    drop(s);
    assert_errno(c.recv(&mut [0u8; 8]).timeout(PATIENCE).await, libc::ECONNRESET);
    Ok(c)
}

async fn trait_shutdown_after_the_peer_reset_is_done(_: Executor) -> Result<()> {
    // The method keeps Python's answer...
    let c = reset_by_peer().await?;
    assert_errno(c.shutdown(Shutdown::Write), libc::ENOTCONN);
    // ...while every AsyncWrite form treats it as done, as tokio's streams do.
    let mut c = reset_by_peer().await?;
    tokio::io::AsyncWriteExt::shutdown(&mut c).await?;
    let c = reset_by_peer().await?;
    futures::io::AsyncWriteExt::close(&mut &c).await?;
    let c = reset_by_peer().await?;
    let (_read, mut write) = c.split();
    tokio::io::AsyncWriteExt::shutdown(&mut write).await?;
    futures::io::AsyncWriteExt::close(&mut write).await?;
    let (_read, mut write) = reset_by_peer().await?.into_split();
    tokio::io::AsyncWriteExt::shutdown(&mut write).await?;
    futures::io::AsyncWriteExt::close(&mut write).await?;
    // Other errors still come through.
    let (mut a, _b) = asock::async_socket::socketpair()?;
    a.close()?;
    let err = tokio::io::AsyncWriteExt::shutdown(&mut a).await.unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EBADF));
    Ok(())
}

async fn dropping_the_owned_write_half_shuts_the_write_side_down(_: Executor) -> Result<()> {
    for (a, b) in [asock::async_socket::socketpair()?, tcp_pair(AddressFamily::AF_INET).await?] {
        let (read, write) = b.into_split();
        drop(write);
        assert_eq!(recv_within(&a, 16).await?, b"", "the peer reads end of stream");
        // Only the write side: the read half still receives.
        a.send_all(b"after").await?;
        assert_eq!(recv_within(read.as_ref(), 16).await?, b"after");
        // And the trait's explicit shutdown before the drop is fine too.
        let (c, d) = asock::async_socket::socketpair()?;
        let (_read, mut write) = d.into_split();
        tokio::io::AsyncWriteExt::shutdown(&mut write).await?;
        drop(write);
        assert_eq!(recv_within(&c, 16).await?, b"");
    }
    Ok(())
}

async fn reuniting_does_not_shut_down(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let (read, write) = b.into_split();
    let b = read.reunite(write).expect("the halves of b");
    b.send_all(b"still open").await?;
    assert_eq!(recv_within(&a, 16).await?, b"still open");
    // From the other side too.
    let (read, write) = b.into_split();
    let b = write.reunite(read).expect("the halves of b");
    b.send_all(b"and again").await?;
    assert_eq!(recv_within(&a, 16).await?, b"and again");
    Ok(())
}

async fn a_forgotten_write_half_leaves_the_write_side_open(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let (read, write) = b.into_split();
    write.forget();
    // The write side is open: no end of stream, and writes still go.
    assert_would_block(a.try_recv(&mut [0u8; 16]));
    read.as_ref().send_all(b"open").await?;
    assert_eq!(recv_within(&a, 16).await?, b"open");
    // The socket closes with the last half.
    drop(read);
    assert_eq!(recv_within(&a, 16).await?, b"");
    Ok(())
}

async fn std_conversions_round_trip(_: Executor) -> Result<()> {
    // TcpListener -> AsyncSocket -> accept -> TcpStream.
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let to = std_listener.local_addr().unwrap();
    let l = AsyncSocket::from(std_listener);
    assert!(fd_is_nonblocking(l.fileno()), "made non-blocking");
    assert_eq!(l.timeout(), None, "the default mode");
    let std_client = std::net::TcpStream::connect(to).unwrap();
    let (conn, _) = l.accept().await?;
    let back = std::net::TcpStream::try_from(conn)?;
    assert!(!fd_is_nonblocking(back.as_raw_fd()), "blocking mode gives a blocking std socket");
    assert_eq!(back.peer_addr().unwrap(), std_client.local_addr().unwrap());
    // A socket in timeout mode stays non-blocking as a std socket.
    let c = AsyncSocket::from(std::net::TcpStream::connect(to).unwrap());
    c.set_timeout(Some(Duration::from_secs(1)))?;
    let c = std::net::TcpStream::try_from(c)?;
    assert!(fd_is_nonblocking(c.as_raw_fd()));
    // UDP, UNIX stream / listener / datagram.
    let u = AsyncSocket::from(std::net::UdpSocket::bind("127.0.0.1:0").unwrap());
    assert_eq!(u.kind(), SocketKind::SOCK_DGRAM);
    std::net::UdpSocket::try_from(u)?;
    let (x, y) = std::os::unix::net::UnixStream::pair().unwrap();
    let x = AsyncSocket::from(x);
    x.send_all(b"std").await?;
    let mut buf = [0u8; 3];
    std::io::Read::read_exact(&mut &y, &mut buf).unwrap();
    assert_eq!(&buf, b"std");
    std::os::unix::net::UnixStream::try_from(x)?;
    let (p, _q) = std::os::unix::net::UnixDatagram::pair().unwrap();
    std::os::unix::net::UnixDatagram::try_from(AsyncSocket::from(p))?;
    let ul = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM);
    ul.bind(abstract_addr("std-listener"))?;
    ul.listen(128)?;
    let ul = std::os::unix::net::UnixListener::try_from(ul)?;
    std::os::unix::net::UnixListener::try_from(AsyncSocket::from(ul))?;
    Ok(())
}

async fn std_conversions_check_kind_and_family(_: Executor) -> Result<()> {
    let udp = bound_udp(AddressFamily::AF_INET);
    let err = std::net::TcpStream::try_from(udp).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.to_string(), "a AF_INET SOCK_DGRAM socket cannot become a TcpStream");
    let (a, _b) = asock::async_socket::socketpair()?;
    assert!(std::net::TcpStream::try_from(a).is_err());
    Ok(())
}

async fn socket2_conversions(_: Executor) -> Result<()> {
    let s2 = socket2::Socket::new(socket2::Domain::IPV6, socket2::Type::DGRAM, None).unwrap();
    let s = AsyncSocket::from(s2);
    assert_eq!((s.family(), s.kind()), (AddressFamily::AF_INET6, SocketKind::SOCK_DGRAM));
    assert!(fd_is_nonblocking(s.fileno()));
    let s2 = socket2::Socket::try_from(s)?;
    assert!(!s2.nonblocking().unwrap(), "blocking mode gives a blocking socket2 socket");
    Ok(())
}

async fn blocking_socket_conversions_carry_the_mode(_: Executor) -> Result<()> {
    let (a, b) = asock::blocking::socketpair()?;
    for mode in [None, Some(Duration::ZERO), Some(Duration::from_millis(30))] {
        a.set_timeout(mode)?;
        let fd = a.fileno();
        let moved = AsyncSocket::from(a.dup()?);
        assert_eq!(moved.timeout(), mode);
        assert!(fd_is_nonblocking(moved.fileno()));
        let back = asock::blocking::Socket::try_from(moved)?;
        assert_eq!(back.timeout(), mode);
        // The blocking socket's O_NONBLOCK follows its mode again.
        assert_eq!(fd_is_nonblocking(back.fileno()), mode.is_some());
        let _ = fd;
    }
    // The carried timeout is what the async operations use.
    a.set_timeout(Some(Duration::from_millis(30)))?;
    let a = AsyncSocket::from(a);
    assert_timed_out(a.recv(&mut [0u8; 1]).await);
    drop(b);
    // A closed blocking socket gives a closed AsyncSocket.
    let (mut c, _d) = asock::blocking::socketpair()?;
    c.close()?;
    let c = AsyncSocket::from(c);
    assert!(c.is_closed());
    Ok(())
}

async fn fd_conversions(_: Executor) -> Result<()> {
    let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
    let a = AsyncSocket::from(OwnedFd::from(a));
    assert_eq!(a.family(), AddressFamily::AF_UNIX);
    assert_eq!(a.as_fd().as_raw_fd(), a.as_raw_fd());
    let raw = a.into_raw_fd();
    assert!(fd_is_nonblocking(raw), "a bare fd stays as it is");
    // SAFETY: `raw` was just given up by into_raw_fd; nothing else owns it.
    let a = unsafe { AsyncSocket::from_raw_fd(raw) };
    a.send_all(b"raw").await?;
    let mut buf = [0u8; 3];
    std::io::Read::read_exact(&mut &b, &mut buf).unwrap();
    assert_eq!(&buf, b"raw");
    let fd = OwnedFd::try_from(a)?;
    assert!(fd.as_raw_fd() >= 0);
    // from_fd duplicates, and reads the kind back.
    let l = std::net::TcpListener::bind("[::1]:0").unwrap();
    let s = AsyncSocket::from_fd(l.as_fd())?;
    assert_ne!(s.fileno(), l.as_raw_fd());
    assert_eq!((s.family(), s.kind()), (AddressFamily::AF_INET6, SocketKind::SOCK_STREAM));
    let file = std::fs::File::open("/proc/self/status").unwrap();
    assert_errno(AsyncSocket::from_fd(file.as_fd()), libc::ENOTSOCK);
    Ok(())
}

async fn closed_sockets_convert_to_ebadf(_: Executor) -> Result<()> {
    let closed = || {
        let (mut a, _b) = asock::async_socket::socketpair().unwrap();
        a.close().unwrap();
        a
    };
    assert_errno(OwnedFd::try_from(closed()), libc::EBADF);
    assert_errno(asock::blocking::Socket::try_from(closed()), libc::EBADF);
    assert_errno(socket2::Socket::try_from(closed()), libc::EBADF);
    assert_errno(std::os::unix::net::UnixStream::try_from(closed()), libc::EBADF);
    assert_eq!(closed().into_raw_fd(), -1);
    Ok(())
}

async fn tokio_conversions(executor: Executor) -> Result<()> {
    if executor != Executor::Tokio {
        // Outside a runtime, tokio types cannot be made: an error, not tokio's panic.
        let (a, _b) = asock::async_socket::socketpair()?;
        let err = tokio::net::UnixStream::try_from(a).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a tokio::net::UnixStream can only be made inside a tokio runtime"
        );
        return Ok(());
    }
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // tokio -> AsyncSocket
    let tl = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let to = tl.local_addr()?;
    let l = AsyncSocket::try_from(tl)?;
    let (connected, accepted) = futures::join!(tokio::net::TcpStream::connect(to), l.accept());
    let mut tc = connected?;
    let (conn, _) = accepted?;
    // AsyncSocket -> tokio
    let mut tconn = tokio::net::TcpStream::try_from(conn)?;
    tc.write_all(b"tokio").await?;
    let mut buf = [0u8; 5];
    tconn.read_exact(&mut buf).await?;
    assert_eq!(&buf, b"tokio");
    let back = AsyncSocket::try_from(tconn)?;
    back.send_all(b"asock").await?;
    tc.read_exact(&mut buf).await?;
    assert_eq!(&buf, b"asock");
    // Every other tokio type, both ways.
    let u = AsyncSocket::try_from(tokio::net::UdpSocket::bind("127.0.0.1:0").await?)?;
    tokio::net::UdpSocket::try_from(u)?;
    let (x, _y) = tokio::net::UnixStream::pair()?;
    tokio::net::UnixStream::try_from(AsyncSocket::try_from(x)?)?;
    let (p, _q) = tokio::net::UnixDatagram::pair()?;
    tokio::net::UnixDatagram::try_from(AsyncSocket::try_from(p)?)?;
    let ul = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM);
    ul.bind(abstract_addr("tokio-listener"))?;
    ul.listen(128)?;
    let tul = tokio::net::UnixListener::try_from(ul)?;
    AsyncSocket::try_from(tul)?;
    let l = listener(AddressFamily::AF_INET);
    tokio::net::TcpListener::try_from(l)?;
    // Kind checks.
    let err = tokio::net::TcpListener::try_from(bound_udp(AddressFamily::AF_INET)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    Ok(())
}

/// An echo server on a multi-thread runtime: the accept loop, each connection's owned halves
/// and the clients are separate tasks, moved between worker threads by tokio.
#[test]
fn echo_server_on_a_tokio_multi_thread_runtime() {
    reactor_support::bounded(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let l = listener(AddressFamily::AF_INET6);
            let to = l.local_addr().unwrap();
            tokio::spawn(async move {
                loop {
                    let (conn, _) = l.accept().await.unwrap();
                    tokio::spawn(async move {
                        let (mut read, mut write) = conn.into_split();
                        tokio::io::copy(&mut read, &mut write).await.unwrap();
                        tokio::io::AsyncWriteExt::shutdown(&mut write).await.unwrap();
                    });
                }
            });
            let clients: Vec<_> = (0..20u8)
                .map(|i| {
                    let to = to.clone();
                    tokio::spawn(async move {
                        let c = tcp(AddressFamily::AF_INET6);
                        c.connect(&to).await?;
                        let data = vec![i; 64 << 10];
                        let send = async {
                            c.send_all(&data).await?;
                            c.shutdown(Shutdown::Write)
                        };
                        let (sent, back) = futures::join!(send, read_to_end(&c));
                        sent?;
                        assert!(back? == data);
                        Ok::<_, asock::Error>(())
                    })
                })
                .collect();
            for client in clients {
                client.await.unwrap().unwrap();
            }
        });
    });
}
