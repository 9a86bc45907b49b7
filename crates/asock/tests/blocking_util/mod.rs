//! Helpers shared by the `blocking_*` integration tests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use asock::blocking::Socket;
use asock::{AddressFamily, Protocol, SockAddr, SocketKind};

/// A generous bound for anything that should finish "at once" on loopback.
pub const PATIENCE: Duration = Duration::from_secs(10);

pub fn sock(family: AddressFamily, kind: SocketKind) -> Socket {
    Socket::new(family, kind, Protocol::from(0)).expect("socket")
}

pub fn tcp4() -> Socket {
    sock(AddressFamily::AF_INET, SocketKind::SOCK_STREAM)
}

pub fn tcp6() -> Socket {
    sock(AddressFamily::AF_INET6, SocketKind::SOCK_STREAM)
}

pub fn udp4() -> Socket {
    sock(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM)
}

pub fn udp6() -> Socket {
    sock(AddressFamily::AF_INET6, SocketKind::SOCK_DGRAM)
}

pub fn addr(text: &str) -> SockAddr {
    text.parse().expect("address")
}

/// A listening TCP socket on 127.0.0.1 (or ::1) with an ephemeral port.
pub fn listener(family: AddressFamily) -> Socket {
    let l = sock(family, SocketKind::SOCK_STREAM);
    let any = if family == AddressFamily::AF_INET6 { "[::1]:0" } else { "127.0.0.1:0" };
    l.bind(&addr(any)).expect("bind");
    l.listen(None).expect("listen");
    l
}

/// A connected TCP pair over loopback: (client, accepted).
pub fn tcp_pair(family: AddressFamily) -> (Socket, Socket) {
    let l = listener(family);
    let c = sock(family, SocketKind::SOCK_STREAM);
    c.connect(&l.local_addr().unwrap()).expect("connect");
    let (s, _) = l.accept().expect("accept");
    (c, s)
}

/// A bound UDP socket on loopback.
pub fn bound_udp(family: AddressFamily) -> Socket {
    let s = sock(family, SocketKind::SOCK_DGRAM);
    let any = if family == AddressFamily::AF_INET6 { "[::1]:0" } else { "127.0.0.1:0" };
    s.bind(&addr(any)).expect("bind");
    s
}

/// An address nobody listens on: bind a port, let it go.
pub fn refused_addr() -> SockAddr {
    let s = tcp4();
    s.bind(&addr("127.0.0.1:0")).unwrap();
    s.local_addr().unwrap()
}

/// How many fds this process has open.
pub fn fd_count() -> usize {
    std::fs::read_dir("/proc/self/fd").expect("/proc/self/fd").count()
}

/// A unique temporary path for a UNIX socket.
pub fn temp_path(tag: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("asock-{}-{tag}-{n}.sock", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

/// Prints the line the test suite's report looks for, for a capability this kernel lacks.
pub fn skipped(reason: &str) {
    println!("SKIPPED: {reason}");
}

/// Runs `python3 -c script args...` with stdout piped; returns the child and the first line
/// it prints (a port, usually).
pub fn python(script: &str, args: &[&str]) -> (Child, String) {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python3 is needed for the interop tests");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
    (child, line.trim().to_owned())
}

/// Runs `python3 -c script` to completion and returns its stdout, asserting success.
pub fn python_output(script: &str) -> String {
    let out = Command::new("python3").arg("-c").arg(script).output().expect("python3");
    assert!(out.status.success(), "python failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Waits for a child with a bound on the time, killing it if it overstays.
pub fn wait_child(mut child: Child, limit: Duration) -> std::process::ExitStatus {
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("child process overstayed {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

pub fn errno(result: asock::Result<impl std::fmt::Debug>) -> i32 {
    result.expect_err("expected an error").raw_os_error().expect("an OS error")
}
