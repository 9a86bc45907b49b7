//! quinn-udp's GSO/GRO path (`quinn-udp-gso-gro`): `UdpSocketState::try_send` of trains as
//! long as one send may carry, `recv` into 64 KiB buffers with GRO (quinn-udp turns it on
//! itself). It is the reference asock's GSO/GRO path is measured against: what QUIC stacks
//! use.

use std::io::{self, IoSliceMut};
use std::net::{SocketAddr, UdpSocket};
use std::time::Instant;

use quinn_udp::{RecvMeta, Transmit, UdpSockRef, UdpSocketState};

use super::{loopback_pair, payload, Flood, Received, BURST, GSO_LIMIT, QUIET};

struct Quinn {
    tx: UdpSocket,
    rx: UdpSocket,
    tx_state: UdpSocketState,
    rx_state: UdpSocketState,
    to: SocketAddr,
    round: Vec<u8>,
    payload: usize,
    train: usize,
    bufs: Vec<Vec<u8>>,
    metas: Vec<RecvMeta>,
}

/// quinn-udp's GSO/GRO path for `payload`-byte datagrams.
///
/// # Errors
///
/// Setting up the sockets failed, or quinn-udp sees no GSO or GRO on this kernel
/// (`Unsupported`).
pub fn flood(payload_len: usize) -> io::Result<Box<dyn Flood>> {
    let (tx, rx, to) = loopback_pair()?;
    // quinn-udp makes both sockets non-blocking.
    let tx_state = UdpSocketState::new(UdpSockRef::from(&tx))?;
    let rx_state = UdpSocketState::new(UdpSockRef::from(&rx))?;
    if tx_state.max_gso_segments() < 2 || rx_state.gro_segments() < 2 {
        return Err(io::Error::new(io::ErrorKind::Unsupported, "quinn-udp sees no GSO/GRO"));
    }
    let train = tx_state.max_gso_segments().min(GSO_LIMIT / payload_len).max(1);
    let slots = quinn_udp::BATCH_SIZE.min(32);
    Ok(Box::new(Quinn {
        tx,
        rx,
        tx_state,
        rx_state,
        to,
        round: payload(payload_len).repeat(BURST),
        payload: payload_len,
        train,
        bufs: vec![vec![0; 65_535]; slots],
        metas: vec![RecvMeta::default(); slots],
    }))
}

impl Flood for Quinn {
    fn round(&mut self) -> io::Result<Received> {
        for contents in self.round.chunks(self.payload * self.train) {
            let transmit = Transmit {
                destination: self.to,
                ecn: None,
                contents,
                segment_size: (contents.len() > self.payload).then_some(self.payload),
                src_ip: None,
            };
            loop {
                match self.tx_state.try_send(UdpSockRef::from(&self.tx), &transmit) {
                    Ok(()) => break,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::hint::spin_loop(),
                    Err(e) => return Err(e),
                }
            }
        }
        let mut got = Received::default();
        let mut last = Instant::now();
        while got.datagrams < BURST {
            let mut bufs: Vec<IoSliceMut<'_>> =
                self.bufs.iter_mut().map(|b| IoSliceMut::new(b)).collect();
            match self.rx_state.recv(UdpSockRef::from(&self.rx), &mut bufs, &mut self.metas) {
                Ok(k) => {
                    for m in &self.metas[..k] {
                        got.add(m.len, m.len.div_ceil(m.stride.max(1)), self.payload)?;
                    }
                    last = Instant::now();
                }
                // Non-blocking: wait for the rest by polling, up to QUIET.
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    if last.elapsed() > QUIET {
                        break;
                    }
                    std::hint::spin_loop();
                }
                Err(e) => return Err(e),
            }
        }
        Ok(got)
    }
}
