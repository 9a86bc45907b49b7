//! Ancillary data and `send_file` on `AsyncSocket`: `send_msg`, `recv_msg` (into the caller's
//! `IoSliceMut`s), `send_fds`, `recv_fds` (into the caller's buffer), `send_file`, in every
//! mode, cancel safe where documented. Each body runs under tokio, `asock::block_on` and
//! `futures::executor::block_on`.

mod async_support;
mod reactor_support;

use std::io::{IoSlice, IoSliceMut, Seek, Write};
use std::os::fd::AsFd;
use std::time::Duration;

use asock::ancillary::{ControlBuf, ControlMessage, ControlSize, Credentials, RecvMsgInto};
use asock::{AddressFamily, AsyncSocket, ErrorKind, MsgFlags, Result, SocketKind};
use async_support::*;
use reactor_support::Executor;

on_every_backend!(
    send_msg_and_recv_msg_carry_credentials,
    recv_msg_waits_and_reports_the_sender,
    recv_msg_scatters,
    fds_pass_and_arrive_owned,
    recv_fds_truncates_extra_fds,
    msg_operations_follow_the_mode,
    dropped_recv_fds_loses_no_fd,
    unix_read_stopping_at_fds_keeps_readiness,
    send_file_sends_a_range_and_moves_the_position,
    send_file_of_4_mib_to_a_concurrent_reader,
    send_file_checks_its_arguments,
    send_file_timeout_covers_the_whole_call,
    send_msg_reports_a_control_error_at_the_first_poll,
);

const NO_FLAGS: MsgFlags = MsgFlags::empty();

/// `recv_msg` into one buffer of `n` bytes: the bytes received, and the rest of the result.
async fn recv_msg_vec(
    s: &AsyncSocket,
    n: usize,
    ancbufsize: usize,
) -> Result<(Vec<u8>, RecvMsgInto)> {
    let mut data = vec![0u8; n];
    let msg = s.recv_msg(&mut [IoSliceMut::new(&mut data)], ancbufsize, NO_FLAGS).await?;
    data.truncate(msg.bytes);
    Ok((data, msg))
}

async fn send_msg_and_recv_msg_carry_credentials(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    b.options().set_option(libc::SOL_SOCKET, libc::SO_PASSCRED, 1)?;
    let mut control = ControlBuf::new();
    control.credentials(Credentials::current())?;
    let bufs = [IoSlice::new(b"cred"), IoSlice::new(b"ited")];
    assert_eq!(a.send_msg(&bufs, &control, NO_FLAGS, None).await?, 8);
    let (data, msg) = recv_msg_vec(&b, 64, ControlSize::new().credentials().bytes()).await?;
    assert_eq!(data, b"credited");
    match &msg.ancillary[..] {
        [ControlMessage::ScmCredentials(c)] => assert_eq!(c.pid, std::process::id() as i32),
        other => panic!("{other:?}"),
    }
    assert!(!msg.flags.ctrunc());
    Ok(())
}

async fn recv_msg_waits_and_reports_the_sender(_: Executor) -> Result<()> {
    let (a, b) = (bound_udp(AddressFamily::AF_INET), bound_udp(AddressFamily::AF_INET));
    b.options().set_option(libc::IPPROTO_IP, libc::IP_PKTINFO, 1)?;
    let to = b.local_addr()?;
    let control = ControlBuf::new();
    let (got, sent) =
        futures::join!(recv_msg_vec(&b, 64, ControlSize::new().ip_pktinfo().bytes()), async {
            pause(20).await;
            a.send_msg(&[IoSlice::new(b"dgram")], &control, NO_FLAGS, Some(&to)).await
        });
    assert_eq!(sent?, 5);
    let (data, msg) = got?;
    assert_eq!(data, b"dgram");
    assert_eq!(msg.addr, Some(a.local_addr()?));
    assert!(
        matches!(&msg.ancillary[..], [ControlMessage::IpPktinfo(info)] if info.addr.is_loopback())
    );
    // A short buffer truncates, and says so.
    a.send_to(b"too long", &to).await?;
    let (data, msg) = recv_msg_vec(&b, 3, 0).await?;
    assert_eq!((data.as_slice(), msg.bytes), (&b"too"[..], 3));
    assert!(msg.flags.trunc());
    Ok(())
}

