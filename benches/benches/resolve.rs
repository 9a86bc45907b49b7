//! Name resolution: the numeric fast path against a lookup on a blocking thread.
//!
//! `getaddrinfo` of `127.0.0.1` (an IP literal, answered by asock itself), of `0x7f.0.0.1` (a
//! numeric form the C library answers without any lookup) and of `localhost` (a lookup in
//! /etc/hosts through NSS, on a blocking thread when async), blocking and async: async on tokio
//! (`spawn_blocking` for the lookup) and on asock's own pool (a minimal `block_on` here, so
//! the bench needs no executor crate). Beside them, what std and tokio offer for the same:
//! `ToSocketAddrs` and `tokio::net::lookup_host`.
//!
//! No bench resolves a name that is not in /etc/hosts: nothing leaves the machine.

use std::future::Future;
use std::hint::black_box;
use std::net::ToSocketAddrs;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake};
use std::thread::Thread;

use asock::{AddressFamily, Protocol, SocketKind};
use criterion::{criterion_main, Criterion};

/// A literal asock answers itself, a numeric form only the C library reads (still no lookup),
/// and a name from /etc/hosts.
const HOSTS: [(&str, &str); 3] =
    [("numeric", "127.0.0.1"), ("numeric via C", "0x7f.0.0.1"), ("localhost", "localhost")];

fn lookup(host: &str) -> asock::Lookup<Vec<asock::resolve::AddrInfo>> {
    asock::getaddrinfo(
        host,
        80,
        AddressFamily::AF_INET,
        SocketKind::SOCK_STREAM,
        Protocol::from(0),
        0,
    )
}

/// Wakes the thread that waits in `block_on`.
struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Polls `future` on this thread, parking between polls: no runtime at all.
fn block_on<F: Future>(future: F) -> F::Output {
    let waker = Arc::new(Unpark(std::thread::current())).into();
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}

fn blocking(c: &mut Criterion) {
    let mut group = c.benchmark_group("resolve/blocking");
    for (name, host) in HOSTS {
        group.bench_function(format!("asock getaddrinfo {name}"), |b| {
            b.iter(|| {
                asock::blocking::getaddrinfo(
                    black_box(host),
                    80,
                    AddressFamily::AF_INET,
                    SocketKind::SOCK_STREAM,
                    Protocol::from(0),
                    0,
                )
                .unwrap()
            })
        });
        group.bench_function(format!("std to_socket_addrs {name}"), |b| {
            b.iter(|| (black_box(host), 80).to_socket_addrs().unwrap().count())
        });
    }
    group.finish();
}

fn on_tokio(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut group = c.benchmark_group("resolve/async tokio");
    for (name, host) in HOSTS {
        group.bench_function(format!("asock getaddrinfo {name}"), |b| {
            b.iter(|| rt.block_on(lookup(black_box(host))).unwrap())
        });
        group.bench_function(format!("tokio lookup_host {name}"), |b| {
            b.iter(|| rt.block_on(tokio::net::lookup_host((black_box(host), 80))).unwrap().count())
        });
    }
    group.finish();
}

fn on_own_pool(c: &mut Criterion) {
    let mut group = c.benchmark_group("resolve/async own pool");
    for (name, host) in HOSTS {
        group.bench_function(format!("asock getaddrinfo {name}"), |b| {
            b.iter(|| block_on(lookup(black_box(host))).unwrap())
        });
    }
    group.finish();
}

/// criterion's generated `pub fn`, kept private (it needs no docs).
mod group {
    use super::{blocking, on_own_pool, on_tokio};
    criterion::criterion_group!(benches, blocking, on_tokio, on_own_pool);
}
criterion_main!(group::benches);
