//! Interop with CPython as the peer: Python's `socket` module on one end of a loopback or
//! UNIX connection, asock on the other, both ways round.

mod blocking_util;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use asock::blocking::{create_server, ServerOptions};
use asock::{AddressFamily, ErrorKind, SockAddr, SocketKind, UnixAddr};
use blocking_util::*;

/// A Python echo server for one connection: argv[1] is "4", "6" or a UNIX path; prints the
/// port (or "ready") and echoes until end of stream.
const PY_ECHO_SERVER: &str = r#"
import socket, sys
where = sys.argv[1]
if where in ("4", "6"):
    fam = socket.AF_INET6 if where == "6" else socket.AF_INET
    srv = socket.socket(fam, socket.SOCK_STREAM)
    srv.bind(("::1" if where == "6" else "127.0.0.1", 0))
    tag = srv.getsockname()[1]
else:
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(where)
    tag = "ready"
srv.listen()
srv.settimeout(30)
print(tag, flush=True)
conn, _ = srv.accept()
conn.settimeout(30)
with conn:
    while True:
        data = conn.recv(65536)
        if not data:
            break
        conn.sendall(data)
"#;

/// Sends `data` through an echo peer on `sock` (already connected) and returns what came
/// back, writing from a second thread so neither side's buffers can deadlock.
fn echo_through(sock: asock::blocking::Socket, data: Vec<u8>) -> Vec<u8> {
    let sock = Arc::new(sock);
    let writer = {
        let sock = Arc::clone(&sock);
        thread::spawn(move || {
            sock.send_all(&data).unwrap();
            sock.shutdown(std::net::Shutdown::Write).unwrap();
        })
    };
    let mut back = Vec::new();
    (&*sock).read_to_end(&mut back).unwrap();
    writer.join().unwrap();
    back
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 256) as u8).collect()
}

#[test]
fn asock_client_echoes_through_a_python_tcp_server_on_ipv4() {
    let (child, port) = python(PY_ECHO_SERVER, &["4"]);
    let c = tcp4();
    c.set_timeout(Some(Duration::from_secs(30))).unwrap();
    c.connect(&addr(&format!("127.0.0.1:{port}"))).unwrap();
    let data = pattern(1 << 20);
    assert!(echo_through(c, data.clone()) == data);
    assert!(wait_child(child, PATIENCE).success());
}

#[test]
fn asock_client_echoes_through_a_python_tcp_server_on_ipv6() {
    let (child, port) = python(PY_ECHO_SERVER, &["6"]);
    let c = tcp6();
    c.connect(&addr(&format!("[::1]:{port}"))).unwrap();
    let data = pattern(100_000);
    assert!(echo_through(c, data.clone()) == data);
    assert!(wait_child(child, PATIENCE).success());
}

#[test]
fn asock_client_echoes_through_a_python_unix_server() {
    let path = temp_path("py-echo");
    let (child, ready) = python(PY_ECHO_SERVER, &[path.to_str().unwrap()]);
    assert_eq!(ready, "ready");
    let c = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM);
    c.connect(&UnixAddr::pathname(&path).into()).unwrap();
    let data = pattern(300_000);
    assert!(echo_through(c, data.clone()) == data);
    assert!(wait_child(child, PATIENCE).success());
    let _ = std::fs::remove_file(path);
}

#[test]
fn python_client_talks_to_an_asock_server_line_by_line() {
    let server = create_server(&addr("127.0.0.1:0"), &ServerOptions::default()).unwrap();
    server.set_timeout(Some(Duration::from_secs(30))).unwrap();
    let port = server.local_addr().unwrap().port().unwrap().to_string();
    let client = Command::new("python3")
        .arg("-c")
        .arg(
            r#"
import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30)
f = c.makefile("rwb")
for word in (b"alpha", b"beta", b"gamma"):
    f.write(word + b"\n"); f.flush()
    line = f.readline()
    assert line == word.upper() + b"\n", line
c.shutdown(socket.SHUT_WR)
assert f.read() == b"bye\n"
print("ok")
"#,
        )
        .arg(&port)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let (conn, peer) = server.accept().unwrap();
    assert_eq!(peer.family(), AddressFamily::AF_INET);
    conn.set_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut lines = BufReader::new(&conn);
    let mut line = String::new();
    while lines.read_line(&mut line).unwrap() > 0 {
        conn.send_all(line.to_uppercase().as_bytes()).unwrap();
        line.clear();
    }
    conn.send_all(b"bye\n").unwrap();
    drop(lines);
    drop(conn);
    let out = client.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ok");
}

