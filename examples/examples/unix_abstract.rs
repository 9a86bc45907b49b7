//! UNIX sockets in Linux's abstract namespace: a stream connection and a seqpacket one.
//!
//! Run: `cargo run -p examples --example unix_abstract`
//!
//! An abstract address (unix(7)) is a name that starts with a NUL byte: Python writes it
//! `b"\0name"`, asock `UnixAddr::abstract_name("name")`, and tools print it as `@name`. It
//! lives in the network namespace, not the filesystem: no file is created, nothing needs
//! unlinking, and the name disappears when the last socket bound to it closes. The example
//! checks all of that through `/proc/net/unix`.
//!
//! It then shows the two connection-oriented kinds side by side:
//! - `SOCK_STREAM` is a byte stream: three sends may arrive as one read.
//! - `SOCK_SEQPACKET` keeps each send a message: three sends are three reads, a read with a
//!   short buffer truncates its message (the rest is discarded), and a message of 0 bytes
//!   still arrives, where on a stream 0 bytes would mean the end.
//!
//! The client binds the empty address first: Linux then "autobinds" it to a fresh abstract
//! name of five hex digits (Python: `sock.bind("")`), which the server sees as its peer.
//! Everything runs in one thread with blocking sockets: a UNIX `connect` completes as soon
//! as the listener's backlog has room, before `accept`.

use std::time::Duration;

use asock::blocking::Socket;
use asock::{AddressFamily, Protocol, SockAddr, SocketKind, UnixAddr};

type BoxError = Box<dyn std::error::Error>;

/// Whether `/proc/net/unix` lists a socket bound to the abstract `name` (shown as `@name`).
fn is_listed(name: &str) -> Result<bool, BoxError> {
    let table = std::fs::read_to_string("/proc/net/unix")?;
    Ok(table.lines().any(|line| line.split_whitespace().last() == Some(&format!("@{name}")[..])))
}

/// A listener of `kind` on the abstract `name`, a client connected to it (autobound), and the
/// server's side of that connection.
fn connected_pair(kind: SocketKind, name: &str) -> Result<(Socket, Socket, Socket), BoxError> {
    let addr = SockAddr::Unix(UnixAddr::abstract_name(name));
    let listener = Socket::new(AddressFamily::AF_UNIX, kind, Protocol::from(0))?;
    listener.bind(&addr)?;
    listener.listen(None)?;
    println!("  listening on {}", listener.local_addr()?);

    let client = Socket::new(AddressFamily::AF_UNIX, kind, Protocol::from(0))?;
    client.set_timeout(Some(Duration::from_secs(5)))?;
    client.bind(&SockAddr::Unix(UnixAddr::Unnamed))?; // autobind: the kernel picks a name
    client.connect(&addr)?;

    listener.set_timeout(Some(Duration::from_secs(5)))?;
    let (conn, peer) = listener.accept()?;
    conn.set_timeout(Some(Duration::from_secs(5)))?;
    println!("  accepted a connection from {peer} (the client's autobound name)");
    assert_eq!(peer, client.local_addr()?);
    match peer.as_unix() {
        Some(UnixAddr::Abstract(autobound)) => assert_eq!(autobound.len(), 5),
        other => panic!("expected an autobound abstract name, got {other:?}"),
    }
    Ok((listener, client, conn))
}

fn stream(name: &str) -> Result<(), BoxError> {
    println!("SOCK_STREAM on @{name}");
    let (listener, client, conn) = connected_pair(SocketKind::SOCK_STREAM, name)?;
    assert!(is_listed(name)?, "a bound abstract name is listed in /proc/net/unix");
    assert!(!std::path::Path::new(name).exists(), "and no file was created");

    for part in [&b"one "[..], b"two ", b"three"] {
        client.send_all(part)?;
    }
    client.shutdown(std::net::Shutdown::Write)?;
    // A byte stream has no boundaries: read until the end and compare the whole.
    let mut all = Vec::new();
    loop {
        let chunk = conn.recv(1024)?;
        if chunk.is_empty() {
            break;
        }
        println!("  server read {} bytes: b'{}'", chunk.len(), chunk.escape_ascii());
        all.extend_from_slice(&chunk);
    }
    assert_eq!(all, b"one two three");

    drop((listener, client, conn));
    assert!(!is_listed(name)?, "the name goes away with the last socket bound to it");
    println!("  closed: @{name} is gone from /proc/net/unix, with nothing to unlink");
    Ok(())
}

fn seqpacket(name: &str) -> Result<(), BoxError> {
    println!("SOCK_SEQPACKET on @{name}");
    let (_listener, client, conn) = connected_pair(SocketKind::SOCK_SEQPACKET, name)?;

    for message in [&b"one"[..], b"", b"three"] {
        client.send(message)?;
    }
    // Each send is one message, the empty one included.
    assert_eq!(conn.recv(1024)?, b"one");
    assert_eq!(conn.recv(1024)?, b"", "an empty message, not the end");
    // A buffer shorter than the message truncates it; the rest is discarded, not kept.
    let cut = conn.recv(4)?;
    println!("  3 messages: b'one', b'', then b'{}' from recv(4) of b'three'", cut.escape_ascii());
    assert_eq!(cut, b"thre");

    client.send(b"next")?;
    assert_eq!(conn.recv(1024)?, b"next", "the truncated message's tail was dropped");
    drop(client);
    assert_eq!(conn.recv(1024)?, b"", "after the peer closes, 0 bytes is the end");
    println!("  message boundaries kept, truncation and end of stream as expected");
    Ok(())
}

fn main() -> Result<(), BoxError> {
    // The pid keeps two runs at once apart: abstract names are shared by the whole netns.
    let pid = std::process::id();
    stream(&format!("asock-example-stream-{pid}"))?;
    seqpacket(&format!("asock-example-seqpacket-{pid}"))?;
    println!("ok");
    Ok(())
}
