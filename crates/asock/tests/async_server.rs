//! `asock::create_server`: blocking `create_server`'s listening socket as an `AsyncSocket`,
//! accepting on tokio's reactor and on asock's own.
#![cfg(target_os = "linux")]

use std::net::TcpStream;
use std::time::Duration;

use asock::reactor::Backend;
use asock::{AddressFamily, AsyncSocket, ErrorKind, ServerOptions, SockAddr};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn tokio_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn server(addr: &str, options: &ServerOptions) -> AsyncSocket {
    asock::create_server(&addr.parse().unwrap(), options).unwrap()
}

fn connect_to(server: &AsyncSocket) -> TcpStream {
    TcpStream::connect(server.local_addr().unwrap().as_socket().unwrap()).unwrap()
}

/// Accepts one connection from `client` within 5 s, checking both ends agree.
async fn accept_from(server: &AsyncSocket, client: &TcpStream) -> AsyncSocket {
    let (conn, peer) = server.accept().timeout(Duration::from_secs(5)).await.unwrap();
    assert_eq!(peer, SockAddr::from(client.local_addr().unwrap()));
    assert_eq!(conn.peer_addr().unwrap(), peer);
    conn
}

#[test]
fn the_listener_is_a_listening_tcp_socket_in_the_default_mode() {
    let sock = server("127.0.0.1:0", &ServerOptions::default());
    assert!(sock.options().is_listener().unwrap());
    assert_eq!(sock.family(), AddressFamily::AF_INET);
    assert_eq!(sock.kind(), asock::SocketKind::SOCK_STREAM);
    assert!(sock.options().reuse_address().unwrap(), "CPython sets SO_REUSEADDR");
    assert_eq!(sock.timeout(), asock::default_timeout());
    assert_ne!(sock.local_addr().unwrap().port(), Some(0));
}

/// A client that connects after 50 ms and sends `data` 50 ms later, so that both the
/// listener's `accept` and the connection's `recv` have to wait on the reactor.
fn late_client(server: &AsyncSocket, data: &'static [u8]) -> std::thread::JoinHandle<TcpStream> {
    let addr = server.local_addr().unwrap().as_socket().unwrap();
    std::thread::spawn(move || {
        std::thread::sleep(ms(50));
        let client = TcpStream::connect(addr).unwrap();
        std::thread::sleep(ms(50));
        std::io::Write::write_all(&mut &client, data).unwrap();
        client
    })
}

/// Accepts a late client and receives its data, on whatever executor polls it; returns the
/// backend the listener and the connection waited on.
async fn serve_a_late_client() -> (Option<Backend>, Option<Backend>) {
    let sock = server("127.0.0.1:0", &ServerOptions::default());
    let client = late_client(&sock, b"late");
    let (conn, peer) = sock.accept().timeout(Duration::from_secs(5)).await.unwrap();
    let mut buf = [0u8; 64];
    let n = conn.recv(&mut buf).timeout(ms(5000)).await.unwrap();
    assert_eq!(&buf[..n], b"late");
    let client = client.join().unwrap();
    assert_eq!(peer, SockAddr::from(client.local_addr().unwrap()));
    (sock.backend(), conn.backend())
}

#[cfg(feature = "tokio")] // tokio's runtime, backend or paused clock
#[test]
fn accepts_under_tokio() {
    let backends = tokio_runtime().block_on(serve_a_late_client());
    assert_eq!(backends, (Some(Backend::Tokio), Some(Backend::Tokio)));
}

#[test]
fn accepts_under_asock_block_on() {
    let backends = asock::block_on(serve_a_late_client());
    assert_eq!(backends, (Some(Backend::Own), Some(Backend::Own)));
}

#[test]
fn accepts_under_another_executor() {
    let backends = futures::executor::block_on(serve_a_late_client());
    // Outside tokio and `asock::block_on`: async-io's reactor with the `async-io` feature.
    let elsewhere = if cfg!(feature = "async-io") { Backend::AsyncIo } else { Backend::Own };
    assert_eq!(backends, (Some(elsewhere), Some(elsewhere)));
}

#[test]
fn accept_times_out_and_does_not_wait_in_nonblocking_mode() {
    let rt = tokio_runtime();
    rt.block_on(async {
        let sock = server("127.0.0.1:0", &ServerOptions::default());
        let error = sock.accept().timeout(ms(50)).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Timeout);
        let error = sock.accept().nonblocking().await.unwrap_err();
        assert!(error.is_would_block(), "{error:?}");
    });
}

