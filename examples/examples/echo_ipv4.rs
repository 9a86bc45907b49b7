//! The echo server and client of Python's socket HOWTO ("Example" section of the `socket`
//! module docs), IPv4 only, with blocking sockets (`asock::blocking::Socket`).
//!
//! Run: `cargo run -p examples --example echo_ipv4`
//!
//! Python's version, for comparison:
//!
//! ```python
//! with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
//!     s.bind((HOST, PORT))
//!     s.listen(1)
//!     conn, addr = s.accept()
//!     with conn:
//!         print('Connected by', addr)
//!         while True:
//!             data = conn.recv(1024)
//!             if not data: break
//!             conn.sendall(data)
//! ```
//!
//! Two changes keep it runnable anywhere and bounded in time: the server binds
//! `127.0.0.1` port 0 (the kernel picks a free port, where the docs use a fixed 50007 on every
//! interface), and it serves [`CLIENTS`] connections in a thread and then stops, while `main`
//! plays the client. Every socket has a timeout, so nothing can hang. The last client
//! connects with `asock::blocking::create_connection`, Python's `socket.create_connection`.
//! The dual-stack version, with `AsyncSocket` on tokio, is `echo_dualstack`.

use std::thread;
use std::time::Duration;

use asock::blocking::Socket;
use asock::connect::ConnectOptions;
use asock::{AddressFamily, Protocol, SockAddr, SocketKind};

/// How many connections the server serves before it stops.
const CLIENTS: usize = 3;
/// Bounds every blocking call, so a bug shows as "timed out" rather than a hang.
const TIMEOUT: Duration = Duration::from_secs(5);

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The server: bind, listen, then accept and echo until each client closes.
fn serve(listener: Socket) -> Result<usize, BoxError> {
    let mut echoed = 0;
    for _ in 0..CLIENTS {
        let (conn, addr) = listener.accept()?;
        // accept() hands out sockets in the default mode; bound this one too.
        conn.set_timeout(Some(TIMEOUT))?;
        println!("server: Connected by {addr}");
        loop {
            let data = conn.recv(1024)?;
            if data.is_empty() {
                break; // the client shut down its side: the end of the stream
            }
            conn.send_all(&data)?;
            echoed += data.len();
        }
        // `conn` is dropped (closed) here, as Python's `with conn:` closes it.
    }
    Ok(echoed)
}

/// The client as the docs write it: create a socket, connect it.
fn connect(server: &SockAddr) -> Result<Socket, BoxError> {
    let s = Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0))?;
    s.set_timeout(Some(TIMEOUT))?;
    s.connect(server)?;
    Ok(s)
}

/// The shortcut, Python's `socket.create_connection((host, port), timeout)`: resolve, connect
/// (Happy Eyeballs when a name has several addresses), and set the timeout, in one call.
fn create_connection(server: &SockAddr) -> Result<Socket, BoxError> {
    let host = server.as_socket().ok_or("an IP address")?.ip().to_string();
    let port = server.as_socket().ok_or("an IP address")?.port();
    let options = ConnectOptions::new().timeout(TIMEOUT);
    Ok(asock::blocking::create_connection(&host, port, &options)?)
}

/// The client: send a message on a connected socket, read the echo back.
fn client(s: Socket, message: &[u8]) -> Result<Vec<u8>, BoxError> {
    s.send_all(message)?;
    // The docs read once with recv(1024); TCP may deliver the echo in pieces, so read until
    // all of it is back.
    let mut data = Vec::new();
    while data.len() < message.len() {
        let chunk = s.recv(1024)?;
        if chunk.is_empty() {
            return Err("server closed the connection early".into());
        }
        data.extend_from_slice(&chunk);
    }
    s.shutdown(std::net::Shutdown::Write)?; // tells the server we are done
    Ok(data)
}

fn main() -> Result<(), BoxError> {
    let listener = Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0))?;
    listener.set_timeout(Some(TIMEOUT))?;
    listener.bind(&"127.0.0.1:0".parse()?)?;
    listener.listen(Some(1))?;
    let addr = listener.local_addr()?;
    println!("server: listening on {addr}");

    let server = thread::spawn(move || serve(listener));

    let mut sent = 0;
    for i in 0..CLIENTS {
        let message = format!("Hello, world #{i}");
        // The last client takes the shortcut.
        let sock = if i + 1 < CLIENTS { connect(&addr)? } else { create_connection(&addr)? };
        let data = client(sock, message.as_bytes())?;
        let how = if i + 1 < CLIENTS { "socket + connect" } else { "create_connection" };
        println!("client ({how}): Received b'{}'", data.escape_ascii());
        assert_eq!(data, message.as_bytes(), "the echo differs from what was sent");
        sent += message.len();
    }

    let echoed = server.join().map_err(|_| "server thread panicked")??;
    assert_eq!(echoed, sent, "the server echoed a different number of bytes");
    println!("ok: {CLIENTS} clients, {echoed} bytes echoed");
    Ok(())
}
