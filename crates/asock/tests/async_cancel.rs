//! Cancel safety, claim by claim (the table in `asock::async_socket`'s docs): a dropped
//! `recv*` loses no bytes, a dropped `accept` loses no connection, a dropped `send` sent
//! nothing, a dropped `send_all` may have sent a prefix and says nothing, a dropped `connect`
//! leaves the socket connecting, a dropped readiness wait changes nothing; and two futures of
//! one socket waiting at once are both woken. Each body runs on every backend.

mod async_support;
mod reactor_support;

use std::future::Future;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use asock::{AddressFamily, AsyncSocket, Result};
use async_support::*;
use futures::future::{select, Either};
use reactor_support::Executor;

on_every_backend!(
    dropped_recv_loses_no_bytes,
    recv_cancelled_by_select_loses_no_bytes,
    dropped_recv_buf_and_recv_from_lose_nothing,
    recv_ended_by_its_timeout_loses_no_bytes,
    dropped_accept_loses_no_connection,
    accept_ended_by_its_timeout_loses_no_connection,
    dropped_send_sent_nothing,
    dropped_send_all_sent_a_prefix_and_says_nothing,
    dropped_connect_leaves_the_socket_connecting,
    dropped_readiness_wait_changes_nothing,
    reader_and_writer_futures_of_one_socket_are_both_woken,
    accept_and_connect_of_one_task_are_both_woken,
);

/// Polls `future` until it is pending (registering it), then drops it.
async fn start_and_drop<F: Future>(future: F) {
    let mut future = pin!(future);
    let polled = std::future::poll_fn(|cx| Poll::Ready(future.as_mut().poll(cx).is_pending()));
    assert!(polled.await, "the future was expected to wait");
}

async fn dropped_recv_loses_no_bytes(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    start_and_drop(b.recv(&mut [0u8; 64])).await;
    a.send_all(b"kept").await?;
    pause(10).await;
    // Dropped again while data is pending: still nothing taken, since a future only takes
    // bytes in the poll that completes it.
    drop(b.recv(&mut [0u8; 64]));
    assert_eq!(recv_vec(&b, 64).await?, b"kept");
    Ok(())
}

async fn recv_cancelled_by_select_loses_no_bytes(_: Executor) -> Result<()> {
    let (c, s) = tcp_pair(AddressFamily::AF_INET).await?;
    for round in 0..20u8 {
        // The recv loses the race against a short timer, then the data comes.
        let mut buf = [0u8; 16];
        let (recv, timer) = (pin!(s.recv(&mut buf)), pin!(pause(2)));
        let raced = select(recv, timer).await;
        assert!(matches!(raced, Either::Right(_)), "nothing was sent yet");
        drop(raced);
        c.send_all(&[round]).await?;
        assert_eq!(recv_vec(&s, 16).await?, [round]);
    }
    Ok(())
}

async fn dropped_recv_buf_and_recv_from_lose_nothing(_: Executor) -> Result<()> {
    let (a, b) = (bound_udp(AddressFamily::AF_INET), bound_udp(AddressFamily::AF_INET));
    let mut buf = [0u8; 32];
    let mut vec = Vec::with_capacity(32);
    start_and_drop(b.recv(&mut buf)).await;
    start_and_drop(b.recv_buf(&mut vec)).await;
    start_and_drop(b.recv_from(&mut buf)).await;
    let mut msg_buf = [std::io::IoSliceMut::new(&mut buf)];
    start_and_drop(b.recv_msg(&mut msg_buf, 0, asock::MsgFlags::empty())).await;
    assert!(vec.is_empty(), "a dropped recv_buf wrote nothing");
    a.send_to(b"datagram", &b.local_addr()?).await?;
    let (data, from) = recv_from_vec(&b, 32).await?;
    assert_eq!((data.as_slice(), from), (&b"datagram"[..], a.local_addr()?));
    Ok(())
}

async fn recv_ended_by_its_timeout_loses_no_bytes(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    assert_timed_out(b.recv(&mut [0u8; 8]).timeout(Duration::from_millis(20)).await);
    a.send_all(b"after").await?;
    assert_eq!(recv_vec(&b, 8).await?, b"after");
    Ok(())
}

