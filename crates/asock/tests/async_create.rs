//! Creating, naming, closing and configuring `AsyncSocket`s: the methods that never wait,
//! which an `AsyncSocket` shares with `blocking::Socket`.

mod async_support;
mod reactor_support;

use std::net::Shutdown;
use std::time::Duration;

use asock::{
    AddressFamily, AsyncSocket, MsgFlags, Protocol, Result, SockAddr, SocketKind, UnixAddr,
};
use async_support::*;
use reactor_support::Executor;

on_every_backend!(
    new_gives_a_nonblocking_cloexec_fd_in_the_default_mode,
    sock_nonblock_in_the_kind_means_nonblocking_mode,
    new_reports_the_kernel_errno,
    pair_of_every_kind,
    dup_shares_the_socket_and_the_mode,
    close_is_idempotent_and_every_later_operation_is_ebadf,
    detach_gives_the_fd_up,
    naming_and_shutdown,
    bind_checks_the_family,
    options_are_the_blocking_socket_options,
    raw_options,
    inheritable,
    debug_shows_the_python_repr,
    registration_is_lazy,
);

async fn new_gives_a_nonblocking_cloexec_fd_in_the_default_mode(_: Executor) -> Result<()> {
    let s = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, None)?;
    assert!(fd_is_nonblocking(s.fileno()));
    assert!(!s.inheritable()?);
    assert_eq!(s.timeout(), None);
    assert!(s.is_blocking());
    assert_eq!(
        (s.family(), s.kind(), s.proto()),
        (AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol(0))
    );
    let s =
        AsyncSocket::new(AddressFamily::AF_INET6, SocketKind::SOCK_DGRAM, Protocol::IPPROTO_UDP)?;
    assert_eq!(s.proto(), Protocol::IPPROTO_UDP);
    // `None` and protocol 0 are the same request: the family's default.
    let s = AsyncSocket::new(AddressFamily::AF_INET6, SocketKind::SOCK_DGRAM, Protocol::DEFAULT)?;
    assert_eq!(s.proto(), Protocol(0));
    Ok(())
}

async fn sock_nonblock_in_the_kind_means_nonblocking_mode(_: Executor) -> Result<()> {
    let kind = SocketKind::SOCK_STREAM.with_flags(SocketKind::SOCK_NONBLOCK);
    let s = AsyncSocket::new(AddressFamily::AF_UNIX, kind, None)?;
    assert_eq!(s.kind(), SocketKind::SOCK_STREAM);
    assert_eq!(s.timeout(), Some(Duration::ZERO));
    let (a, _b) = AsyncSocket::pair(AddressFamily::AF_UNIX, kind, None)?;
    assert!(!a.is_blocking());
    assert_would_block(a.recv(&mut [0u8; 1]).await);
    Ok(())
}

async fn new_reports_the_kernel_errno(_: Executor) -> Result<()> {
    let err =
        AsyncSocket::new(AddressFamily::from(4242), SocketKind::SOCK_STREAM, None).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EAFNOSUPPORT));
    assert_errno(
        AsyncSocket::pair(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, None),
        libc::EOPNOTSUPP,
    );
    Ok(())
}

async fn pair_of_every_kind(_: Executor) -> Result<()> {
    for kind in [SocketKind::SOCK_STREAM, SocketKind::SOCK_DGRAM, SocketKind::SOCK_SEQPACKET] {
        let (a, b) = AsyncSocket::pair(AddressFamily::AF_UNIX, kind, None)?;
        assert_eq!((a.kind(), b.kind()), (kind, kind));
        a.send(b"pair").await?;
        assert_eq!(recv_vec(&b, 8).await?, b"pair");
        assert_eq!(b.peer_addr()?, SockAddr::Unix(UnixAddr::Unnamed));
    }
    let (a, b) = asock::async_socket::socketpair()?;
    assert_eq!((a.family(), b.kind()), (AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM));
    Ok(())
}

