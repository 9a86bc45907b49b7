//! `asock::net::TcpListener` and `TcpStream`: binding, accepting, connecting (Happy Eyeballs
//! for names and lists), reading and writing through the io traits and the `try_*` calls,
//! options, halves, modes on the operation futures, cancel safety. Each body runs under
//! tokio, `asock::block_on` and `futures::executor::block_on`.
#![cfg(feature = "tokio")] // tokio's AsyncRead / AsyncWrite and tokio::net conversions

mod net_support;
mod reactor_support;

use std::future::{poll_fn, Future};
use std::io::{IoSlice, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::pin;
use std::time::Duration;

use asock::connect::ConnectOptions;
use asock::net::{TcpListener, TcpStream};
use asock::reactor::Interest;
use asock::{ModeExt, Result};
use net_support::*;
use reactor_support::{after, Executor};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

on_every_backend!(
    listener_binds_accepts_and_streams_echo,
    listener_binds_every_address_form,
    listener_bind_reports_address_in_use,
    listener_sets_reuse_address_and_listens,
    connect_by_name_runs_happy_eyeballs,
    connect_to_a_list_skips_the_refusing_address,
    connect_refused_is_econnrefused,
    connect_with_options_sets_the_stream_timeout,
    connect_rejects_bad_text,
    connect_over_ipv6,
    accept_gives_the_default_mode_and_a_nonblocking_fd,
    accept_future_takes_modes,
    accept_dropped_loses_no_connection,
    poll_accept_waits,
    readiness_and_single_tries,
    try_read_buf_fills_spare_capacity,
    try_write_vectored_gathers,
    peek_leaves_the_bytes,
    end_of_stream_after_shutdown,
    options_round_trip,
    split_halves_work_at_once,
    into_split_and_reunite,
    set_timeout_bounds_the_operations,
    the_stream_waits_on_the_executors_reactor,
);

// futures' AsyncRead / AsyncWrite exist with the `futures-io` feature.
#[cfg(feature = "futures-io")]
on_every_backend!(io_traits_of_futures);

async fn connected_pair() -> Result<(TcpStream, TcpStream)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let client = TcpStream::connect(listener.local_addr()?).await?;
    let (server, _) = listener.accept().await?;
    Ok((client, server))
}

async fn listener_binds_accepts_and_streams_echo(_: Executor) -> Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    assert_eq!(addr.ip(), Ipv4Addr::LOCALHOST);
    assert_ne!(addr.port(), 0);
    let (client, accepted) = futures::join!(TcpStream::connect(addr), listener.accept());
    let (mut client, (mut server, peer)) = (client?, accepted?);
    assert_eq!(peer, client.local_addr()?);
    assert_eq!(client.peer_addr()?, addr);
    assert_eq!(server.local_addr()?, addr);
    assert_eq!(server.peer_addr()?, peer);

    let echo = async {
        let mut buf = [0; 1024];
        loop {
            let n = server.read(&mut buf).await?;
            if n == 0 {
                return server.shutdown().await;
            }
            server.write_all(&buf[..n]).await?;
        }
    };
    let talk = async {
        client.write_all(b"hello, ").await?;
        client.write_all(b"echo").await?;
        client.shutdown().await?;
        let mut back = Vec::new();
        client.read_to_end(&mut back).await?;
        Ok::<_, std::io::Error>(back)
    };
    let (echoed, back) = futures::join!(echo, talk);
    echoed?;
    assert_eq!(back?, b"hello, echo");
    Ok(())
}

async fn listener_binds_every_address_form(_: Executor) -> Result<()> {
    let std_addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let listeners = [
        TcpListener::bind("127.0.0.1:0").await?,
        TcpListener::bind(String::from("127.0.0.1:0")).await?,
        TcpListener::bind(("127.0.0.1", 0)).await?,
        TcpListener::bind((String::from("127.0.0.1"), 0)).await?,
        TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?,
        TcpListener::bind(std_addr).await?,
        TcpListener::bind(&std_addr).await?,
        TcpListener::bind(asock::SockAddr::from(std_addr)).await?,
        TcpListener::bind(("localhost", 0)).await?, // a name: resolved on a thread
    ];
    for listener in listeners {
        assert!(listener.local_addr()?.ip().is_loopback());
    }
    Ok(())
}

