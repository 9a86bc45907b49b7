//! [`Race`]: the state of one Happy Eyeballs race, with no IO and no clock of its own.

use std::fmt;
use std::time::Duration;

use asock_core::{AddressFamily, Error, Result, SockAddr};

use super::candidates::Candidates;
use super::first_in_place::FirstInPlace;
use super::report::{all_failed, attempt_event, skip, Ended};
use super::ConnectOptions;
use crate::time::Instant;

/// Names one connection attempt of a [`Race`]: attempts are numbered from 0 in start order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AttemptId(pub usize);

impl fmt::Display for AttemptId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// One of the two name queries a race asks at once (RFC 8305 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Query {
    /// The IPv6 addresses: `getaddrinfo` with `AF_INET6` hints.
    Aaaa,
    /// The IPv4 addresses: `getaddrinfo` with `AF_INET` hints.
    A,
}

impl Query {
    /// Both queries, in the order a driver should send them.
    pub const BOTH: [Query; 2] = [Query::Aaaa, Query::A];

    /// The address family this query asks for.
    #[must_use]
    pub fn family(self) -> AddressFamily {
        match self {
            Query::Aaaa => AddressFamily::AF_INET6,
            Query::A => AddressFamily::AF_INET,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// What a [`Race`] asks its driver to do next; see [`Race::poll`].
#[derive(Debug)]
pub enum Action {
    /// Start connecting attempt `id` to `addr`, binding `source` first when given (its family
    /// is always `addr`'s). Report the outcome with [`Race::on_attempt`].
    Start {
        /// The attempt's name.
        id: AttemptId,
        /// Where to connect.
        addr: SockAddr,
        /// The local address to bind to, if any.
        source: Option<SockAddr>,
    },
    /// Stop attempt `id` and close its socket now: another attempt won, or the race failed.
    Cancel(AttemptId),
    /// Attempt `id` won: hand its connection to the caller. Every other attempt has been
    /// cancelled by the actions before this one. The race is over.
    Won(AttemptId),
    /// Nobody won: fail with this error. Every attempt still running has been cancelled by the
    /// actions before this one. The race is over.
    Failed(Error),
    /// Nothing to do until an input arrives ([`Race::on_answer`], [`Race::on_attempt`]) or,
    /// when given, until this instant; then call [`Race::poll`] again. `Wait(None)` after the
    /// race is over.
    Wait(Option<Instant>),
}

#[derive(Debug)]
enum State {
    Running,
    Failed(Error),
    /// Cancelled by the race, its `Action::Cancel` not yet handed to the driver.
    CancelDue,
    Cancelled,
    Connected,
}

/// How a race ended, answered as its last action.
#[derive(Debug)]
enum Ending {
    Won(AttemptId),
    Failed(Error),
}

#[derive(Debug)]
struct Attempt {
    addr: SockAddr,
    /// Offset of its start from the race's start, for its tracing event.
    start: Duration,
    state: State,
}

/// One Happy Eyeballs race (RFC 8305), as a state machine: inputs in, [`Action`]s out.
///
/// The race does no IO and reads no clock: every input and every [`poll`](Self::poll) takes
/// `now`, and the driver does what the actions say. asock drives it twice, with futures
/// ([`connect::happy_eyeballs`](crate::connect::happy_eyeballs)) and with `poll(2)`
/// ([`blocking::happy_eyeballs`](crate::blocking::happy_eyeballs)); the module docs explain
/// the rules it follows.
///
/// A driver's loop:
///
/// 1. Create the race with [`Race::new`] (then send both [`Query`]s) or [`Race::to_addresses`].
/// 2. Call [`poll`](Self::poll) until it answers [`Action::Wait`], doing each action.
/// 3. Wait for an answer, an attempt's outcome, or the instant `Wait` gave; feed what
///    happened to [`on_answer`](Self::on_answer) / [`on_attempt`](Self::on_attempt), and go
///    to 2. Stop at [`Action::Won`] or [`Action::Failed`].
///
/// ```
/// use std::time::Duration;
/// use asock::happy_eyeballs::{Action, ConnectOptions, Query, Race};
/// use asock::time::Instant;
///
/// let t0 = Instant::now();
/// let ms = Duration::from_millis;
/// let mut race = Race::new(&ConnectOptions::new(), t0).unwrap();
///
/// // The A answer comes first: the race waits up to 50 ms (the Resolution Delay) for AAAA.
/// race.on_answer(Query::A, Ok(vec!["192.0.2.1:80".parse().unwrap()]), t0 + ms(5));
/// assert!(matches!(race.poll(t0 + ms(5)), Action::Wait(Some(t)) if t == t0 + ms(55)));
///
/// // AAAA arrives at 20 ms: IPv6 goes first.
/// race.on_answer(Query::Aaaa, Ok(vec!["[2001:db8::1]:80".parse().unwrap()]), t0 + ms(20));
/// let Action::Start { id: v6, addr, .. } = race.poll(t0 + ms(20)) else { panic!() };
/// assert_eq!(addr.to_string(), "[2001:db8::1]:80");
///
/// // 250 ms later (the Connection Attempt Delay), IPv4 starts beside it...
/// assert!(matches!(race.poll(t0 + ms(20)), Action::Wait(Some(t)) if t == t0 + ms(270)));
/// let Action::Start { id: v4, .. } = race.poll(t0 + ms(270)) else { panic!() };
///
/// // ... and connects first: IPv6 is cancelled, IPv4 wins.
/// race.on_attempt(v4, Ok(()), t0 + ms(280));
/// assert!(matches!(race.poll(t0 + ms(280)), Action::Cancel(id) if id == v6));
/// assert!(matches!(race.poll(t0 + ms(280)), Action::Won(id) if id == v4));
/// ```
#[derive(Debug)]
pub struct Race {
    start: Instant,
    deadline: Option<Instant>,
    attempt_delay: Duration,
    resolution_delay: Duration,
    all_errors: bool,
    source: Option<SockAddr>,
    /// Whether each query (indexed by `Query::index`) is still out.
    pending: [bool; 2],
    resolution_errors: [Option<Error>; 2],
    a_answered_at: Option<Instant>,
    candidates: Candidates,
    /// Addresses the source address cannot reach, with their errors.
    skipped: Vec<(String, Error)>,
    /// Every attempt, indexed by its id.
    attempts: FirstInPlace<Attempt>,
    begun: bool,
    next_at: Instant,
    /// How many attempts are `CancelDue`: the next polls answer their `Action::Cancel`s.
    cancels_due: usize,
    /// The race's last action, answered after the cancels.
    ending: Option<Ending>,
    over: bool,
}

impl Race {
    /// A race for a name: both queries ([`Query::BOTH`]) are out from `now`, and their
    /// answers go to [`on_answer`](Self::on_answer).
    ///
    /// # Errors
    ///
    /// `InvalidInput` when the source address is not an IP address.
    pub fn new(options: &ConnectOptions, now: Instant) -> Result<Race> {
        Race::with(options, now, [true, true], AddressFamily::AF_INET6)
    }

    /// A race over given addresses, with no name to resolve: the list is the answer. The
    /// family of the first address is the preferred one; within each family the list's order
    /// is kept. An address given twice is attempted once.
    ///
    /// # Errors
    ///
    /// `InvalidInput` when the list is empty, holds an address that is not IPv4 or IPv6, or
    /// the source address is not an IP address.
    #[inline]
    pub fn to_addresses(
        addrs: &[SockAddr],
        options: &ConnectOptions,
        now: Instant,
    ) -> Result<Race> {
        let Some(first) = addrs.first() else {
            return Err(Error::invalid_input("no address to connect to"));
        };
        if let Some(bad) = addrs.iter().find(|a| !is_ip(a.family())) {
            return Err(Error::invalid_input(format!(
                "cannot connect to {bad}: not an AF_INET or AF_INET6 address"
            )));
        }
        let mut race = Race::with(options, now, [false, false], first.family())?;
        race.add(addrs);
        Ok(race)
    }

    #[inline]
    fn with(
        options: &ConnectOptions,
        now: Instant,
        pending: [bool; 2],
        preferred: AddressFamily,
    ) -> Result<Race> {
        let source = options.checked_source()?.cloned();
        Ok(Race {
            start: now,
            deadline: options.timeout.and_then(|t| now.checked_add(t)),
            attempt_delay: options.happy_eyeballs_delay,
            resolution_delay: options.resolution_delay,
            all_errors: options.all_errors,
            source,
            pending,
            resolution_errors: [None, None],
            a_answered_at: None,
            candidates: Candidates::new(options.first_address_family_count, preferred),
            skipped: Vec::new(),
            attempts: FirstInPlace::default(),
            begun: false,
            next_at: now,
            cancels_due: 0,
            ending: None,
            over: false,
        })
    }

    /// Feeds the answer to `query` that arrived at `now`: addresses in the resolver's order,
    /// or the resolver's error. A second answer to the same query is ignored.
    pub fn on_answer(&mut self, query: Query, answer: Result<Vec<SockAddr>>, now: Instant) {
        if self.over || !self.pending[query.index()] {
            return;
        }
        self.pending[query.index()] = false;
        let at = now.saturating_duration_since(self.start);
        match answer {
            Ok(addrs) => {
                tracing::debug!(?query, addresses = addrs.len(), ?at, "resolved");
                self.add(&addrs);
                if query == Query::A {
                    self.a_answered_at = Some(now);
                }
            }
            Err(error) => {
                tracing::debug!(?query, %error, ?at, "resolution failed");
                self.resolution_errors[query.index()] = Some(error);
            }
        }
    }

    /// Feeds the outcome of attempt `id`, known at `now`: `Ok` when it connected (or passed
    /// whatever step the driver counts as success). Outcomes of attempts already cancelled,
    /// and any input after the race is over, are ignored.
    pub fn on_attempt(&mut self, id: AttemptId, outcome: Result<()>, now: Instant) {
        let latest = self.attempts.len().checked_sub(1) == Some(id.0);
        let over = self.over;
        let Some(attempt) = self.attempts.get_mut(id.0) else { return };
        if over || !matches!(attempt.state, State::Running) {
            return;
        }
        match outcome {
            Ok(()) => {
                attempt_event(&attempt.addr, attempt.start, Ended::Connected);
                attempt.state = State::Connected;
                self.cancel_running();
                self.finish(Ending::Won(id));
            }
            Err(error) => {
                attempt_event(&attempt.addr, attempt.start, Ended::Failed(&error));
                attempt.state = State::Failed(error);
                if latest {
                    self.next_at = now; // §5: the latest attempt failed, start the next now.
                }
            }
        }
    }

    /// The next thing to do at `now`; call it until it answers [`Action::Wait`].
    pub fn poll(&mut self, now: Instant) -> Action {
        if self.cancels_due > 0 {
            // In start order, as the driver closes them.
            let due = self.attempts.iter_mut().enumerate().find_map(|(index, attempt)| {
                matches!(attempt.state, State::CancelDue).then(|| {
                    attempt.state = State::Cancelled;
                    AttemptId(index)
                })
            });
            if let Some(id) = due {
                self.cancels_due -= 1;
                return Action::Cancel(id);
            }
        }
        match self.ending.take() {
            Some(Ending::Won(id)) => return Action::Won(id),
            Some(Ending::Failed(error)) => return Action::Failed(error),
            None => {}
        }
        if self.over {
            return Action::Wait(None);
        }
        if self.deadline.is_some_and(|d| now >= d) {
            self.cancel_running();
            self.finish(Ending::Failed(Error::timeout()));
            return self.poll(now);
        }

        let resolution_delay_end =
            self.a_answered_at.and_then(|t| t.checked_add(self.resolution_delay));
        let aaaa_pending = self.pending[Query::Aaaa.index()];
        self.begun = self.begun
            || self.candidates.has(AddressFamily::AF_INET6)
            || (self.candidates.has(AddressFamily::AF_INET)
                && (!aaaa_pending || resolution_delay_end.is_some_and(|end| now >= end)));

        if self.begun && now >= self.next_at {
            if let Some(addr) = self.candidates.next() {
                return self.start_attempt(addr, now);
            }
        }
        let running = self.attempts.iter().any(|a| matches!(a.state, State::Running));
        if !running && self.candidates.is_empty() && self.pending == [false, false] {
            let error = self.all_failed();
            self.finish(Ending::Failed(error));
            return self.poll(now);
        }

        let waiting_for_aaaa = !self.begun && aaaa_pending;
        let wake = [
            self.deadline,
            resolution_delay_end.filter(|_| waiting_for_aaaa),
            Some(self.next_at).filter(|_| self.begun && !self.candidates.is_empty()),
        ]
        .into_iter()
        .flatten()
        .min();
        Action::Wait(wake)
    }

    /// Gives the race up (the driver cannot go on, e.g. its wait failed): the next polls
    /// answer [`Action::Cancel`] for every attempt still running, then `Wait(None)`.
    pub fn abandon(&mut self) {
        if !self.over {
            self.cancel_running();
            self.over = true;
        }
    }

    /// The instant the race started (the `now` it was created with).
    #[must_use]
    pub fn started_at(&self) -> Instant {
        self.start
    }

    /// Whether the race is over: [`Action::Won`] or [`Action::Failed`] has been decided.
    #[must_use]
    pub fn is_over(&self) -> bool {
        self.over
    }

    fn start_attempt(&mut self, addr: SockAddr, now: Instant) -> Action {
        let id = AttemptId(self.attempts.len());
        self.attempts.push(Attempt {
            addr: addr.clone(),
            start: now.saturating_duration_since(self.start),
            state: State::Running,
        });
        // The delay is at most 2 s (clamped), so only a clock at its very end overflows here;
        // then the next attempt waits for a failure.
        self.next_at = now.checked_add(self.attempt_delay).unwrap_or(now);
        Action::Start { id, addr, source: self.source.clone() }
    }

    /// Queues addresses: those the source address cannot reach are skipped with an error.
    fn add(&mut self, addrs: &[SockAddr]) {
        self.candidates.reserve(addrs.len());
        for addr in addrs {
            match &self.source {
                Some(source) if source.family() != addr.family() && is_ip(addr.family()) => {
                    skip(&mut self.skipped, source, addr);
                }
                _ => {
                    self.candidates.push(addr.clone());
                }
            }
        }
    }

    /// Marks every running attempt cancelled; the next polls answer one `Cancel` each.
    fn cancel_running(&mut self) {
        for attempt in self.attempts.iter_mut() {
            if matches!(attempt.state, State::Running) {
                attempt_event(&attempt.addr, attempt.start, Ended::Cancelled);
                attempt.state = State::CancelDue;
                self.cancels_due += 1;
            }
        }
    }

    fn finish(&mut self, last: Ending) {
        self.ending = Some(last);
        self.over = true;
    }

    fn all_failed(&mut self) -> Error {
        let mut errors = std::mem::take(&mut self.skipped);
        for attempt in self.attempts.iter_mut() {
            if let State::Failed(error) = std::mem::replace(&mut attempt.state, State::Cancelled) {
                errors.push((attempt.addr.to_string(), error));
            }
        }
        // The A query's error when both have one.
        let [aaaa, a] = std::mem::take(&mut self.resolution_errors);
        all_failed(errors, a.or(aaaa), self.all_errors)
    }
}

impl Drop for Race {
    /// A race dropped mid-way (its future dropped, its caller gone) reports every attempt
    /// still running as cancelled; the driver closes their sockets.
    fn drop(&mut self) {
        for attempt in self.attempts.iter() {
            if matches!(attempt.state, State::Running) {
                attempt_event(&attempt.addr, attempt.start, Ended::Cancelled);
            }
        }
    }
}

fn is_ip(family: AddressFamily) -> bool {
    family == AddressFamily::AF_INET || family == AddressFamily::AF_INET6
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn addr(text: &str) -> SockAddr {
        text.parse().unwrap()
    }

    /// Polls until `Wait`, returning every action before it and the wait.
    fn drain(race: &mut Race, now: Instant) -> (Vec<Action>, Option<Instant>) {
        let mut actions = Vec::new();
        loop {
            match race.poll(now) {
                Action::Wait(until) => return (actions, until),
                action => actions.push(action),
            }
        }
    }

    #[test]
    fn a_won_race_cancels_the_others_first_then_ignores_every_input() {
        let t0 = Instant::now();
        let list = [addr("[::1]:80"), addr("1.1.1.1:80")];
        let mut race = Race::to_addresses(&list, &ConnectOptions::new(), t0).unwrap();
        let (started, _) = drain(&mut race, t0);
        assert!(matches!(started[..], [Action::Start { id: AttemptId(0), .. }]));
        let (started, _) = drain(&mut race, t0 + ms(250));
        assert!(matches!(started[..], [Action::Start { id: AttemptId(1), .. }]));

        race.on_attempt(AttemptId(1), Ok(()), t0 + ms(260));
        race.on_attempt(AttemptId(0), Ok(()), t0 + ms(260)); // too late: ignored
        let (actions, until) = drain(&mut race, t0 + ms(260));
        assert!(matches!(actions[..], [Action::Cancel(AttemptId(0)), Action::Won(AttemptId(1))]));
        assert_eq!(until, None);
        assert!(race.is_over());

        race.on_answer(Query::A, Ok(vec![addr("2.2.2.2:80")]), t0 + ms(300));
        assert!(matches!(race.poll(t0 + ms(10_000)), Action::Wait(None)));
    }

    #[test]
    fn a_second_answer_to_one_query_is_ignored() {
        let t0 = Instant::now();
        let mut race = Race::new(&ConnectOptions::new(), t0).unwrap();
        race.on_answer(Query::Aaaa, Ok(vec![addr("[::1]:80")]), t0);
        race.on_answer(Query::Aaaa, Ok(vec![addr("[::2]:80")]), t0);
        let (actions, _) = drain(&mut race, t0);
        assert_eq!(actions.len(), 1);
        race.on_attempt(AttemptId(0), Err(Error::from_errno(libc::ECONNREFUSED)), t0 + ms(1));
        // ::2 was never queued; the A query is still out, so the race waits for it.
        let (actions, until) = drain(&mut race, t0 + ms(1));
        assert!(actions.is_empty());
        assert_eq!(until, None);
    }

    #[test]
    fn abandon_cancels_what_runs_and_ends_the_race() {
        let t0 = Instant::now();
        let list = [addr("[::1]:80")];
        let mut race = Race::to_addresses(&list, &ConnectOptions::new(), t0).unwrap();
        drain(&mut race, t0);
        race.abandon();
        let (actions, until) = drain(&mut race, t0);
        assert!(matches!(actions[..], [Action::Cancel(AttemptId(0))]));
        assert_eq!(until, None);
    }

    #[test]
    fn the_deadline_is_the_wait_when_nothing_else_is_due() {
        let t0 = Instant::now();
        let options = ConnectOptions::new().timeout(ms(700));
        let mut race = Race::new(&options, t0).unwrap();
        assert!(matches!(race.poll(t0), Action::Wait(Some(t)) if t == t0 + ms(700)));
        let (actions, _) = drain(&mut race, t0 + ms(700));
        assert!(
            matches!(&actions[..], [Action::Failed(e)] if e.kind() == asock_core::ErrorKind::Timeout)
        );
    }

    #[test]
    fn attempt_ids_print_as_numbers() {
        assert_eq!(AttemptId(3).to_string(), "#3");
    }
}