async fn dup_shares_the_socket_and_the_mode(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    a.set_timeout(Some(Duration::from_secs(3)))?;
    let a2 = a.dup()?;
    assert_ne!(a2.fileno(), a.fileno());
    assert_eq!(a2.timeout(), Some(Duration::from_secs(3)));
    assert_eq!(a2.backend(), None, "its own registration, made when it waits");
    // Both fds wait on the reactor at once.
    let (r1, r2, sent) = futures::join!(recv_vec(&a, 1), recv_vec(&a2, 1), async {
        pause(10).await;
        b.send_all(b"12").await
    });
    sent?;
    let mut got = [r1?, r2?].concat();
    got.sort();
    assert_eq!(got, b"12");
    Ok(())
}

async fn close_is_idempotent_and_every_later_operation_is_ebadf(_: Executor) -> Result<()> {
    let (mut a, _b) = asock::async_socket::socketpair()?;
    a.close()?;
    a.close()?;
    assert!(a.is_closed());
    assert_eq!(a.fileno(), -1);
    assert_eq!(a.backend(), None);
    assert_eq!(a.family(), AddressFamily::AF_UNIX, "attributes survive close");
    let to = abstract_addr("closed");
    let mut buf = [0u8; 4];
    assert_errno(a.recv(&mut buf).await, libc::EBADF);
    assert_errno(a.recv_buf(&mut Vec::with_capacity(4)).await, libc::EBADF);
    assert_errno(a.recv_from(&mut buf).await, libc::EBADF);
    assert_errno(a.send(b"x").await, libc::EBADF);
    assert_errno(a.send_all(b"x").await, libc::EBADF);
    assert_errno(a.send_vectored(&[std::io::IoSlice::new(b"x")]).await, libc::EBADF);
    assert_errno(a.send_to(b"x", &to).await, libc::EBADF);
    assert_errno(a.accept().await.map(|_| ()), libc::EBADF);
    assert_errno(a.connect(&to).await, libc::EBADF);
    assert_errno(a.readable().await, libc::EBADF);
    assert_errno(a.try_recv(&mut buf), libc::EBADF);
    assert_errno(a.try_send(b"x"), libc::EBADF);
    assert_errno(a.try_accept().map(|_| ()), libc::EBADF);
    assert_errno(std::future::poll_fn(|cx| a.poll_recv(cx, &mut buf[..])).await, libc::EBADF);
    assert_errno(a.bind(&to), libc::EBADF);
    assert_errno(a.listen(128), libc::EBADF);
    assert_errno(a.local_addr(), libc::EBADF);
    assert_errno(a.peer_addr(), libc::EBADF);
    assert_errno(a.shutdown(Shutdown::Both), libc::EBADF);
    assert_errno(a.dup().map(|_| ()), libc::EBADF);
    assert_errno(a.options().reuse_address(), libc::EBADF);
    assert_errno(a.options().get_option(libc::SOL_SOCKET, libc::SO_TYPE, 0), libc::EBADF);
    assert_errno(a.inheritable(), libc::EBADF);
    Ok(())
}

async fn detach_gives_the_fd_up(_: Executor) -> Result<()> {
    let (mut a, b) = asock::async_socket::socketpair()?;
    // Registered first, so detach has to deregister.
    assert_would_block(
        a.recv(&mut [0u8; 1])
            .timeout(Duration::from_millis(5))
            .await
            .map_err(|_| asock::Error::from_errno(libc::EAGAIN)),
    );
    let fd = a.detach().expect("open");
    assert!(a.detach().is_none());
    assert!(a.is_closed());
    let again = AsyncSocket::from(fd);
    b.send_all(b"still open").await?;
    assert_eq!(recv_vec(&again, 16).await?, b"still open");
    Ok(())
}

async fn naming_and_shutdown(_: Executor) -> Result<()> {
    let s = tcp(AddressFamily::AF_INET6);
    assert_eq!(s.local_addr()?, addr("[::]:0"));
    s.bind(addr("[::1]:0"))?;
    let bound = s.local_addr()?;
    assert_ne!(bound.port(), Some(0));
    assert_errno(s.bind(addr("[::1]:0")), libc::EINVAL);
    assert_errno(s.peer_addr(), libc::ENOTCONN);
    assert_errno(s.shutdown(Shutdown::Both), libc::ENOTCONN);
    // A backlog beyond the kernel's int is its largest (negative backlogs, Python's, are
    // blocking::Socket's: tests/blocking_errors.rs).
    s.listen(u32::MAX)?;
    assert!(s.options().is_listener()?);
    let z = tcp(AddressFamily::AF_INET);
    z.bind(addr("127.0.0.1:0"))?;
    z.listen(0)?;
    assert!(z.options().is_listener()?);
    let (c, d) = tcp_pair(AddressFamily::AF_INET).await?;
    c.shutdown(Shutdown::Write)?;
    assert_eq!(recv_vec(&d, 8).await?, b"");
    d.shutdown(Shutdown::Read)?;
    Ok(())
}

