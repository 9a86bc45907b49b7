//! `asock::net::UnixListener`, `UnixStream` and `UnixDatagram`: paths, abstract names and
//! autobind, accepting and connecting, pairs and peer credentials, datagrams with their
//! senders, single tries, modes, errors. Each body runs under tokio, `asock::block_on` and
//! `futures::executor::block_on`.
#![cfg(feature = "tokio")] // tokio's AsyncRead / AsyncWrite and tokio::net conversions

mod net_support;
mod reactor_support;

use std::future::{poll_fn, Future};
use std::net::Shutdown;
use std::os::unix::ffi::OsStrExt;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use asock::ancillary::Credentials;
use asock::net::{UnixDatagram, UnixListener, UnixStream};
use asock::reactor::Interest;
use asock::{ModeExt, Result, UnixAddr};
use net_support::*;
use reactor_support::Executor;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

on_every_backend!(
    listener_on_a_path,
    listener_on_abstract_names,
    listener_autobinds_an_empty_path,
    listener_bind_errors,
    connect_errors,
    accept_takes_modes_and_loses_nothing_when_dropped,
    poll_accept_waits,
    pair_and_peer_credentials,
    stream_single_tries_and_peek,
    stream_halves,
    datagram_bind_send_to_recv_from,
    datagram_connect_send_recv,
    datagram_single_tries,
    datagram_modes_and_shutdown,
);

async fn listener_on_a_path(_: Executor) -> Result<()> {
    let path = socket_path("listener");
    let listener = UnixListener::bind(&path)?;
    assert_eq!(listener.local_addr()?, UnixAddr::pathname(&path));
    assert!(path.exists(), "a pathname socket is a file");
    let (client, accepted) = futures::join!(UnixStream::connect(&path), listener.accept());
    let (mut client, (mut conn, peer)) = (client?, accepted?);
    assert_eq!(peer, UnixAddr::Unnamed);
    assert_eq!(client.peer_addr()?, UnixAddr::pathname(&path));
    assert_eq!(conn.local_addr()?, UnixAddr::pathname(&path));
    client.write_all(b"over the path").await?;
    client.shutdown().await?;
    let mut got = String::new();
    conn.read_to_string(&mut got).await?;
    assert_eq!(got, "over the path");
    drop(listener);
    assert!(path.exists(), "asock never removes the file, as tokio and std");
    std::fs::remove_file(&path).unwrap();
    Ok(())
}

async fn listener_on_abstract_names(_: Executor) -> Result<()> {
    // A leading NUL in the path, or an explicit UnixAddr: the same abstract name.
    let path = abstract_path("abstract");
    let listener = UnixListener::bind(&path)?;
    let name = UnixAddr::abstract_name(&path.as_bytes()[1..]);
    assert_eq!(listener.local_addr()?, name);
    let by_path = UnixStream::connect(&path).await?;
    let by_addr = UnixStream::connect_addr(&name).await?;
    for client in [by_path, by_addr] {
        assert_eq!(client.peer_addr()?, name);
        let (conn, _) = listener.accept().await?;
        assert_eq!(conn.local_addr()?, name);
    }
    // The name is taken while the listener lives, and free once it is gone (no file).
    assert_eq!(errno(UnixListener::bind_addr(&name)), Some(libc::EADDRINUSE));
    drop(listener);
    let again = UnixListener::bind_addr(&name)?;
    assert_eq!(again.local_addr()?, name);
    Ok(())
}

async fn listener_autobinds_an_empty_path(_: Executor) -> Result<()> {
    let listener = UnixListener::bind("")?;
    let UnixAddr::Abstract(name) = listener.local_addr()? else {
        panic!("autobind gives an abstract name");
    };
    assert!(!name.is_empty());
    let client = UnixStream::connect_addr(&UnixAddr::Abstract(name)).await?;
    let (_conn, _) = listener.accept().await?;
    assert_eq!(client.peer_addr()?, listener.local_addr()?);
    Ok(())
}

async fn listener_bind_errors(_: Executor) -> Result<()> {
    let path = socket_path("in-use");
    let first = UnixListener::bind(&path)?;
    assert_eq!(errno(UnixListener::bind(&path)), Some(libc::EADDRINUSE));
    drop(first);
    // The file stays: binding again is still EADDRINUSE until it is removed.
    assert_eq!(errno(UnixListener::bind(&path)), Some(libc::EADDRINUSE));
    std::fs::remove_file(&path).unwrap();
    UnixListener::bind(&path)?;
    std::fs::remove_file(&path).unwrap();
    let missing_dir = std::env::temp_dir().join("asock-net-no-such-dir/x.sock");
    assert_eq!(errno(UnixListener::bind(missing_dir)), Some(libc::ENOENT));
    let too_long = "x".repeat(200);
    let err = UnixListener::bind(&too_long).unwrap_err();
    assert_eq!(err.kind(), asock::ErrorKind::InvalidInput, "{err}");
    Ok(())
}

