//! `asock::batch::try_send_batch` on raw std UDP sockets over loopback, IPv4 and IPv6: what
//! one call sends, how a short send is reported, and what is refused.

mod batch_support;

use std::net::{IpAddr, SocketAddr};
use std::os::fd::AsFd;

use asock::batch::{try_send_batch, unsent, BatchState, Transmit};
use asock::ErrorKind;
use batch_support::*;

#[test]
fn a_batch_of_mixed_destinations_reaches_each_in_order() {
    for host in LOOPBACKS {
        let (tx, tx_state) = with_state(bind(host));
        let receivers: Vec<_> = (0..3).map(|_| with_state(bind(host))).collect();
        let sent_payloads = numbered(12, 100);
        let batch: Vec<_> = sent_payloads
            .iter()
            .enumerate()
            .map(|(i, p)| Transmit::to(receivers[i % 3].0.local_addr().unwrap(), p))
            .collect();
        assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &batch).unwrap(), 12, "{host}");
        for (r, (sock, state)) in receivers.iter().enumerate() {
            let (got, _) = recv_datagrams(sock, state, 4, 1500);
            let want: Vec<_> = sent_payloads.iter().skip(r).step_by(3).cloned().collect();
            assert_eq!(payloads(&got), want, "{host} receiver {r}");
            assert!(got.iter().all(|(_, m)| m.source == Some(tx.local_addr().unwrap())));
        }
    }
}

#[test]
fn a_batch_longer_than_one_call_takes_is_sent_in_part_and_the_count_says_so() {
    for host in LOOPBACKS {
        let (tx, tx_state) = with_state(bind(host));
        let (rx, rx_state) = with_state(bind(host));
        let to = rx.local_addr().unwrap();
        let sent_payloads = numbered(100, 32);
        let batch: Vec<_> = sent_payloads.iter().map(|p| Transmit::to(to, p)).collect();

        let first = try_send_batch(tx.as_fd(), &tx_state, &batch).unwrap();
        assert_eq!(first, 64, "{host}: one sendmmsg takes at most 64 messages");
        let left = unsent(&batch, first);
        assert_eq!(left.partial, None);
        assert_eq!(left.rest.len(), 36);
        assert_eq!(try_send_batch(tx.as_fd(), &tx_state, left.rest).unwrap(), 36);

        let (got, _) = recv_datagrams(&rx, &rx_state, 100, 64);
        assert_eq!(payloads(&got), sent_payloads, "{host}: every datagram once, in order");
    }
}

#[test]
fn a_message_the_kernel_refuses_mid_batch_ends_the_call_and_fails_the_next() {
    for host in LOOPBACKS {
        let (tx, tx_state) = with_state(bind(host));
        let (rx, rx_state) = with_state(bind(host));
        let to = rx.local_addr().unwrap();
        let too_long = vec![0u8; 70_000]; // no UDP datagram is that long: EMSGSIZE
        let batch = [
            Transmit::to(to, b"one"),
            Transmit::to(to, b"two"),
            Transmit::to(to, &too_long),
            Transmit::to(to, b"four"),
        ];
        // sendmmsg reports the two that went and drops the error ...
        assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &batch).unwrap(), 2, "{host}");
        // ... which the next call, starting at the refused message, meets.
        let err = try_send_batch(tx.as_fd(), &tx_state, &batch[2..]).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EMSGSIZE), "{host}: {err}");
        assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &batch[3..]).unwrap(), 1);

        let (got, _) = recv_datagrams(&rx, &rx_state, 3, 64);
        assert_eq!(payloads(&got), [&b"one"[..], b"two", b"four"]);
    }
}

