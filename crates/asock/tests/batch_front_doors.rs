//! Batched UDP through the front doors: `AsyncSocket::send_batch` / `recv_batch` waiting on
//! the reactor (every executor) and `blocking::Socket::send_batch` / `recv_batch` in each of
//! Python's modes. The batch operations themselves are tested on raw fds in `batch_*.rs`;
//! these tests check the waits, the modes and cancel safety around them.

mod reactor_support;

use std::io::IoSliceMut;
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use asock::batch::{BatchState, RecvMeta, Transmit};
use asock::blocking::Socket;
use asock::{AddressFamily, AsyncSocket, ErrorKind, Result, SockAddr, SocketKind};
use reactor_support::{after, Executor};

fn udp() -> AsyncSocket {
    let sock = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, None).unwrap();
    sock.bind("127.0.0.1:0".parse::<SockAddr>().unwrap()).unwrap();
    sock
}

fn addr_of(sock: &AsyncSocket) -> std::net::SocketAddr {
    sock.local_addr().unwrap().as_socket().unwrap()
}

/// `n` buffers of 2 KiB and as many metas.
fn storage(n: usize) -> (Vec<[u8; 2048]>, Vec<RecvMeta>) {
    (vec![[0u8; 2048]; n], vec![RecvMeta::default(); n])
}

on_every_backend!(
    a_waiting_recv_batch_is_woken_by_a_send_batch,
    a_recv_batch_dropped_while_waiting_loses_no_datagram,
    a_timed_recv_batch_times_out_and_a_nonblocking_one_would_block,
    a_gso_train_sent_through_the_front_door_arrives_whole,
    the_typed_udp_socket_batches_to_two_destinations,
);

async fn a_waiting_recv_batch_is_woken_by_a_send_batch(_: Executor) -> Result<()> {
    let (tx, rx) = (udp(), udp());
    let (tx_state, rx_state) = (BatchState::new(tx.as_fd())?, BatchState::new(rx.as_fd())?);
    let to = addr_of(&rx);
    let (mut store, mut metas) = storage(8);
    let mut bufs: Vec<_> = store.iter_mut().map(|b| IoSliceMut::new(b)).collect();
    let batch = [Transmit::to(to, b"one"), Transmit::to(to, b"two"), Transmit::to(to, b"three")];
    let send = async {
        asock::sleep(Duration::from_millis(20)).await;
        tx.send_batch(&tx_state, &batch).await
    };
    let recv = rx.recv_batch(&rx_state, &mut bufs, &mut metas).timeout(Duration::from_secs(10));
    let (got, sent) = futures::join!(recv, send);
    assert_eq!(sent?, 3);
    let mut got = got?;
    assert!(got >= 1, "woken with at least the first datagram");
    // The rest may still be in flight on the first wake-up: take them too.
    while got < 3 {
        got += rx.recv_batch(&rx_state, &mut bufs[got..], &mut metas[got..]).await?;
    }
    let lens: Vec<usize> = metas[..3].iter().map(|m| m.len).collect();
    assert_eq!(lens, [3, 3, 5]);
    assert_eq!(&bufs[2][..5], b"three");
    assert!(metas[..3].iter().all(|m| m.source == Some(addr_of(&tx))));
    Ok(())
}

async fn a_recv_batch_dropped_while_waiting_loses_no_datagram(_: Executor) -> Result<()> {
    let (tx, rx) = (udp(), udp());
    let rx_state = BatchState::new(rx.as_fd())?;
    let (mut store, mut metas) = storage(4);
    let mut bufs: Vec<_> = store.iter_mut().map(|b| IoSliceMut::new(b)).collect();
    // Waits, then is dropped by its deadline before anything arrives.
    let err = rx.recv_batch(&rx_state, &mut bufs, &mut metas).timeout(Duration::from_millis(20));
    assert_eq!(err.await.unwrap_err().kind(), ErrorKind::Timeout);
    tx.send_to(b"kept", rx.local_addr()?).await?;
    let n =
        rx.recv_batch(&rx_state, &mut bufs, &mut metas).timeout(Duration::from_secs(10)).await?;
    assert_eq!((n, &bufs[0][..metas[0].len]), (1, &b"kept"[..]));
    Ok(())
}

