//! Idle memory per connection: what holding one open, idle TCP connection costs in user space,
//! for each implementation.
//!
//! Each implementation gets its own listener, its own runtime (if any) and `n` loopback
//! connections. Both ends are made with `std::net` (connect, then accept, one at a time); the
//! accepted ends stay `std::net::TcpStream`s in a `Vec` reserved *before* the first snapshot,
//! so they add nothing to the figures. Each client end is then turned into the
//! implementation's socket object, registered with its reactor where it has one (one read
//! polled once with nothing to read, so a waker is stored as an idle reader's would be), and
//! pushed into a `Vec` reserved *after* the first snapshot. What is counted per connection is
//! therefore exactly: the socket object's size (its slot in that `Vec`), every heap block it
//! or its registration allocates, and the growth of the reactor's tables.
//!
//! Two figures, both `(after - before) / n`:
//!
//! - heap bytes: live bytes of a counting global allocator ([`CountingAlloc`], which the bench
//!   binary must install), exact and deterministic;
//! - RSS bytes: `/proc/self/statm`'s resident pages, what the process really holds, including
//!   the allocator's own overhead (block headers, rounding), page-granular.
//!
//! The kernel's own memory per socket (buffers, the fd table) is outside both and the same for
//! every implementation, since all five hold the same kind of kernel socket.

use std::alloc::{GlobalAlloc, Layout, System};
use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::fd::OwnedFd;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use asock::reactor::Backend;
use asock::AsyncSocket;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);
static LIVE_BLOCKS: AtomicUsize = AtomicUsize::new(0);

/// A global allocator that forwards to [`System`] and counts live bytes and blocks.
///
/// Install it in the binary: `#[global_allocator] static A: CountingAlloc = CountingAlloc;`.
#[derive(Debug)]
pub struct CountingAlloc;

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so System's
// guarantees are ours; the counters are side effects that allocate nothing.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is; the caller upholds `alloc`'s contract.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
            LIVE_BLOCKS.fetch_add(1, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is; the caller upholds `alloc_zeroed`'s contract.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
            LIVE_BLOCKS.fetch_add(1, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is; `ptr` came from this allocator (i.e. System) with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        LIVE_BLOCKS.fetch_sub(1, Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as is; the caller upholds `realloc`'s contract.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            // On failure the old block stays live and the counters stay right.
            LIVE_BYTES.fetch_add(new_size, Ordering::Relaxed);
            LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        new
    }
}

/// Live heap bytes and blocks, as counted by [`CountingAlloc`] (zeros if it is not installed).
#[must_use]
pub fn heap() -> (usize, usize) {
    (LIVE_BYTES.load(Ordering::Relaxed), LIVE_BLOCKS.load(Ordering::Relaxed))
}

/// Whether [`CountingAlloc`] is this process's global allocator.
#[must_use]
pub fn counting_installed() -> bool {
    let before = heap().0;
    let probe = std::hint::black_box(Box::new([0u8; 64]));
    let counted = heap().0 >= before + 64;
    drop(probe);
    counted
}

/// Resident set size in bytes (`/proc/self/statm`, second field, times the page size).
///
/// # Errors
///
/// Reading or parsing `/proc/self/statm` failed.
pub fn rss_bytes() -> io::Result<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm")?;
    let pages: usize = statm
        .split_whitespace()
        .nth(1)
        .and_then(|field| field.parse().ok())
        .ok_or_else(|| io::Error::other("unexpected /proc/self/statm"))?;
    // SAFETY: sysconf has no memory-safety preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Ok(pages * usize::try_from(page).unwrap_or(4096))
}

/// Returns freed heap pages to the kernel (`malloc_trim(0)`), so that the next
/// implementation's RSS growth is its own and not pages a previous one left resident.
pub fn trim_heap() {
    // SAFETY: malloc_trim only releases free memory; it has no preconditions.
    unsafe { libc::malloc_trim(0) };
}

/// How many connections fit the fd limit, up to `want`: each needs two fds (both ends live in
/// this process), and `reserve` are kept for the listener, runtimes, reactors and stdio.
/// Rounded down to a thousand when above one.
///
/// # Errors
///
/// `getrlimit` or listing `/proc/self/fd` failed.
pub fn connection_budget(want: usize, reserve: usize) -> io::Result<usize> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: `limit` is a live rlimit for getrlimit to fill.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let open = std::fs::read_dir("/proc/self/fd")?.count();
    let soft = usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX);
    let fit = soft.saturating_sub(open + reserve) / 2;
    let fit = if fit >= 1000 { fit / 1000 * 1000 } else { fit };
    Ok(want.min(fit))
}

