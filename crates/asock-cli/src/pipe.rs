//! The netcat part: stdin to a socket and the socket to stdout, on `AsyncSocket`.
//!
//! A terminal, a file or a pipe on stdin cannot be registered with a reactor, so one thread
//! reads stdin and hands the chunks (or lines) over a small channel; everything else runs in
//! one future under `asock::block_on`.

use std::io::{BufRead, Read, Write};
use std::net::Shutdown;
use std::pin::pin;
use std::time::Duration;

use asock::{AsyncSocket, SockAddr};
use futures::channel::mpsc;
use futures::future::{select, Either};
use futures::{SinkExt, StreamExt};

use crate::output::TARGET;

/// What the stdin thread hands over: a chunk (or a line) read, or the error that ended it.
type Chunks = mpsc::Receiver<std::io::Result<Vec<u8>>>;

/// Starts the thread that reads stdin in chunks of up to 64 KiB; the channel ends at EOF.
pub fn stdin_chunks() -> Chunks {
    spawn_reader(|stdin, buf| {
        buf.resize(64 * 1024, 0);
        let n = stdin.read(buf)?;
        buf.truncate(n);
        Ok(n)
    })
}

/// Starts the thread that reads stdin line by line (a datagram each); ends at EOF.
pub fn stdin_lines() -> Chunks {
    spawn_reader(|stdin, buf| stdin.read_until(b'\n', buf))
}

fn spawn_reader(
    mut read: impl FnMut(&mut std::io::StdinLock<'static>, &mut Vec<u8>) -> std::io::Result<usize>
        + Send
        + 'static,
) -> Chunks {
    // One chunk in flight: the reader stays at most one chunk ahead of the socket.
    let (mut tx, rx) = mpsc::channel(1);
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        loop {
            let mut buf = Vec::new();
            let item = match read(&mut stdin, &mut buf) {
                Ok(0) => return,
                Ok(_) => Ok(buf),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => Err(e),
            };
            let last = item.is_err();
            // The receiver gone means the command is ending: nothing left to do.
            if futures::executor::block_on(tx.send(item)).is_err() || last {
                return;
            }
        }
    });
    rx
}

/// Pipes a connected stream socket, as netcat does: `stdin`'s chunks to it, then a
/// half-close (`shutdown(SHUT_WR)`) at stdin's EOF so the peer sees EOF too; the socket to
/// stdout until the peer's EOF. It returns once both directions are done: the peer closing
/// its side first does not cut the upload short, and every byte read from stdin has been
/// sent before the half-close. With `stdin == None` only the socket's side is copied.
///
/// # Errors
///
/// The first failure of either direction: a receive or stdout error at once (a peer that
/// reset cannot take the rest of stdin anyway), else a stdin read, send or shutdown error.
pub async fn stream(socket: &AsyncSocket, stdin: Option<Chunks>) -> asock::Result<()> {
    let download = pin!(copy_to_stdout(socket));
    let upload = pin!(async {
        match stdin {
            Some(chunks) => copy_stdin(socket, chunks).await,
            None => Ok(()),
        }
    });
    match select(download, upload).await {
        Either::Left((Err(e), _)) => Err(e),
        // Waits for stdin's EOF, as netcat does: the peer may still be reading.
        Either::Left((Ok(()), upload)) => upload.await,
        Either::Right((uploaded, download)) => {
            download.await?;
            uploaded
        }
    }
}

async fn copy_to_stdout(socket: &AsyncSocket) -> asock::Result<()> {
    let mut buf = vec![0; 64 * 1024];
    loop {
        let n = socket.recv(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(&buf[..n])?;
        stdout.flush()?;
    }
}

/// Sends all of stdin, then half-closes.
async fn copy_stdin(socket: &AsyncSocket, mut chunks: Chunks) -> asock::Result<()> {
    while let Some(chunk) = chunks.next().await {
        match chunk {
            Ok(data) => socket.send_all(&data).await?,
            Err(e) => {
                // What was read is sent; tell the peer nothing more comes, then report.
                let _ = socket.shutdown(Shutdown::Write);
                return Err(e.into());
            }
        }
    }
    socket.shutdown(Shutdown::Write)
}

/// Pipes a datagram socket: each stdin line is one datagram (to `peer`, or to whoever sent
/// the last datagram when `peer` is `None`); each datagram received goes to stdout. Ends
/// `linger` after stdin's EOF, since datagrams have no EOF of their own.
///
/// # Errors
///
/// A receive, stdin or stdout error (a failed send is reported as a warning).
pub async fn datagram(
    socket: &AsyncSocket,
    mut peer: Option<SockAddr>,
    linger: Duration,
) -> asock::Result<()> {
    let mut lines = Some(stdin_lines());
    let mut buf = vec![0; 64 * 1024];
    loop {
        let next = match lines.as_mut() {
            Some(stdin) => {
                let received = pin!(socket.recv_from(&mut buf));
                match select(received, stdin.next()).await {
                    Either::Left((received, _)) => Some(received),
                    Either::Right((line, _)) => {
                        match line {
                            Some(line) => send_line(socket, peer.as_ref(), &line?).await,
                            None => lines = None,
                        }
                        None
                    }
                }
            }
            // stdin is done: wait `linger` for the last answers.
            None => match socket.recv_from(&mut buf).timeout(linger).await {
                Err(e) if e.kind() == asock::ErrorKind::Timeout => return Ok(()),
                received => Some(received),
            },
        };
        if let Some(received) = next {
            let (n, from) = received?;
            peer = Some(from);
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&buf[..n])?;
            stdout.flush()?;
        }
    }
}

/// Sends one line; a failed send is reported and the piping goes on, as datagrams may be
/// lost anyway.
async fn send_line(socket: &AsyncSocket, peer: Option<&SockAddr>, line: &[u8]) {
    match peer {
        Some(peer) => {
            if let Err(error) = socket.send_to(line, peer).await {
                tracing::warn!(target: TARGET, %error, "a datagram was not sent");
            }
        }
        None => tracing::warn!(target: TARGET, "no peer yet; dropping a line"),
    }
}
