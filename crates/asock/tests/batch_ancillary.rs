//! Per-datagram metadata through `asock::batch` over loopback, IPv4 and IPv6: destination
//! addresses (PKTINFO), ECN marks (IP_TOS / IPV6_TCLASS), timestamps, and source addresses
//! chosen per datagram.

mod batch_support;

use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::os::fd::AsFd;
use std::time::{Duration, SystemTime};

use asock::batch::{capabilities, try_send_batch, BatchState, Ecn, Transmit, GRO_BUFFER_MIN};
use batch_support::*;

/// A socket bound to the wildcard address of `host`'s family, on an ephemeral port.
fn bind_any(host: &str) -> UdpSocket {
    let ip: IpAddr = host.parse().unwrap();
    let any = if ip.is_ipv4() { "0.0.0.0" } else { "::" };
    bind(any)
}

/// Turns on the destination-address control message of the socket's family.
fn recv_pktinfo(sock: &UdpSocket, v4: bool) {
    if v4 {
        set_int(sock, libc::IPPROTO_IP, libc::IP_PKTINFO, 1);
    } else {
        set_int(sock, libc::IPPROTO_IPV6, libc::IPV6_RECVPKTINFO, 1);
    }
}

#[test]
fn pktinfo_reports_each_datagrams_destination_address() {
    // IPv4 loopback is a /8: two destinations on one wildcard-bound socket.
    let rx = bind_any("127.0.0.1");
    recv_pktinfo(&rx, true);
    let rx_state = BatchState::new(rx.as_fd()).unwrap();
    let port = rx.local_addr().unwrap().port();
    let (tx, tx_state) = with_state(bind("127.0.0.1"));
    let to = |ip: [u8; 4]| SocketAddr::from((ip, port));
    let batch = [Transmit::to(to([127, 0, 0, 1]), b"a"), Transmit::to(to([127, 0, 0, 2]), b"b")];
    assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &batch).unwrap(), 2);
    let (got, _) = recv_datagrams(&rx, &rx_state, 2, 64);
    let dests: Vec<_> = got.iter().map(|(_, m)| m.destination).collect();
    assert_eq!(dests, [Some(IpAddr::from([127, 0, 0, 1])), Some(IpAddr::from([127, 0, 0, 2]))]);
    assert!(got.iter().all(|(_, m)| m.interface.is_some_and(|i| i > 0)));

    let rx = bind_any("::1");
    recv_pktinfo(&rx, false);
    let rx_state = BatchState::new(rx.as_fd()).unwrap();
    let (tx, tx_state) = with_state(bind("::1"));
    let to = SocketAddr::new("::1".parse().unwrap(), rx.local_addr().unwrap().port());
    assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &[Transmit::to(to, b"six")]).unwrap(), 1);
    let (got, _) = recv_datagrams(&rx, &rx_state, 1, 64);
    assert_eq!(got[0].1.destination, Some("::1".parse().unwrap()));
}

#[test]
fn without_pktinfo_enabled_no_destination_is_reported() {
    let (tx, tx_state) = with_state(bind("127.0.0.1"));
    let (rx, rx_state) = with_state(bind("127.0.0.1"));
    try_send_batch(tx.as_fd(), &tx_state, &[Transmit::to(rx.local_addr().unwrap(), b"x")]).unwrap();
    let (got, _) = recv_datagrams(&rx, &rx_state, 1, 64);
    assert_eq!((got[0].1.destination, got[0].1.ecn, got[0].1.timestamp), (None, None, None));
}

#[test]
fn ecn_marks_are_set_and_read_per_datagram() {
    for host in LOOPBACKS {
        let v4 = host.contains('.');
        let (tx, tx_state) = with_state(bind(host));
        let (rx, rx_state) = with_state(bind(host));
        if v4 {
            set_int(&rx, libc::IPPROTO_IP, libc::IP_RECVTOS, 1);
        } else {
            set_int(&rx, libc::IPPROTO_IPV6, libc::IPV6_RECVTCLASS, 1);
        }
        let to = rx.local_addr().unwrap();
        let marks = [Some(Ecn::Ect0), Some(Ecn::Ect1), Some(Ecn::Ce), None];
        let batch: Vec<_> = marks
            .iter()
            .map(|m| {
                let t = Transmit::to(to, b"ecn");
                match m {
                    Some(ecn) => t.with_ecn(*ecn),
                    None => t,
                }
            })
            .collect();
        assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &batch).unwrap(), 4);
        let (got, _) = recv_datagrams(&rx, &rx_state, 4, 64);
        let seen: Vec<_> = got.iter().map(|(_, m)| m.ecn).collect();
        assert_eq!(seen, marks, "{host}");
    }
}

