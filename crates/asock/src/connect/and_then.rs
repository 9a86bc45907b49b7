//! Moving the success point of an attempt: [`ConnectExt::and_then`] chains a step onto a
//! connector, [`first_byte`] is one such step.
//!
//! RFC 8305 counts an attempt as won when TCP connects; the Happy Eyeballs v3 draft counts it
//! at the end of the TLS handshake, and a server that accepts and then says nothing is no
//! better than one that never answers. The race counts whatever the connector's future
//! returns: a connector with a step chained on wins only when the step succeeds, and a step
//! that fails is an attempt that failed (recorded against the address; the next one starts at
//! once if it was the latest).

use std::future::Future;

use super::Connect;
use crate::async_socket::AsyncSocket;
use asock_core::{Error, Result, SockAddr};

/// Chains steps onto a [`Connect`]or. Implemented for every connector.
pub trait ConnectExt: Connect + Sized {
    /// A connector whose attempts connect with `self`, then run `step` on the connected
    /// stream; the attempt succeeds with what `step` returns.
    ///
    /// ```
    /// use asock::connect::{happy_eyeballs_to, first_byte, AsyncConnector, ConnectExt, ConnectOptions};
    ///
    /// # asock::block_on(async {
    /// let server = asock::create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
    /// let addrs = [server.local_addr()?];
    /// let greeted = AsyncConnector.and_then(first_byte);
    /// let options = ConnectOptions::new();
    /// let race = happy_eyeballs_to(&greeted, &addrs, &options);
    /// let serve = async {
    ///     let (conn, _) = server.accept().await?;
    ///     conn.send_all(b"220 ready\r\n").await?;
    ///     Ok::<_, asock::Error>(conn)
    /// };
    /// let (client, _conn) = futures::try_join!(race, serve)?;
    /// let mut buf = [0; 64];
    /// let n = client.recv(&mut buf).await?;
    /// assert_eq!(&buf[..n], b"220 ready\r\n"); // peeked, not taken
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    fn and_then<F, Fut, T>(self, step: F) -> AndThen<Self, F>
    where
        F: Fn(Self::Stream) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        AndThen { connector: self, step }
    }
}

impl<C: Connect> ConnectExt for C {}

/// A connector followed by a step: see [`ConnectExt::and_then`].
#[derive(Debug, Clone, Copy)]
pub struct AndThen<C, F> {
    connector: C,
    step: F,
}

impl<C, F, Fut, T> Connect for AndThen<C, F>
where
    C: Connect,
    F: Fn(C::Stream) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    type Stream = T;

    /// Connects with the inner connector, then runs the step.
    ///
    /// # Errors
    ///
    /// The inner connector's error, else the step's.
    ///
    /// # Cancel safety
    ///
    /// As the inner connector's and the step's futures: dropped mid-step, the stream is
    /// dropped (closed) with the step's future.
    fn connect(&self, addr: SockAddr, source: Option<SockAddr>) -> impl Future<Output = Result<T>> {
        let connecting = self.connector.connect(addr, source);
        async move { (self.step)(connecting.await?).await }
    }
}

/// A step for [`ConnectExt::and_then`]: succeeds once the peer's first byte has arrived
/// (peeked with `MSG_PEEK`, so the caller still reads it), for protocols where the server
/// speaks first (SMTP, FTP, SSH, ...).
///
/// It waits with no deadline of its own, whatever the socket's mode: the race's timeout bounds
/// it.
///
/// # Errors
///
/// The error `recv` fails with, or `ECONNRESET` when the peer closes before sending anything
/// (an end of stream is no greeting).
///
/// # Cancel safety
///
/// Cancel safe: nothing is read; dropping the future drops (closes) the socket.
pub async fn first_byte(sock: AsyncSocket) -> Result<AsyncSocket> {
    let peeked =
        sock.recv_with_flags(&mut [0; 1], asock_core::MsgFlags::MSG_PEEK).blocking().await?;
    if peeked == 0 {
        return Err(Error::from_errno(libc::ECONNRESET));
    }
    Ok(sock)
}
