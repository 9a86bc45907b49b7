//! GSO and GRO through `asock::batch` over loopback, IPv4 and IPv6: trains sent as one
//! message, received apart or coalesced, the fallback when GSO is refused, and buffer sizes.
//!
//! Loopback hands a GSO train to the receiver whole: a receiver with `UDP_GRO` gets it as one
//! message with its segment size, one without gets the datagrams apart (the kernel cuts them
//! on delivery).

mod batch_support;

use std::io::IoSliceMut;
use std::os::fd::AsFd;

use asock::batch::{
    capabilities, try_recv_batch, try_send_batch, unsent, RecvMeta, Transmit, GRO_BUFFER_MIN,
};
use asock::ErrorKind;
use batch_support::*;

/// Whether this kernel has GSO; prints why a test is skipped if not.
fn gso_or_skip(test: &str) -> bool {
    let caps = capabilities();
    if caps.max_gso_segments < 2 {
        eprintln!("SKIPPED: {test}: this kernel has no UDP GSO (UDP_SEGMENT)");
    }
    caps.max_gso_segments >= 2
}

fn gro_or_skip(test: &str) -> bool {
    let caps = capabilities();
    if !caps.gro {
        eprintln!("SKIPPED: {test}: this kernel has no UDP GRO (UDP_GRO)");
    }
    caps.gro && gso_or_skip(test)
}

#[test]
fn capabilities_are_measured_not_assumed() {
    let caps = capabilities();
    eprintln!("detected: {caps:?}");
    assert!(caps.max_gso_segments >= 1);
    if caps.max_gso_segments > 1 {
        // Linux has allowed 64 segments per GSO send since GSO arrived (4.18), 128 since 6.12.
        assert!(caps.max_gso_segments >= 64, "{caps:?}");
    }
}

#[test]
fn a_gso_train_arrives_as_separate_datagrams_without_gro() {
    if !gso_or_skip("GSO without GRO") {
        return;
    }
    for host in LOOPBACKS {
        let (tx, tx_state) = with_state(bind(host));
        let (rx, rx_state) = with_state(bind(host));
        assert!(tx_state.gso_enabled() && !rx_state.gro());
        let data: Vec<u8> = (0..12_345u32).map(|i| (i % 251) as u8).collect();
        let train = [Transmit::to(rx.local_addr().unwrap(), &data).with_segment_size(1200)];
        assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &train).unwrap(), 11, "{host}");

        let (got, _) = recv_datagrams(&rx, &rx_state, 11, 1500);
        assert_eq!(got.len(), 11, "{host}: one message per datagram");
        assert!(got.iter().all(|(_, m)| m.segment_size == m.len && m.datagrams() == 1));
        assert_eq!(payloads(&got).concat(), data, "{host}");
        assert_eq!(got[10].0.len(), 12_345 - 10 * 1200);
    }
}

#[test]
fn a_gso_train_arrives_coalesced_with_gro_and_its_segment_size() {
    if !gro_or_skip("GSO with GRO") {
        return;
    }
    for host in LOOPBACKS {
        let (tx, tx_state) = with_state(bind(host));
        let (rx, rx_state) = with_state(bind(host));
        rx_state.set_gro(rx.as_fd(), true).unwrap();
        let data: Vec<u8> = (0..12_345u32).map(|i| (i % 253) as u8).collect();
        let train = [Transmit::to(rx.local_addr().unwrap(), &data).with_segment_size(1200)];
        assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &train).unwrap(), 11);

        let (got, calls) = recv_datagrams(&rx, &rx_state, 11, GRO_BUFFER_MIN);
        assert_eq!((got.len(), calls), (1, 1), "{host}: one coalesced message");
        let meta = got[0].1;
        assert_eq!((meta.len, meta.segment_size, meta.datagrams()), (12_345, 1200, 11), "{host}");
        assert!(!meta.truncated);
        let segments: Vec<usize> = meta.segments(&got[0].0).map(<[u8]>::len).collect();
        assert_eq!(segments, [[1200; 10].as_slice(), &[345]].concat());
        assert_eq!(payloads(&got).concat(), data);
    }
}

