//! Moving bytes with `AsyncSocket`: every recv/send form (future, `try_*`, `poll_*`), on TCP,
//! UDP, UNIX stream / datagram / seqpacket; EOF; readiness and its clearing rule. Each body
//! runs under tokio, `asock::block_on` and `futures::executor::block_on`.

mod async_support;
mod reactor_support;

use std::future::poll_fn;
use std::io::IoSlice;
use std::net::Shutdown;
use std::time::Duration;

use asock::reactor::Interest;
use asock::{AddressFamily, AsyncSocket, MsgFlags, Result, SockAddr, SocketKind, UnixAddr};
use async_support::*;
use reactor_support::{after, Executor};

on_every_backend!(
    recv_waits_for_data,
    recv_forms_on_tcp,
    recv_with_flags_peeks,
    recv_into_a_slice_takes_at_most_its_length,
    recv_buf_fills_spare_capacity,
    send_all_moves_8_mib_to_a_concurrent_reader,
    send_all_of_nothing_sends_an_empty_datagram,
    eof_is_an_empty_recv,
    eof_after_data_delivers_the_data_first,
    udp_send_to_and_recv_from_both_families,
    udp_send_to_checks_the_family,
    unix_datagram_unnamed_sender,
    unix_seqpacket_keeps_message_boundaries,
    unix_stream_over_an_abstract_address,
    try_forms_never_wait,
    poll_forms_wait_and_complete,
    peek_that_waits_leaves_the_data,
    readable_writable_and_ready,
    short_tcp_read_clears_readiness,
    short_unix_stream_read_keeps_readiness,
    datagram_short_read_keeps_readiness,
    full_read_keeps_readiness,
    reader_and_writer_of_one_socket_both_progress,
    many_round_trips,
    errors_on_unconnected_sockets_come_at_once,
);

async fn recv_waits_for_data(_: Executor) -> Result<()> {
    let (a, b) = socketpair_std_peer();
    let peer = after(Duration::from_millis(30), move || {
        use std::io::Write;
        (&b).write_all(b"late").unwrap();
    });
    assert_eq!(recv_vec(&a, 16).await?, b"late");
    peer.join().unwrap();
    Ok(())
}

/// An AsyncSocket and a blocking std peer on the other end of a UNIX stream pair.
fn socketpair_std_peer() -> (AsyncSocket, std::os::unix::net::UnixStream) {
    let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
    (AsyncSocket::from(a), b)
}

async fn recv_forms_on_tcp(_: Executor) -> Result<()> {
    for family in [AddressFamily::AF_INET, AddressFamily::AF_INET6] {
        let (c, s) = tcp_pair(family).await?;
        c.send_all(b"abcdefgh").await?;
        let mut got = [0u8; 8];
        let mut filled = 0;
        while filled < 8 {
            filled += s.recv(&mut got[filled..]).await?;
        }
        assert_eq!(&got, b"abcdefgh");

        s.send(b"xy").await?;
        let mut buf = [0u8; 8];
        let n = c.recv(&mut buf).await?;
        assert_eq!(&buf[..n], b"xy");

        c.send_all(b"from").await?;
        let mut buf = [0u8; 4];
        let (n, from) = s.recv_from(&mut buf).await?;
        assert_eq!(&buf[..n], b"from");
        // A connected stream socket reports no sender address.
        assert!(matches!(from, SockAddr::Unix(UnixAddr::Unnamed)) || from == c.local_addr()?);

        // A slice of a larger buffer: at most its length is taken.
        s.send_all(b"into").await?;
        let mut buf = [0u8; 16];
        let (n, _) = c.recv_from(&mut buf[..4]).await?;
        assert_eq!(&buf[..n], b"into");
    }
    Ok(())
}

async fn recv_with_flags_peeks(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    a.send_all(b"peek").await?;
    let mut buf = [0u8; 4];
    let n = b.recv_with_flags(&mut buf, MsgFlags::MSG_PEEK).await?;
    assert_eq!(&buf[..n], b"peek");
    let mut two = [0u8; 2];
    assert_eq!(b.recv_with_flags(&mut two, MsgFlags::MSG_PEEK).await?, 2);
    assert_eq!(&two, b"pe");
    let mut buf = [0u8; 4];
    let (n, _) = b.recv_from_with_flags(&mut buf, MsgFlags::MSG_PEEK).await?;
    assert_eq!(&buf[..n], b"peek");
    let mut buf = [0u8; 8];
    assert_eq!(b.try_recv_with_flags(&mut buf, MsgFlags::MSG_PEEK)?, 4);
    assert_eq!(recv_vec(&b, 4).await?, b"peek", "peeking took nothing");
    Ok(())
}