async fn listener_bind_reports_address_in_use(_: Executor) -> Result<()> {
    let first = TcpListener::bind("127.0.0.1:0").await?;
    assert_eq!(errno(TcpListener::bind(first.local_addr()?).await), Some(libc::EADDRINUSE));
    // A list: the first address that binds wins; 192.0.2.1 (TEST-NET-1) is not local.
    let tried: [SocketAddr; 2] = ["192.0.2.1:0".parse().unwrap(), "127.0.0.1:0".parse().unwrap()];
    let second = TcpListener::bind(&tried[..]).await?;
    assert_eq!(second.local_addr()?.ip(), Ipv4Addr::LOCALHOST);
    // Every address failed: the last one's error.
    let busy = [tried[0], first.local_addr()?];
    assert_eq!(errno(TcpListener::bind(&busy[..]).await), Some(libc::EADDRINUSE));
    let none: &[SocketAddr] = &[];
    let err = TcpListener::bind(none).await.unwrap_err();
    assert_eq!(err.to_string(), "could not resolve to any addresses");
    Ok(())
}

async fn listener_sets_reuse_address_and_listens(_: Executor) -> Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    assert!(listener.options().reuse_address()?);
    assert!(listener.options().is_listener()?);
    assert_eq!(listener.as_socket().kind(), asock::SocketKind::SOCK_STREAM);
    Ok(())
}

async fn connect_by_name_runs_happy_eyeballs(_: Executor) -> Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    for stream in [
        TcpStream::connect(format!("localhost:{port}")).await?,
        TcpStream::connect(("localhost", port)).await?,
    ] {
        assert_eq!(stream.peer_addr()?, listener.local_addr()?);
        let (accepted, peer) = listener.accept().await?;
        assert_eq!(peer, stream.local_addr()?);
        drop(accepted);
    }
    Ok(())
}

async fn connect_to_a_list_skips_the_refusing_address(_: Executor) -> Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addrs = [refused_addr(), listener.local_addr()?];
    let stream = TcpStream::connect(&addrs[..]).await?;
    assert_eq!(stream.peer_addr()?, listener.local_addr()?);
    Ok(())
}

async fn connect_refused_is_econnrefused(_: Executor) -> Result<()> {
    assert_eq!(errno(TcpStream::connect(refused_addr()).await), Some(libc::ECONNREFUSED));
    let options = ConnectOptions::new().all_errors(true);
    let refused = refused_addr();
    let err = TcpStream::connect_with(refused, &options).await.unwrap_err();
    assert_eq!(err.errors().len(), 1, "{err}");
    assert_eq!(err.errors()[0].1.raw_os_error(), Some(libc::ECONNREFUSED));
    // And through io::Error, losslessly.
    let io: std::io::Error = TcpStream::connect(refused).await.unwrap_err().into();
    assert_eq!(io.kind(), std::io::ErrorKind::ConnectionRefused);
    Ok(())
}

async fn connect_with_options_sets_the_stream_timeout(_: Executor) -> Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let options = ConnectOptions::new().timeout(Duration::from_secs(7));
    let stream = TcpStream::connect_with(listener.local_addr()?, &options).await?;
    assert_eq!(stream.timeout(), Some(Duration::from_secs(7)));
    Ok(())
}

async fn connect_rejects_bad_text(_: Executor) -> Result<()> {
    let no_port = TcpStream::connect("127.0.0.1").await.unwrap_err();
    assert_eq!(no_port.to_string(), "invalid socket address");
    let bad_port = TcpStream::connect("localhost:http").await.unwrap_err();
    assert_eq!(bad_port.to_string(), "invalid port value");
    let none: &[SocketAddr] = &[];
    assert_eq!(
        TcpStream::connect(none).await.unwrap_err().to_string(),
        "could not resolve to any addresses"
    );
    Ok(())
}

async fn connect_over_ipv6(_: Executor) -> Result<()> {
    if !has_ipv6() {
        return Ok(());
    }
    let listener = TcpListener::bind("[::1]:0").await?;
    let port = listener.local_addr()?.port();
    // IP literals in every text form; the bracketed host too, as a URI gives it.
    for stream in [
        TcpStream::connect(format!("[::1]:{port}")).await?,
        TcpStream::connect(("::1", port)).await?,
        TcpStream::connect(("[::1]", port)).await?,
    ] {
        assert_eq!(stream.peer_addr()?, listener.local_addr()?);
        assert!(stream.local_addr()?.is_ipv6());
        listener.accept().await?;
    }
    Ok(())
}

async fn accept_gives_the_default_mode_and_a_nonblocking_fd(_: Executor) -> Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    listener.set_timeout(Some(Duration::from_secs(30)))?;
    let _client = std::net::TcpStream::connect(listener.local_addr()?).unwrap();
    let (stream, _) = listener.accept().await?;
    assert_eq!(stream.timeout(), asock::default_timeout());
    assert!(is_nonblocking(&stream));
    Ok(())
}

