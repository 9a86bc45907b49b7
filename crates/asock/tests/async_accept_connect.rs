//! `accept` and `connect` on `AsyncSocket`: waiting, addresses, modes of accepted sockets,
//! refusals, the non-blocking connect protocol (including its spurious wake-ups), and the
//! errnos a connect reports (Python's `connect_ex`, which returns them, is
//! `blocking::Socket`'s). Each body runs under tokio, `asock::block_on` and
//! `futures::executor::block_on`.

mod async_support;
mod reactor_support;

use std::time::Duration;

use asock::{AddressFamily, AsyncSocket, Result, SockAddr, SocketKind, UnixAddr};
use async_support::*;
use reactor_support::{after, Executor};

on_every_backend!(
    accept_waits_for_a_connection,
    accepted_socket_takes_the_listener_kind_and_the_default_mode,
    connect_and_accept_over_both_families,
    connect_refused,
    connect_checks_the_family,
    connect_unspec_dissolves_a_datagram_association,
    connect_to_unix_addresses,
    connect_reports_errnos,
    connect_waits_for_a_queued_connection_to_be_accepted,
    connect_after_a_failed_connect_on_the_same_socket,
    connect_on_a_socket_registered_before_connecting,
    accept_many_concurrent_connections,
    listen_does_not_register,
    a_loopback_connect_completes_without_waiting,
);

async fn accept_waits_for_a_connection(_: Executor) -> Result<()> {
    let l = listener(AddressFamily::AF_INET);
    let to = l.local_addr()?.as_socket().unwrap();
    let client = after(Duration::from_millis(30), move || {
        let c = std::net::TcpStream::connect(to).unwrap();
        std::thread::sleep(Duration::from_millis(50));
        drop(c);
    });
    let (conn, peer) = l.accept().await?;
    assert_eq!(conn.peer_addr()?, peer);
    client.join().unwrap();
    Ok(())
}

async fn accepted_socket_takes_the_listener_kind_and_the_default_mode(_: Executor) -> Result<()> {
    let l = listener(AddressFamily::AF_INET6);
    l.set_timeout(Some(Duration::from_secs(30)))?;
    let c = tcp(AddressFamily::AF_INET6);
    let to = l.local_addr()?;
    let (connected, accepted) = futures::join!(c.connect(&to), l.accept());
    connected?;
    let (conn, peer) = accepted?;
    assert_eq!(peer, c.local_addr()?);
    assert_eq!(conn.local_addr()?, to);
    assert_eq!((conn.family(), conn.kind(), conn.proto()), (l.family(), l.kind(), l.proto()));
    // CPython: an accepted socket gets the default timeout, not the listener's.
    assert_eq!(conn.timeout(), None);
    assert!(fd_is_nonblocking(conn.fileno()));
    assert!(!conn.inheritable()?, "close-on-exec");
    Ok(())
}

async fn connect_and_accept_over_both_families(_: Executor) -> Result<()> {
    for family in [AddressFamily::AF_INET, AddressFamily::AF_INET6] {
        let (c, s) = tcp_pair(family).await?;
        assert_eq!(c.peer_addr()?, s.local_addr()?);
        assert_eq!(s.peer_addr()?, c.local_addr()?);
        c.send_all(b"over").await?;
        assert_eq!(recv_vec(&s, 4).await?, b"over");
    }
    Ok(())
}

async fn connect_refused(_: Executor) -> Result<()> {
    let c = tcp(AddressFamily::AF_INET);
    assert_errno(c.connect(refused_addr()).await, libc::ECONNREFUSED);
    Ok(())
}

async fn connect_checks_the_family(_: Executor) -> Result<()> {
    let c = tcp(AddressFamily::AF_INET);
    assert_errno(c.connect(addr("[::1]:80")).await, libc::EAFNOSUPPORT);
    assert_errno(c.connect(addr("[::1]:80")).nonblocking().await, libc::EAFNOSUPPORT);
    assert_eq!(c.backend(), None);
    Ok(())
}

async fn connect_unspec_dissolves_a_datagram_association(_: Executor) -> Result<()> {
    let (a, b) = (bound_udp(AddressFamily::AF_INET), bound_udp(AddressFamily::AF_INET));
    a.connect(&b.local_addr()?).await?;
    assert_eq!(a.peer_addr()?, b.local_addr()?);
    let unspec =
        SockAddr::from_raw(&asock::RawSockAddr::default()).unwrap_or_else(|_| addr("0.0.0.0:0"));
    if unspec.family() == AddressFamily::AF_UNSPEC {
        a.connect(&unspec).await?;
        assert_errno(a.peer_addr(), libc::ENOTCONN);
    }
    Ok(())
}