async fn a_timed_recv_batch_times_out_and_a_nonblocking_one_would_block(_: Executor) -> Result<()> {
    let rx = udp();
    let state = BatchState::new(rx.as_fd())?;
    let (mut store, mut metas) = storage(2);
    let mut bufs: Vec<_> = store.iter_mut().map(|b| IoSliceMut::new(b)).collect();
    let start = Instant::now();
    let err = rx.recv_batch(&state, &mut bufs, &mut metas).timeout(Duration::from_millis(50));
    assert_eq!(err.await.unwrap_err().to_string(), "timed out");
    assert!(start.elapsed() >= Duration::from_millis(50));
    let err = rx.recv_batch(&state, &mut bufs, &mut metas).nonblocking().await.unwrap_err();
    assert!(err.is_would_block(), "{err}");
    assert!(rx.try_recv_batch(&state, &mut bufs, &mut metas).unwrap_err().is_would_block());
    Ok(())
}

async fn a_gso_train_sent_through_the_front_door_arrives_whole(_: Executor) -> Result<()> {
    let (tx, rx) = (udp(), udp());
    let (tx_state, rx_state) = (BatchState::new(tx.as_fd())?, BatchState::new(rx.as_fd())?);
    let train: Vec<u8> = (0..4000u32).map(|i| i as u8).collect();
    let batch = [Transmit::to(addr_of(&rx), &train).with_segment_size(1000)];
    assert_eq!(tx.send_batch(&tx_state, &batch).await?, 4, "a train of four datagrams");
    let (mut store, mut metas) = storage(8);
    let mut bufs: Vec<_> = store.iter_mut().map(|b| IoSliceMut::new(b)).collect();
    let mut got = 0;
    while got < 4 {
        let n = rx.recv_batch(&rx_state, &mut bufs[got..], &mut metas[got..]);
        got += n.timeout(Duration::from_secs(10)).await?;
    }
    for (i, meta) in metas[..4].iter().enumerate() {
        assert_eq!(&bufs[i][..meta.len], &train[i * 1000..(i + 1) * 1000]);
    }
    Ok(())
}

// ===== blocking::Socket, Python's three modes =====

/// `net::UdpSocket`'s batch methods: one `send_batch` to two receivers, each receiving its
/// own with the sender's address; then `try_recv_batch` on an empty queue would block.
async fn the_typed_udp_socket_batches_to_two_destinations(_: Executor) -> Result<()> {
    use asock::net::UdpSocket;
    let tx = UdpSocket::bind("127.0.0.1:0").await?;
    let (a, b) = (UdpSocket::bind("127.0.0.1:0").await?, UdpSocket::bind("127.0.0.1:0").await?);
    let state = tx.batch_state()?;
    let batch = [
        Transmit::to(a.local_addr()?, b"to a"),
        Transmit::to(b.local_addr()?, b"to b, longer"),
        Transmit::to(a.local_addr()?, b"a again"),
    ];
    assert_eq!(tx.send_batch(&state, &batch).await?, 3);
    for (rx, expect) in [(&a, &[&b"to a"[..], b"a again"][..]), (&b, &[&b"to b, longer"[..]][..])] {
        let rx_state = rx.batch_state()?;
        let (mut store, mut metas) = storage(4);
        let mut bufs: Vec<_> = store.iter_mut().map(|b| IoSliceMut::new(b)).collect();
        let mut got = 0;
        while got < expect.len() {
            let wait = rx.recv_batch(&rx_state, &mut bufs[got..], &mut metas[got..]);
            got += wait.timeout(Duration::from_secs(10)).await?;
        }
        assert_eq!(got, expect.len(), "no datagram meant for the other socket");
        for (i, want) in expect.iter().enumerate() {
            assert_eq!(&bufs[i][..metas[i].len], *want);
            assert_eq!(metas[i].source, Some(tx.local_addr()?));
        }
        let err = rx.try_recv_batch(&rx_state, &mut bufs, &mut metas).unwrap_err();
        assert!(err.is_would_block(), "{err}");
    }
    Ok(())
}

