//! An operation of the caller's own: a closure doing its own system call on the socket, run
//! with the socket's readiness (tokio's `async_io`).

use std::io;

use super::{Interest, Op, Progress, Step, Target};
use asock_core::Result;

/// `f`, attempted like any operation: its `WouldBlock` waits for `interest`.
#[derive(Debug)]
pub(crate) struct UserOp<F> {
    pub(crate) interest: Interest,
    pub(crate) f: F,
}

impl<F: FnMut() -> io::Result<R>, R> Op for UserOp<F> {
    type Output = R;

    fn interest(&self) -> Interest {
        self.interest
    }

    fn attempt(&mut self, _: Target<'_>) -> Result<(Step<R>, Progress)> {
        Ok((Step::Done((self.f)()?), Progress::More))
    }
}