async fn connect_to_unix_addresses(executor: Executor) -> Result<()> {
    let c = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM);
    assert_errno(c.connect(abstract_addr("nobody")).await, libc::ECONNREFUSED);
    // One directory per executor: the four run at once, and each removes its own at the end.
    let dir = std::env::temp_dir().join(format!("asock-async-{}-{executor:?}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = SockAddr::Unix(UnixAddr::pathname(dir.join("missing.sock")));
    let d = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM);
    assert_errno(d.connect(&path).await, libc::ENOENT);

    let l = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM);
    let path = SockAddr::Unix(UnixAddr::pathname(dir.join("listening.sock")));
    let _ = std::fs::remove_file(dir.join("listening.sock"));
    l.bind(&path)?;
    l.listen(128)?;
    let e = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM);
    e.connect(&path).await?;
    assert_eq!(e.peer_addr()?, path);
    let (s, _) = l.accept().await?;
    e.send_all(b"path").await?;
    assert_eq!(recv_vec(&s, 4).await?, b"path");
    std::fs::remove_dir_all(&dir).unwrap();
    Ok(())
}

/// The errnos Python's `connect_ex` returns are the errors `connect` reports (`connect_ex`
/// itself is `blocking::Socket`'s: tests/blocking_modes.rs, tests/blocking_errors.rs).
async fn connect_reports_errnos(_: Executor) -> Result<()> {
    let l = listener(AddressFamily::AF_INET);
    let c = tcp(AddressFamily::AF_INET);
    c.connect(&l.local_addr()?).await?;
    assert_errno(c.connect(&l.local_addr()?).await, libc::EISCONN);
    let d = tcp(AddressFamily::AF_INET);
    assert_errno(d.connect(refused_addr()).await, libc::ECONNREFUSED);
    let (mut closed, _) = asock::async_socket::socketpair()?;
    closed.close()?;
    assert_errno(closed.connect(abstract_addr("x")).await, libc::EBADF);
    // An address that cannot be encoded is InvalidInput, not an errno.
    let long = SockAddr::Unix(UnixAddr::pathname("/".repeat(200)));
    let u = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM);
    assert_eq!(u.connect(&long).await.unwrap_err().kind(), asock::ErrorKind::InvalidInput);
    Ok(())
}

async fn connect_waits_for_a_queued_connection_to_be_accepted(_: Executor) -> Result<()> {
    let scene = stalled();
    let c = tcp(AddressFamily::AF_INET);
    // Free the accept queue a little later: the dropped SYN is retransmitted (after ~1 s)
    // and the connection completes.
    let freer = free_later(scene.listener);
    c.connect(&scene.addr).timeout(PATIENCE).await?;
    assert_eq!(c.peer_addr()?, scene.addr);
    drop(scene.filler);
    freer.done();
    Ok(())
}

/// A failed connect leaves a sticky hang-up in the reactor; connecting the same socket again
/// must neither spin nor hang. (Linux answers the first connect after a failure with
/// `ECONNABORTED`, as Python sees too; the next one starts a new handshake.)
async fn connect_after_a_failed_connect_on_the_same_socket(_: Executor) -> Result<()> {
    let c = tcp(AddressFamily::AF_INET);
    assert_errno(c.connect(refused_addr()).await, libc::ECONNREFUSED);
    assert!(c.backend().is_some() || c.options().take_error()?.is_none());
    let l = listener(AddressFamily::AF_INET);
    let to = l.local_addr()?;
    if let Err(e) = c.connect(&to).timeout(PATIENCE).await {
        assert_eq!(e.raw_os_error(), Some(libc::ECONNABORTED), "{e}");
        c.connect(&to).timeout(PATIENCE).await?;
    }
    let (_, peer) = l.accept().timeout(PATIENCE).await?;
    assert_eq!(peer, c.local_addr()?);
    Ok(())
}

async fn connect_on_a_socket_registered_before_connecting(_: Executor) -> Result<()> {
    let c = tcp(AddressFamily::AF_INET);
    // Waiting on an unconnected TCP socket registers it, and epoll reports a hang-up.
    assert!(c.writable().timeout(Duration::from_millis(20)).await.is_ok());
    assert!(c.backend().is_some());
    let scene = stalled();
    let freer = free_later(scene.listener);
    c.connect(&scene.addr).timeout(PATIENCE).await?;
    assert_eq!(c.peer_addr()?, scene.addr);
    freer.done();
    Ok(())
}