fn blocking_udp() -> Socket {
    let sock = Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, None).unwrap();
    sock.bind(&"127.0.0.1:0".parse().unwrap()).unwrap();
    sock
}

#[test]
fn blocking_mode_recv_batch_waits_for_the_first_datagram() {
    let (rx, tx) = (blocking_udp(), std::net::UdpSocket::bind("127.0.0.1:0").unwrap());
    let to = rx.local_addr().unwrap().as_socket().unwrap();
    let state = BatchState::new(rx.as_fd()).unwrap();
    let peer = after(Duration::from_millis(30), move || {
        tx.send_to(b"late", to).unwrap();
    });
    let (mut store, mut metas) = storage(4);
    let mut bufs: Vec<_> = store.iter_mut().map(|b| IoSliceMut::new(b)).collect();
    let start = Instant::now();
    assert_eq!(rx.recv_batch(&state, &mut bufs, &mut metas).unwrap(), 1);
    assert!(start.elapsed() >= Duration::from_millis(30), "it waited for the datagram");
    assert_eq!(&bufs[0][..metas[0].len], b"late");
    peer.join().unwrap();
}

#[test]
fn timeout_mode_recv_batch_fails_after_the_timeout() {
    let rx = blocking_udp();
    rx.set_timeout(Some(Duration::from_millis(50))).unwrap();
    let state = BatchState::new(rx.as_fd()).unwrap();
    let (mut store, mut metas) = storage(2);
    let mut bufs: Vec<_> = store.iter_mut().map(|b| IoSliceMut::new(b)).collect();
    let start = Instant::now();
    let err = rx.recv_batch(&state, &mut bufs, &mut metas).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(50) && took < Duration::from_secs(10), "{took:?}");
}

#[test]
fn nonblocking_mode_recv_batch_would_block_and_send_batch_sends() {
    let (rx, tx) = (blocking_udp(), blocking_udp());
    rx.set_blocking(false).unwrap();
    tx.set_blocking(false).unwrap();
    let (rx_state, tx_state) =
        (BatchState::new(rx.as_fd()).unwrap(), BatchState::new(tx.as_fd()).unwrap());
    let (mut store, mut metas) = storage(4);
    let mut bufs: Vec<_> = store.iter_mut().map(|b| IoSliceMut::new(b)).collect();
    assert!(rx.recv_batch(&rx_state, &mut bufs, &mut metas).unwrap_err().is_would_block());
    let to = rx.local_addr().unwrap().as_socket().unwrap();
    let batch = [Transmit::to(to, b"a"), Transmit::to(to, b"bc")];
    assert_eq!(tx.send_batch(&tx_state, &batch).unwrap(), 2);
    // Both are queued on loopback before sendmmsg returns.
    assert_eq!(rx.recv_batch(&rx_state, &mut bufs, &mut metas).unwrap(), 2);
    assert_eq!((metas[0].len, metas[1].len), (1, 2));
}

#[test]
fn a_closed_socket_answers_ebadf() {
    let mut rx = blocking_udp();
    let state = BatchState::new(rx.as_fd()).unwrap();
    rx.close().unwrap();
    let (mut store, mut metas) = storage(1);
    let mut bufs: Vec<_> = store.iter_mut().map(|b| IoSliceMut::new(b)).collect();
    let err = rx.recv_batch(&state, &mut bufs, &mut metas).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EBADF));
}