/// The buffer's length is the byte count asked for (Python's `nbytes`, whose checks live on
/// `blocking::Socket::recv_into`: tests/blocking_io.rs): a slice takes at most its length.
async fn recv_into_a_slice_takes_at_most_its_length(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    a.send_all(b"0123456789").await?;
    let mut buf = [0u8; 4];
    assert_eq!(b.recv(&mut buf[..3]).await?, 3);
    assert_eq!(&buf[..3], b"012");
    // The whole buffer.
    assert_eq!(b.recv(&mut buf).await?, 4);
    assert_eq!(&buf, b"3456");
    let (n, _) = b.recv_from(&mut buf[..2]).await?;
    assert_eq!(&buf[..n], b"78");
    assert_eq!(recv_vec(&b, 16).await?, b"9");
    Ok(())
}

/// `recv_buf` writes into a `Vec`'s spare capacity (growing its length by the count, keeping
/// what was there) or tokio's `ReadBuf`, waiting like `recv`; no room means 0, nothing taken.
async fn recv_buf_fills_spare_capacity(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let mut got = Vec::with_capacity(4);
    got.push(b'<');
    let spare = got.capacity() - got.len();
    assert!((1..=7).contains(&spare), "the test needs a short buffer, has {spare} bytes");
    let (n, sent) = futures::join!(b.recv_buf(&mut got), async {
        pause(10).await;
        a.send_all(b"0123456789").await
    });
    sent?;
    assert_eq!(n?, spare);
    assert_eq!(got, [&b"<"[..], &b"0123456789"[..spare]].concat());

    let mut full: Vec<u8> = Vec::new();
    assert_eq!(b.recv_buf(&mut full).await?, 0);
    assert!(full.is_empty());

    // tokio's ReadBuf is a RecvBuf with the `tokio` feature.
    #[cfg(feature = "tokio")]
    let rest = {
        let mut storage = [std::mem::MaybeUninit::<u8>::uninit(); 2];
        let mut read_buf = tokio::io::ReadBuf::uninit(&mut storage);
        assert_eq!(b.recv_buf(&mut read_buf).await?, 2);
        assert_eq!(read_buf.filled(), &b"0123456789"[spare..spare + 2]);
        spare + 2
    };
    #[cfg(not(feature = "tokio"))]
    let rest = spare;
    assert_eq!(recv_vec(&b, 16).await?, &b"0123456789"[rest..], "the rest is still there");
    Ok(())
}

async fn send_all_moves_8_mib_to_a_concurrent_reader(_: Executor) -> Result<()> {
    let (c, s) = tcp_pair(AddressFamily::AF_INET).await?;
    let data: Vec<u8> = (0..8 << 20).map(|i: u32| (i % 251) as u8).collect();
    let send = async {
        c.send_all(&data).await?;
        c.shutdown(Shutdown::Write)
    };
    let (sent, received) = futures::join!(send, read_to_end(&s));
    sent?;
    assert!(received? == data, "every byte arrives, in order");
    Ok(())
}

async fn send_all_of_nothing_sends_an_empty_datagram(_: Executor) -> Result<()> {
    let (a, b) = AsyncSocket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM, None)?;
    a.send_all(b"").await?;
    assert_eq!(recv_vec(&b, 16).await?, b"");
    Ok(())
}

async fn eof_is_an_empty_recv(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let reader = recv_vec(&b, 16);
    let closer = async {
        pause(20).await;
        a.shutdown(Shutdown::Write)
    };
    let (got, closed) = futures::join!(reader, closer);
    closed?;
    assert_eq!(got?, b"");
    // And again: EOF stays EOF.
    assert_eq!(recv_vec(&b, 16).await?, b"");
    Ok(())
}

async fn eof_after_data_delivers_the_data_first(_: Executor) -> Result<()> {
    let (c, s) = tcp_pair(AddressFamily::AF_INET).await?;
    c.send_all(b"last words").await?;
    drop(c);
    pause(10).await;
    assert_eq!(read_to_end(&s).await?, b"last words");
    Ok(())
}