/// A thread that, after 50 ms, accepts one connection from `listener` (making room in its
/// queue) and keeps the listener open until told the test is done.
struct Freer {
    done: std::sync::mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

fn free_later(listener: std::net::TcpListener) -> Freer {
    let (done, wait) = std::sync::mpsc::channel();
    let thread = after(Duration::from_millis(50), move || {
        drop(listener.accept().unwrap());
        let _ = wait.recv_timeout(PATIENCE);
    });
    Freer { done, thread }
}

impl Freer {
    fn done(self) {
        let _ = self.done.send(());
        self.thread.join().unwrap();
    }
}

async fn accept_many_concurrent_connections(_: Executor) -> Result<()> {
    let l = listener(AddressFamily::AF_INET);
    let to = l.local_addr()?;
    let clients: Vec<AsyncSocket> = (0..50).map(|_| tcp(AddressFamily::AF_INET)).collect();
    let connects = futures::future::try_join_all(clients.iter().map(|c| c.connect(&to)));
    let accepts = async {
        let mut peers = Vec::new();
        for _ in 0..50 {
            peers.push(l.accept().await?.1);
        }
        Ok::<_, asock::Error>(peers)
    };
    let (connected, accepted) = futures::join!(connects, accepts);
    connected?;
    let mut peers = accepted?;
    let mut locals: Vec<SockAddr> = clients.iter().map(|c| c.local_addr().unwrap()).collect();
    peers.sort_by_key(|a| a.port());
    locals.sort_by_key(|a| a.port());
    assert_eq!(peers, locals);
    Ok(())
}

async fn a_loopback_connect_completes_without_waiting(_: Executor) -> Result<()> {
    // Over loopback the handshake is over before the first connect(2) returns: a connect
    // that waits asks for the outcome at once and never registers. A non-blocking one still
    // reports the kernel's first answer, as CPython's connect_ex does.
    for (family, host) in
        [(AddressFamily::AF_INET, "127.0.0.1:0"), (AddressFamily::AF_INET6, "[::1]:0")]
    {
        let l = std::net::TcpListener::bind(host).unwrap();
        let to = SockAddr::from(l.local_addr().unwrap());
        let c = AsyncSocket::new(family, SocketKind::SOCK_STREAM, None)?;
        c.connect(&to).await?;
        assert_eq!(c.backend(), None, "{family}: made without a wait");
        assert_eq!(c.peer_addr()?, to);
        let t = AsyncSocket::new(family, SocketKind::SOCK_STREAM, None)?;
        t.connect(&to).timeout(Duration::from_secs(5)).await?;
        assert_eq!(t.backend(), None, "{family}: in timeout mode too");
        let n = AsyncSocket::new(family, SocketKind::SOCK_STREAM, None)?;
        let first = n.connect(&to).nonblocking().await.unwrap_err();
        assert_eq!(first.raw_os_error(), Some(libc::EINPROGRESS), "{family}");
    }
    Ok(())
}

async fn listen_does_not_register(_: Executor) -> Result<()> {
    let l = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, None)?;
    l.bind(addr("127.0.0.1:0"))?;
    l.listen(4)?;
    assert_eq!(l.backend(), None);
    let _c = std::net::TcpStream::connect(l.local_addr()?.as_socket().unwrap()).unwrap();
    pause(10).await;
    // A connection is pending: accept succeeds on its first try, still unregistered.
    l.accept().await?;
    assert_eq!(l.backend(), None);
    assert!(l.accept().timeout(Duration::from_millis(10)).await.is_err());
    assert!(l.backend().is_some(), "registered by the first wait");
    Ok(())
}

#[cfg(test)]
mod accept_errors {
    /// The errors a server loop backs off on.
    #[test]
    fn resource_errors_are_named() {
        for errno in [libc::EMFILE, libc::ENFILE, libc::ENOBUFS, libc::ENOMEM] {
            assert!(asock::Error::from_errno(errno).is_resource_exhausted(), "{errno}");
        }
        for errno in [libc::ECONNABORTED, libc::EAGAIN, libc::EINVAL, libc::EBADF] {
            assert!(!asock::Error::from_errno(errno).is_resource_exhausted(), "{errno}");
        }
    }
}