async fn accept_future_takes_modes(_: Executor) -> Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let err = listener.accept().timeout(Duration::from_millis(30)).await.unwrap_err();
    assert_eq!(err.to_string(), "timed out");
    assert!(listener.accept().nonblocking().await.unwrap_err().is_would_block());
    // The socket's own mode, and a call that overrides it.
    listener.set_timeout(Some(Duration::ZERO))?;
    assert!(listener.accept().await.unwrap_err().is_would_block());
    let addr = listener.local_addr()?;
    let _client = after(Duration::from_millis(20), move || {
        let c = std::net::TcpStream::connect(addr).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        drop(c);
    });
    let (_stream, peer) = listener.accept().timeout(Duration::from_secs(10)).await?;
    assert!(peer.ip().is_loopback());
    Ok(())
}

async fn accept_dropped_loses_no_connection(_: Executor) -> Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    {
        // An accept that waits, and is dropped while waiting.
        let mut accept = pin!(listener.accept());
        assert!(poll_fn(|cx| std::task::Poll::Ready(accept.as_mut().poll(cx).is_pending())).await);
    }
    let client = std::net::TcpStream::connect(listener.local_addr()?).unwrap();
    let (_stream, peer) = listener.accept().timeout(Duration::from_secs(10)).await?;
    assert_eq!(peer, client.local_addr().unwrap());
    Ok(())
}

async fn poll_accept_waits(_: Executor) -> Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let client = after(Duration::from_millis(20), move || {
        let c = std::net::TcpStream::connect(addr).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        drop(c);
    });
    let (stream, peer) = poll_fn(|cx| listener.poll_accept(cx)).await?;
    assert_eq!(stream.peer_addr()?, peer);
    client.join().unwrap();
    Ok(())
}

async fn readiness_and_single_tries(_: Executor) -> Result<()> {
    let (client, server) = connected_pair().await?;
    let mut buf = [0; 16];
    assert!(server.try_read(&mut buf).unwrap_err().is_would_block());
    assert!(client.writable().await?.is_writable());
    assert_eq!(client.try_write(b"ping")?, 4);
    let n = loop {
        server.readable().await?;
        match server.try_read(&mut buf) {
            Err(e) if e.is_would_block() => continue,
            other => break other?,
        }
    };
    assert_eq!(&buf[..n], b"ping");
    let ready = server.ready(Interest::READABLE | Interest::WRITABLE).await?;
    assert!(ready.is_writable());
    // readable() waits in the socket's mode, or in the call's own.
    let err = server.readable().timeout(Duration::from_millis(20)).await.unwrap_err();
    assert_eq!(err.to_string(), "timed out");
    Ok(())
}

async fn try_read_buf_fills_spare_capacity(_: Executor) -> Result<()> {
    let (client, server) = connected_pair().await?;
    client.try_write(b"abcdef")?;
    server.readable().await?;
    let mut buf = Vec::with_capacity(4);
    buf.push(b'>');
    // Only the 3 bytes of spare capacity are filled; the rest stays queued.
    assert_eq!(server.try_read_buf(&mut buf)?, 3);
    assert_eq!(buf, b">abc");
    let mut rest = [0; 8];
    assert_eq!(server.try_read(&mut rest)?, 3);
    assert_eq!(&rest[..3], b"def");
    Ok(())
}

async fn try_write_vectored_gathers(_: Executor) -> Result<()> {
    let (client, mut server) = connected_pair().await?;
    let n = client.try_write_vectored(&[IoSlice::new(b"head "), IoSlice::new(b"body")])?;
    assert_eq!(n, 9);
    let mut got = [0; 9];
    server.read_exact(&mut got).await?;
    assert_eq!(&got, b"head body");
    Ok(())
}

async fn peek_leaves_the_bytes(_: Executor) -> Result<()> {
    let (mut client, mut server) = connected_pair().await?;
    let mut buf = [0; 3];
    let (peeked, written) = futures::join!(server.peek(&mut buf), client.write_all(b"GET /"));
    written?;
    assert_eq!(peeked?, 3);
    assert_eq!(&buf, b"GET");
    let mut all = [0; 5];
    server.read_exact(&mut all).await?;
    assert_eq!(&all, b"GET /");
    Ok(())
}

async fn end_of_stream_after_shutdown(_: Executor) -> Result<()> {
    let (mut client, mut server) = connected_pair().await?;
    client.shutdown().await?;
    let mut buf = [0; 8];
    assert_eq!(server.read(&mut buf).await?, 0);
    // The write side of the server is still open.
    server.write_all(b"bye").await?;
    let mut got = [0; 3];
    client.read_exact(&mut got).await?;
    assert_eq!(&got, b"bye");
    Ok(())
}

