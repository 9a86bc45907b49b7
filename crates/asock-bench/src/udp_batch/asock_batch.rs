//! asock's two paths, `asock::batch` called directly on blocking fds:
//!
//! - `asock-batch-32`: [`try_send_batch`] / [`try_recv_batch`] with 32 entries per call,
//!   as the raw loop;
//! - `asock-gso-gro`: the round as GSO trains (as long as one send may carry), received
//!   with GRO into 64 KiB buffers.

use std::io::{self, IoSliceMut};
use std::net::{SocketAddr, UdpSocket};
use std::os::fd::AsFd;

use asock::batch::{
    try_recv_batch, try_send_batch, unsent, BatchState, RecvMeta, Transmit, GRO_BUFFER_MIN,
};

use super::{is_quiet, loopback_pair, payload, Flood, Received, BURST, GSO_LIMIT};

/// Entries per call of the batch path, as the raw loop.
const BATCH: usize = 32;

struct AsockFlood {
    tx: UdpSocket,
    rx: UdpSocket,
    tx_state: BatchState,
    rx_state: BatchState,
    to: SocketAddr,
    /// The round's datagrams, back to back.
    round: Vec<u8>,
    payload: usize,
    /// Datagrams per GSO train; 1 for the batch path.
    train: usize,
    bufs: Vec<Vec<u8>>,
    metas: Vec<RecvMeta>,
}

/// The batch path for `payload`-byte datagrams.
///
/// # Errors
///
/// Setting up the sockets failed.
pub fn batch_flood(payload_len: usize) -> io::Result<Box<dyn Flood>> {
    make(payload_len, false)
}

/// The GSO/GRO path for `payload`-byte datagrams.
///
/// # Errors
///
/// Setting up the sockets failed, or the kernel has no GSO or GRO.
pub fn gso_flood(payload_len: usize) -> io::Result<Box<dyn Flood>> {
    make(payload_len, true)
}

fn make(payload_len: usize, gso: bool) -> io::Result<Box<dyn Flood>> {
    let (tx, rx, to) = loopback_pair()?;
    let tx_state = BatchState::new(tx.as_fd())?;
    let rx_state = BatchState::new(rx.as_fd())?;
    let train = if gso {
        if !tx_state.gso_enabled() || !asock::batch::capabilities().gro {
            return Err(io::Error::new(io::ErrorKind::Unsupported, "no UDP GSO/GRO here"));
        }
        rx_state.set_gro(rx.as_fd(), true)?;
        tx_state.max_gso_segments().min(GSO_LIMIT / payload_len).max(1)
    } else {
        1
    };
    let buf_len = if gso { GRO_BUFFER_MIN } else { 2048.max(payload_len) };
    let one = payload(payload_len);
    Ok(Box::new(AsockFlood {
        tx,
        rx,
        tx_state,
        rx_state,
        to,
        round: one.repeat(BURST),
        payload: payload_len,
        train,
        bufs: vec![vec![0; buf_len]; BATCH],
        metas: vec![RecvMeta::default(); BATCH],
    }))
}

impl Flood for AsockFlood {
    fn round(&mut self) -> io::Result<Received> {
        let chunk = self.payload * self.train;
        let segment = (self.train > 1).then_some(self.payload);
        let transmits: Vec<Transmit<'_>> = self
            .round
            .chunks(chunk)
            .map(|contents| Transmit { segment_size: segment, ..Transmit::to(self.to, contents) })
            .collect();
        let batch = &transmits[..];
        let mut sent = 0;
        while sent < BURST {
            // At most BATCH entries per call, the rest of a train cut short first.
            let left = unsent(batch, sent);
            let entries = match &left.partial {
                Some(partial) => std::slice::from_ref(partial),
                None => &left.rest[..left.rest.len().min(BATCH)],
            };
            sent += try_send_batch(self.tx.as_fd(), &self.tx_state, entries)?;
        }

        let mut got = Received::default();
        while got.datagrams < BURST {
            let mut bufs: Vec<IoSliceMut<'_>> =
                self.bufs.iter_mut().map(|b| IoSliceMut::new(b)).collect();
            match try_recv_batch(self.rx.as_fd(), &self.rx_state, &mut bufs, &mut self.metas) {
                Ok(k) => {
                    for m in &self.metas[..k] {
                        got.add(m.len, m.datagrams(), self.payload)?;
                    }
                }
                Err(e) => {
                    let e = io::Error::from(e);
                    if is_quiet(&e) {
                        break;
                    }
                    return Err(e);
                }
            }
        }
        Ok(got)
    }
}
