//! `asock::batch::try_recv_batch` on raw std UDP sockets over loopback, IPv4 and IPv6: how
//! much one call takes, and when it would block.

mod batch_support;

use std::io::IoSliceMut;
use std::os::fd::AsFd;
use std::time::Duration;

use asock::batch::{try_recv_batch, try_send_batch, RecvMeta, Transmit};
use batch_support::*;

fn send_numbered(
    host: &str,
    n: usize,
) -> (std::net::UdpSocket, asock::batch::BatchState, Vec<Vec<u8>>) {
    let (tx, tx_state) = with_state(bind(host));
    let (rx, rx_state) = with_state(bind(host));
    let sent = numbered(n, 20);
    let to = rx.local_addr().unwrap();
    let mut done = 0;
    while done < n {
        let batch: Vec<_> = sent[done..].iter().map(|p| Transmit::to(to, p)).collect();
        done += try_send_batch(tx.as_fd(), &tx_state, &batch).unwrap();
    }
    drop(tx);
    (rx, rx_state, sent)
}

#[test]
fn a_receive_takes_what_is_queued_then_would_block() {
    for host in LOOPBACKS {
        let (rx, rx_state, sent) = send_numbered(host, 5);
        rx.set_nonblocking(true).unwrap();
        let mut storage = [[0u8; 64]; 16];
        let mut bufs: Vec<_> = storage.iter_mut().map(|b| IoSliceMut::new(b)).collect();
        let mut metas = [RecvMeta::default(); 16];
        let n = try_recv_batch(rx.as_fd(), &rx_state, &mut bufs, &mut metas).unwrap();
        assert_eq!(n, 5, "{host}: all five queued, the batch stops part way");
        for (i, want) in sent.iter().enumerate() {
            assert_eq!(&bufs[i][..metas[i].len], &want[..], "{host}");
        }
        let err = try_recv_batch(rx.as_fd(), &rx_state, &mut bufs, &mut metas).unwrap_err();
        assert!(err.is_would_block(), "{host}: {err}");
    }
}

#[test]
fn one_receive_takes_at_most_64_messages() {
    let (rx, rx_state, sent) = send_numbered("127.0.0.1", 100);
    rx.set_nonblocking(true).unwrap();
    let mut storage = vec![[0u8; 64]; 100];
    let mut bufs: Vec<_> = storage.iter_mut().map(|b| IoSliceMut::new(b)).collect();
    let mut metas = vec![RecvMeta::default(); 100];
    assert_eq!(try_recv_batch(rx.as_fd(), &rx_state, &mut bufs, &mut metas).unwrap(), 64);
    assert_eq!(
        try_recv_batch(rx.as_fd(), &rx_state, &mut bufs[64..], &mut metas[64..]).unwrap(),
        36
    );
    for (i, want) in sent.iter().enumerate() {
        assert_eq!(&bufs[i][..metas[i].len], &want[..]);
    }
}

#[test]
fn fewer_metas_than_buffers_bound_the_batch_and_none_is_an_empty_receive() {
    let (rx, rx_state, sent) = send_numbered("127.0.0.1", 3);
    let mut storage = [[0u8; 64]; 3];
    let mut bufs: Vec<_> = storage.iter_mut().map(|b| IoSliceMut::new(b)).collect();
    let mut metas = [RecvMeta::default(); 2];
    assert_eq!(try_recv_batch(rx.as_fd(), &rx_state, &mut bufs, &mut []).unwrap(), 0);
    assert_eq!(try_recv_batch(rx.as_fd(), &rx_state, &mut bufs, &mut metas).unwrap(), 2);
    assert_eq!(try_recv_batch(rx.as_fd(), &rx_state, &mut bufs, &mut metas).unwrap(), 1);
    assert_eq!(&bufs[0][..metas[0].len], &sent[2][..]);
}

#[test]
fn on_a_blocking_socket_a_receive_waits_for_the_first_datagram_only() {
    for host in LOOPBACKS {
        let (tx, tx_state) = with_state(bind(host));
        let (rx, rx_state) = with_state(bind(host));
        let to = rx.local_addr().unwrap();
        let sender = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            try_send_batch(tx.as_fd(), &tx_state, &[Transmit::to(to, b"late")]).unwrap()
        });
        let mut storage = [[0u8; 64]; 8];
        let mut bufs: Vec<_> = storage.iter_mut().map(|b| IoSliceMut::new(b)).collect();
        let mut metas = [RecvMeta::default(); 8];
        // Blocks until "late" arrives, then returns with it rather than waiting for 8.
        let n = try_recv_batch(rx.as_fd(), &rx_state, &mut bufs, &mut metas).unwrap();
        assert_eq!(n, 1, "{host}");
        assert_eq!(&bufs[0][..metas[0].len], b"late");
        assert_eq!(sender.join().unwrap(), 1);
    }
}

#[test]
fn a_blocking_receive_honours_the_sockets_timeout() {
    let (rx, rx_state) = with_state(bind("127.0.0.1"));
    rx.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    let mut buf = [0u8; 64];
    let mut metas = [RecvMeta::default(); 1];
    let err = try_recv_batch(rx.as_fd(), &rx_state, &mut [IoSliceMut::new(&mut buf)], &mut metas)
        .unwrap_err();
    assert!(err.is_would_block(), "SO_RCVTIMEO ends recvmmsg with EAGAIN: {err}");
}

#[test]
fn an_empty_datagram_is_one_message_of_length_zero() {
    let (rx, rx_state, _) = send_numbered("127.0.0.1", 0);
    let tx = bind("127.0.0.1");
    tx.send_to(b"", rx.local_addr().unwrap()).unwrap();
    let (got, _) = recv_datagrams(&rx, &rx_state, 1, 64);
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].1.len, got[0].1.datagrams()), (0, 1));
    assert_eq!(payloads(&got), [Vec::<u8>::new()]);
}
