//! An accept loop that backs off when the process runs out of file descriptors (`EMFILE`),
//! and recovers once connections close.
//!
//! Run: `cargo run -p examples --example emfile_backoff`
//!
//! When `accept(2)` fails with `EMFILE` (or `ENFILE`, `ENOBUFS`, `ENOMEM`), the pending
//! connection stays queued and the listener stays readable: a loop that simply accepts again
//! fails again at once and spins at 100 % CPU until something frees an fd.
//! `Error::is_resource_exhausted()` names these errors so a server can back off instead —
//! here, sleep with an exponential delay (5 ms doubling to 80 ms), reset after each success.
//!
//! To run out of fds quickly, the example lowers its own soft `RLIMIT_NOFILE` to a few fds
//! above what it already uses, with `prlimit --pid <own pid> --nofile=N:` (util-linux): the
//! standard library has no `setrlimit`, and calling libc's directly needs `unsafe`, which
//! asock keeps out of its examples. It checks `/proc/self/limits` to be sure the change
//! took; without `prlimit` it prints `SKIPPED` and exits 0.
//!
//! The scene, on a single-threaded tokio runtime: [`CLIENTS`] clients connect and send a
//! greeting before the limit is lowered (the kernel queues their connections). The server
//! then has room for only [`ROOM`] more fds. It accepts a few, hits `EMFILE`, backs off;
//! meanwhile each served client reads its reply and closes, and each handler closes its side
//! at the end of the stream; the fds freed let the next accepts succeed. The example asserts
//! that every client was served and that `EMFILE` was seen and survived.

use std::fs::File;
use std::os::fd::AsRawFd;
use std::process::Command;
use std::time::Duration;

use asock::net::{TcpListener, TcpStream};
use examples::ms;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Connections queued up before the limit is lowered.
const CLIENTS: usize = 12;
/// Free fd numbers left under the lowered limit.
const ROOM: i32 = 3;
const MIN_BACKOFF: Duration = Duration::from_millis(5);
const MAX_BACKOFF: Duration = Duration::from_millis(80);
/// How long each client holds its connection after its reply.
const CLIENT_HOLD: Duration = Duration::from_millis(15);

type BoxError = Box<dyn std::error::Error>;

/// The soft limit on open files, from `/proc/self/limits`.
fn soft_nofile_limit() -> Result<u64, BoxError> {
    let limits = std::fs::read_to_string("/proc/self/limits")?;
    let line = limits.lines().find(|l| l.starts_with("Max open files")).ok_or("no nofile line")?;
    let soft = line.split_whitespace().nth(3).ok_or("malformed nofile line")?;
    Ok(soft.parse()?)
}

/// Lowers this process's soft `RLIMIT_NOFILE` to `limit` with prlimit(1); false if prlimit
/// cannot be run.
fn lower_nofile_limit(limit: i32) -> Result<bool, BoxError> {
    let pid = std::process::id().to_string();
    let status =
        match Command::new("prlimit").args(["--pid", &pid, &format!("--nofile={limit}:")]).status()
        {
            Ok(status) => status,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(e.into()),
        };
    if !status.success() {
        return Err(format!("prlimit failed: {status}").into());
    }
    assert_eq!(soft_nofile_limit()?, limit as u64, "prlimit did not change our limit");
    Ok(true)
}

/// The lowest free fd number (the next `open` or `accept` gets it).
fn lowest_free_fd() -> std::io::Result<i32> {
    Ok(File::open("/dev/null")?.as_raw_fd()) // closed again at once
}

/// Serves one connection: reads the greeting, answers, and closes at the end of the stream.
async fn handle(mut conn: TcpStream) -> std::io::Result<()> {
    let mut greeting = [0; 64];
    let n = conn.read(&mut greeting).await?;
    conn.write_all(&[&b"welcome, "[..], &greeting[..n]].concat()).await?;
    while conn.read(&mut greeting).await? > 0 {}
    Ok(()) // dropping `conn` closes its fd
}

/// Accepts `CLIENTS` connections, backing off on resource exhaustion. Returns how many
/// accepts failed with it.
async fn accept_loop(listener: TcpListener) -> asock::Result<usize> {
    let (mut served, mut exhausted) = (0, 0);
    let mut backoff = MIN_BACKOFF;
    let start = std::time::Instant::now();
    while served < CLIENTS {
        match listener.accept().await {
            Ok((conn, _peer)) => {
                served += 1;
                backoff = MIN_BACKOFF;
                let fd = conn.as_raw_fd();
                println!("{:>9}  accepted #{served} as fd {fd}", ms(start.elapsed()));
                tokio::spawn(handle(conn));
            }
            Err(e) if e.is_resource_exhausted() => {
                exhausted += 1;
                println!("{:>9}  accept: {e}; backing off {}", ms(start.elapsed()), ms(backoff));
                asock::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(exhausted)
}

/// Each client in turn: read the reply, check it, take a moment, close.
async fn clients_finish(clients: Vec<TcpStream>) -> asock::Result<()> {
    for (i, mut client) in clients.into_iter().enumerate() {
        let mut reply = [0; 64];
        let n = client.read(&mut reply).await?;
        // Slow clients hold their fds a while, so the server has to wait more than once.
        asock::sleep(CLIENT_HOLD).await;
        assert_eq!(&reply[..n], format!("welcome, client {i}").as_bytes());
        drop(client); // frees an fd; the handler then sees the end of the stream
    }
    Ok(())
}

async fn run() -> Result<(), BoxError> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;

    let mut clients = Vec::new();
    for i in 0..CLIENTS {
        // The connection completes in the kernel's queue, before any accept.
        let mut client = TcpStream::connect(addr).await?;
        client.write_all(format!("client {i}").as_bytes()).await?;
        clients.push(client);
    }

    let limit = lowest_free_fd()? + ROOM;
    if !lower_nofile_limit(limit)? {
        println!(
            "SKIPPED: prlimit(1) not found, so RLIMIT_NOFILE cannot be lowered without unsafe"
        );
        return Ok(());
    }
    println!("{CLIENTS} connections queued on {addr}; RLIMIT_NOFILE lowered to {limit} (room for {ROOM} more fds)");

    let server = tokio::spawn(accept_loop(listener));
    clients_finish(clients).await?;
    let exhausted = server.await.expect("accept loop panicked")?;

    println!("ok: {CLIENTS} clients served; {exhausted} accepts hit EMFILE and were retried after a back-off");
    assert!(exhausted > 0, "the lowered limit should have made accept fail with EMFILE");
    Ok(())
}

fn main() -> Result<(), BoxError> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        // A bound on the whole scene: a stuck accept loop fails instead of hanging.
        let timeout = Duration::from_secs(10);
        tokio::time::timeout(timeout, run()).await.map_err(|_| "timed out")?
    })
}
