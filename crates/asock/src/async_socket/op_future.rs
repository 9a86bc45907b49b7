//! How an `AsyncSocket` runs an operation: one future type for every operation of `ops/`,
//! waiting on the reactor in the socket's mode, and the named futures built on it.
//!
//! [`OpFuture`] holds the socket, the operation (or the error its arguments gave), and the
//! call's [`OpWait`]: its mode, its deadline once it has one, and its place among the fd's
//! waiters. Polling it is [`AsyncSocket::poll_op`]. The public futures (`RecvFuture`,
//! `SendAllFuture`, ...) are thin named wrappers made by [`op_future!`], so each is a type a
//! user can name and give `.timeout(d)` & co., while the code that waits exists once.

use std::task::{Context, Poll};

use super::AsyncSocket;
use crate::mode::{Mode, OpWait};
use crate::ops::Op;
use crate::time::Instant;
use asock_core::{Error, Result};

/// An operation in flight on `sock`.
pub(crate) struct OpFuture<'a, O> {
    sock: &'a AsyncSocket,
    /// The operation, or the error its arguments gave (reported at the first poll, never
    /// before a poll: futures do nothing until polled).
    op: std::result::Result<O, Option<Error>>,
    wait: OpWait,
}

impl<'a, O: Op> OpFuture<'a, O> {
    /// The operation `op` on `sock`, waiting in the socket's mode.
    pub(crate) fn new(sock: &'a AsyncSocket, op: Result<O>) -> OpFuture<'a, O> {
        OpFuture { sock, op: op.map_err(Some), wait: sock.op_wait() }
    }

    pub(crate) fn poll_op(&mut self, cx: &mut Context<'_>) -> Poll<Result<O::Output>> {
        match &mut self.op {
            Ok(op) => self.sock.poll_op(cx, &mut self.wait, op),
            Err(e) => Poll::Ready(Err(e
                .take()
                .unwrap_or_else(|| Error::invalid_input("polled after completion")))),
        }
    }

    pub(crate) fn with_mode(mut self, mode: Mode) -> Self {
        self.wait = OpWait::new(mode);
        self
    }

    pub(crate) fn with_deadline(mut self, deadline: Instant) -> Self {
        self.wait = OpWait::with_deadline(deadline);
        self
    }

    /// Whether this call is one attempt, never waiting.
    pub(crate) fn is_nonblocking(&self) -> bool {
        self.wait.is_nonblocking()
    }

    pub(crate) fn socket(&self) -> &'a AsyncSocket {
        self.sock
    }
}

impl<O> std::fmt::Debug for OpFuture<'_, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpFuture")
            .field("fd", &self.sock.fileno())
            .field("wait", &self.wait)
            .finish_non_exhaustive()
    }
}

/// A public future over an [`OpFuture`]: `Future`, [`Operation`](crate::Operation) and the
/// inherent `.timeout / .deadline / .nonblocking / .blocking` methods, `Debug`.
///
/// `op_future! { /// docs
///     pub struct RecvFuture<'a, B: ?Sized + RecvBuf = [u8]>(Recv<&'a mut B>) -> usize; }`
/// (the first lifetime is the socket's).
macro_rules! op_future {
    ($(
        $(#[$meta:meta])*
        pub struct $name:ident<$lt:lifetime $(, $lts:lifetime)* $(, $gen:ident: $(?$sized:ident +)? $bound:path $(= $default:ty)?)*>($op:ty) -> $out:ty;
    )*) => {$(
        $(#[$meta])*
        #[must_use = "futures do nothing unless polled"]
        pub struct $name<$lt $(, $lts)* $(, $gen: $(?$sized +)? $bound $(= $default)?)*>(
            $crate::async_socket::op_future::OpFuture<$lt, $op>,
        );

        impl<$lt $(, $lts)* $(, $gen: $(?$sized +)? $bound)*> std::future::Future for $name<$lt $(, $lts)* $(, $gen)*> {
            type Output = ::asock_core::Result<$out>;

            fn poll(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<Self::Output> {
                self.get_mut().0.poll_op(cx)
            }
        }

        impl<$lt $(, $lts)* $(, $gen: $(?$sized +)? $bound)*> $crate::mode::Operation for $name<$lt $(, $lts)* $(, $gen)*> {
            fn with_mode(self, mode: $crate::mode::Mode) -> Self {
                $name(self.0.with_mode(mode))
            }

            fn with_deadline(self, deadline: $crate::time::Instant) -> Self {
                $name(self.0.with_deadline(deadline))
            }
        }

        $crate::mode::operation_modes!(
            impl[<$lt $(, $lts)* $(, $gen: $(?$sized +)? $bound)*>] $name<$lt $(, $lts)* $(, $gen)*>
        );

        impl<$lt $(, $lts)* $(, $gen: $(?$sized +)? $bound)*> std::fmt::Debug for $name<$lt $(, $lts)* $(, $gen)*> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.0).finish()
            }
        }
    )*};
}

pub(crate) use op_future;
