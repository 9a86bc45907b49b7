//! No fd and no reactor registration outlives its `AsyncSocket`, on any path: completed,
//! failed, timed-out and dropped operations, conversions, closes.
//!
//! Counting /proc/self/fd only means something when nothing else in the process opens fds
//! meanwhile, so this binary holds a single test that runs every scenario in turn, on each
//! backend.

mod async_support;
mod reactor_support;

use std::future::Future;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use asock::reactor::own_registration_count;
use asock::{AddressFamily, AsyncSocket};
use async_support::*;
use reactor_support::{run, Executor};

/// Polls `future` until it waits, then drops it.
async fn start_and_drop<F: Future>(future: F) {
    let mut future = pin!(future);
    std::future::poll_fn(|cx| Poll::Ready(future.as_mut().poll(cx).is_pending())).await;
}

async fn scenarios(executor: Executor) -> asock::Result<()> {
    // Warm up: the reactor (and on tokio the runtime) exist before counting.
    let (a, b) = asock::async_socket::socketpair()?;
    let mut buf = [0u8; 1];
    let _ = futures::join!(a.recv(&mut buf), async {
        pause(1).await;
        b.send(b"x").await
    });
    drop((a, b));

    let registrations = own_registration_count();
    let same = |fds: usize, what: &str| {
        assert_eq!(fd_count(), fds, "{executor:?}: {what} leaked an fd");
        let now = own_registration_count();
        assert_eq!(now, registrations, "{executor:?}: {what} leaked a registration");
    };

    let l = listener(AddressFamily::AF_INET);
    let to = l.local_addr()?;
    let fds = fd_count();
    for _ in 0..1000 {
        let c = tcp(AddressFamily::AF_INET);
        let (connected, accepted) = futures::join!(c.connect(&to), l.accept());
        connected?;
        let (s, _) = accepted?;
        c.send_all(b"ping").await?;
        assert_eq!(recv_vec(&s, 4).await?, b"ping");
    }
    same(fds, "1000 connect / accept / exchange / drop cycles");

    let scene = stalled();
    let fds = fd_count();
    for _ in 0..100 {
        let c = tcp(AddressFamily::AF_INET);
        start_and_drop(c.connect(&scene.addr)).await;
    }
    for _ in 0..20 {
        let c = tcp(AddressFamily::AF_INET);
        assert_timed_out(c.connect(&scene.addr).timeout(Duration::from_millis(1)).await);
    }
    same(fds, "dropped and timed-out connects");
    drop(scene);

    let fds = fd_count();
    let refused = refused_addr();
    for _ in 0..100 {
        let c = tcp(AddressFamily::AF_INET);
        assert!(c.connect(&refused).await.is_err());
    }
    same(fds, "refused connects");

    drop(l);
    let fds = fd_count();
    for _ in 0..50 {
        let l = listener(AddressFamily::AF_INET6);
        start_and_drop(l.accept()).await;
        assert!(l.accept().timeout(Duration::from_millis(1)).await.is_err());
    }
    same(fds, "dropped and timed-out accepts");

    let fds = fd_count();
    for _ in 0..100 {
        let (mut a, b) = asock::async_socket::socketpair()?;
        start_and_drop(a.recv(&mut [0u8; 1])).await;
        let a2 = a.dup()?;
        start_and_drop(a2.recv(&mut [0u8; 1])).await;
        a.close()?;
        let std = std::os::unix::net::UnixStream::try_from(b)?;
        let back = AsyncSocket::from(std);
        let blocking = asock::blocking::Socket::try_from(back)?;
        let _ = AsyncSocket::from(blocking).detach().map(drop);
        let (x, y) = a2.into_split();
        drop(x.reunite(y));
    }
    same(fds, "dup, close, detach, conversions, split");

    let fds = fd_count();
    let file = std::fs::File::open("/dev/null").unwrap();
    for _ in 0..100 {
        use std::io::IoSlice;
        use std::os::fd::AsFd;
        let (a, b) = asock::async_socket::socketpair()?;
        let none = asock::MsgFlags::empty();
        start_and_drop(b.recv_fds(&mut [0u8; 8], 2, none)).await;
        a.send_fds(&[IoSlice::new(b"f")], &[file.as_fd(), file.as_fd()], none, None).await?;
        // Received, then dropped with the message: the fds close.
        assert_eq!(b.recv_fds(&mut [0u8; 8], 2, none).await?.fds.len(), 2);
        // Sent and never received: closed with the socket that queued them.
        a.send_fds(&[IoSlice::new(b"g")], &[file.as_fd()], none, None).await?;
    }
    drop(file);
    same(fds, "fd passing");
    Ok(())
}

#[test]
fn no_path_leaks_an_fd_or_a_registration() {
    for executor in [Executor::Asock, Executor::Futures, Executor::Tokio] {
        run(executor, scenarios);
    }
}