async fn connect_errors(_: Executor) -> Result<()> {
    let missing = socket_path("missing");
    assert_eq!(errno(UnixStream::connect(&missing).await), Some(libc::ENOENT));
    // A name bound by a datagram socket: not a listener.
    let path = abstract_path("not-a-listener");
    let _dgram = UnixDatagram::bind(&path)?;
    assert_eq!(errno(UnixStream::connect(&path).await), Some(libc::ECONNREFUSED));
    Ok(())
}

async fn accept_takes_modes_and_loses_nothing_when_dropped(_: Executor) -> Result<()> {
    let listener = UnixListener::bind("")?;
    let err = listener.accept().timeout(Duration::from_millis(30)).await.unwrap_err();
    assert_eq!(err.to_string(), "timed out");
    assert!(listener.accept().nonblocking().await.unwrap_err().is_would_block());
    {
        let mut waiting = pin!(listener.accept());
        assert!(poll_fn(|cx| Poll::Ready(waiting.as_mut().poll(cx).is_pending())).await);
    }
    let client = UnixStream::connect_addr(&listener.local_addr()?).await?;
    let (conn, _) = listener.accept().timeout(Duration::from_secs(10)).await?;
    client.try_write(b"x")?;
    conn.readable().await?;
    assert_eq!(conn.try_read(&mut [0; 4])?, 1);
    Ok(())
}

async fn poll_accept_waits(_: Executor) -> Result<()> {
    let listener = UnixListener::bind("")?;
    let addr = listener.local_addr()?;
    let (accepted, client) =
        futures::join!(poll_fn(|cx| listener.poll_accept(cx)), UnixStream::connect_addr(&addr));
    let ((conn, _), client) = (accepted?, client?);
    assert_eq!(conn.local_addr()?, client.peer_addr()?);
    Ok(())
}

async fn pair_and_peer_credentials(_: Executor) -> Result<()> {
    let (mut a, mut b) = UnixStream::pair()?;
    assert_eq!((a.local_addr()?, a.peer_addr()?), (UnixAddr::Unnamed, UnixAddr::Unnamed));
    assert_eq!(a.peer_cred()?, Credentials::current());
    assert_eq!(b.peer_cred()?.pid, std::process::id() as i32);
    a.write_all(b"pair").await?;
    let mut buf = [0; 4];
    b.read_exact(&mut buf).await?;
    assert_eq!(&buf, b"pair");
    let listener = UnixListener::bind("")?;
    let client = UnixStream::connect_addr(&listener.local_addr()?).await?;
    let (conn, _) = listener.accept().await?;
    assert_eq!(conn.peer_cred()?, Credentials::current());
    assert_eq!(client.peer_cred()?, Credentials::current());
    Ok(())
}

async fn stream_single_tries_and_peek(_: Executor) -> Result<()> {
    let (a, b) = UnixStream::pair()?;
    let mut buf = [0; 16];
    assert!(a.try_read(&mut buf).unwrap_err().is_would_block());
    assert!(a.writable().await?.is_writable());
    assert_eq!(
        b.try_write_vectored(&[std::io::IoSlice::new(b"pe"), std::io::IoSlice::new(b"ek")])?,
        4
    );
    assert!(a.ready(Interest::READABLE).await?.is_readable());
    assert_eq!(a.peek(&mut buf).await?, 4);
    let mut vec = Vec::with_capacity(2);
    assert_eq!(a.try_read_buf(&mut vec)?, 2);
    assert_eq!(vec, b"pe");
    assert_eq!(a.try_read(&mut buf)?, 2);
    assert_eq!(&buf[..2], b"ek");
    a.set_timeout(Some(Duration::from_millis(30)))?;
    assert_eq!(a.peek(&mut buf).await.unwrap_err().to_string(), "timed out");
    assert_eq!(a.readable().await.unwrap_err().to_string(), "timed out");
    drop(b);
    assert_eq!(a.try_read(&mut buf)?, 0, "end of stream");
    Ok(())
}

async fn stream_halves(_: Executor) -> Result<()> {
    let (mut a, b) = UnixStream::pair()?;
    {
        let (mut read, mut write) = a.split();
        write.write_all(b"to b").await?;
        b.try_write(b"to a")?;
        let mut buf = [0; 4];
        read.read_exact(&mut buf).await?;
        assert_eq!(&buf, b"to a");
    }
    b.readable().await?;
    let mut buf = [0; 8];
    assert_eq!(b.try_read(&mut buf)?, 4);
    assert_eq!(&buf[..4], b"to b");
    let (mut read, write) = b.into_split();
    drop(write); // shuts b's write side down, as tokio's OwnedWriteHalf
    assert_eq!(a.read(&mut buf).await?, 0);
    a.write_all(b"still").await?;
    read.read_exact(&mut buf[..5]).await?;
    assert_eq!(&buf[..5], b"still");
    Ok(())
}