/// The implementations compared, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Impl {
    /// `std::net::TcpStream`: an fd, no reactor.
    Std,
    /// `tokio::net::TcpStream` on a current_thread runtime.
    Tokio,
    /// `asock::blocking::Socket`: no reactor.
    AsockBlocking,
    /// `asock::AsyncSocket` registered with tokio's reactor.
    AsockTokio,
    /// `asock::AsyncSocket` registered with asock's own reactor, under `asock::block_on`.
    AsockBlockOn,
}

impl Impl {
    /// All five, in report order.
    pub const ALL: [Impl; 5] =
        [Impl::Std, Impl::Tokio, Impl::AsockBlocking, Impl::AsockTokio, Impl::AsockBlockOn];

    /// The name used in tables (the same as the `net` bench's).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Impl::Std => "std",
            Impl::Tokio => "tokio",
            Impl::AsockBlocking => "asock-blocking",
            Impl::AsockTokio => "asock-tokio",
            Impl::AsockBlockOn => "asock-block-on",
        }
    }

    /// `size_of` of the socket object one connection holds.
    #[must_use]
    pub fn object_size(self) -> usize {
        match self {
            Impl::Std => size_of::<TcpStream>(),
            Impl::Tokio => size_of::<tokio::net::TcpStream>(),
            Impl::AsockBlocking => size_of::<asock::blocking::Socket>(),
            Impl::AsockTokio | Impl::AsockBlockOn => size_of::<AsyncSocket>(),
        }
    }
}

/// One implementation's figures for `conns` idle connections.
#[derive(Debug, Clone, Copy)]
pub struct Measurement {
    /// Which implementation.
    pub imp: Impl,
    /// Connections held at the second snapshot.
    pub conns: usize,
    /// Live heap bytes added (object slots included).
    pub heap_bytes: usize,
    /// Live heap blocks added (the `Vec` of objects is one).
    pub heap_blocks: usize,
    /// Resident bytes added (may be 0 or page-noisy for small `conns`).
    pub rss_bytes: usize,
    /// Time to set up the connections.
    pub elapsed: Duration,
}

impl Measurement {
    /// Heap bytes per connection.
    #[must_use]
    pub fn heap_per_conn(&self) -> f64 {
        self.heap_bytes as f64 / self.conns as f64
    }

    /// Heap blocks per connection.
    #[must_use]
    pub fn blocks_per_conn(&self) -> f64 {
        self.heap_blocks as f64 / self.conns as f64
    }

    /// Resident bytes per connection.
    #[must_use]
    pub fn rss_per_conn(&self) -> f64 {
        self.rss_bytes as f64 / self.conns as f64
    }
}

/// Opens `n` idle connections held as `imp`'s objects, measures, and closes them all.
///
/// # Errors
///
/// The counting allocator is not installed, a socket call failed (e.g. `EMFILE`), a read
/// that should have waited did not, or the set-up took longer than `limit`.
pub fn measure(imp: Impl, n: usize, limit: Duration) -> io::Result<Measurement> {
    if !counting_installed() {
        return Err(io::Error::other("idle memory: CountingAlloc is not the global allocator"));
    }
    trim_heap();
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let addr = listener.local_addr()?;
    let bench = Bench { listener, addr, n, limit };
    let noop = &mut Context::from_waker(Waker::noop());
    match imp {
        Impl::Std => bench.run(imp, noop, |s, _| Ok(s)),
        Impl::AsockBlocking => {
            bench.run(imp, noop, |s, _| Ok(asock::blocking::Socket::from(OwnedFd::from(s))))
        }
        Impl::Tokio => on_tokio(|cx| {
            bench.run(imp, cx, |s, cx| {
                s.set_nonblocking(true)?;
                let mut s = tokio::net::TcpStream::from_std(s)?;
                let mut buf = [0u8; 1];
                poll_pending(tokio::io::AsyncReadExt::read(&mut s, &mut buf), cx)?;
                Ok(s)
            })
        }),
        Impl::AsockTokio => on_tokio(|cx| bench.run(imp, cx, |s, cx| adopt(s, cx, Backend::Tokio))),
        Impl::AsockBlockOn => asock::block_on(std::future::poll_fn(|cx| {
            Poll::Ready(bench.run(imp, cx, |s, cx| adopt(s, cx, Backend::Own)))
        })),
    }
}