async fn udp_send_to_and_recv_from_both_families(_: Executor) -> Result<()> {
    for family in [AddressFamily::AF_INET, AddressFamily::AF_INET6] {
        let (a, b) = (bound_udp(family), bound_udp(family));
        let to = b.local_addr()?;
        assert_eq!(a.send_to(b"one", &to).await?, 3);
        assert_eq!(a.send_to_with_flags(b"two", &to, MsgFlags::MSG_DONTWAIT).await?, 3);
        let (data, from) = recv_from_vec(&b, 64).await?;
        assert_eq!((data.as_slice(), &from), (&b"one"[..], &a.local_addr()?));
        let mut buf = [0u8; 64];
        let (n, from) = b.recv_from(&mut buf).await?;
        assert_eq!((&buf[..n], &from), (&b"two"[..], &a.local_addr()?));
        // A short buffer truncates the datagram (the rest is gone).
        a.send_to(b"truncated", &to).await?;
        assert_eq!(recv_vec(&b, 4).await?, b"trun");
        // Connected UDP: send / recv; an address by value works as well as by reference.
        a.connect(to.clone()).await?;
        a.send(b"conn").await?;
        assert_eq!(recv_vec(&b, 16).await?, b"conn");
    }
    Ok(())
}

async fn udp_send_to_checks_the_family(_: Executor) -> Result<()> {
    let a = bound_udp(AddressFamily::AF_INET);
    let v6 = addr("[::1]:9");
    assert_errno(a.send_to(b"x", &v6).await, libc::EAFNOSUPPORT);
    assert_errno(a.try_send_to(b"x", &v6), libc::EAFNOSUPPORT);
    assert_errno(poll_fn(|cx| a.poll_send_to(cx, b"x", &v6)).await, libc::EAFNOSUPPORT);
    Ok(())
}

async fn unix_datagram_unnamed_sender(_: Executor) -> Result<()> {
    let rx = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM);
    let name = abstract_addr("dgram");
    rx.bind(&name)?;
    let tx = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM);
    tx.send_to(b"anonymous", &name).await?;
    let (data, from) = recv_from_vec(&rx, 64).await?;
    assert_eq!(data, b"anonymous");
    assert_eq!(from, SockAddr::Unix(UnixAddr::Unnamed));
    Ok(())
}

async fn unix_seqpacket_keeps_message_boundaries(_: Executor) -> Result<()> {
    let (a, b) = AsyncSocket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_SEQPACKET, None)?;
    a.send_all(b"first").await?;
    a.send_all(b"second").await?;
    assert_eq!(recv_vec(&b, 64).await?, b"first");
    assert_eq!(recv_vec(&b, 64).await?, b"second");
    drop(a);
    assert_eq!(recv_vec(&b, 64).await?, b"", "EOF");
    Ok(())
}

async fn unix_stream_over_an_abstract_address(_: Executor) -> Result<()> {
    let l = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM);
    let name = abstract_addr("stream");
    l.bind(&name)?;
    l.listen(128)?;
    let c = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM);
    c.connect(&name).await?;
    let (s, peer) = l.accept().await?;
    assert_eq!(peer, SockAddr::Unix(UnixAddr::Unnamed));
    assert_eq!(c.peer_addr()?, name);
    c.send_all(b"hi").await?;
    assert_eq!(recv_vec(&s, 2).await?, b"hi");
    Ok(())
}

async fn try_forms_never_wait(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let mut buf = [0u8; 8];
    assert_would_block(b.try_recv(&mut buf));
    assert_would_block(b.try_recv_with_flags(&mut buf, MsgFlags::MSG_PEEK));
    assert_would_block(b.try_recv_buf(&mut Vec::with_capacity(8)));
    assert_would_block(b.try_recv_from(&mut buf));
    a.try_send(b"1")?;
    a.try_send_with_flags(b"2", MsgFlags::empty())?;
    let n = b.try_recv(&mut buf)?;
    assert_eq!(&buf[..n], b"12");
    a.try_send(b"3")?;
    let mut vec = Vec::with_capacity(4);
    assert_eq!(b.try_recv_buf(&mut vec)?, 1);
    assert_eq!(vec, b"3");
    a.try_send(b"4")?;
    let (n, _) = b.try_recv_from(&mut buf)?;
    assert_eq!(&buf[..n], b"4");
    assert_eq!(a.try_send_vectored(&[IoSlice::new(b"5"), IoSlice::new(b"6")])?, 2);
    assert_eq!(b.try_recv_with_flags(&mut buf, MsgFlags::empty())?, 2);
    assert_eq!(&buf[..2], b"56");
    // A full buffer: try_send says EAGAIN instead of waiting.
    fill(&a);
    assert_would_block(a.try_send(b"more"));
    assert_would_block(a.try_send_with_flags(b"more", MsgFlags::empty()));
    assert_would_block(a.try_send_vectored(&[IoSlice::new(b"more")]));
    // try_* on an unregistered socket does not register it.
    let (c, _d) = asock::async_socket::socketpair()?;
    assert_would_block(c.try_recv(&mut [0u8; 1]));
    assert_eq!(c.backend(), None);
    Ok(())
}

