//! Fixtures whose client and server halves run joined in one future, under an executor that
//! cannot spawn (`asock::block_on`, `smol::block_on`): the half-pairs over any stream, and the
//! executor as a type parameter, so one scenario body serves every implementation.
//!
//! Each [`Fixture::run`] is one `block_on` call over one future that joins the client half
//! (with a count) and the server half ([`async_bodies::until_done`]). The fan-in's echo halves
//! go in a `FuturesUnordered`, which polls only the ones that were woken.

use std::future::Future;
use std::io;
use std::marker::PhantomData;
use std::time::{Duration, Instant};

use futures::stream::{FuturesUnordered, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite};

use super::async_bodies::{self, until_done};
use super::Fixture;

/// An executor that runs one future to completion on the calling thread.
pub trait BlockOn {
    /// Runs `future` on the calling thread and returns its output.
    fn block_on<F: Future>(future: F) -> F::Output;
}

/// `asock::block_on`: asock's own reactor, driven by the calling thread.
#[derive(Debug)]
pub struct Asock;

impl BlockOn for Asock {
    fn block_on<F: Future>(future: F) -> F::Output {
        asock::block_on(future)
    }
}

/// `smol::block_on` (async-io's `block_on`): async-io's reactor, driven by the calling thread.
#[derive(Debug)]
pub struct Smol;

impl BlockOn for Smol {
    fn block_on<F: Future>(future: F) -> F::Output {
        smol::block_on(future)
    }
}

/// A scenario whose client and server halves are one future per run.
pub trait Joined {
    /// `iters` iterations of the scenario, both halves in the returned future.
    fn run_joined(&mut self, iters: u64) -> impl Future<Output = io::Result<()>>;
}

/// A [`Joined`] scenario run under the executor `E`.
#[derive(Debug)]
pub struct OnExecutor<E, T> {
    scenario: T,
    executor: PhantomData<fn() -> E>,
}

impl<E: BlockOn, T: Joined> OnExecutor<E, T> {
    /// `scenario`, to be run under `E`.
    pub fn new(scenario: T) -> Self {
        OnExecutor { scenario, executor: PhantomData }
    }
}

impl<E: BlockOn, T: Joined> Fixture for OnExecutor<E, T> {
    fn run(&mut self, iters: u64) -> io::Result<Duration> {
        E::block_on(timed(self.scenario.run_joined(iters)))
    }
}

/// Times `body`, which must succeed.
///
/// # Errors
///
/// The body's error.
pub async fn timed(body: impl Future<Output = io::Result<()>>) -> io::Result<Duration> {
    let start = Instant::now();
    body.await?;
    Ok(start.elapsed())
}

// ===== the stream scenarios, over any stream =====

/// Stream ping-pong: [`async_bodies::pingpong`] against [`async_bodies::echo`].
#[derive(Debug)]
pub struct Stream<S> {
    pair: (S, S),
    msg: Vec<u8>,
    buf: Vec<u8>,
}

impl<S> Stream<S> {
    /// A ping-pong of `msg_size`-byte messages over the connected `(client, server)` pair.
    pub fn new(pair: (S, S), msg_size: usize) -> Self {
        Stream { pair, msg: vec![0x5a; msg_size], buf: vec![0; msg_size] }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Joined for Stream<S> {
    async fn run_joined(&mut self, iters: u64) -> io::Result<()> {
        let Stream { pair: (client, server), msg, buf } = self;
        until_done(async_bodies::pingpong(client, msg, buf, iters), async_bodies::echo(server))
            .await
    }
}

/// Bulk transfer: [`async_bodies::bulk_source`] against [`async_bodies::bulk_sink`].
#[derive(Debug)]
pub struct Bulk<S> {
    pair: (S, S),
    chunk: Vec<u8>,
    total: u64,
}

impl<S> Bulk<S> {
    /// `total` bytes per iteration in `chunk`-byte writes over the `(client, server)` pair.
    pub fn new(pair: (S, S), total: u64, chunk: usize) -> Self {
        Bulk { pair, chunk: vec![0xa5; chunk], total }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Joined for Bulk<S> {
    async fn run_joined(&mut self, iters: u64) -> io::Result<()> {
        let Bulk { pair: (client, server), chunk, total } = self;
        let mut sink_buf = vec![0u8; chunk.len()];
        until_done(
            async_bodies::bulk_source(client, chunk, *total, iters),
            async_bodies::bulk_sink(server, &mut sink_buf, *total),
        )
        .await
    }
}

/// Fan-in: [`async_bodies::fan_in`] over every client against one echo per server half.
#[derive(Debug)]
pub struct Fan<S> {
    clients: Vec<S>,
    servers: Vec<S>,
    msg: Vec<u8>,
    buf: Vec<u8>,
}

impl<S> Fan<S> {
    /// One round trip of `msg_size` bytes on every `(client, server)` pair per iteration.
    pub fn new(pairs: Vec<(S, S)>, msg_size: usize) -> Self {
        let (clients, servers) = pairs.into_iter().unzip();
        Fan { clients, servers, msg: vec![0x5a; msg_size], buf: vec![0; msg_size] }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Joined for Fan<S> {
    async fn run_joined(&mut self, iters: u64) -> io::Result<()> {
        let Fan { clients, servers, msg, buf } = self;
        let mut echoes: FuturesUnordered<_> = servers.iter_mut().map(async_bodies::echo).collect();
        let servers = async move {
            while let Some(result) = echoes.next().await {
                result?;
            }
            Ok(())
        };
        until_done(async_bodies::fan_in(clients, msg, buf, iters), servers).await
    }
}