#[test]
fn dualstack_accepts_ipv4_and_ipv6() {
    if !asock::has_dualstack_ipv6() {
        return println!("SKIPPED: no dual-stack IPv6 on this machine");
    }
    let options = ServerOptions { dualstack_ipv6: true, ..Default::default() };
    let sock = server("[::]:0", &options);
    assert!(!sock.options().only_v6().unwrap());
    let port = sock.local_addr().unwrap().port().unwrap();
    asock::block_on(async {
        let v4 = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let (_conn, peer) = sock.accept().timeout(Duration::from_secs(5)).await.unwrap();
        let v4_port = v4.local_addr().unwrap().port();
        assert_eq!(peer.to_string(), format!("[::ffff:127.0.0.1]:{v4_port}"));

        let v6 = TcpStream::connect(("::1", port)).unwrap();
        accept_from(&sock, &v6).await;
    });
}

#[test]
fn an_ipv6_server_without_dualstack_is_v6_only() {
    let sock = match asock::create_server(&"[::1]:0".parse().unwrap(), &ServerOptions::default()) {
        Ok(sock) => sock,
        Err(_) => return println!("SKIPPED: no IPv6 loopback (::1) on this machine"),
    };
    assert!(sock.options().only_v6().unwrap());
}

#[test]
fn dualstack_needs_af_inet6() {
    let options = ServerOptions { dualstack_ipv6: true, ..Default::default() };
    let error = asock::create_server(&"127.0.0.1:0".parse().unwrap(), &options).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert_eq!(error.to_string(), "dualstack_ipv6 requires AF_INET6 family");
}

#[test]
fn reuse_port_lets_two_servers_share_a_port_and_both_accept() {
    let options = ServerOptions { reuse_port: true, ..Default::default() };
    let a = server("127.0.0.1:0", &options);
    let addr = a.local_addr().unwrap();
    let b = asock::create_server(&addr, &options).unwrap();
    assert!(a.options().reuse_port().unwrap() && b.options().reuse_port().unwrap());
    assert_eq!(b.local_addr().unwrap(), addr);

    // The kernel spreads connections over both by their 4-tuple hash: with 32 clients, all
    // on one listener has odds of 2 in 2^32.
    let clients: Vec<_> = (0..32).map(|_| connect_to(&a)).collect();
    let (mut on_a, mut on_b) = (0, 0);
    asock::block_on(async {
        while on_a + on_b < clients.len() {
            let five_s = Duration::from_secs(5);
            let either =
                futures::future::select(a.accept().timeout(five_s), b.accept().timeout(five_s));
            match either.await {
                futures::future::Either::Left((accepted, _)) => {
                    accepted.unwrap();
                    on_a += 1;
                }
                futures::future::Either::Right((accepted, _)) => {
                    accepted.unwrap();
                    on_b += 1;
                }
            }
        }
    });
    assert!(on_a > 0 && on_b > 0, "a: {on_a}, b: {on_b}");
}

#[test]
fn without_reuse_port_the_second_server_gets_eaddrinuse() {
    let a = server("127.0.0.1:0", &ServerOptions::default());
    let error = asock::create_server(&a.local_addr().unwrap(), &ServerOptions::default());
    assert_eq!(error.unwrap_err().raw_os_error(), Some(libc::EADDRINUSE));
}

#[test]
fn backlog_is_passed_to_listen() {
    // listen(0) holds one connection: a second client's SYN is dropped, so its connect hangs.
    let options = ServerOptions { backlog: Some(0), ..Default::default() };
    let sock = server("127.0.0.1:0", &options);
    let addr = sock.local_addr().unwrap().as_socket().unwrap();
    let _first = TcpStream::connect(addr).unwrap();
    let second = TcpStream::connect_timeout(&addr, ms(100));
    assert_eq!(second.unwrap_err().kind(), std::io::ErrorKind::TimedOut);
}

#[test]
fn create_connection_reaches_an_async_server() {
    asock::block_on(async {
        let sock = server("127.0.0.1:0", &ServerOptions::default());
        let port = sock.local_addr().unwrap().port().unwrap();
        let options = asock::connect::ConnectOptions::new().timeout(Duration::from_secs(5));
        let client = asock::create_connection("127.0.0.1", port, &options).await.unwrap();
        let (conn, peer) = sock.accept().timeout(Duration::from_secs(5)).await.unwrap();
        assert_eq!(peer, client.local_addr().unwrap());
        client.send_all(b"ping").await.unwrap();
        let mut buf = [0u8; 16];
        let n = conn.recv(&mut buf).timeout(ms(5000)).await.unwrap();
        assert_eq!(&buf[..n], b"ping");
    });
}