async fn bind_checks_the_family(_: Executor) -> Result<()> {
    let s = tcp(AddressFamily::AF_INET);
    assert_errno(s.bind(addr("[::1]:0")), libc::EAFNOSUPPORT);
    let long = SockAddr::Unix(UnixAddr::pathname("/".repeat(200)));
    let u = sock(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM);
    assert_eq!(u.bind(&long).unwrap_err().kind(), asock::ErrorKind::InvalidInput);
    Ok(())
}

async fn options_are_the_blocking_socket_options(_: Executor) -> Result<()> {
    let t4 = tcp(AddressFamily::AF_INET);
    t4.options().set_reuse_address(true)?;
    assert!(t4.options().reuse_address()?);
    t4.options().set_reuse_port(true)?;
    assert!(t4.options().reuse_port()?);
    t4.options().set_keepalive(true)?;
    assert!(t4.options().keepalive()?);
    t4.options().set_send_buffer_size(1 << 16)?;
    assert!(t4.options().send_buffer_size()? >= 1 << 16);
    t4.options().set_recv_buffer_size(1 << 16)?;
    assert!(t4.options().recv_buffer_size()? >= 1 << 16);
    t4.options().set_linger(Some(Duration::from_secs(2)))?;
    assert_eq!(t4.options().linger()?, Some(Duration::from_secs(2)));
    assert_eq!(t4.options().bind_device()?, None);
    t4.options().set_ttl(33)?;
    assert_eq!(t4.options().ttl()?, 33);
    t4.options().set_tos(0x10)?;
    assert_eq!(t4.options().tos()?, 0x10);
    t4.options().set_nodelay(true)?;
    assert!(t4.options().nodelay()?);
    t4.options().set_keepalive_time(Duration::from_secs(70))?;
    assert_eq!(t4.options().keepalive_time()?, Duration::from_secs(70));
    t4.options().set_keepalive_interval(Duration::from_secs(9))?;
    assert_eq!(t4.options().keepalive_interval()?, Duration::from_secs(9));
    t4.options().set_keepalive_retries(4)?;
    assert_eq!(t4.options().keepalive_retries()?, 4);
    assert!(t4.options().take_error()?.is_none());
    assert!(!t4.options().is_listener()?);
    let u4 = bound_udp(AddressFamily::AF_INET);
    u4.options().set_broadcast(true)?;
    assert!(u4.options().broadcast()?);
    u4.options().set_multicast_ttl_v4(5)?;
    assert_eq!(u4.options().multicast_ttl_v4()?, 5);
    u4.options().set_multicast_loop_v4(false)?;
    assert!(!u4.options().multicast_loop_v4()?);
    let t6 = tcp(AddressFamily::AF_INET6);
    t6.options().set_only_v6(true)?;
    assert!(t6.options().only_v6()?);
    t6.options().set_unicast_hops_v6(12)?;
    assert_eq!(t6.options().unicast_hops_v6()?, 12);
    let u6 = bound_udp(AddressFamily::AF_INET6);
    u6.options().set_multicast_hops_v6(3)?;
    assert_eq!(u6.options().multicast_hops_v6()?, 3);
    u6.options().set_multicast_loop_v6(false)?;
    assert!(!u6.options().multicast_loop_v6()?);
    // Family-specific options on the other family: whatever blocking::Socket says.
    let b4 = asock::blocking::Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, None)?;
    let errno = |r: Result<bool>| r.map_err(|e| e.raw_os_error());
    assert_eq!(errno(u4.options().only_v6()), errno(b4.options().only_v6()));
    assert!(u4.options().only_v6().is_err());
    let (c, _s) = tcp_pair(AddressFamily::AF_INET).await?;
    assert_eq!(c.options().tcp_info()?.state, 1);
    Ok(())
}