#[test]
fn a_train_longer_than_one_gso_send_goes_as_several_and_counts_every_datagram() {
    if !gro_or_skip("long train") {
        return;
    }
    let max = capabilities().max_gso_segments;
    for host in LOOPBACKS {
        let (tx, tx_state) = with_state(bind(host));
        let (rx, rx_state) = with_state(bind(host));
        rx_state.set_gro(rx.as_fd(), true).unwrap();
        let n = max + max / 2;
        let data: Vec<u8> = (0..n * 10).map(|i| (i % 249) as u8).collect();
        let train = [Transmit::to(rx.local_addr().unwrap(), &data).with_segment_size(10)];
        assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &train).unwrap(), n, "{host}");

        let (got, _) = recv_datagrams(&rx, &rx_state, n, GRO_BUFFER_MIN);
        let per_message: Vec<_> = got.iter().map(|(_, m)| m.datagrams()).collect();
        assert_eq!(per_message, [max, max / 2], "{host}: {max} segments per send at most");
        assert_eq!(payloads(&got).concat(), data);
    }
}

/// The fallback, forced with the test hook (on Linux 6.11 and later the only route that
/// refuses GSO is an IPsec one, which this machine may not be able to build; see the next
/// test). The hook makes every GSO message fail with `EIO` as that route does, in the
/// kernel's order: messages before it go, and the error comes when it is first.
#[test]
fn gso_refused_with_eio_falls_back_to_one_datagram_per_message_losing_and_repeating_nothing() {
    if !gso_or_skip("GSO fallback") {
        return;
    }
    for host in LOOPBACKS {
        let (tx, tx_state) = with_state(bind(host));
        let (rx, rx_state) = with_state(bind(host));
        tx_state.refuse_gso_for_testing();
        let to = rx.local_addr().unwrap();
        let data: Vec<u8> = (0..5000u32).map(|i| (i % 241) as u8).collect();
        let batch = [
            Transmit::to(to, b"before"),
            Transmit::to(to, &data).with_segment_size(1000),
            Transmit::to(to, b"after"),
        ];
        // The kernel sends "before" and stops at the train, whose error it drops.
        let first = try_send_batch(tx.as_fd(), &tx_state, &batch).unwrap();
        assert_eq!(first, 1, "{host}");
        assert!(tx_state.gso_enabled(), "no refusal seen yet");
        // The train comes first now: refused, GSO off, resent one datagram per message.
        let second = try_send_batch(tx.as_fd(), &tx_state, unsent(&batch, first).rest).unwrap();
        assert_eq!(second, 6, "{host}: five segments and \"after\"");
        assert!(!tx_state.gso_enabled());
        assert_eq!(tx_state.max_gso_segments(), 1);

        let (got, _) = recv_datagrams(&rx, &rx_state, 7, 1500);
        let mut want = vec![b"before".to_vec()];
        want.extend(data.chunks(1000).map(<[u8]>::to_vec));
        want.push(b"after".to_vec());
        assert_eq!(payloads(&got), want, "{host}: every datagram once, in order");

        // Later trains go one datagram per message without being refused first.
        let again = [Transmit::to(to, &data).with_segment_size(2500)];
        assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &again).unwrap(), 2);
        assert_eq!(payloads(&recv_datagrams(&rx, &rx_state, 2, 3000).0).concat(), data);
    }
}

/// The same fallback on a real route that refuses GSO: an IPsec (ESP, null cipher) route on
/// the loopback of a network namespace of its own. Needs the kernel's ESP support.
#[test]
fn gso_refused_by_an_ipsec_route_falls_back_for_real() {
    if !gso_or_skip("GSO fallback on an IPsec route") {
        return;
    }
    match run_in_netns("child_gso_refused_by_an_ipsec_route") {
        NetnsRun::Passed(log) => eprint!("{log}"),
        NetnsRun::Skipped(reason) => eprintln!("SKIPPED: GSO fallback on an IPsec route: {reason}"),
    }
}