async fn recv_msg_scatters(_: Executor) -> Result<()> {
    let (a, b) = AsyncSocket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_SEQPACKET, None)?;
    let (mut head, mut body) = ([0u8; 4], [0u8; 8]);
    let mut bufs = [IoSliceMut::new(&mut head), IoSliceMut::new(&mut body)];
    let (got, sent) = futures::join!(b.recv_msg(&mut bufs, 0, NO_FLAGS), async {
        pause(10).await;
        a.send_all(b"headbody").await
    });
    sent?;
    assert_eq!(got?.bytes, 8);
    assert_eq!((&head, &body[..4]), (b"head", &b"body"[..]));
    Ok(())
}

async fn fds_pass_and_arrive_owned(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let (x, y) = asock::async_socket::socketpair()?;
    a.send_fds(&[IoSlice::new(b"take this")], &[x.as_fd()], NO_FLAGS, None).await?;
    drop(x);
    let mut buf = [0u8; 64];
    let got = b.recv_fds(&mut buf, 4, NO_FLAGS).await?;
    assert_eq!(&buf[..got.bytes], b"take this");
    assert_eq!(got.fds.len(), 1);
    let passed = AsyncSocket::from(got.fds.into_iter().next().unwrap());
    assert!(!passed.inheritable()?, "received close-on-exec");
    passed.send_all(b"through the passed fd").await?;
    assert_eq!(recv_vec(&y, 64).await?, b"through the passed fd");
    Ok(())
}

async fn recv_fds_truncates_extra_fds(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let file = std::fs::File::open("/dev/null").unwrap();
    let fds = [file.as_fd(), file.as_fd(), file.as_fd()];
    a.send_fds(&[IoSlice::new(b"3")], &fds, NO_FLAGS, None).await?;
    let got = b.recv_fds(&mut [0u8; 8], 1, NO_FLAGS).await?;
    assert_eq!((got.bytes, got.fds.len()), (1, 1));
    assert!(got.flags.ctrunc());
    Ok(())
}

async fn msg_operations_follow_the_mode(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    b.set_timeout(Some(Duration::from_millis(30)))?;
    let mut buf = [0u8; 8];
    assert_timed_out(b.recv_msg(&mut [IoSliceMut::new(&mut buf)], 0, NO_FLAGS).await);
    assert_timed_out(b.recv_fds(&mut buf, 1, NO_FLAGS).await);
    assert_would_block(
        b.recv_msg(&mut [IoSliceMut::new(&mut buf)], 0, NO_FLAGS).nonblocking().await,
    );
    assert_would_block(b.recv_fds(&mut buf, 1, NO_FLAGS).nonblocking().await);
    fill(&a);
    let control = ControlBuf::new();
    let file = std::fs::File::open("/dev/null").unwrap();
    assert_would_block(
        a.send_msg(&[IoSlice::new(b"x")], &control, NO_FLAGS, None).nonblocking().await,
    );
    assert_would_block(
        a.send_fds(&[IoSlice::new(b"x")], &[file.as_fd()], NO_FLAGS, None).nonblocking().await,
    );
    assert_timed_out(
        a.send_msg(&[IoSlice::new(b"x")], &control, NO_FLAGS, None)
            .timeout(Duration::from_millis(20))
            .await,
    );
    a.set_timeout(Some(Duration::from_millis(20)))?;
    assert_timed_out(a.send_fds(&[IoSlice::new(b"x")], &[file.as_fd()], NO_FLAGS, None).await);
    Ok(())
}

async fn dropped_recv_fds_loses_no_fd(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let mut buf = [0u8; 8];
    let mut pending = Box::pin(b.recv_fds(&mut buf, 1, NO_FLAGS));
    assert!(poll_pinned(&mut pending).is_pending());
    drop(pending);
    let file = std::fs::File::open("/dev/null").unwrap();
    a.send_fds(&[IoSlice::new(b"f")], &[file.as_fd()], NO_FLAGS, None).await?;
    drop(file);
    let got = b.recv_fds(&mut buf, 1, NO_FLAGS).await?;
    assert_eq!(got.fds.len(), 1, "the fd waited in the queue");
    assert_eq!(&buf[..got.bytes], b"f");
    Ok(())
}