async fn poll_forms_wait_and_complete(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let mut buf = [0u8; 8];
    let reader = poll_fn(|cx| b.poll_recv(cx, &mut buf[..]));
    let writer = async {
        pause(20).await;
        poll_fn(|cx| a.poll_send(cx, b"polled")).await
    };
    let (n, sent) = futures::join!(reader, writer);
    assert_eq!(sent?, 6);
    assert_eq!(n?, 6);
    assert_eq!(&buf[..6], b"polled");
    let bufs = [IoSlice::new(b"vec"), IoSlice::new(b"tored")];
    assert_eq!(poll_fn(|cx| a.poll_send_vectored(cx, &bufs)).await?, 8);
    let mut vec = Vec::with_capacity(16);
    assert_eq!(poll_fn(|cx| b.poll_recv(cx, &mut vec)).await?, 8);
    assert_eq!(vec, b"vectored");

    let (x, y) = (bound_udp(AddressFamily::AF_INET), bound_udp(AddressFamily::AF_INET));
    let to = y.local_addr()?;
    assert_eq!(poll_fn(|cx| x.poll_send_to(cx, b"dgram", &to)).await?, 5);
    let mut buf = [0u8; 16];
    let (n, from) = poll_fn(|cx| y.poll_recv_from(cx, &mut buf[..])).await?;
    assert_eq!((&buf[..n], from), (&b"dgram"[..], x.local_addr()?));

    // poll_accept
    let l = listener(AddressFamily::AF_INET);
    let c = tcp(AddressFamily::AF_INET);
    let to = l.local_addr()?;
    let (accepted, connected) = futures::join!(poll_fn(|cx| l.poll_accept(cx)), c.connect(&to));
    connected?;
    assert_eq!(accepted?.1, c.local_addr()?);
    Ok(())
}

/// A peek (`MSG_PEEK`) that had to wait for the data leaves it there (was `poll_peek`,
/// which `AsyncSocket` no longer has; `recv_with_flags` is the way to peek).
async fn peek_that_waits_leaves_the_data(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let mut buf = [0u8; 2];
    let (peeked, sent) = futures::join!(b.recv_with_flags(&mut buf, MsgFlags::MSG_PEEK), async {
        pause(20).await;
        a.send_all(b"peek").await
    });
    sent?;
    assert_eq!(peeked?, 2);
    assert_eq!(&buf, b"pe");
    assert_eq!(recv_vec(&b, 4).await?, b"peek");
    Ok(())
}

async fn readable_writable_and_ready(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    assert!(a.writable().await?.is_writable());
    let waiter = async { b.readable().await };
    let sender = async {
        pause(20).await;
        a.try_send(b"!")
    };
    let (ready, sent) = futures::join!(waiter, sender);
    sent?;
    assert!(ready?.is_readable());
    let both = b.ready(Interest::READABLE | Interest::WRITABLE).await?;
    assert!(both.is_readable() || both.is_writable());
    let mut buf = [0u8; 8];
    assert_eq!(b.try_recv(&mut buf)?, 1);
    assert_eq!(buf[0], b'!');
    // Nothing more: the next try clears the readiness, and readable() then waits.
    assert_would_block(b.try_recv(&mut buf));
    assert_would_block(b.readable().nonblocking().await);
    assert_timed_out(b.readable().timeout(Duration::from_millis(20)).await);
    Ok(())
}

/// After a read shorter than its buffer on TCP, the reactor's readiness is gone: no extra
/// `EAGAIN` syscall was needed to learn it.
async fn short_tcp_read_clears_readiness(_: Executor) -> Result<()> {
    let (c, s) = tcp_pair(AddressFamily::AF_INET).await?;
    // Register s and make the reactor see readiness.
    let (got, sent) = futures::join!(recv_vec(&s, 64), async {
        pause(10).await;
        c.send_all(b"short").await
    });
    sent?;
    assert_eq!(got?, b"short");
    assert_would_block(s.readable().nonblocking().await);
    Ok(())
}

