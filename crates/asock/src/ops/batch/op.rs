//! The batch operations as [`Op`]s, so both front doors run them with their own wait: one
//! `sendmmsg` / `recvmmsg` per attempt, `WouldBlock` waiting for the socket's readiness.

use std::io::IoSliceMut;

use super::{try_recv_batch, try_send_batch, BatchState, RecvMeta, Transmit};
use crate::ops::{Interest, Op, Progress, Step, Target};
use asock_core::Result;

/// One `sendmmsg` of `batch`: the number of datagrams that went (the first ones, in order).
/// It completes as soon as one attempt sends anything, so a caller that is dropped before it
/// completes has sent nothing.
#[derive(Debug)]
pub(crate) struct SendBatch<'s, 'b, 'a> {
    pub(crate) state: &'s BatchState,
    pub(crate) batch: &'b [Transmit<'a>],
}

impl Op for SendBatch<'_, '_, '_> {
    type Output = usize;

    fn interest(&self) -> Interest {
        Interest::WRITABLE
    }

    fn attempt(&mut self, target: Target<'_>) -> Result<(Step<usize>, Progress)> {
        let sent = try_send_batch(target.fd, self.state, self.batch)?;
        Ok((Step::Done(sent), Progress::More))
    }
}

/// One `recvmmsg` into `bufs` with a `RecvMeta` each: the number of messages received.
#[derive(Debug)]
pub(crate) struct RecvBatch<'s, 'd, 'b> {
    pub(crate) state: &'s BatchState,
    pub(crate) bufs: &'d mut [IoSliceMut<'b>],
    pub(crate) metas: &'d mut [RecvMeta],
}

impl Op for RecvBatch<'_, '_, '_> {
    type Output = usize;

    fn interest(&self) -> Interest {
        Interest::READABLE
    }

    fn attempt(&mut self, target: Target<'_>) -> Result<(Step<usize>, Progress)> {
        let got = try_recv_batch(target.fd, self.state, self.bufs, self.metas)?;
        Ok((Step::Done(got), Progress::More))
    }
}
