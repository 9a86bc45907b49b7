//! A UDP echo server and client with `asock::net::UdpSocket` on asock's own reactor: no
//! tokio, just `asock::block_on`.
//!
//! Run: `cargo run -p examples --example udp_echo`
//!
//! The server and the client are two futures joined in one `block_on`, so they take turns on
//! the calling thread, which also drives the reactor (it waits in `epoll_wait` itself between
//! their steps). The server echoes [`DATAGRAMS`] datagrams and stops; the client sends them
//! all, then waits for each echo with a per-call `.timeout(..)` (UDP gives no guarantee a
//! reply comes) and checks it. It shows what UDP keeps that TCP does not: message boundaries, including an
//! empty datagram, and the sender's address with every datagram (`recv_from`).

use std::time::{Duration, Instant};

use std::net::SocketAddr;

use asock::net::UdpSocket;
use asock::reactor::Backend;

/// How many datagrams the server echoes before it stops.
const DATAGRAMS: usize = 4;
/// How long the client waits for each echo.
const REPLY_TIMEOUT: Duration = Duration::from_secs(2);

/// Echoes `DATAGRAMS` datagrams back to whoever sent them; returns how many bytes it echoed.
async fn server(sock: &UdpSocket) -> asock::Result<usize> {
    // 64 KiB holds any UDP datagram; a shorter buffer would cut it (MSG_TRUNC).
    let mut buf = vec![0; 65_536];
    let mut echoed = 0;
    for _ in 0..DATAGRAMS {
        let (n, from) = sock.recv_from(&mut buf).await?;
        let data = &buf[..n];
        println!("server: {} bytes from {from}: b'{}'", data.len(), data.escape_ascii());
        sock.send_to(data, from).await?;
        echoed += data.len();
    }
    Ok(echoed)
}

/// Sends every message back to back, then checks that each comes back as its own datagram.
async fn client(sock: &UdpSocket, server: SocketAddr, messages: &[&[u8]]) -> asock::Result<usize> {
    let start = Instant::now();
    for message in messages {
        sock.send_to(message, server).await?;
    }
    let mut buf = vec![0; 65_536];
    let mut received = 0;
    for message in messages {
        // Loopback keeps datagrams in order; a real network may reorder or drop them.
        let (n, from) = sock.recv_from(&mut buf).timeout(REPLY_TIMEOUT).await?;
        let echo = &buf[..n];
        println!(
            "client: echo of {} bytes from {from} at {}",
            echo.len(),
            examples::ms(start.elapsed())
        );
        assert_eq!(from, server, "the echo came from somewhere else");
        assert_eq!(echo, *message, "the echo differs from the datagram sent");
        received += echo.len();
    }
    Ok(received)
}

fn main() -> asock::Result<()> {
    // Binding waits for nothing (no runtime is needed to make a socket); block_on runs it.
    let server_sock = asock::block_on(UdpSocket::bind("127.0.0.1:0"))?;
    let client_sock = asock::block_on(UdpSocket::bind("127.0.0.1:0"))?;
    let server_addr = server_sock.local_addr()?;
    println!("server: listening on udp {server_addr}");

    // Sent back to back, these stay four datagrams (the empty one included), where TCP
    // would deliver one stream of 24 bytes.
    let messages: [&[u8]; DATAGRAMS] = [b"ping", b"", b"a longer datagram", b"bye"];

    let (echoed, received) = asock::block_on(async {
        futures::future::try_join(
            server(&server_sock),
            client(&client_sock, server_addr, &messages),
        )
        .await
    })?;

    // Outside a tokio runtime, the sockets registered with asock's own reactor.
    assert_eq!(server_sock.as_socket().backend(), Some(Backend::Own));
    assert_eq!(client_sock.as_socket().backend(), Some(Backend::Own));
    let sent: usize = messages.iter().map(|m| m.len()).sum();
    assert_eq!((echoed, received), (sent, sent));
    println!("ok: {DATAGRAMS} datagrams, {sent} bytes, on asock's own reactor");
    Ok(())
}