#[test]
fn an_invalid_entry_mid_batch_ends_the_batch_before_it_and_is_refused_when_first() {
    let (tx, tx_state) = with_state(bind("127.0.0.1"));
    let (rx, rx_state) = with_state(bind("127.0.0.1"));
    let to = rx.local_addr().unwrap();
    let batch = [
        Transmit::to(to, b"a"),
        Transmit::to(to, b"b"),
        Transmit::to(to, b"bad").with_segment_size(0),
        Transmit::to(to, b"c"),
    ];
    assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &batch).unwrap(), 2);
    let err = try_send_batch(tx.as_fd(), &tx_state, &batch[2..]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    let (got, _) = recv_datagrams(&rx, &rx_state, 2, 64);
    assert_eq!(payloads(&got), [b"a", b"b"]);
}

#[test]
fn a_gso_train_over_the_size_limit_is_invalid_input_and_sends_nothing() {
    for (host, limit) in [("127.0.0.1", 65_507), ("::1", 65_527)] {
        let (tx, tx_state) = with_state(bind(host));
        let (rx, rx_state) = with_state(bind(host));
        let to = rx.local_addr().unwrap();
        let over = vec![1u8; limit + 1];
        let err = try_send_batch(
            tx.as_fd(),
            &tx_state,
            &[Transmit::to(to, &over).with_segment_size(1000)],
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{host}: {err}");
        assert!(err.to_string().contains(&limit.to_string()), "{err}");

        // The limit itself goes: 66 datagrams (65 of 1000 bytes and one shorter).
        let at = vec![2u8; limit];
        let train = [Transmit::to(to, &at).with_segment_size(1000)];
        assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &train).unwrap(), 66, "{host}");
        let (got, _) = recv_datagrams(&rx, &rx_state, 66, 65_535);
        assert_eq!(payloads(&got).concat(), at, "{host}: nothing of the refused train arrived");
    }
}

#[test]
fn ipv4_destinations_on_a_dual_stack_socket_go_v4_mapped() {
    let tx = UdpSocketExt::dual_stack();
    let tx_state = BatchState::new(tx.as_fd()).unwrap();
    let (rx, rx_state) = with_state(bind("127.0.0.1"));
    let batch =
        [Transmit::to(rx.local_addr().unwrap(), b"mapped").with_ecn(asock::batch::Ecn::Ect0)];
    assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &batch).unwrap(), 1);
    let (got, _) = recv_datagrams(&rx, &rx_state, 1, 64);
    assert_eq!(got[0].0, b"mapped");
    assert_eq!(got[0].1.source.map(|s| s.port()), Some(tx.local_addr().unwrap().port()));
}

/// A dual-stack IPv6 socket bound to `::`.
struct UdpSocketExt;

impl UdpSocketExt {
    fn dual_stack() -> std::net::UdpSocket {
        let sock = socket2::Socket::new(socket2::Domain::IPV6, socket2::Type::DGRAM, None).unwrap();
        sock.set_only_v6(false).unwrap();
        sock.bind(&SocketAddr::new(IpAddr::from([0u16; 8]), 0).into()).unwrap();
        sock.into()
    }
}

#[test]
fn a_connected_socket_sends_without_destinations() {
    for host in LOOPBACKS {
        let (tx, tx_state) = with_state(bind(host));
        let (rx, rx_state) = with_state(bind(host));
        tx.connect(rx.local_addr().unwrap()).unwrap();
        let train = vec![9u8; 2500];
        let batch =
            [Transmit::connected(b"hi"), Transmit::connected(&train).with_segment_size(1000)];
        assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &batch).unwrap(), 4, "{host}");
        let (got, _) = recv_datagrams(&rx, &rx_state, 4, 1500);
        let lens: Vec<_> = payloads(&got).iter().map(Vec::len).collect();
        assert_eq!(lens, [2, 1000, 1000, 500], "{host}");
    }
}

#[test]
fn no_destination_on_an_unconnected_socket_is_the_kernels_error() {
    let (tx, tx_state) = with_state(bind("127.0.0.1"));
    let err = try_send_batch(tx.as_fd(), &tx_state, &[Transmit::connected(b"where?")]).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EDESTADDRREQ), "{err}");
}

