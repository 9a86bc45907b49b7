//! The race needs no tokio runtime: on `asock::block_on` it runs on asock's own timers.

use std::time::Duration;

use asock::connect::{happy_eyeballs, Connect, ConnectOptions};
use asock::resolve::{AddrInfo, Hints, Resolve, ResolveFuture};
use asock::sleep;
use asock::time::Instant;
use asock::{AddressFamily, Protocol, Result, SockAddr, SocketKind};

/// "dual.test" is `[::1]:80` and `127.0.0.1:80`.
struct DualStack;

impl Resolve for DualStack {
    fn getaddrinfo(&self, _: Option<&str>, _: Option<&str>, hints: Hints) -> ResolveFuture {
        let addr: SockAddr = match hints.family {
            AddressFamily::AF_INET6 => "[::1]:80".parse(),
            _ => "127.0.0.1:80".parse(),
        }
        .unwrap();
        let info = AddrInfo {
            family: addr.family(),
            kind: SocketKind::SOCK_STREAM,
            proto: Protocol::from(0),
            canonname: None,
            addr,
        };
        Box::pin(async move { Ok(vec![info]) })
    }
}

/// IPv6 hangs for a minute; IPv4 connects in 5 ms. The "stream" is the address.
struct BrokenIpv6;

impl Connect for BrokenIpv6 {
    type Stream = SockAddr;

    async fn connect(&self, addr: SockAddr, _: Option<SockAddr>) -> Result<SockAddr> {
        let delay = if addr.family() == AddressFamily::AF_INET6 { 60_000 } else { 5 };
        sleep(Duration::from_millis(delay)).await;
        Ok(addr)
    }
}

#[test]
fn races_on_asock_block_on_without_a_tokio_runtime() {
    let timers_before = asock::reactor::own_timer_count();
    let options = ConnectOptions::new().happy_eyeballs_delay(Duration::from_millis(20));
    let start = Instant::now();
    let winner =
        asock::block_on(happy_eyeballs(&DualStack, &BrokenIpv6, "dual.test", 80, &options));
    let elapsed = start.elapsed();
    assert_eq!(winner.unwrap().to_string(), "127.0.0.1:80");
    assert!(elapsed >= Duration::from_millis(25), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    // The hanging IPv6 attempt was dropped, and its timer with it.
    assert_eq!(asock::reactor::own_timer_count(), timers_before);
}
