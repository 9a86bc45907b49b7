//! [`AsyncConnector`]: one attempt of the async race, with an [`AsyncSocket`].

use super::Connect;
use crate::async_socket::AsyncSocket;
use crate::mode::default_mode;
use crate::ops::connect::{attempt_socket, tcp_shape};
use asock_core::{Result, SockAddr};

/// Connects an [`AsyncSocket`]: the [`Connect`] that [`create_connection`] races with.
///
/// Each attempt creates a non-blocking TCP socket of the address's family, binds it to the
/// source address when there is one (with `IP_BIND_ADDRESS_NO_PORT` for port 0, so the kernel
/// picks the port at `connect` time), and connects it on the reactor of the calling context:
/// tokio's inside a tokio runtime, asock's own anywhere else. The attempt waits with no
/// deadline of its own; the race's `timeout` bounds it. The socket it returns is in the
/// default mode ([`default_timeout`](crate::default_timeout)); [`create_connection`] then sets
/// the mode from its options.
///
/// Use it with [`happy_eyeballs`](super::happy_eyeballs) to race `AsyncSocket`s with a
/// resolver and options of one's own.
///
/// ```
/// use asock::connect::{AsyncConnector, Connect};
///
/// # asock::block_on(async {
/// let listener = asock::create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
/// let sock = AsyncConnector.connect(listener.local_addr()?, None).await?;
/// assert_eq!(sock.peer_addr()?, listener.local_addr()?);
/// # Ok::<(), asock::Error>(())
/// # })?;
/// # Ok::<(), asock::Error>(())
/// ```
///
/// [`create_connection`]: crate::create_connection
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct AsyncConnector;

impl Connect for AsyncConnector {
    type Stream = AsyncSocket;

    /// Creates, binds (to `source`, if given) and connects one TCP `AsyncSocket`.
    ///
    /// # Errors
    ///
    /// The errno of `socket(2)`, `bind(2)` (`EADDRINUSE`, `EADDRNOTAVAIL`, ...) or of the
    /// connect (`ECONNREFUSED`, `ENETUNREACH`, `ETIMEDOUT`, ...).
    ///
    /// # Cancel safety
    ///
    /// The future owns the socket: dropping it closes the socket, which aborts the connect.
    async fn connect(&self, addr: SockAddr, source: Option<SockAddr>) -> Result<AsyncSocket> {
        let fd = attempt_socket(&addr, source.as_ref())?;
        let sock = AsyncSocket::from_fd_parts(fd, tcp_shape(&addr), default_mode());
        // No deadline of the attempt's own, whatever the default mode: the race times out.
        sock.connect(addr).blocking().await?;
        Ok(sock)
    }
}