#[test]
#[ignore = "run by gso_refused_by_an_ipsec_route_falls_back_for_real in a network namespace"]
fn child_gso_refused_by_an_ipsec_route() {
    assert!(inside_private_netns(), "run only by its parent test, inside a new network namespace");
    let lo = "127.0.0.1";
    let state = [
        "xfrm",
        "state",
        "add",
        "src",
        lo,
        "dst",
        lo,
        "proto",
        "esp",
        "spi",
        "0x100",
        "reqid",
        "1",
        "mode",
        "transport",
        "enc",
        "ecb(cipher_null)",
        "",
        "auth",
        "digest_null",
        "",
    ];
    let policy = |dir| {
        [
            "xfrm",
            "policy",
            "add",
            "src",
            lo,
            "dst",
            lo,
            "proto",
            "udp",
            "dir",
            dir,
            "tmpl",
            "proto",
            "esp",
            "reqid",
            "1",
            "mode",
            "transport",
        ]
    };
    let setup = sh("ip", &["link", "set", "lo", "up"])
        .and_then(|()| sh("ip", &state))
        .and_then(|()| sh("ip", &policy("out")))
        .and_then(|()| sh("ip", &policy("in")));
    if let Err(reason) = setup {
        eprintln!("SKIPPED: no IPsec route can be built here ({reason})");
        return;
    }
    let (tx, tx_state) = with_state(bind(lo));
    let (rx, rx_state) = with_state(bind(lo));
    let data: Vec<u8> = (0..4000u32).map(|i| (i % 239) as u8).collect();
    let train = [Transmit::to(rx.local_addr().unwrap(), &data).with_segment_size(1000)];
    assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &train).unwrap(), 4);
    assert!(!tx_state.gso_enabled(), "the IPsec route should have refused GSO");
    let (got, _) = recv_datagrams(&rx, &rx_state, 4, 1500);
    assert_eq!(payloads(&got).concat(), data);
    eprintln!("IPsec route: GSO refused, 4 datagrams sent one per message");
}

#[test]
fn with_gro_on_a_buffer_too_small_for_a_coalesced_message_is_invalid_input() {
    if !gro_or_skip("GRO buffer size") {
        return;
    }
    for host in LOOPBACKS {
        let (tx, tx_state) = with_state(bind(host));
        let (rx, rx_state) = with_state(bind(host));
        rx_state.set_gro(rx.as_fd(), true).unwrap();
        let data = vec![5u8; 3000];
        let train = [Transmit::to(rx.local_addr().unwrap(), &data).with_segment_size(1000)];
        try_send_batch(tx.as_fd(), &tx_state, &train).unwrap();

        let mut small = [0u8; 1500];
        let mut big = vec![0u8; GRO_BUFFER_MIN];
        let mut bufs = [IoSliceMut::new(&mut big), IoSliceMut::new(&mut small)];
        let mut metas = [RecvMeta::default(); 2];
        let err = try_recv_batch(rx.as_fd(), &rx_state, &mut bufs, &mut metas).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{host}: {err}");
        assert!(err.to_string().contains("1500"), "{err}");

        // Nothing was taken: the whole train is still there for a big enough buffer.
        let (got, _) = recv_datagrams(&rx, &rx_state, 3, GRO_BUFFER_MIN);
        assert_eq!(payloads(&got).concat(), data, "{host}");

        // With GRO off, small buffers are fine again.
        rx_state.set_gro(rx.as_fd(), false).unwrap();
        try_send_batch(tx.as_fd(), &tx_state, &train).unwrap();
        assert_eq!(payloads(&recv_datagrams(&rx, &rx_state, 3, 1500).0).concat(), data);
    }
}

#[test]
fn a_datagram_longer_than_its_buffer_is_flagged_truncated_and_only_that_one() {
    for host in LOOPBACKS {
        let (tx, tx_state) = with_state(bind(host));
        let (rx, rx_state) = with_state(bind(host));
        let to = rx.local_addr().unwrap();
        let long = vec![3u8; 3000];
        let batch =
            [Transmit::to(to, b"short"), Transmit::to(to, &long), Transmit::to(to, b"tail")];
        assert_eq!(try_send_batch(tx.as_fd(), &tx_state, &batch).unwrap(), 3);
        let (got, _) = recv_datagrams(&rx, &rx_state, 3, 100);
        let flags: Vec<_> = got.iter().map(|(_, m)| (m.len, m.truncated)).collect();
        assert_eq!(flags, [(5, false), (100, true), (4, false)], "{host}");
    }
}
