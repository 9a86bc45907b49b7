//! Helpers of the `net_*` tests (the typed sockets of `asock::net`).
#![allow(dead_code)]

use std::net::SocketAddr;
use std::os::fd::AsFd;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Whether this machine has an IPv6 loopback; tests that need it print SKIPPED otherwise.
pub fn has_ipv6() -> bool {
    let ok = std::net::TcpListener::bind("[::1]:0").is_ok();
    if !ok {
        eprintln!("SKIPPED: no IPv6 loopback (::1) on this machine");
    }
    ok
}

/// A loopback address where nobody listens: a port just released.
pub fn refused_addr() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("local_addr")
}

/// Whether the fd has `O_NONBLOCK`.
pub fn is_nonblocking(fd: &impl AsFd) -> bool {
    socket2::SockRef::from(fd).nonblocking().expect("F_GETFL")
}

/// A number no other call in this process gets: tests run in parallel, each on three
/// executors, so every name they bind must be their own.
fn unique() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A fresh path for a UNIX socket (removed if left over by an earlier run).
pub fn socket_path(name: &str) -> PathBuf {
    let file = format!("asock-net-{}-{}-{name}.sock", std::process::id(), unique());
    let path = std::env::temp_dir().join(file);
    let _ = std::fs::remove_file(&path);
    path
}

/// A fresh abstract UNIX name, as a path with a leading NUL.
pub fn abstract_path(name: &str) -> String {
    format!("\0asock-net-{}-{}-{name}", std::process::id(), unique())
}

/// The errno of an asock result that must have failed.
pub fn errno<T: std::fmt::Debug>(result: asock::Result<T>) -> Option<i32> {
    result.expect_err("expected an error").raw_os_error()
}
