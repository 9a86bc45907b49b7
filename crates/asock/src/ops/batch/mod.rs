//! Batched UDP: many datagrams per system call (`sendmmsg` / `recvmmsg`), and many datagrams
//! per message (GSO on send, GRO on receive), with each datagram's metadata.
//!
//! Sending and receiving a datagram at a time costs a system call each: around a
//! microsecond of the kernel's time per datagram before any byte is copied. Linux offers two
//! ways to pay that once for many:
//!
//! - **batches**: [`try_send_batch`] and [`try_recv_batch`] move up to 64 messages, each
//!   with its own address, length, flags and control messages, in one `sendmmsg(2)` /
//!   `recvmmsg(2)`;
//! - **segmentation offload**: a [`Transmit`] with a [`segment_size`](Transmit::segment_size)
//!   is a train of equal-sized datagrams to one destination that the kernel sends as one
//!   (GSO, `UDP_SEGMENT`) and cuts apart as late as it can, in the network card where it
//!   can; on receive, with [`BatchState::set_gro`], the kernel hands over consecutive
//!   datagrams of one sender as one message (GRO, `UDP_GRO`) with their size in
//!   [`RecvMeta::segment_size`].
//!
//! Both are one try: they never wait, and return the kernel's `EAGAIN` when not ready, for the
//! caller to wait its own way. They take the socket as a [`BorrowedFd`](std::os::fd::BorrowedFd),
//! with a [`BatchState`] made once per socket, which holds what the kernel can do
//! ([`capabilities`], detected at run time) and the GSO fallback.
//!
//! ```
//! use std::io::IoSliceMut;
//! use std::net::UdpSocket;
//! use std::os::fd::AsFd;
//! use asock::batch::{try_recv_batch, try_send_batch, BatchState, RecvMeta, Transmit};
//!
//! let a = UdpSocket::bind("127.0.0.1:0")?;
//! let b = UdpSocket::bind("127.0.0.1:0")?;
//! let (sa, sb) = (BatchState::new(a.as_fd())?, BatchState::new(b.as_fd())?);
//!
//! // Ten 1200-byte datagrams as one GSO train, and one more on its own.
//! let train = vec![7u8; 12_000];
//! let batch = [
//!     Transmit::to(b.local_addr()?, &train).with_segment_size(1200),
//!     Transmit::to(b.local_addr()?, b"last"),
//! ];
//! assert_eq!(try_send_batch(a.as_fd(), &sa, &batch)?, 11);
//!
//! // Without GRO each datagram arrives as a message of its own.
//! let mut storage = vec![[0u8; 1500]; 16];
//! let mut bufs: Vec<_> = storage.iter_mut().map(|b| IoSliceMut::new(b)).collect();
//! let mut metas = [RecvMeta::default(); 16];
//! let mut got = 0;
//! while got < 11 {
//!     got += try_recv_batch(b.as_fd(), &sb, &mut bufs[got..], &mut metas[got..])?;
//! }
//! assert!(metas[..10].iter().all(|m| m.len == 1200 && !m.truncated));
//! assert_eq!(&bufs[10][..metas[10].len], b"last");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! docs/batched-udp.md has the whole story: when each path pays, the fallback, buffer sizes,
//! and the figures.

mod capabilities;
mod ecn;
mod op;
mod recv;
mod recv_meta;
mod send;
mod state;
mod transmit;

pub use capabilities::{capabilities, Capabilities};
pub use ecn::Ecn;
pub use recv::{try_recv_batch, GRO_BUFFER_MIN};
pub use recv_meta::RecvMeta;
pub use send::{try_send_batch, IPV4_GSO_LIMIT, IPV6_GSO_LIMIT};
pub use state::BatchState;
pub use transmit::{unsent, Transmit, Unsent};

pub(crate) use op::{RecvBatch, SendBatch};