#[test]
fn an_empty_batch_sends_nothing() {
    let (tx, tx_state) = with_state(bind("127.0.0.1"));
    assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &[]).unwrap(), 0);
}

#[test]
fn batch_state_refuses_sockets_that_are_not_udp() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let err = BatchState::new(listener.as_fd()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    let (a, _b) = std::os::unix::net::UnixDatagram::pair().unwrap();
    assert_eq!(BatchState::new(a.as_fd()).unwrap_err().kind(), ErrorKind::InvalidInput);
}

// ===== a send buffer that fills part way through a batch =====

/// Loopback never queues, so a sender's buffer empties as fast as it fills. In a network
/// namespace of its own the child test below puts a slow token bucket (`tc qdisc ... tbf`)
/// on the loopback device: datagrams then wait in the queue, still charged to the sender,
/// and a small send buffer fills part way through a batch.
#[test]
fn a_full_send_buffer_stops_a_batch_part_way_and_the_rest_follows() {
    match run_in_netns("child_a_full_send_buffer_stops_a_batch_part_way") {
        NetnsRun::Passed(log) => eprint!("{log}"),
        NetnsRun::Skipped(reason) => eprintln!("SKIPPED: full send buffer mid-batch: {reason}"),
    }
}

#[test]
#[ignore = "run by a_full_send_buffer_stops_a_batch_part_way_and_the_rest_follows in a network namespace"]
fn child_a_full_send_buffer_stops_a_batch_part_way() {
    assert!(inside_private_netns(), "run only by its parent test, inside a new network namespace");
    let setup = sh("ip", &["link", "set", "lo", "up"]).and_then(|()| {
        sh(
            "tc",
            &[
                "qdisc", "add", "dev", "lo", "root", "tbf", "rate", "2mbit", "burst", "4kb",
                "limit", "1mb",
            ],
        )
    });
    if let Err(reason) = setup {
        eprintln!("SKIPPED: {reason}");
        return;
    }
    for host in LOOPBACKS {
        let (tx, tx_state) = with_state(bind(host));
        let (rx, rx_state) = with_state(bind(host));
        tx.set_nonblocking(true).unwrap();
        socket2::SockRef::from(&tx).set_send_buffer_size(4096).unwrap();
        let to = rx.local_addr().unwrap();
        let sent_payloads = numbered(40, 1000);
        let batch: Vec<_> = sent_payloads.iter().map(|p| Transmit::to(to, p)).collect();

        let first = try_send_batch(tx.as_fd(), &tx_state, &batch).unwrap();
        assert!(
            first > 0 && first < batch.len(),
            "{host}: the buffer should fill part way: {first}"
        );
        let err = try_send_batch(tx.as_fd(), &tx_state, unsent(&batch, first).rest).unwrap_err();
        assert!(err.is_would_block(), "{host}: {err}");

        // Wait for room (bounded) and send the rest, counting every call's datagrams.
        let mut sent = first;
        let mut short_sends = 1;
        let deadline = std::time::Instant::now() + PATIENCE;
        while sent < batch.len() {
            assert!(std::time::Instant::now() < deadline, "{host}: stuck at {sent}");
            match try_send_batch(tx.as_fd(), &tx_state, unsent(&batch, sent).rest) {
                Ok(n) => {
                    sent += n;
                    short_sends += usize::from(sent < batch.len());
                }
                Err(e) if e.is_would_block() => {
                    std::thread::sleep(std::time::Duration::from_millis(5))
                }
                Err(e) => panic!("{host}: {e}"),
            }
        }
        let (got, _) = recv_datagrams(&rx, &rx_state, batch.len(), 1500);
        assert_eq!(payloads(&got), sent_payloads, "{host}: every datagram once, in order");
        eprintln!("{host}: 40 datagrams in {short_sends} short sends, first {first}");
    }
}