/// Runs `body` once inside a fresh current_thread runtime, with that runtime's waker, outside
/// tokio's cooperative budget (which would make later polls return `Pending` without
/// registering anything).
fn on_tokio<R>(body: impl FnOnce(&mut Context<'_>) -> io::Result<R>) -> io::Result<R> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let mut body = Some(body);
    let result = rt.block_on(tokio::task::unconstrained(std::future::poll_fn(|cx| {
        Poll::Ready(body.take().map(|body| body(cx)))
    })));
    result.ok_or_else(|| io::Error::other("idle memory: runtime polled twice"))?
}

/// `AsyncSocket` from `s`, registered with `expected` by a `recv_into` polled once.
fn adopt(s: TcpStream, cx: &mut Context<'_>, expected: Backend) -> io::Result<AsyncSocket> {
    let sock = AsyncSocket::from(OwnedFd::from(s));
    let mut buf = [0u8; 1];
    poll_pending(sock.recv(&mut buf), cx)?;
    if sock.backend() != Some(expected) {
        return Err(io::Error::other(format!("idle memory: registered with {:?}", sock.backend())));
    }
    Ok(sock)
}

/// Polls `fut` once; it must be waiting (nothing was sent, so a read has nothing to return).
fn poll_pending<F: Future>(fut: F, cx: &mut Context<'_>) -> io::Result<()> {
    match pin!(fut).poll(cx) {
        Poll::Pending => Ok(()),
        Poll::Ready(_) => Err(io::Error::other("idle memory: a read on an idle socket returned")),
    }
}

struct Bench {
    listener: TcpListener,
    addr: SocketAddr,
    n: usize,
    limit: Duration,
}

impl Bench {
    /// Opens the connections, converting each client end with `convert`; snapshots around it.
    fn run<T>(
        &self,
        imp: Impl,
        cx: &mut Context<'_>,
        mut convert: impl FnMut(TcpStream, &mut Context<'_>) -> io::Result<T>,
    ) -> io::Result<Measurement> {
        // One connection first, dropped: creates what is created once (the own reactor, lazy
        // statics, the runtime's first registration pages), so it is not counted per conn.
        let (client, server) = self.pair()?;
        drop(convert(client, cx)?);
        drop(server);

        let mut servers = Vec::with_capacity(self.n);
        let (heap_before, rss_before) = (heap(), rss_bytes()?);
        let start = Instant::now();
        let mut clients = Vec::with_capacity(self.n);
        for _ in 0..self.n {
            let (client, server) = self.pair()?;
            servers.push(server);
            clients.push(convert(client, cx)?);
            if start.elapsed() > self.limit {
                return Err(io::Error::other(format!("idle memory: {} over time", imp.name())));
            }
        }
        let elapsed = start.elapsed();
        let (heap_after, rss_after) = (heap(), rss_bytes()?);
        // The server ends close first: they take the TIME_WAIT (on this listener's port, which
        // the next implementation does not reuse), so client ports are free again at once.
        drop(servers);
        drop(clients);
        Ok(Measurement {
            imp,
            conns: self.n,
            heap_bytes: heap_after.0.saturating_sub(heap_before.0),
            heap_blocks: heap_after.1.saturating_sub(heap_before.1),
            rss_bytes: rss_after.saturating_sub(rss_before),
            elapsed,
        })
    }

    fn pair(&self) -> io::Result<(TcpStream, TcpStream)> {
        let client = TcpStream::connect(self.addr)?;
        let (server, _) = self.listener.accept()?;
        Ok((client, server))
    }
}

/// The report: one row per implementation, ratios of heap bytes per connection against std
/// and tokio, and of RSS against tokio.
#[must_use]
pub fn table(rows: &[Measurement]) -> String {
    let per = |imp: Impl, f: fn(&Measurement) -> f64| {
        rows.iter().find(|m| m.imp == imp).map(f).filter(|v| *v > 0.0)
    };
    let ratio = |v: f64, base: Option<f64>| base.map_or("-".into(), |b| format!("{:.2}", v / b));
    let std_heap = per(Impl::Std, Measurement::heap_per_conn);
    let tokio_heap = per(Impl::Tokio, Measurement::heap_per_conn);
    let tokio_rss = per(Impl::Tokio, Measurement::rss_per_conn);
    let mut out = format!(
        "{:<15} {:>8} {:>10} {:>11} {:>9} {:>10} {:>12} {:>11}\n",
        "impl",
        "object B",
        "heap B/conn",
        "blocks/conn",
        "RSS B/conn",
        "heap ×std",
        "heap ×tokio",
        "RSS ×tokio"
    );
    for m in rows {
        out += &format!(
            "{:<15} {:>8} {:>11.1} {:>11.2} {:>10.0} {:>10} {:>12} {:>11}\n",
            m.imp.name(),
            m.imp.object_size(),
            m.heap_per_conn(),
            m.blocks_per_conn(),
            m.rss_per_conn(),
            ratio(m.heap_per_conn(), std_heap),
            ratio(m.heap_per_conn(), tokio_heap),
            ratio(m.rss_per_conn(), tokio_rss),
        );
    }
    out
}
