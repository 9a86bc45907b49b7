//! The process-wide default timeout (Python's `setdefaulttimeout`) and `AsyncSocket`: new,
//! paired, accepted and adopted sockets start with it; a `blocking::Socket` brings its own
//! mode; `SOCK_NONBLOCK` wins. The default is process-wide, so this binary holds one test.

mod async_support;
mod reactor_support;

use std::os::fd::AsFd;
use std::time::Duration;

use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
use async_support::*;
use reactor_support::{run, Executor};

async fn sockets_start_in_the_default_mode(_: Executor) -> asock::Result<()> {
    let two = Some(Duration::from_secs(2));
    asock::set_default_timeout(two)?;

    let s = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol(0))?;
    assert_eq!(s.timeout(), two);
    let (a, b) = asock::async_socket::socketpair()?;
    assert_eq!((a.timeout(), b.timeout()), (two, two));

    // Accepted: the default, not the listener's mode.
    let l = listener(AddressFamily::AF_INET);
    l.set_timeout(None)?;
    let c = tcp(AddressFamily::AF_INET);
    let to = l.local_addr()?;
    let (connected, accepted) = futures::join!(c.connect(&to), l.accept());
    connected?;
    assert_eq!(accepted?.0.timeout(), two);

    // Adopted: the default.
    let std_socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    assert_eq!(AsyncSocket::from_fd(std_socket.as_fd())?.timeout(), two);
    assert_eq!(AsyncSocket::from(std_socket).timeout(), two);

    // From a blocking socket: its own mode (made before the default changed).
    asock::set_default_timeout(None)?;
    let (x, _y) = asock::blocking::socketpair()?;
    asock::set_default_timeout(two)?;
    assert_eq!(AsyncSocket::from(x).timeout(), None);

    // SOCK_NONBLOCK in the kind wins over the default.
    let kind = SocketKind::SOCK_DGRAM.with_flags(SocketKind::SOCK_NONBLOCK);
    let n = AsyncSocket::new(AddressFamily::AF_INET, kind, Protocol(0))?;
    assert_eq!(n.timeout(), Some(Duration::ZERO));

    // A default of zero: non-blocking mode for new sockets, which then never wait.
    asock::set_default_timeout(Some(Duration::ZERO))?;
    let (p, _q) = asock::async_socket::socketpair()?;
    assert!(!p.is_blocking());
    assert_would_block(p.recv(&mut [0u8; 1]).await);

    // Sockets made earlier keep their mode.
    assert_eq!(s.timeout(), two);
    asock::set_default_timeout(None)?;
    let (u, _v) = asock::async_socket::socketpair()?;
    assert_eq!(u.timeout(), None);
    Ok(())
}

#[test]
fn sockets_start_in_the_process_wide_default_mode() {
    for executor in [Executor::Asock, Executor::Futures, Executor::Tokio] {
        run(executor, sockets_start_in_the_default_mode);
    }
}
