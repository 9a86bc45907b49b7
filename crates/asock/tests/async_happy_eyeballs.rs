//! `AsyncSocket` as Happy Eyeballs' connector, on every backend: a black-holed `::1` beside a
//! listening `127.0.0.1`; the race connects over IPv4 after the attempt delay and drops the
//! IPv6 attempt, whose socket (and connect future) goes away without a trace.

mod async_support;
mod reactor_support;

use std::time::Duration;

use asock::connect::{happy_eyeballs, Connect, ConnectOptions};
use asock::resolve::{AddrInfo, Hints, Resolve, ResolveFuture};
use asock::time::Instant;
use asock::{AddressFamily, AsyncSocket, Error, Protocol, Result, SockAddr, SocketKind};
use async_support::*;
use reactor_support::Executor;

on_every_backend!(the_race_connects_over_ipv4_and_drops_the_stalled_ipv6_attempt);

/// Connects with a fresh `AsyncSocket` per attempt.
struct Sockets;

impl Connect for Sockets {
    type Stream = AsyncSocket;

    async fn connect(&self, addr: SockAddr, source: Option<SockAddr>) -> Result<AsyncSocket> {
        let sock = AsyncSocket::new(addr.family(), SocketKind::SOCK_STREAM, Protocol(0))?;
        if let Some(source) = source {
            sock.bind(&source)?;
        }
        sock.connect(&addr).await?;
        Ok(sock)
    }
}

/// Answers the AAAA query with `v6` and the A query with `v4`.
struct Fixed {
    v6: SockAddr,
    v4: SockAddr,
}

impl Resolve for Fixed {
    fn getaddrinfo(&self, _: Option<&str>, _: Option<&str>, hints: Hints) -> ResolveFuture {
        let addr = if hints.family == AddressFamily::AF_INET6 { &self.v6 } else { &self.v4 };
        let info = AddrInfo {
            family: addr.family(),
            kind: SocketKind::SOCK_STREAM,
            proto: Protocol::IPPROTO_TCP,
            canonname: None,
            addr: addr.clone(),
        };
        Box::pin(async move { Ok::<_, Error>(vec![info]) })
    }
}

async fn the_race_connects_over_ipv4_and_drops_the_stalled_ipv6_attempt(_: Executor) -> Result<()> {
    // ::1 with a full accept queue: SYNs to it are dropped, a connect there hangs.
    let v6 = socket2::Socket::new(socket2::Domain::IPV6, socket2::Type::STREAM, None).unwrap();
    v6.bind(&"[::1]:0".parse::<std::net::SocketAddr>().unwrap().into()).unwrap();
    v6.listen(0).unwrap();
    let v6: std::net::TcpListener = v6.into();
    let _filler = std::net::TcpStream::connect(v6.local_addr().unwrap()).unwrap();
    let v4 = listener(AddressFamily::AF_INET);
    let resolver = Fixed { v6: v6.local_addr().unwrap().into(), v4: v4.local_addr()? };

    let options = ConnectOptions::new().happy_eyeballs_delay(Duration::from_millis(100));
    let start = Instant::now();
    let race = happy_eyeballs(&resolver, &Sockets, "dual.example", 0, &options);
    let (conn, accepted) = futures::join!(race, v4.accept());
    let took = start.elapsed();
    let conn = conn?;
    assert_eq!(conn.family(), AddressFamily::AF_INET);
    assert_eq!(accepted?.1, conn.local_addr()?);
    assert!(took >= Duration::from_millis(100) && took < PATIENCE, "{took:?}");
    Ok(())
}
