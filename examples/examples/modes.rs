//! Python's three socket modes and timeouts, on `blocking::Socket` and on `AsyncSocket`.
//!
//! Run: `cargo run -p examples --example modes`
//!
//! | Python | asock | an operation that is not ready |
//! |---|---|---|
//! | `settimeout(None)` | `set_timeout(None)`, the default | waits as long as it takes |
//! | `settimeout(0.0)` / `setblocking(False)` | `set_timeout(Some(ZERO))` / `set_blocking(false)` | fails at once: `EAGAIN` |
//! | `settimeout(t)` | `set_timeout(Some(t))` | fails with "timed out" after `t` |
//! | `setdefaulttimeout(t)` | `asock::set_default_timeout(Some(t))` | the mode new sockets start in |
//!
//! Part one runs each mode on a blocking socket, including the rule that a timeout covers a
//! whole call (`send_all` of 8 MiB gives up after the timeout in total, not per chunk). Part
//! two, on tokio, shows what async code adds: a single operation can be given its own mode
//! (`recv(..).timeout(d)`, `recv(..).nonblocking()`) whatever the socket's, and `ModeExt`
//! puts a deadline on any future, such as a whole exchange of several calls. Every wait is
//! measured and checked.

use std::io;
use std::thread;
use std::time::{Duration, Instant};

use asock::blocking::socketpair;
use asock::{AsyncSocket, ErrorKind, ModeExt};
use examples::{assert_between, ms};

type BoxError = Box<dyn std::error::Error>;

const SHORT: Duration = Duration::from_millis(100);
/// Slack for a slow machine: a 100 ms wait must end within this of its deadline.
const SLACK: Duration = Duration::from_secs(1);

fn blocking_modes() -> Result<(), BoxError> {
    let (a, b) = socketpair()?;

    // 1. Blocking (the default): recv waits until the peer sends, here 100 ms later.
    assert_eq!(b.timeout(), None);
    let start = Instant::now();
    let sender = a.dup()?;
    let peer = thread::spawn(move || {
        thread::sleep(SHORT);
        sender.send_all(b"late")
    });
    let data = b.recv(16)?;
    peer.join().map_err(|_| "peer panicked")??;
    println!("blocking:     recv waited {} for b'{}'", ms(start.elapsed()), data.escape_ascii());
    assert_eq!(data, b"late");
    assert_between("blocking recv", start.elapsed(), SHORT, SHORT + SLACK);

    // 2. Non-blocking: nothing to read, so recv fails at once with EAGAIN (Python's
    //    BlockingIOError).
    b.set_blocking(false)?;
    assert_eq!(b.timeout(), Some(Duration::ZERO));
    let start = Instant::now();
    let err = b.recv(16).unwrap_err();
    println!("non-blocking: recv failed after {}: {err}", ms(start.elapsed()));
    assert!(err.is_would_block());
    assert!(start.elapsed() < SLACK);

    // 3. Timeout: recv waits up to the timeout, then fails with "timed out" (Python's
    //    TimeoutError); as an io::Error it is ErrorKind::TimedOut.
    b.set_timeout(Some(SHORT))?;
    let start = Instant::now();
    let err = b.recv(16).unwrap_err();
    println!("timeout:      recv failed after {}: {err}", ms(start.elapsed()));
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!(io::Error::from(err).kind(), io::ErrorKind::TimedOut);
    assert_between("timed-out recv", start.elapsed(), SHORT, SHORT + SLACK);

    // 4. The deadline covers the whole call: send_all of 8 MiB to a peer that reads nothing
    //    fills the socket buffer, waits, and gives up 100 ms after it started.
    let start = Instant::now();
    let err = b.send_all(&vec![0; 8 << 20]).unwrap_err();
    println!("timeout:      send_all of 8 MiB failed after {}: {err}", ms(start.elapsed()));
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_between("timed-out send_all", start.elapsed(), SHORT, SHORT + SLACK);

    // 5. The default timeout: sockets created afterwards start in it (Python's
    //    setdefaulttimeout). It is process-wide, so restore it.
    asock::set_default_timeout(Some(Duration::from_secs(2)))?;
    let (c, _d) = socketpair()?;
    asock::set_default_timeout(None)?;
    println!("default:      a socket created under setdefaulttimeout(2.0) has {:?}", c.timeout());
    assert_eq!(c.timeout(), Some(Duration::from_secs(2)));
    Ok(())
}

async fn async_modes() -> Result<(), BoxError> {
    let (a, b) = asock::async_socket::socketpair()?;
    // The socket waits up to 5 s by default...
    b.set_timeout(Some(Duration::from_secs(5)))?;

    // 6. ...but this one call waits 100 ms.
    let mut buf = [0; 16];
    let start = Instant::now();
    let err = b.recv(&mut buf).timeout(SHORT).await.unwrap_err();
    println!("async:        recv(..).timeout(100ms) failed after {}: {err}", ms(start.elapsed()));
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_between("per-call timeout", start.elapsed(), SHORT, SHORT + SLACK);

    // 7. ...and this one does not wait at all.
    let err = b.recv(&mut buf).nonblocking().await.unwrap_err();
    println!("async:        recv(..).nonblocking() failed at once: {err}");
    assert!(err.is_would_block());

    // 8. A deadline on a whole exchange. The peer sends a byte every 40 ms; reading 5 bytes
    //    takes ~200 ms. Each recv alone is quick, so a 100 ms timeout per call never fires...
    let dribble = tokio::spawn(async move {
        for byte in b"abcdefghij" {
            tokio::time::sleep(Duration::from_millis(40)).await;
            a.send_all(&[*byte]).await?;
        }
        Ok::<_, asock::Error>(a)
    });
    let start = Instant::now();
    let got = read_exactly(&b, 5).await?;
    println!(
        "async:        5 bytes with a 100 ms timeout per recv: b'{}' in {}",
        got.escape_ascii(),
        ms(start.elapsed())
    );
    assert_eq!(got, b"abcde");

    // ...while ModeExt::timeout on the whole exchange gives it 100 ms in total.
    let start = Instant::now();
    let err = read_exactly(&b, 5).timeout(SHORT).await.unwrap_err();
    println!(
        "async:        the same exchange under .timeout(100ms) as a whole failed after {}: {err}",
        ms(start.elapsed())
    );
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_between("whole-exchange timeout", start.elapsed(), SHORT, SHORT + SLACK);

    let _a = dribble.await??; // keep the peer open until it has sent everything
    Ok(())
}

/// Reads exactly `n` bytes, each `recv` under its own 100 ms timeout.
async fn read_exactly(sock: &AsyncSocket, n: usize) -> asock::Result<Vec<u8>> {
    let mut got = vec![0; n];
    let mut filled = 0;
    while filled < n {
        let received = sock.recv(&mut got[filled..]).timeout(SHORT).await?;
        if received == 0 {
            return Err(asock::Error::from_errno(libc::ECONNRESET)); // the peer closed early
        }
        filled += received;
    }
    Ok(got)
}

fn main() -> Result<(), BoxError> {
    blocking_modes()?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async_modes())?;
    println!("ok");
    Ok(())
}
