//! Batched UDP on the typed [`UdpSocket`]: `sendmmsg` / `recvmmsg`, GSO and GRO (see
//! [`asock::batch`](crate::batch)), the same operations as on
//! [`AsyncSocket`](crate::AsyncSocket), waiting in the socket's mode.
//!
//! The [`BatchState`] (what the kernel can do, the GSO fallback, whether GRO is on) is the
//! caller's to keep beside the socket, as quinn-udp keeps its `UdpSocketState`:
//! [`UdpSocket::batch_state`] makes it.

use std::io::IoSliceMut;
use std::os::fd::AsFd;

use super::UdpSocket;
use crate::async_socket::{RecvBatchFuture, SendBatchFuture};
use crate::ops::batch::{BatchState, RecvMeta, Transmit};
use asock_core::Result;

impl UdpSocket {
    /// Probes what this socket can batch (GSO segments, whether GRO is on) and starts its
    /// GSO fallback state: keep it beside the socket and hand it to every batch call.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let sock = asock::net::UdpSocket::bind("127.0.0.1:0").await?;
    /// let state = sock.batch_state()?;
    /// println!("up to {} segments per GSO send", state.max_gso_segments());
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of the `getsockopt(2)` probes (`EBADF` when the socket is closed).
    pub fn batch_state(&self) -> Result<BatchState> {
        BatchState::new(self.as_fd())
    }

    /// Sends `batch` with one `sendmmsg(2)` (a GSO train counts as one message), waiting
    /// for room first if the send buffer is full: how many went, always the first ones. A
    /// short count is the kernel's; send the rest ([`batch::unsent`](crate::batch::unsent))
    /// with another call. As [`AsyncSocket::send_batch`](crate::AsyncSocket::send_batch).
    ///
    /// ```
    /// use asock::batch::Transmit;
    /// use asock::net::UdpSocket;
    ///
    /// # asock::block_on(async {
    /// let (tx, rx) = (UdpSocket::bind("127.0.0.1:0").await?, UdpSocket::bind("127.0.0.1:0").await?);
    /// let to = rx.local_addr()?;
    /// let state = tx.batch_state()?;
    /// let batch = [Transmit::to(to, b"one"), Transmit::to(to, b"two")];
    /// assert_eq!(tx.send_batch(&state, &batch).await?, 2);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Those of [`batch::try_send_batch`](crate::batch::try_send_batch) when nothing was
    /// sent; `EAGAIN` or "timed out" by the mode; `EBADF` when closed.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the future completes as soon as one `sendmmsg` sends anything, so a
    /// dropped `send_batch` has sent nothing.
    pub fn send_batch<'a>(
        &'a self,
        state: &'a BatchState,
        batch: &'a [Transmit<'a>],
    ) -> SendBatchFuture<'a> {
        self.as_socket().send_batch(state, batch)
    }

    /// Receives up to `bufs.len()` datagrams (at most 64) with one `recvmmsg(2)`, waiting
    /// for the first: how many, each described by its [`RecvMeta`] (length, sender, GRO
    /// segment size, truncation, ECN, destination, timestamp). As
    /// [`AsyncSocket::recv_batch`](crate::AsyncSocket::recv_batch).
    ///
    /// ```
    /// use std::io::IoSliceMut;
    /// use asock::batch::RecvMeta;
    /// use asock::net::UdpSocket;
    ///
    /// # asock::block_on(async {
    /// let (tx, rx) = (UdpSocket::bind("127.0.0.1:0").await?, UdpSocket::bind("127.0.0.1:0").await?);
    /// tx.send_to(b"hello", rx.local_addr()?).await?;
    /// let state = rx.batch_state()?;
    /// let mut storage = [[0u8; 1500]; 4];
    /// let mut bufs: Vec<_> = storage.iter_mut().map(|b| IoSliceMut::new(b)).collect();
    /// let mut metas = [RecvMeta::default(); 4];
    /// let n = rx.recv_batch(&state, &mut bufs, &mut metas).await?;
    /// assert_eq!((n, metas[0].len), (1, 5));
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Those of [`batch::try_recv_batch`](crate::batch::try_recv_batch); `EAGAIN` or "timed
    /// out" by the mode; `EBADF` when closed.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: no datagram is taken unless the future completes.
    pub fn recv_batch<'a, 'b>(
        &'a self,
        state: &'a BatchState,
        bufs: &'a mut [IoSliceMut<'b>],
        metas: &'a mut [RecvMeta],
    ) -> RecvBatchFuture<'a, 'b> {
        self.as_socket().recv_batch(state, bufs, metas)
    }

    /// [`send_batch`](Self::send_batch) without waiting, whatever the mode.
    ///
    /// ```
    /// use asock::batch::Transmit;
    /// use asock::net::UdpSocket;
    ///
    /// # asock::block_on(async {
    /// let (tx, rx) = (UdpSocket::bind("127.0.0.1:0").await?, UdpSocket::bind("127.0.0.1:0").await?);
    /// let state = tx.batch_state()?;
    /// assert_eq!(tx.try_send_batch(&state, &[Transmit::to(rx.local_addr()?, b"x")])?, 1);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send_batch`](Self::send_batch); `EAGAIN` when the send buffer is full.
    pub fn try_send_batch(&self, state: &BatchState, batch: &[Transmit<'_>]) -> Result<usize> {
        self.as_socket().try_send_batch(state, batch)
    }

    /// [`recv_batch`](Self::recv_batch) without waiting, whatever the mode.
    ///
    /// ```
    /// use std::io::IoSliceMut;
    /// use asock::batch::RecvMeta;
    ///
    /// # asock::block_on(async {
    /// let rx = asock::net::UdpSocket::bind("127.0.0.1:0").await?;
    /// let state = rx.batch_state()?;
    /// let mut storage = [0u8; 1500];
    /// let mut metas = [RecvMeta::default(); 1];
    /// let err = rx.try_recv_batch(&state, &mut [IoSliceMut::new(&mut storage)], &mut metas);
    /// assert!(err.unwrap_err().is_would_block()); // nothing queued
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`recv_batch`](Self::recv_batch); `EAGAIN` when nothing is queued.
    pub fn try_recv_batch(
        &self,
        state: &BatchState,
        bufs: &mut [IoSliceMut<'_>],
        metas: &mut [RecvMeta],
    ) -> Result<usize> {
        self.as_socket().try_recv_batch(state, bufs, metas)
    }
}
