//! The dual-stack echo server and client of Python's socket HOWTO ("Example" section of the
//! `socket` module docs): addresses found with `getaddrinfo`, IPv4 and IPv6 alike, with
//! asock's typed sockets (`TcpListener`, `TcpStream`) on a tokio runtime.
//!
//! Run: `cargo run -p examples --example echo_dualstack`
//!
//! Python's server asks `getaddrinfo(None, PORT, AF_UNSPEC, SOCK_STREAM, 0, AI_PASSIVE)`
//! where it can listen (the wildcard address of each family: `0.0.0.0` and `::`) and binds
//! the first that works; its docs add that it "should listen to both instead". This one
//! does: one listening socket per answer, each served by its own task. Each is made as the
//! answer says (an `AsyncSocket` of its family, kind and protocol, Python's
//! `socket.socket(af, socktype, proto)`), and the IPv6 one gets `IPV6_V6ONLY` so that it and
//! the IPv4 one can share the port; then `TcpListener::try_from` makes it a typed listener.
//! Port 0 lets the kernel pick a free port for the first; the others take the same port.
//!
//! Python's client asks `getaddrinfo(HOST, PORT, AF_UNSPEC, SOCK_STREAM)` and connects to the
//! first answer that accepts. This one does that for `localhost` (whatever `/etc/hosts`
//! says it is, often only `127.0.0.1`) and for `::1`, so both listeners get a client when
//! the machine has IPv6, then once more for `localhost` with `TcpStream::connect_with`, the
//! one-call way (Python's `socket.create_connection`, with Happy Eyeballs). Traffic stays on
//! loopback. The blocking, IPv4-only version is `echo_ipv4`.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use asock::connect::ConnectOptions;
use asock::net::{TcpListener, TcpStream};
use asock::{consts, AddressFamily, AsyncSocket, ModeExt, Protocol, SocketKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TIMEOUT: Duration = Duration::from_secs(5);

/// One listening socket per `AI_PASSIVE` answer, all on one port. Returns them and the port.
async fn listen_everywhere() -> asock::Result<(Vec<TcpListener>, u16)> {
    let answers = asock::getaddrinfo(
        None,
        0,
        AddressFamily::AF_UNSPEC,
        SocketKind::SOCK_STREAM,
        Protocol::from(0),
        consts::AI_PASSIVE,
    )
    .await?;
    // The port 0 picked for the first socket may be taken in the other family; try again.
    let mut last_error = None;
    'retry: for _ in 0..5 {
        let mut port = 0;
        let mut listeners = Vec::new();
        for info in &answers {
            let mut addr = info.addr.as_socket().expect("AI_PASSIVE gives IP addresses");
            addr.set_port(port);
            let sock = match AsyncSocket::new(info.family, info.kind, info.proto) {
                Ok(sock) => sock,
                Err(e) => {
                    println!("server: no {} socket ({e}); skipping it", info.family);
                    continue; // as Python's loop does: this family is not available
                }
            };
            if info.family == AddressFamily::AF_INET6 {
                sock.options().set_only_v6(true)?; // leave IPv4 to the AF_INET socket
            }
            match sock.bind(addr) {
                Ok(()) => {}
                Err(e) if e.raw_os_error() == Some(libc::EADDRINUSE) && port != 0 => {
                    last_error = Some(e);
                    continue 'retry;
                }
                Err(e) => return Err(e),
            }
            sock.listen(128)?;
            let listener = TcpListener::try_from(sock)?;
            let bound = listener.local_addr()?;
            println!("server: listening on {bound}");
            port = bound.port();
            listeners.push(listener);
        }
        return Ok((listeners, port));
    }
    Err(last_error.expect("only EADDRINUSE retries"))
}

/// Accepts connections forever, echoing each until the client closes; records peers.
async fn serve(listener: TcpListener, peers: Arc<Mutex<Vec<SocketAddr>>>) -> asock::Result<()> {
    loop {
        let (mut conn, addr) = listener.accept().await?;
        println!("server: Connected by {addr}");
        peers.lock().expect("lock").push(addr);
        let mut data = [0; 1024];
        loop {
            let n = conn.read(&mut data).timeout(TIMEOUT).await?;
            if n == 0 {
                break;
            }
            conn.write_all(&data[..n]).await?;
        }
    }
}

/// Python's client loop: the first address of `host` that accepts a connection.
async fn connect(host: &str, port: u16) -> asock::Result<TcpStream> {
    let answers = asock::getaddrinfo(
        host,
        port,
        AddressFamily::AF_UNSPEC,
        SocketKind::SOCK_STREAM,
        Protocol::from(0),
        0,
    )
    .await?;
    let mut last_error = asock::Error::from_errno(libc::EADDRNOTAVAIL);
    for info in answers {
        let Some(addr) = info.addr.as_socket() else { continue };
        match TcpStream::connect(addr).timeout(TIMEOUT).await {
            Ok(stream) => return Ok(stream),
            Err(e) => {
                println!("client: {host}: {} failed ({e}); trying the next", info.addr);
                last_error = e;
            }
        }
    }
    Err(last_error)
}

/// Sends a message to `host` and returns the echo; connects with the docs' loop, or with
/// `TcpStream::connect_with` (Python's `socket.create_connection`: Happy Eyeballs over the
/// same answers, in one call).
async fn client(
    host: &str,
    port: u16,
    message: &[u8],
    shortcut: bool,
) -> asock::Result<(SocketAddr, Vec<u8>)> {
    let mut sock = if shortcut {
        let options = ConnectOptions::new().timeout(TIMEOUT);
        TcpStream::connect_with((host, port), &options).await?
    } else {
        connect(host, port).await?
    };
    let local = sock.local_addr()?;
    sock.write_all(message).await?;
    let mut data = vec![0; message.len()];
    sock.read_exact(&mut data).timeout(TIMEOUT).await?;
    let how = if shortcut { "connect_with" } else { "getaddrinfo loop" };
    println!(
        "client: {host} ({how}) via {}: Received b'{}'",
        sock.peer_addr()?,
        data.escape_ascii()
    );
    Ok((local, data))
}

#[tokio::main]
async fn main() -> asock::Result<()> {
    let (listeners, port) = listen_everywhere().await?;
    let has_ipv6 = listeners.iter().any(|l| l.as_socket().family() == AddressFamily::AF_INET6);
    let peers = Arc::new(Mutex::new(Vec::new()));
    let servers: Vec<_> =
        listeners.into_iter().map(|l| tokio::spawn(serve(l, peers.clone()))).collect();

    // (host, whether to use create_connection)
    let mut hosts = vec![("localhost", false)];
    if has_ipv6 {
        hosts.push(("::1", false));
    } else {
        println!("no IPv6 listener: skipping the ::1 client");
    }
    hosts.push(("localhost", true));
    let mut clients = Vec::new();
    for (host, shortcut) in hosts {
        let message = format!("Hello, world, from a client of {host}");
        let (local, echo) = client(host, port, message.as_bytes(), shortcut).await?;
        assert_eq!(echo, message.as_bytes());
        clients.push(local);
    }

    for server in &servers {
        server.abort(); // the servers accept forever; the example is over
    }
    // Every client was seen by a server, from the address the client had.
    let peers = peers.lock().expect("lock").clone();
    assert_eq!(peers, clients);
    let families: Vec<&str> =
        peers.iter().map(|p| if p.is_ipv4() { "IPv4" } else { "IPv6" }).collect();
    println!("ok: {} clients echoed, over {}", peers.len(), families.join(", "));
    Ok(())
}
