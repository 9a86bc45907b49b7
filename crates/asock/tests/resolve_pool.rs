//! asock's own resolver pool (used outside tokio): at most 4 threads, named `asock-resolve`,
//! gone after a few idle seconds; futures dropped before or during their lookup leak neither
//! threads nor memory. Neither does tokio's path, once its runtime is shut down.
//!
//! One test, in a binary of its own: it counts the process's threads and its live heap bytes
//! (through a counting global allocator), which other tests running alongside would disturb.
// Without the `tokio` feature the tests on tokio's paused clock are left out, and what only
// they use is unused.
#![cfg_attr(not(feature = "tokio"), allow(unused))]

use std::alloc::{GlobalAlloc, Layout, System};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::Context;
use std::time::{Duration, Instant};

use asock::{AddressFamily, Protocol, SocketKind};

/// The system allocator, counting the bytes currently allocated.
struct Counting;

static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is forwarded to System with the same arguments; the counter is only
// bookkeeping on the side.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded as is; the caller upholds alloc's contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded as is; ptr came from this allocator with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE_BYTES.fetch_add(new_size as isize - layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The names of this process's threads that are resolver threads.
fn resolver_threads() -> usize {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return 0 };
    tasks
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|comm| comm.trim() == "asock-resolve")
        .count()
}

/// Waits until the pool says it has no thread left (every one joined: done with its jobs,
/// abandoned ones included, down to its thread-locals), then until the kernel no longer lists
/// one either. The pool's own count is the condition to wait on: a thread the pool has just
/// started may not have named itself yet, so /proc alone can show "none" while 200 jobs wait.
fn wait_for_idle_pool() -> Duration {
    let start = Instant::now();
    while asock::resolve::own_pool_threads() > 0 || resolver_threads() > 0 {
        assert!(start.elapsed() < Duration::from_secs(20), "resolver threads outlived 20 s idle");
        std::thread::sleep(Duration::from_millis(20));
    }
    start.elapsed()
}

fn lookup() -> asock::Lookup<Vec<asock::resolve::AddrInfo>> {
    // A name and a service name: never the fast path, always a thread.
    asock::getaddrinfo(
        "localhost",
        "http",
        AddressFamily::AF_INET,
        SocketKind::from(0),
        Protocol::from(0),
        0,
    )
}

/// Polls `future` once (which sends a lookup to its thread), then drops it.
fn poll_once_and_drop<F: Future + Unpin>(mut future: F) {
    let mut cx = Context::from_waker(futures::task::noop_waker_ref());
    let _ = Pin::new(&mut future).poll(&mut cx); // an answer already there is dropped too
    drop(future);
}

#[cfg(feature = "tokio")] // tokio's runtime, backend or paused clock
#[test]
fn own_pool_is_bounded_named_and_leaves_nothing_behind() {
    // 1. A burst of 64 concurrent lookups: all answered, never more than 4 threads.
    let most = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let sampler = {
        let (most, done) = (most.clone(), done.clone());
        std::thread::spawn(move || {
            while done.load(Ordering::Relaxed) == 0 {
                most.fetch_max(resolver_threads(), Ordering::Relaxed);
                std::thread::sleep(Duration::from_micros(200));
            }
        })
    };
    let answers = futures::executor::block_on(futures::future::join_all((0..64).map(|_| lookup())));
    most.fetch_max(resolver_threads(), Ordering::Relaxed);
    done.store(1, Ordering::Relaxed);
    sampler.join().unwrap();
    assert!(answers.iter().all(|a| a.as_ref().is_ok_and(|infos| infos[0].addr.port() == Some(80))));
    let most = most.load(Ordering::Relaxed);
    assert!((1..=4).contains(&most), "{most} resolver threads seen (want 1 to 4)");
    println!("burst of 64 lookups: at most {most} asock-resolve threads");

    // 2. Idle threads exit.
    let idle = wait_for_idle_pool();
    println!("resolver threads gone {idle:?} after the burst");

    // 3. 200 futures dropped right after their lookup was sent: some are skipped while queued,
    //    some dropped while their C call runs. Once the threads are gone, so is every byte.
    let baseline = LIVE_BYTES.load(Ordering::SeqCst);
    for _ in 0..200 {
        poll_once_and_drop(lookup());
    }
    let started = asock::resolve::own_pool_threads();
    assert!((1..=4).contains(&started), "{started} pool threads for 200 queued lookups");
    assert!(resolver_threads() <= 4);
    wait_for_idle_pool();
    let grown = LIVE_BYTES.load(Ordering::SeqCst) - baseline;
    println!("200 abandoned lookups on the own pool: {grown} bytes still allocated");
    // A leak of even one answer per lookup would be tens of kilobytes.
    assert!(grown < 1024, "{grown} bytes leaked by 200 abandoned lookups");

    // 4. The same on tokio: once the runtime has shut down (its blocking threads finished),
    //    nothing of the abandoned lookups remains.
    let baseline = LIVE_BYTES.load(Ordering::SeqCst);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        for _ in 0..200 {
            poll_once_and_drop(lookup());
        }
    });
    rt.shutdown_timeout(Duration::from_secs(20));
    let grown = LIVE_BYTES.load(Ordering::SeqCst) - baseline;
    println!("200 abandoned lookups on tokio: {grown} bytes still allocated after shutdown");
    assert!(grown < 1024, "{grown} bytes leaked by 200 abandoned lookups on tokio");
    assert_eq!(asock::resolve::own_pool_threads(), 0, "tokio's path used the own pool");
    assert_eq!(resolver_threads(), 0, "tokio's path started own-pool threads");
}