#[test]
fn asock_udp_exchanges_datagrams_with_python() {
    let (child, port) = python(
        r#"
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::1", 0)); s.settimeout(30)
print(s.getsockname()[1], flush=True)
for _ in range(3):
    data, peer = s.recvfrom(65536)
    s.sendto(data[::-1], peer)
"#,
        &[],
    );
    let s = bound_udp(AddressFamily::AF_INET6);
    s.set_timeout(Some(Duration::from_secs(30))).unwrap();
    let target = addr(&format!("[::1]:{port}"));
    for msg in [&b"one"[..], b"datagram two", &[0u8; 1000]] {
        s.send_to(msg, &target).unwrap();
        let (back, from) = s.recv_from(65536).unwrap();
        let mut expected = msg.to_vec();
        expected.reverse();
        assert_eq!(back, expected);
        assert_eq!(from, target);
    }
    assert!(wait_child(child, PATIENCE).success());
}

#[test]
fn python_sees_the_addresses_asock_sees() {
    // A Python server reports the peer address it accepted; asock's local_addr must match.
    let (child, port) = python(
        r#"
import socket
srv = socket.create_server(("127.0.0.1", 0)); srv.settimeout(30)
print(srv.getsockname()[1], flush=True)
conn, peer = srv.accept()
conn.sendall(("%s:%d" % peer).encode())
conn.close()
"#,
        &[],
    );
    let c = tcp4();
    c.connect(&addr(&format!("127.0.0.1:{port}"))).unwrap();
    let mut seen = String::new();
    (&c).read_to_string(&mut seen).unwrap();
    assert_eq!(seen, c.local_addr().unwrap().to_string());
    assert!(wait_child(child, PATIENCE).success());
}

#[test]
fn asock_timeout_fires_against_a_silent_python_peer() {
    let (child, port) = python(
        r#"
import socket, time
srv = socket.create_server(("127.0.0.1", 0)); srv.settimeout(30)
print(srv.getsockname()[1], flush=True)
conn, _ = srv.accept()
conn.settimeout(30)
conn.recv(1)  # stays silent until asock closes
"#,
        &[],
    );
    let c = tcp4();
    c.connect(&addr(&format!("127.0.0.1:{port}"))).unwrap();
    c.set_timeout_secs(Some(0.3)).unwrap();
    let start = Instant::now();
    assert_eq!(c.recv(10).unwrap_err().kind(), ErrorKind::Timeout);
    assert!(start.elapsed() >= Duration::from_millis(300));
    drop(c);
    assert!(wait_child(child, PATIENCE).success());
}

#[test]
fn timeout_semantics_match_python_for_the_same_calls() {
    // Differential: gettimeout/getblocking after the same sequence of settimeout calls.
    let python = python_output(
        r#"
import socket
s = socket.socket()
out = []
for t in (None, 0.0, 2.5, 1e-10):
    s.settimeout(t)
    out.append("%r/%r" % (s.gettimeout(), s.getblocking()))
s.setblocking(False)
out.append("%r/%r" % (s.gettimeout(), s.getblocking()))
s.setblocking(True)
out.append("%r/%r" % (s.gettimeout(), s.getblocking()))
print(" ".join(out))
"#,
    );
    // Each token is "timeout/blocking"; timeouts compare as numbers (repr differs: 1e-09).
    let parse = |token: &str| {
        let (t, b) = token.split_once('/').unwrap();
        (if t == "None" { None } else { Some(t.parse::<f64>().unwrap()) }, b == "True")
    };
    let expected: Vec<_> = python.split_whitespace().map(parse).collect();
    let s = tcp4();
    let show =
        |s: &asock::blocking::Socket| (s.timeout().map(|d| d.as_secs_f64()), s.is_blocking());
    let mut ours = Vec::new();
    s.set_timeout(None).unwrap();
    ours.push(show(&s));
    for secs in [0.0, 2.5, 1e-10] {
        s.set_timeout_secs(Some(secs)).unwrap();
        ours.push(show(&s));
    }
    s.set_blocking(false).unwrap();
    ours.push(show(&s));
    s.set_blocking(true).unwrap();
    ours.push(show(&s));
    assert_eq!(ours, expected);
}

#[test]
fn unix_abstract_address_interoperates_with_python() {
    let name = format!("asock-py-{}", std::process::id());
    let (child, ready) = python(
        r#"
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(b"\0" + sys.argv[1].encode()); s.settimeout(30)
print("ready", flush=True)
data, peer = s.recvfrom(100)
s.sendto(data + b"!", peer)
"#,
        &[&name],
    );
    assert_eq!(ready, "ready");
    let s = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM);
    s.bind(&UnixAddr::Unnamed.into()).unwrap(); // autobind, so Python can answer
    s.set_timeout(Some(Duration::from_secs(30))).unwrap();
    let target: SockAddr = UnixAddr::abstract_name(name.as_bytes()).into();
    s.send_to(b"hi", &target).unwrap();
    let (back, from) = s.recv_from(100).unwrap();
    assert_eq!((back.as_slice(), from), (&b"hi!"[..], target));
    assert!(wait_child(child, PATIENCE).success());
}