async fn options_round_trip(_: Executor) -> Result<()> {
    let (client, _server) = connected_pair().await?;
    client.set_nodelay(true)?;
    assert!(client.nodelay()?);
    client.set_nodelay(false)?;
    assert!(!client.nodelay()?);
    client.set_ttl(33)?;
    assert_eq!(client.ttl()?, 33);
    assert_eq!(client.linger()?, None);
    client.set_linger(Some(Duration::from_secs(2)))?;
    assert_eq!(client.linger()?, Some(Duration::from_secs(2)));
    assert_eq!(client.set_ttl(300).unwrap_err().raw_os_error(), Some(libc::EINVAL));
    assert!(client.take_error()?.is_none());
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    listener.set_ttl(12)?;
    assert_eq!(listener.ttl()?, 12);
    if has_ipv6() {
        let v6 = TcpListener::bind("[::1]:0").await?;
        v6.set_ttl(21)?;
        assert_eq!(v6.ttl()?, 21);
        assert_eq!(v6.options().unicast_hops_v6()?, 21);
    }
    Ok(())
}

async fn split_halves_work_at_once(_: Executor) -> Result<()> {
    let (mut client, mut server) = connected_pair().await?;
    let (mut read, mut write) = server.split();
    let echo = async {
        let mut buf = [0; 5];
        read.read_exact(&mut buf).await?;
        write.write_all(&buf).await
    };
    let talk = async {
        client.write_all(b"split").await?;
        let mut buf = [0; 5];
        client.read_exact(&mut buf).await.map(|_| buf)
    };
    let (echoed, heard) = futures::join!(echo, talk);
    echoed?;
    assert_eq!(&heard?, b"split");
    Ok(())
}

async fn into_split_and_reunite(_: Executor) -> Result<()> {
    let (mut client, server) = connected_pair().await?;
    let (mut read, write) = server.into_split();
    drop(write); // shuts the write side down, as tokio's OwnedWriteHalf
    let mut buf = [0; 4];
    assert_eq!(client.read(&mut buf).await?, 0);
    client.write_all(b"more").await?;
    read.read_exact(&mut buf).await?;
    assert_eq!(&buf, b"more");

    drop(read);

    let (client2, server2) = connected_pair().await?;
    let fd = server2.as_socket().fileno();
    let (r, w) = server2.into_split();
    let back = TcpStream::try_from(r.reunite(w).expect("halves of one stream"))?;
    assert_eq!(back.as_socket().fileno(), fd);
    assert_eq!(back.peer_addr()?, client2.local_addr()?);
    Ok(())
}

async fn set_timeout_bounds_the_operations(_: Executor) -> Result<()> {
    let (client, server) = connected_pair().await?;
    server.set_timeout(Some(Duration::from_millis(30)))?;
    let mut buf = [0; 4];
    assert_eq!(server.peek(&mut buf).await.unwrap_err().to_string(), "timed out");
    assert_eq!(server.as_socket().recv(&mut buf).await.unwrap_err().to_string(), "timed out");
    // The io traits wait without a deadline; ModeExt bounds them from outside.
    let mut server = server;
    let err = server.read(&mut buf).timeout(Duration::from_millis(30)).await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
    drop(client);
    Ok(())
}

async fn the_stream_waits_on_the_executors_reactor(executor: Executor) -> Result<()> {
    let (client, mut server) = connected_pair().await?;
    let std_client = client.into_std()?;
    assert!(!is_nonblocking(&std_client), "blocking mode: a blocking std stream");
    let writer = after(Duration::from_millis(20), move || {
        (&std_client).write_all(b"late").unwrap();
    });
    let mut buf = [0; 4];
    server.read_exact(&mut buf).await?;
    assert_eq!(&buf, b"late");
    assert_eq!(server.as_socket().backend(), Some(executor.backend()));
    writer.join().unwrap();
    Ok(())
}

#[cfg(feature = "futures-io")]
async fn io_traits_of_futures(_: Executor) -> Result<()> {
    use futures::io::{AsyncReadExt as FuturesRead, AsyncWriteExt as FuturesWrite};
    let (mut client, mut server) = connected_pair().await?;
    FuturesWrite::write_all(&mut client, b"futures").await?;
    FuturesWrite::close(&mut client).await?;
    let mut got = Vec::new();
    FuturesRead::read_to_end(&mut server, &mut got).await?;
    assert_eq!(got, b"futures");
    // A shared reference reads and writes too.
    let (a, b) = connected_pair().await?;
    FuturesWrite::write_all(&mut &a, b"by ref").await?;
    let mut buf = [0; 6];
    FuturesRead::read_exact(&mut &b, &mut buf).await?;
    assert_eq!(&buf, b"by ref");
    Ok(())
}