/// On a UNIX stream a short read can stop at a message carrying fds or credentials with
/// more data queued, so it must not clear readiness.
async fn short_unix_stream_read_keeps_readiness(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let (got, sent) = futures::join!(recv_vec(&b, 64), async {
        pause(10).await;
        a.send_all(b"short").await
    });
    sent?;
    assert_eq!(got?, b"short");
    assert!(b.readable().nonblocking().await?.is_readable(), "kept until EAGAIN proves it");
    assert_would_block(b.try_recv(&mut [0u8; 64]));
    assert_would_block(b.readable().nonblocking().await);
    Ok(())
}

async fn datagram_short_read_keeps_readiness(_: Executor) -> Result<()> {
    let (a, b) = (bound_udp(AddressFamily::AF_INET), bound_udp(AddressFamily::AF_INET));
    let to = b.local_addr()?;
    let (got, sent) = futures::join!(recv_vec(&b, 64), async {
        pause(10).await;
        a.send_to(b"one", &to).await?;
        a.send_to(b"two", &to).await
    });
    sent?;
    assert_eq!(got?, b"one");
    // The second datagram is there: a short datagram read said nothing about the queue.
    let mut buf = [0u8; 64];
    let n = b.recv(&mut buf).nonblocking().await?;
    assert_eq!(&buf[..n], b"two");
    Ok(())
}

async fn full_read_keeps_readiness(_: Executor) -> Result<()> {
    let (c, s) = tcp_pair(AddressFamily::AF_INET).await?;
    let (got, sent) = futures::join!(recv_vec(&s, 4), async {
        pause(10).await;
        c.send_all(b"12345678").await
    });
    sent?;
    assert_eq!(got?, b"1234");
    // A full buffer proves nothing: the rest is read at once, without waiting.
    let mut buf = [0u8; 4];
    assert_eq!(s.recv(&mut buf).nonblocking().await?, 4);
    assert_eq!(&buf, b"5678");
    Ok(())
}

async fn reader_and_writer_of_one_socket_both_progress(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    // a's send buffer full: a writer on a waits for writability while a reader on a waits
    // for data. Both must be woken by their own event.
    let filled = fill(&a);
    let payload = vec![7u8; 100_000];
    let writer = a.send_all(&payload);
    let mut read_buf = [0u8; 16];
    let reader = a.recv(&mut read_buf);
    let peer = async {
        pause(20).await;
        b.send_all(b"for the reader").await?;
        // Drain what a sends, so the writer can finish.
        let mut total = 0;
        let mut sink = vec![0u8; 1 << 20];
        while total < filled + payload.len() {
            total += b.recv(&mut sink).await?;
        }
        Ok::<_, asock::Error>(total)
    };
    let (written, read, drained) = futures::join!(writer, reader, peer);
    written?;
    assert_eq!(&read_buf[..read?], b"for the reader");
    assert_eq!(drained?, filled + payload.len());
    Ok(())
}

async fn many_round_trips(_: Executor) -> Result<()> {
    let (c, s) = tcp_pair(AddressFamily::AF_INET6).await?;
    c.options().set_nodelay(true)?;
    s.options().set_nodelay(true)?;
    let client = async {
        for i in 0..2000u32 {
            c.send_all(&i.to_be_bytes()).await?;
            let mut buf = [0u8; 4];
            let mut got = 0;
            while got < 4 {
                got += c.recv(&mut buf[got..]).await?;
            }
            assert_eq!(u32::from_be_bytes(buf), i + 1);
        }
        c.shutdown(Shutdown::Write)
    };
    let server = async {
        loop {
            let mut buf = [0u8; 4];
            let mut got = 0;
            while got < 4 {
                let n = s.recv(&mut buf[got..]).await?;
                if n == 0 {
                    return Ok::<_, asock::Error>(());
                }
                got += n;
            }
            s.send_all(&(u32::from_be_bytes(buf) + 1).to_be_bytes()).await?;
        }
    };
    let (a, b) = futures::join!(client, server);
    a?;
    b
}

async fn errors_on_unconnected_sockets_come_at_once(_: Executor) -> Result<()> {
    let s = tcp(AddressFamily::AF_INET);
    assert_errno(s.recv(&mut [0u8; 8]).await, libc::ENOTCONN);
    assert_errno(s.send(b"x").await, libc::EPIPE);
    assert_errno(s.accept().await.map(|_| ()), libc::EINVAL);
    assert_eq!(s.backend(), None, "an operation that fails at once never registers");
    Ok(())
}
