//! Helpers shared by the `batch_*` tests: loopback UDP pairs on both families, socket
//! options, a bounded receive loop, and a child run of the test binary in a network
//! namespace of its own.

#![allow(dead_code)] // each test binary uses its own share of these

use std::io::IoSliceMut;
use std::net::{SocketAddr, UdpSocket};
use std::os::fd::{AsFd, OwnedFd};
use std::process::Command;
use std::time::{Duration, Instant};

use asock::batch::{try_recv_batch, BatchState, RecvMeta};

/// The loopback address of each family, for tests that run on both.
pub const LOOPBACKS: [&str; 2] = ["127.0.0.1", "::1"];

/// How long a receive waits for a datagram that was sent; only a bug makes it wait so long.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// A UDP socket bound to an ephemeral port of `host`, with `PATIENCE` as its receive
/// timeout, so that a blocking receive of a datagram that never comes fails instead of
/// hanging.
pub fn bind(host: &str) -> UdpSocket {
    let sock = UdpSocket::bind(SocketAddr::new(host.parse().unwrap(), 0)).unwrap();
    sock.set_read_timeout(Some(PATIENCE)).unwrap();
    sock
}

/// A socket and its batch state.
pub fn with_state(sock: UdpSocket) -> (UdpSocket, BatchState) {
    let state = BatchState::new(sock.as_fd()).unwrap();
    (sock, state)
}

/// `setsockopt` with an int value, through asock's raw option setter on a duplicate.
pub fn set_int(sock: &impl AsFd, level: i32, name: i32, value: i32) {
    let dup: OwnedFd = sock.as_fd().try_clone_to_owned().unwrap();
    asock::blocking::Socket::from(dup).options().set_option(level, name, value).unwrap();
}

/// Receives with `try_recv_batch` on a blocking socket until `datagrams` datagrams have
/// arrived (GRO-coalesced messages count as their segments), each into a buffer of
/// `buf_size` bytes. Returns every message's bytes and metadata, in order, and how many
/// `try_recv_batch` calls it took. Fails past `PATIENCE`.
pub fn recv_datagrams(
    sock: &UdpSocket,
    state: &BatchState,
    datagrams: usize,
    buf_size: usize,
) -> (Vec<(Vec<u8>, RecvMeta)>, usize) {
    let deadline = Instant::now() + PATIENCE;
    let mut storage = vec![vec![0u8; buf_size]; 16];
    let mut out = Vec::new();
    let mut calls = 0;
    let mut got = 0;
    while got < datagrams {
        assert!(Instant::now() < deadline, "only {got} of {datagrams} datagrams arrived");
        let mut bufs: Vec<IoSliceMut<'_>> =
            storage.iter_mut().map(|b| IoSliceMut::new(b)).collect();
        let mut metas = [RecvMeta::default(); 16];
        let n = try_recv_batch(sock.as_fd(), state, &mut bufs, &mut metas).unwrap();
        calls += 1;
        for (buf, meta) in storage.iter().zip(&metas).take(n) {
            got += meta.datagrams();
            out.push((buf[..meta.len].to_vec(), *meta));
        }
    }
    (out, calls)
}

/// The payloads of every datagram received, coalesced messages cut into their segments.
pub fn payloads(messages: &[(Vec<u8>, RecvMeta)]) -> Vec<Vec<u8>> {
    messages.iter().flat_map(|(data, meta)| meta.segments(data).map(<[u8]>::to_vec)).collect()
}

/// `n` distinct payloads of `len` bytes (each starts with its index).
pub fn numbered(n: usize, len: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| {
            let mut p = vec![(i % 251) as u8; len];
            p[..len.min(4)].copy_from_slice(&(i as u32).to_be_bytes()[..len.min(4)]);
            p
        })
        .collect()
}

/// Whether this process runs inside the network namespace a `run_in_netns` parent made for
/// it (never in the machine's own: the child tests change the loopback device).
pub fn inside_private_netns() -> bool {
    let Ok(parent) = std::env::var("ASOCK_BATCH_PARENT_NETNS") else { return false };
    let mine = std::fs::read_link("/proc/self/ns/net").map(|p| p.display().to_string());
    mine.is_ok_and(|m| m != parent)
}

/// What `run_in_netns` found.
pub enum NetnsRun {
    /// The child ran and passed; its stderr.
    Passed(String),
    /// It could not run here; the reason.
    Skipped(String),
}

/// Runs the ignored test `child` of this binary again, alone, in a new network namespace
/// (`unshare --net`, or as an unprivileged user `unshare --user --map-root-user --net`),
/// with a 60 s bound. Panics if the child fails; `Skipped` if no namespace can be made or
/// the child skipped itself (a line starting `SKIPPED:` on its stderr).
pub fn run_in_netns(child: &str) -> NetnsRun {
    let exe = std::env::current_exe().unwrap();
    let parent = std::fs::read_link("/proc/self/ns/net").unwrap().display().to_string();
    let mut last = String::new();
    for prefix in [&["--net"][..], &["--user", "--map-root-user", "--net"][..]] {
        let out = Command::new("timeout")
            .arg("60")
            .arg("unshare")
            .args(prefix)
            .arg("--")
            .arg(&exe)
            .args(["--exact", child, "--ignored", "--nocapture", "--test-threads=1"])
            .env("ASOCK_BATCH_PARENT_NETNS", &parent)
            .output();
        let out = match out {
            Ok(out) => out,
            Err(e) => return NetnsRun::Skipped(format!("cannot run timeout/unshare: {e}")),
        };
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        if !stdout.contains("running 1 test") {
            // unshare itself failed (no privilege for a namespace): try the next way.
            last = format!("unshare {prefix:?} failed: {}", stderr.trim());
            continue;
        }
        assert!(out.status.success(), "child {child} failed:\n{stdout}\n{stderr}");
        if let Some(line) = stderr.lines().find(|l| l.starts_with("SKIPPED:")) {
            return NetnsRun::Skipped(line.trim_start_matches("SKIPPED:").trim().to_owned());
        }
        return NetnsRun::Passed(stderr);
    }
    NetnsRun::Skipped(format!("no network namespace could be made: {last}"))
}

/// Runs a command inside the child's namespace; `Err` with its output if it fails.
pub fn sh(program: &str, args: &[&str]) -> Result<(), String> {
    match Command::new(program).args(args).output() {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(format!(
            "`{program} {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) => Err(format!("cannot run {program}: {e}")),
    }
}