#[test]
fn an_ecn_mark_on_a_gso_train_marks_every_datagram() {
    if capabilities().max_gso_segments < 2 || !capabilities().gro {
        eprintln!("SKIPPED: ECN on a GSO train: this kernel lacks UDP GSO or GRO");
        return;
    }
    for host in LOOPBACKS {
        let v4 = host.contains('.');
        let (tx, tx_state) = with_state(bind(host));
        let (rx, rx_state) = with_state(bind(host));
        if v4 {
            set_int(&rx, libc::IPPROTO_IP, libc::IP_RECVTOS, 1);
        } else {
            set_int(&rx, libc::IPPROTO_IPV6, libc::IPV6_RECVTCLASS, 1);
        }
        let data = vec![1u8; 4000];
        let train = [Transmit::to(rx.local_addr().unwrap(), &data)
            .with_segment_size(1000)
            .with_ecn(Ecn::Ect1)];
        assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &train).unwrap(), 4);
        let (got, _) = recv_datagrams(&rx, &rx_state, 4, 1500);
        assert_eq!(got.len(), 4, "{host}: without GRO, four messages");
        assert!(got.iter().all(|(_, m)| m.ecn == Some(Ecn::Ect1)), "{host}: {got:?}");

        rx_state.set_gro(rx.as_fd(), true).unwrap();
        assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &train).unwrap(), 4);
        let (got, _) = recv_datagrams(&rx, &rx_state, 4, GRO_BUFFER_MIN);
        assert_eq!((got.len(), got[0].1.segment_size, got[0].1.ecn), (1, 1000, Some(Ecn::Ect1)));
    }
}

#[test]
fn timestamps_arrive_per_datagram() {
    for (host, option) in [("127.0.0.1", libc::SO_TIMESTAMPNS), ("::1", libc::SO_TIMESTAMP)] {
        let (tx, tx_state) = with_state(bind(host));
        let (rx, rx_state) = with_state(bind(host));
        set_int(&rx, libc::SOL_SOCKET, option, 1);
        let before = SystemTime::now();
        let to = rx.local_addr().unwrap();
        let batch = [Transmit::to(to, b"t1"), Transmit::to(to, b"t2")];
        assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &batch).unwrap(), 2);
        let (got, _) = recv_datagrams(&rx, &rx_state, 2, 64);
        let after = SystemTime::now();
        for (_, meta) in &got {
            let t = meta.timestamp.expect("a timestamp");
            // The kernel's clock read may round below `before` by up to a microsecond.
            assert!(t + Duration::from_micros(1) >= before && t <= after, "{host}: {t:?}");
        }
        assert!(got[0].1.timestamp <= got[1].1.timestamp);
    }
}

#[test]
fn a_source_address_is_chosen_per_datagram() {
    let tx = bind_any("127.0.0.1");
    let tx_state = BatchState::new(tx.as_fd()).unwrap();
    let (rx, rx_state) = with_state(bind("127.0.0.1"));
    let to = rx.local_addr().unwrap();
    let batch = [
        Transmit::to(to, b"from .2").with_source(IpAddr::from([127, 0, 0, 2])),
        Transmit::to(to, b"from .3").with_source(IpAddr::from([127, 0, 0, 3])),
        Transmit::to(to, b"default"),
    ];
    assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &batch).unwrap(), 3);
    let (got, _) = recv_datagrams(&rx, &rx_state, 3, 64);
    let sources: Vec<_> = got.iter().map(|(_, m)| m.source.unwrap().ip()).collect();
    assert_eq!(
        sources,
        [IpAddr::from([127, 0, 0, 2]), IpAddr::from([127, 0, 0, 3]), IpAddr::from([127, 0, 0, 1])]
    );

    // IPv6: ::1 is the only loopback address, so choose it explicitly.
    let tx = bind_any("::1");
    let tx_state = BatchState::new(tx.as_fd()).unwrap();
    let (rx, rx_state) = with_state(bind("::1"));
    let t = Transmit::to(rx.local_addr().unwrap(), b"v6").with_source("::1".parse().unwrap());
    assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &[t]).unwrap(), 1);
    let (got, _) = recv_datagrams(&rx, &rx_state, 1, 64);
    assert_eq!(got[0].1.source.unwrap().ip(), "::1".parse::<IpAddr>().unwrap());
}

#[test]
fn an_ipv6_source_on_an_ipv4_socket_is_invalid_input() {
    let (tx, tx_state) = with_state(bind("127.0.0.1"));
    let t = Transmit::to("127.0.0.1:9".parse().unwrap(), b"x").with_source("::1".parse().unwrap());
    let err = try_send_batch(tx.as_fd(), &tx_state, &[t]).unwrap_err();
    assert_eq!(err.kind(), asock::ErrorKind::InvalidInput, "{err}");
}