/// A UNIX stream read stops after a segment that carries fds, with data still queued: the
/// short read must not clear the readiness (else `readable()` would wait for nothing).
async fn unix_read_stopping_at_fds_keeps_readiness(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let file = std::fs::File::open("/dev/null").unwrap();
    let (got, sent) = futures::join!(recv_vec(&b, 64), async {
        pause(10).await;
        a.send_fds(&[IoSlice::new(b"one")], &[file.as_fd()], NO_FLAGS, None).await?;
        a.send_all(b"two").await
    });
    sent?;
    let first = got?;
    if first == b"onetwo" {
        // The whole queue came at once (the fds were dropped): nothing to check.
        return Ok(());
    }
    assert_eq!(first, b"one");
    assert!(b.readable().nonblocking().await?.is_readable());
    let mut buf = [0u8; 64];
    let n = b.recv(&mut buf).nonblocking().await?;
    assert_eq!(&buf[..n], b"two");
    Ok(())
}

fn temp_file(contents: &[u8]) -> std::fs::File {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "asock-async-sendfile-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    let mut file = std::fs::File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&path)
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    file.write_all(contents).unwrap();
    file
}

async fn send_file_sends_a_range_and_moves_the_position(_: Executor) -> Result<()> {
    let mut file = temp_file(b"0123456789");
    let (a, b) = asock::async_socket::socketpair()?;
    assert_eq!(a.send_file(&file, 2, Some(5)).await?, 5);
    assert_eq!(recv_vec(&b, 64).await?, b"23456");
    assert_eq!(file.stream_position().unwrap(), 7);
    assert_eq!(a.send_file(&file, 8, None).await?, 2);
    assert_eq!(recv_vec(&b, 64).await?, b"89");
    assert_eq!(a.send_file(&file, 50, None).await?, 0, "past the end");
    assert_eq!(a.send_file(&temp_file(b""), 0, None).await?, 0, "empty");
    Ok(())
}

async fn send_file_of_4_mib_to_a_concurrent_reader(_: Executor) -> Result<()> {
    let data: Vec<u8> = (0..4u32 << 20).map(|i| (i % 239) as u8).collect();
    let file = temp_file(&data);
    let (c, s) = tcp_pair(AddressFamily::AF_INET).await?;
    let send = async {
        let n = c.send_file(&file, 0, None).await?;
        c.shutdown(std::net::Shutdown::Write)?;
        Ok::<_, asock::Error>(n)
    };
    let (sent, received) = futures::join!(send, read_to_end(&s));
    assert_eq!(sent?, data.len());
    assert!(received? == data);
    Ok(())
}

async fn send_file_checks_its_arguments(_: Executor) -> Result<()> {
    let file = temp_file(b"abc");
    let (a, _b) = asock::async_socket::socketpair()?;
    let invalid = |r: Result<usize>| r.unwrap_err().kind() == ErrorKind::InvalidInput;
    assert!(invalid(a.send_file(&file, 0, Some(0)).await));
    assert!(invalid(a.send_file(&file, u64::MAX, None).await));
    assert!(invalid(a.send_file(&file, 0, None).nonblocking().await));
    let (d, _e) = AsyncSocket::pair(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM, None)?;
    assert!(invalid(d.send_file(&file, 0, None).await));
    // Anything but a regular file (a pipe, a socket) would block the executor to read:
    // refused.
    let (reader, _writer) = std::os::unix::net::UnixStream::pair().unwrap();
    let pipe = std::fs::File::from(std::os::fd::OwnedFd::from(reader));
    let err = a.send_file(&pipe, 0, None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    Ok(())
}

async fn send_file_timeout_covers_the_whole_call(_: Executor) -> Result<()> {
    let file = temp_file(&vec![9u8; 8 << 20]);
    let (a, _b) = asock::async_socket::socketpair()?;
    let start = asock::time::Instant::now();
    assert_timed_out(a.send_file(&file, 0, None).timeout(Duration::from_millis(40)).await);
    assert!(start.elapsed() < PATIENCE);
    Ok(())
}

async fn send_msg_reports_a_control_error_at_the_first_poll(_: Executor) -> Result<()> {
    let (a, _b) = asock::async_socket::socketpair()?;
    let file = std::fs::File::open("/dev/null").unwrap();
    let many: Vec<_> = (0..300).map(|_| file.as_fd()).collect();
    // 300 fds in one SCM_RIGHTS: the kernel's limit is 253.
    assert_errno(a.send_fds(&[IoSlice::new(b"x")], &many, NO_FLAGS, None).await, libc::EINVAL);
    Ok(())
}
