//! Fault suite: a stream peer that resets in the middle of a read, and one that half-closes.
//!
//! - **Reset mid-read.** The peer sends some bytes, then closes with `SO_LINGER` 0 (an RST)
//!   while our read is pending, or before we read at all. Every byte that arrived before the
//!   reset is delivered, then the read fails with `ECONNRESET`: never a hang (a read that
//!   waits for an edge that never comes), never lost data.
//! - **Half-close.** The peer sends, then `shutdown(SHUT_WR)`. We read everything, then end of
//!   stream (an empty read, again and again), and our writes still reach the peer.
//!
//! Both for `blocking::Socket` (blocking and timeout mode) and `AsyncSocket`, whose bodies run
//! on every executor.
#![cfg(feature = "tokio")] // tokio's AsyncRead / AsyncWrite and tokio::net conversions

mod async_support;
mod blocking_util;
mod reactor_support;

use std::io::Read;
use std::net::Shutdown;
use std::thread;
use std::time::Duration;

use asock::blocking::Socket;
use asock::{AddressFamily, AsyncSocket, Mode, ModeExt, Result};
use async_support::{assert_errno, pause, read_to_end, recv_vec, recv_within, tcp_pair, PATIENCE};
use futures::TryFutureExt;
use reactor_support::Executor;

on_every_backend!(
    reset_while_a_recv_waits_is_econnreset,
    reset_after_data_delivers_the_data_then_econnreset,
    reset_with_data_and_reset_already_queued,
    reset_under_async_read_keeps_the_bytes_read,
    half_close_gives_all_the_data_then_eof_and_writes_still_go,
    half_close_under_async_read_and_write,
);

const DATA: &[u8] = b"arrived before the reset";

fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8 ^ seed).collect()
}

/// Closes `s` with `SO_LINGER` 0: the peer gets an RST, not a FIN.
fn reset(s: AsyncSocket) -> Result<()> {
    s.options().set_linger(Some(Duration::ZERO))?;
    drop(s);
    Ok(())
}

// ===== AsyncSocket: reset mid-read =====

async fn reset_while_a_recv_waits_is_econnreset(_: Executor) -> Result<()> {
    let (ours, theirs) = tcp_pair(AddressFamily::AF_INET).await?;
    let peer = async {
        pause(30).await;
        reset(theirs)
    };
    let (got, peer) = futures::join!(recv_within(&ours, 64), peer);
    peer?;
    assert_errno(got, libc::ECONNRESET);
    Ok(())
}

async fn reset_after_data_delivers_the_data_then_econnreset(_: Executor) -> Result<()> {
    let (ours, theirs) = tcp_pair(AddressFamily::AF_INET).await?;
    // Our reads wait first; the data comes, then, while the next read waits, the reset.
    let peer = async {
        pause(30).await;
        theirs.send_all(DATA).await?;
        pause(30).await;
        reset(theirs)
    };
    let reader = async {
        let mut got = Vec::new();
        loop {
            match recv_within(&ours, 1024).await {
                Ok(bytes) if bytes.is_empty() => panic!("EOF instead of the reset"),
                Ok(bytes) => got.extend(bytes),
                Err(e) => return (got, e),
            }
        }
    };
    let ((got, err), peer) = futures::join!(reader, peer);
    peer?;
    assert_eq!(got, DATA, "every byte before the reset");
    assert_eq!(err.raw_os_error(), Some(libc::ECONNRESET), "{err}");
    Ok(())
}

async fn reset_with_data_and_reset_already_queued(_: Executor) -> Result<()> {
    // Both the bytes and the reset are there before the first read: the read that returns
    // the bytes (a short read, which clears readiness) must not leave the next one waiting
    // for readiness that never comes. Once with a socket that never waited (not registered
    // yet), once with one that waited and saw `EAGAIN` first (registered, readiness cleared).
    for (read_size, registered) in [(1024, false), (DATA.len(), false), (4, false)]
        .into_iter()
        .chain([(1024, true), (DATA.len(), true), (4, true)])
    {
        let (ours, theirs) = tcp_pair(AddressFamily::AF_INET).await?;
        if registered {
            async_support::assert_timed_out(
                ours.recv(&mut [0u8; 16]).timeout(Duration::from_millis(5)).await,
            );
            assert!(ours.backend().is_some(), "a wait registers the socket");
        }
        theirs.send_all(DATA).await?;
        reset(theirs)?;
        pause(30).await;
        let mut got = Vec::new();
        let err = loop {
            match recv_within(&ours, read_size).await {
                Ok(bytes) if bytes.is_empty() => panic!("EOF instead of the reset"),
                Ok(bytes) => got.extend(bytes),
                Err(e) => break e,
            }
        };
        assert_eq!(got, DATA, "reads of {read_size}, registered: {registered}");
        assert_eq!(err.raw_os_error(), Some(libc::ECONNRESET), "{err}");
        // After the reset is reported, the stream reads as ended (what the kernel says).
        assert_eq!(recv_within(&ours, 16).await?, b"");
    }
    Ok(())
}

async fn reset_under_async_read_keeps_the_bytes_read(_: Executor) -> Result<()> {
    let (ours, theirs) = tcp_pair(AddressFamily::AF_INET).await?;
    let peer = async {
        theirs.send_all(DATA).await?;
        pause(30).await;
        reset(theirs)
    };
    let reader = async {
        let mut got = Vec::new();
        let result = tokio::io::AsyncReadExt::read_to_end(&mut &ours, &mut got)
            .map_err(asock::Error::from)
            .timeout(PATIENCE)
            .await;
        (got, result)
    };
    let ((got, result), peer) = futures::join!(reader, peer);
    peer?;
    assert_eq!(got, DATA);
    assert_errno(result, libc::ECONNRESET);
    Ok(())
}

