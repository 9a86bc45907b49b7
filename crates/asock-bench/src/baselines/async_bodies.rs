//! The async scenario bodies, generic over tokio's `AsyncRead` / `AsyncWrite`.
//!
//! [`tokio_net`](super::tokio_net) runs the server halves as spawned tasks and the client halves
//! under `Runtime::block_on`. An executor without `spawn`, such as `asock::block_on`, can run the
//! same bodies joined in one future: the client half with a count, the server half until the
//! client half finishes (every server body is cancel safe between messages, so dropping it
//! then loses nothing the next run needs).

use std::future::{poll_fn, Future};
use std::io;
use std::pin::pin;
use std::task::Poll;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Echoes everything it reads until EOF (the server half of the stream ping-pongs and fan-in).
///
/// # Errors
///
/// Any read or write error.
///
/// # Cancel safety
///
/// Cancel safe while waiting to read; a cancelled echo write may have sent part of its bytes.
pub async fn echo<S: AsyncRead + AsyncWrite + Unpin>(stream: &mut S) -> io::Result<()> {
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf).await? {
            0 => return Ok(()),
            n => stream.write_all(&buf[..n]).await?,
        }
    }
}

/// `iters` round trips of `msg` on `stream`, reading each echo into `buf` (as long as `msg`).
///
/// # Errors
///
/// Any read or write error, or EOF.
///
/// # Cancel safety
///
/// Not cancel safe: a cancelled round trip leaves its echo in flight.
pub async fn pingpong<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    msg: &[u8],
    buf: &mut [u8],
    iters: u64,
) -> io::Result<()> {
    for _ in 0..iters {
        stream.write_all(msg).await?;
        stream.read_exact(buf).await?;
    }
    Ok(())
}

/// Bulk sender: per iteration, `total` bytes in writes of `chunk.len()`, then waits for the
/// one-byte acknowledgement of [`bulk_sink`].
///
/// # Errors
///
/// Any read or write error, or EOF.
///
/// # Cancel safety
///
/// Not cancel safe.
pub async fn bulk_source<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    chunk: &[u8],
    total: u64,
    iters: u64,
) -> io::Result<()> {
    let mut ack = [0u8; 1];
    for _ in 0..iters {
        let mut left = total;
        while left > 0 {
            let n = left.min(chunk.len() as u64) as usize;
            stream.write_all(&chunk[..n]).await?;
            left -= n as u64;
        }
        stream.read_exact(&mut ack).await?;
    }
    Ok(())
}

/// Bulk receiver: reads `total` bytes into `buf`, acknowledges with one byte, repeats until EOF
/// at a transfer boundary.
///
/// # Errors
///
/// Any read or write error, or EOF in the middle of a transfer.
///
/// # Cancel safety
///
/// Cancel safe between transfers only.
pub async fn bulk_sink<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    buf: &mut [u8],
    total: u64,
) -> io::Result<()> {
    loop {
        let mut received = 0;
        while received < total {
            match stream.read(buf).await? {
                0 if received == 0 => return Ok(()),
                0 => return Err(io::ErrorKind::UnexpectedEof.into()),
                n => received += n as u64,
            }
        }
        stream.write_all(&[1]).await?;
    }
}

/// Fan-in client: per iteration writes `msg` on every stream, then reads every echo in order.
///
/// # Errors
///
/// Any read or write error, or EOF.
///
/// # Cancel safety
///
/// Not cancel safe.
pub async fn fan_in<S: AsyncRead + AsyncWrite + Unpin>(
    streams: &mut [S],
    msg: &[u8],
    buf: &mut [u8],
    iters: u64,
) -> io::Result<()> {
    for _ in 0..iters {
        for s in streams.iter_mut() {
            s.write_all(msg).await?;
        }
        for s in streams.iter_mut() {
            s.read_exact(buf).await?;
        }
    }
    Ok(())
}

/// Runs `client` to completion while also driving `server`, in one future: how a client half
/// and a server half share an executor that cannot spawn (`asock::block_on`). `server` is
/// dropped when `client` completes; if it ends first, its error (if any) ends the call.
///
/// # Errors
///
/// The client's error, or the server's if the server fails first.
///
/// # Cancel safety
///
/// As the two futures.
pub async fn until_done<C, S>(client: C, server: S) -> io::Result<()>
where
    C: Future<Output = io::Result<()>>,
    S: Future<Output = io::Result<()>>,
{
    let (mut client, mut server) = (pin!(client), pin!(server));
    let mut server_done = false;
    poll_fn(|cx| {
        if let Poll::Ready(result) = client.as_mut().poll(cx) {
            return Poll::Ready(result);
        }
        if !server_done {
            if let Poll::Ready(result) = server.as_mut().poll(cx) {
                server_done = true;
                result?;
            }
        }
        Poll::Pending
    })
    .await
}