async fn raw_options(_: Executor) -> Result<()> {
    use asock::OptionValue;
    let (a, _b) = asock::async_socket::socketpair()?;
    assert_eq!(
        a.options().get_option(libc::SOL_SOCKET, libc::SO_TYPE, 0)?,
        OptionValue::Int(libc::SOCK_STREAM)
    );
    a.options().set_option(libc::SOL_SOCKET, libc::SO_RCVBUF, 32768)?;
    assert!(a.options().recv_buffer_size()? >= 32768);
    assert!(
        a.options().get_option(libc::SOL_SOCKET, libc::SO_TYPE, 2000).is_err(),
        "buflen over 1024"
    );
    Ok(())
}

async fn inheritable(_: Executor) -> Result<()> {
    let (a, _b) = asock::async_socket::socketpair()?;
    assert!(!a.inheritable()?);
    a.set_inheritable(true)?;
    assert!(a.inheritable()?);
    a.set_inheritable(false)?;
    assert!(!a.inheritable()?);
    Ok(())
}

async fn debug_shows_the_python_repr(_: Executor) -> Result<()> {
    let l = listener(AddressFamily::AF_INET);
    let text = format!("{l:?}");
    assert!(
        text.starts_with(&format!(
            "<AsyncSocket fd={}, family=AF_INET, type=SOCK_STREAM, proto=0, laddr=127.0.0.1:",
            l.fileno()
        )),
        "{text}"
    );
    assert!(text.ends_with("mode=Blocking, backend=None>"), "{text}");
    let (mut a, _b) = asock::async_socket::socketpair()?;
    a.close()?;
    assert!(format!("{a:?}").starts_with("<AsyncSocket [closed] fd=-1, family=AF_UNIX"));
    // The futures show their fd and mode.
    let (c, _d) = asock::async_socket::socketpair()?;
    let mut buf = [0u8; 8];
    let recv = c.recv(&mut buf).nonblocking();
    let text = format!("{recv:?}");
    assert!(text.starts_with(&format!("RecvFuture(OpFuture {{ fd: {}, ", c.fileno())), "{text}");
    assert!(text.contains("NonBlocking"), "{text}");
    Ok(())
}

async fn registration_is_lazy(executor: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    a.send_all(b"at once").await?;
    assert_eq!(recv_vec(&b, 16).await?, b"at once");
    assert_eq!((a.backend(), b.backend()), (None, None), "nothing had to wait");
    let (got, sent) = futures::join!(recv_vec(&b, 16), async {
        pause(10).await;
        a.send_all(b"later").await
    });
    sent?;
    assert_eq!(got?, b"later");
    assert_eq!(b.backend(), Some(executor.backend()));
    assert_eq!(a.backend(), None);
    Ok(())
}

/// Compile-time: sockets are shareable across threads, and their futures can be spawned.
#[test]
fn sockets_and_futures_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>(_: &T) {}
    send_sync::<AsyncSocket>();
    send_sync::<asock::async_socket::OwnedReadHalf>();
    let (a, _b) = asock::async_socket::socketpair().unwrap();
    let to = abstract_addr("send");
    send(&a.recv(&mut [0u8; 4]));
    send(&a.recv_buf(&mut Vec::with_capacity(4)));
    send(&a.recv_from(&mut [0u8; 4]));
    send(&a.send(b"x"));
    send(&a.send_all(b"x"));
    send(&a.send_to(b"x", &to));
    send(&a.send_vectored(&[std::io::IoSlice::new(b"x")]));
    send(&a.recv_msg(&mut [std::io::IoSliceMut::new(&mut [0u8; 4])], 0, MsgFlags::empty()));
    send(&a.recv_fds(&mut [0u8; 4], 1, MsgFlags::empty()));
    send(&a.accept());
    send(&a.connect(&to));
    send(&a.readable());
    send(&a.ready(asock::reactor::Interest::WRITABLE));
    let file = std::fs::File::open("/dev/null").unwrap();
    send(&a.send_file(&file, 0, None));
}