// ===== AsyncSocket: half-close =====

/// A connected TCP pair and a UNIX stream pair.
async fn stream_pairs() -> Result<Vec<(AsyncSocket, AsyncSocket)>> {
    Ok(vec![tcp_pair(AddressFamily::AF_INET).await?, asock::async_socket::socketpair()?])
}

async fn half_close_gives_all_the_data_then_eof_and_writes_still_go(_: Executor) -> Result<()> {
    for (ours, theirs) in stream_pairs().await? {
        let (data, reply) = (pattern(1 << 20, 0), pattern(1 << 20, 0x5a));
        let peer = async {
            theirs.send_all(&data).await?;
            theirs.shutdown(Shutdown::Write)?;
            read_to_end(&theirs).await
        };
        let us = async {
            let got = read_to_end(&ours).await?;
            // End of stream stays end of stream.
            assert_eq!(recv_vec(&ours, 16).await?, b"");
            assert_eq!(ours.recv_buf(&mut Vec::with_capacity(16)).await?, 0);
            // Our direction is still open.
            ours.send_all(&reply).await?;
            ours.shutdown(Shutdown::Write)?;
            Ok::<_, asock::Error>(got)
        };
        let (got, back) = futures::join!(us.timeout(PATIENCE), peer.timeout(PATIENCE));
        assert!(got? == data, "all the data before EOF");
        assert!(back? == reply, "our writes after the peer's half-close");
    }
    Ok(())
}

async fn half_close_under_async_read_and_write(_: Executor) -> Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    for (ours, theirs) in stream_pairs().await? {
        let (data, reply) = (pattern(300_000, 1), pattern(300_000, 2));
        let peer = async {
            let (mut read, mut write) = theirs.split();
            write.write_all(&data).await?;
            write.shutdown().await?;
            let mut back = Vec::new();
            read.read_to_end(&mut back).await?;
            Ok::<_, std::io::Error>(back)
        };
        let us = async {
            let (mut read, mut write) = ours.split();
            let mut got = Vec::new();
            read.read_to_end(&mut got).await?;
            assert_eq!(read.read(&mut [0; 16]).await?, 0, "EOF again");
            write.write_all(&reply).await?;
            write.shutdown().await?;
            Ok::<_, std::io::Error>(got)
        };
        let (got, back) = futures::join!(
            us.map_err(asock::Error::from).timeout(PATIENCE),
            peer.map_err(asock::Error::from).timeout(PATIENCE)
        );
        assert!(got? == data);
        assert!(back? == reply);
    }
    Ok(())
}

// ===== blocking::Socket =====

/// Both modes that wait: blocking (the kernel waits) and timeout (`poll(2)` waits).
const WAITING_MODES: [Mode; 2] = [Mode::Blocking, Mode::Timeout(PATIENCE)];

/// A connected TCP pair of blocking sockets, ours in `mode`, theirs with a timeout.
fn blocking_pair(mode: Mode) -> (Socket, Socket) {
    let (ours, theirs) = blocking_util::tcp_pair(AddressFamily::AF_INET);
    ours.set_timeout(mode.timeout()).unwrap();
    theirs.set_timeout(Some(PATIENCE)).unwrap();
    (ours, theirs)
}

#[test]
fn blocking_reset_mid_read_delivers_the_data_then_econnreset() {
    for mode in WAITING_MODES {
        reactor_support::bounded(move || {
            let (ours, theirs) = blocking_pair(mode);
            let peer = thread::spawn(move || {
                thread::sleep(Duration::from_millis(30));
                theirs.send_all(DATA).unwrap();
                thread::sleep(Duration::from_millis(30));
                theirs.options().set_linger(Some(Duration::ZERO)).unwrap();
                drop(theirs);
            });
            let mut got = Vec::new();
            let err = loop {
                match ours.recv(1024) {
                    Ok(bytes) if bytes.is_empty() => panic!("EOF instead of the reset ({mode:?})"),
                    Ok(bytes) => got.extend(bytes),
                    Err(e) => break e,
                }
            };
            peer.join().unwrap();
            assert_eq!(got, DATA, "{mode:?}");
            assert_eq!(err.raw_os_error(), Some(libc::ECONNRESET), "{mode:?}: {err}");
        });
    }
}

#[test]
fn blocking_half_close_gives_all_the_data_then_eof_and_writes_still_go() {
    for mode in WAITING_MODES {
        reactor_support::bounded(move || {
            let (ours, theirs) = blocking_pair(mode);
            let (data, reply) = (pattern(1 << 20, 3), pattern(1 << 20, 4));
            let sent = data.clone();
            let peer = thread::spawn(move || {
                theirs.send_all(&sent).unwrap();
                theirs.shutdown(Shutdown::Write).unwrap();
                let mut back = Vec::new();
                (&theirs).read_to_end(&mut back).unwrap();
                back
            });
            let mut got = Vec::new();
            (&ours).read_to_end(&mut got).unwrap();
            assert!(got == data, "{mode:?}: all the data before EOF");
            assert_eq!(ours.recv(16).unwrap(), b"", "{mode:?}: EOF again");
            ours.send_all(&reply).unwrap();
            ours.shutdown(Shutdown::Write).unwrap();
            assert!(peer.join().unwrap() == reply, "{mode:?}: our writes after the half-close");
        });
    }
}