async fn datagram_bind_send_to_recv_from(_: Executor) -> Result<()> {
    let path = socket_path("dgram");
    let server = UnixDatagram::bind(&path)?;
    let client = UnixDatagram::bind("")?; // autobind: the server can answer
    client.send_to(b"by path", &path).await?;
    client.send_to_addr(b"by addr", &server.local_addr()?).await?;
    let mut buf = [0; 16];
    for expected in [&b"by path"[..], b"by addr"] {
        let (n, from) = server.recv_from(&mut buf).await?;
        assert_eq!((&buf[..n], &from), (expected, &client.local_addr()?));
        server.send_to_addr(&buf[..n], &from).await?;
        assert_eq!(client.recv(&mut buf).await?, n);
    }
    // An unbound sender is Unnamed.
    let anonymous = UnixDatagram::unbound()?;
    anonymous.send_to(b"who", &path).await?;
    assert_eq!(server.recv_from(&mut buf).await?, (3, UnixAddr::Unnamed));
    assert_eq!(errno(anonymous.send_to(b"x", socket_path("nobody")).await), Some(libc::ENOENT));
    std::fs::remove_file(&path).unwrap();
    Ok(())
}

async fn datagram_connect_send_recv(_: Executor) -> Result<()> {
    let name = abstract_path("dgram-connect");
    let server = UnixDatagram::bind(&name)?;
    let client = UnixDatagram::unbound()?;
    assert_eq!(errno(client.send(b"no peer").await), Some(libc::ENOTCONN));
    client.connect(&name)?;
    assert_eq!(client.peer_addr()?, server.local_addr()?);
    client.send(b"connected").await?;
    let mut buf = Vec::with_capacity(32);
    assert_eq!(server.recv_buf(&mut buf).await?, 9);
    assert_eq!(buf, b"connected");
    assert_eq!(errno(client.connect(abstract_path("dgram-nobody"))), Some(libc::ECONNREFUSED));
    let (a, b) = UnixDatagram::pair()?;
    a.send(b"paired").await?;
    assert_eq!(b.recv(&mut [0; 16]).await?, 6);
    Ok(())
}

async fn datagram_single_tries(_: Executor) -> Result<()> {
    let server = UnixDatagram::bind("")?;
    let client = UnixDatagram::unbound()?;
    let mut buf = [0; 16];
    assert!(server.try_recv(&mut buf).unwrap_err().is_would_block());
    assert!(server.try_recv_from(&mut buf).unwrap_err().is_would_block());
    assert_eq!(client.try_send_to_addr(b"one", &server.local_addr()?)?, 3);
    // The same abstract name as a path with a leading NUL.
    let UnixAddr::Abstract(name) = server.local_addr()? else { panic!("autobind is abstract") };
    let path = [&[0u8][..], &name].concat();
    assert_eq!(client.try_send_to(b"two", std::ffi::OsStr::from_bytes(&path))?, 3);
    server.readable().await?;
    assert_eq!(server.try_recv_from(&mut buf)?, (3, UnixAddr::Unnamed));
    let mut vec = Vec::with_capacity(8);
    assert_eq!(server.try_recv_buf(&mut vec)?, 3);
    assert_eq!(vec, b"two");
    let (a, b) = UnixDatagram::pair()?;
    assert!(a.writable().await?.is_writable());
    assert_eq!(a.try_send(b"x")?, 1);
    assert!(b.ready(Interest::READABLE).await?.is_readable());
    assert_eq!(b.try_recv(&mut buf)?, 1);
    Ok(())
}

async fn datagram_modes_and_shutdown(_: Executor) -> Result<()> {
    let (a, b) = UnixDatagram::pair()?;
    let mut buf = [0; 8];
    let err = a.recv(&mut buf).timeout(Duration::from_millis(30)).await.unwrap_err();
    assert_eq!(err.to_string(), "timed out");
    assert!(a.recv_from(&mut buf).nonblocking().await.unwrap_err().is_would_block());
    {
        let mut waiting = pin!(a.recv_from(&mut buf));
        assert!(poll_fn(|cx| Poll::Ready(waiting.as_mut().poll(cx).is_pending())).await);
    }
    b.send(b"kept").await?;
    let (n, _) = a.recv_from(&mut buf).timeout(Duration::from_secs(10)).await?;
    assert_eq!(&buf[..n], b"kept");
    a.shutdown(Shutdown::Write)?;
    assert_eq!(errno(a.try_send(b"x")), Some(libc::EPIPE));
    // A whole exchange under one deadline.
    let exchange = async {
        b.send(b"ping").await?;
        a.recv(&mut buf).await
    };
    assert_eq!(exchange.timeout(Duration::from_secs(10)).await?, 4);
    Ok(())
}