async fn dropped_accept_loses_no_connection(_: Executor) -> Result<()> {
    let l = listener(AddressFamily::AF_INET);
    start_and_drop(l.accept()).await;
    let c = tcp(AddressFamily::AF_INET);
    c.connect(&l.local_addr()?).await?;
    pause(10).await;
    drop(l.accept());
    let (_, peer) = l.accept().await?;
    assert_eq!(peer, c.local_addr()?);
    Ok(())
}

async fn accept_ended_by_its_timeout_loses_no_connection(_: Executor) -> Result<()> {
    let l = listener(AddressFamily::AF_INET6);
    for _ in 0..3 {
        assert_timed_out(l.accept().timeout(Duration::from_millis(5)).await.map(|_| ()));
        let c = tcp(AddressFamily::AF_INET6);
        c.connect(&l.local_addr()?).await?;
        assert_eq!(l.accept().await?.1, c.local_addr()?);
    }
    Ok(())
}

async fn dropped_send_sent_nothing(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let filled = fill(&a);
    start_and_drop(a.send(b"never")).await;
    let mut received = 0;
    let mut sink = vec![0u8; 1 << 20];
    while received < filled {
        received += b.recv(&mut sink).await?;
    }
    assert_eq!(received, filled);
    assert_would_block(b.try_recv(&mut [0u8; 16]));
    Ok(())
}

/// The documented truth: a `send_all` ended early may have sent part of its data, and the
/// receiver then sees exactly a prefix of it.
async fn dropped_send_all_sent_a_prefix_and_says_nothing(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let data: Vec<u8> = (0..4 << 20).map(|i: u32| (i % 253) as u8).collect();
    // Nobody reads: the buffers fill, the deadline ends the call part-way.
    assert_timed_out(a.send_all(&data).timeout(Duration::from_millis(30)).await);
    drop(a);
    let received = read_to_end(&b).await?;
    assert!(!received.is_empty() && received.len() < data.len(), "{}", received.len());
    assert_eq!(received, data[..received.len()], "a prefix, in order");
    Ok(())
}

async fn dropped_connect_leaves_the_socket_connecting(_: Executor) -> Result<()> {
    let scene = stalled();
    let c = tcp(AddressFamily::AF_INET);
    start_and_drop(c.connect(&scene.addr)).await;
    assert_errno(c.peer_addr(), libc::ENOTCONN);
    assert_errno(c.connect(&scene.addr).nonblocking().await, libc::EALREADY);
    // The fd belongs to the socket, which closes it: dropping it abandons the attempt.
    let fd = c.fileno();
    drop(c);
    assert!(std::fs::metadata(format!("/proc/self/fd/{fd}")).is_err() || fd_reused(fd));
    Ok(())
}

/// Another test thread may have opened a new fd with the same number since.
fn fd_reused(fd: i32) -> bool {
    std::fs::read_link(format!("/proc/self/fd/{fd}")).is_ok()
}

async fn dropped_readiness_wait_changes_nothing(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    start_and_drop(b.readable()).await;
    a.send_all(b"x").await?;
    assert!(b.readable().await?.is_readable());
    assert_eq!(recv_vec(&b, 1).await?, b"x");
    Ok(())
}

async fn reader_and_writer_futures_of_one_socket_are_both_woken(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let filled = fill(&a);
    // Both wait on `a`: the reader for data, the writer for room.
    let reader = recv_vec(&a, 8);
    let writer = a.send_all(b"tail");
    let peer = async {
        pause(20).await;
        b.send_all(b"hello").await?;
        pause(20).await;
        let mut total = 0;
        let mut sink = vec![0u8; 1 << 20];
        while total < filled + 4 {
            total += b.recv(&mut sink).await?;
        }
        Ok::<_, asock::Error>(())
    };
    let (read, written, peer) = futures::join!(reader, writer, peer);
    assert_eq!(read?, b"hello");
    written?;
    peer
}

async fn accept_and_connect_of_one_task_are_both_woken(_: Executor) -> Result<()> {
    let l = listener(AddressFamily::AF_INET);
    let c: AsyncSocket = tcp(AddressFamily::AF_INET);
    let to = l.local_addr()?;
    let (accepted, connected) = futures::join!(l.accept(), async {
        pause(10).await;
        c.connect(&to).await
    });
    connected?;
    assert_eq!(accepted?.1, c.local_addr()?);
    Ok(())
}
