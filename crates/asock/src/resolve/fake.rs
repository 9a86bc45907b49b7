//! `FakeResolver`: scripted answers with scripted delays, for tests of code that resolves.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use super::{AddrInfo, Hints, Resolve, ResolveFuture};
use crate::reactor::sleep;
use crate::time::Instant;
use asock_core::{AddressFamily, Error, Protocol, SocketKind};

/// A [`Resolve`] that answers from a table, each answer after a scripted delay, and records
/// every lookup it was asked for.
///
/// Made for tests of code that resolves, Happy Eyeballs above all: "AAAA answers 30 ms after
/// A", "the IPv6 lookup fails", "this name does not exist".
///
/// * Each row gives `host` one address, answered after `delay` from the lookup's start
///   ([`with_answer`](Self::with_answer), [`with_answers`](Self::with_answers)), or makes a
///   family's lookup fail with an `EAI_*` code after `delay`
///   ([`with_failure`](Self::with_failure)).
/// * A lookup for `AF_INET` sees the IPv4 rows of its host, `AF_INET6` the IPv6 rows,
///   `AF_UNSPEC` all of them, in the order they were added. It answers once its slowest row
///   has: one lookup, one answer, as `getaddrinfo` gives.
/// * With no address of the family, the lookup fails as the family's failure row says (a
///   failure row for `AF_UNSPEC` applies to every family), or at once with `EAI_NONAME` when
///   there is none. An unknown host fails at once with `EAI_NONAME`.
/// * Each address gives one [`AddrInfo`]: the kind asked for (`SOCK_STREAM` if none), the
///   protocol asked for (else TCP for streams, UDP for datagrams), the host as `canonname` on
///   the first entry with `AI_CANONNAME`. Other flags are ignored.
/// * The service must be a port number or absent (port 0); a name fails with `EAI_SERVICE`.
///
/// Delays are [`asock::sleep`](crate::sleep)s, so they work on every executor:
/// inside a tokio runtime (its timer must be enabled) they are tokio's timers, which the paused
/// test clock drives, so a test can assert exact virtual times; anywhere else
/// (`asock::block_on`, `futures::executor::block_on`, smol) they are the own reactor's (or
/// async-io's, see [`Backend`](crate::reactor::Backend)), in real time.
///
/// Clones share the table and the record: keep one to inspect [`lookups`](Self::lookups)
/// after handing another to the code under test.
///
/// ```
/// use std::time::Duration;
///
/// use asock::resolve::{FakeResolver, Hints, Resolve};
/// use asock::AddressFamily;
///
/// let resolver = FakeResolver::new()
///     .with_answer("example.test", [192, 0, 2, 1], Duration::ZERO)
///     .with_answer("example.test", "2001:db8::1".parse::<std::net::IpAddr>().unwrap(), Duration::from_millis(30));
///
/// let rt = tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build()?;
/// rt.block_on(async {
///     let start = tokio::time::Instant::now();
///     let v6 = Hints { family: AddressFamily::AF_INET6, ..Hints::default() };
///     let infos = resolver.getaddrinfo(Some("example.test"), Some("443"), v6).await?;
///     assert_eq!(infos[0].addr.to_string(), "[2001:db8::1]:443");
///     assert_eq!(start.elapsed(), Duration::from_millis(30)); // virtual time, exactly
///
///     let v4 = Hints { family: AddressFamily::AF_INET, ..Hints::default() };
///     let infos = resolver.getaddrinfo(Some("example.test"), Some("443"), v4).await?;
///     assert_eq!(infos[0].addr.to_string(), "192.0.2.1:443");
///     assert_eq!(resolver.lookups().len(), 2);
///     Ok::<(), asock::Error>(())
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// The same table needs no tokio runtime; outside one, delays run in real time:
///
/// ```
/// use std::time::Duration;
///
/// use asock::resolve::{FakeResolver, Hints, Resolve};
///
/// let resolver =
///     FakeResolver::new().with_answer("slow.test", [192, 0, 2, 7], Duration::from_millis(20));
/// let start = asock::time::Instant::now();
/// let lookup = resolver.getaddrinfo(Some("slow.test"), None, Hints::default());
/// let infos = asock::block_on(lookup)?;
/// assert_eq!(infos[0].addr.to_string(), "192.0.2.7:0");
/// assert!(start.elapsed() >= Duration::from_millis(20));
/// # Ok::<(), asock::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct FakeResolver {
    table: Arc<Mutex<Table>>,
}

/// One lookup a [`FakeResolver`] was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeLookup {
    /// The host asked for.
    pub host: Option<String>,
    /// The service asked for.
    pub service: Option<String>,
    /// The hints given.
    pub hints: Hints,
    /// When the lookup was asked for ([`asock::time::Instant`](crate::time::Instant): virtual
    /// under a paused tokio runtime).
    pub at: Instant,
}

#[derive(Default)]
struct Table {
    rows: Vec<Row>,
    lookups: Vec<FakeLookup>,
}

struct Row {
    host: String,
    answer: RowAnswer,
    delay: Duration,
}

enum RowAnswer {
    Addr(IpAddr),
    Fail { family: AddressFamily, code: i32 },
}

/// What a lookup will answer, and when.
struct Plan {
    delay: Duration,
    answer: std::result::Result<Vec<IpAddr>, i32>,
}

impl FakeResolver {
    /// An empty table: every lookup fails with `EAI_NONAME`.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one address for `host`, answered `delay` after a lookup starts.
    #[must_use]
    pub fn with_answer(self, host: &str, addr: impl Into<IpAddr>, delay: Duration) -> Self {
        self.push(Row { host: host.to_owned(), answer: RowAnswer::Addr(addr.into()), delay })
    }

    /// Adds a table of `(address, delay)` rows for `host`.
    #[must_use]
    pub fn with_answers(
        self,
        host: &str,
        rows: impl IntoIterator<Item = (IpAddr, Duration)>,
    ) -> Self {
        rows.into_iter().fold(self, |fake, (addr, delay)| fake.with_answer(host, addr, delay))
    }

    /// Makes `host`'s lookups for `family` (every family for `AF_UNSPEC`) fail with the
    /// `EAI_*` code `code` after `delay`, when the family has no address rows.
    #[must_use]
    pub fn with_failure(
        self,
        host: &str,
        family: AddressFamily,
        code: i32,
        delay: Duration,
    ) -> Self {
        self.push(Row { host: host.to_owned(), answer: RowAnswer::Fail { family, code }, delay })
    }

    /// Every lookup asked for so far, in order.
    #[must_use]
    pub fn lookups(&self) -> Vec<FakeLookup> {
        self.lock().lookups.clone()
    }

    fn push(self, row: Row) -> Self {
        self.lock().rows.push(row);
        self
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Table {
    fn plan(&self, host: Option<&str>, family: AddressFamily) -> Plan {
        let rows: Vec<&Row> =
            self.rows.iter().filter(|row| Some(row.host.as_str()) == host).collect();
        let wanted = |ip: &IpAddr| match family {
            AddressFamily::AF_INET => ip.is_ipv4(),
            AddressFamily::AF_INET6 => ip.is_ipv6(),
            _ => true,
        };
        let addrs: Vec<(IpAddr, Duration)> = rows
            .iter()
            .filter_map(|row| match row.answer {
                RowAnswer::Addr(ip) if wanted(&ip) => Some((ip, row.delay)),
                _ => None,
            })
            .collect();
        if !addrs.is_empty() {
            let delay = addrs.iter().map(|(_, delay)| *delay).max().unwrap_or_default();
            return Plan { delay, answer: Ok(addrs.into_iter().map(|(ip, _)| ip).collect()) };
        }
        let failure = rows.iter().find_map(|row| match row.answer {
            RowAnswer::Fail { family: f, code }
                if f == family
                    || f == AddressFamily::AF_UNSPEC
                    || family == AddressFamily::AF_UNSPEC =>
            {
                Some((code, row.delay))
            }
            _ => None,
        });
        match failure {
            Some((code, delay)) => Plan { delay, answer: Err(code) },
            None => Plan { delay: Duration::ZERO, answer: Err(libc::EAI_NONAME) },
        }
    }
}

impl Resolve for FakeResolver {
    fn getaddrinfo(&self, host: Option<&str>, port: Option<&str>, hints: Hints) -> ResolveFuture {
        let plan = {
            let mut table = self.lock();
            table.lookups.push(FakeLookup {
                host: host.map(str::to_owned),
                service: port.map(str::to_owned),
                hints,
                at: Instant::now(),
            });
            table.plan(host, hints.family)
        };
        let port = match port.map(str::parse::<u16>) {
            None => Ok(0),
            Some(Ok(port)) => Ok(port),
            Some(Err(_)) => Err(Error::gai(libc::EAI_SERVICE, None)),
        };
        let canonname = host.filter(|_| hints.flags & libc::AI_CANONNAME != 0).map(str::to_owned);
        Box::pin(async move {
            let port = port?;
            if !plan.delay.is_zero() {
                sleep(plan.delay).await;
            }
            let ips = plan.answer.map_err(|code| Error::gai(code, None))?;
            Ok(ips
                .into_iter()
                .enumerate()
                .map(|(i, ip)| {
                    addr_info(ip, port, hints, if i == 0 { canonname.clone() } else { None })
                })
                .collect())
        })
    }
}

fn addr_info(ip: IpAddr, port: u16, hints: Hints, canonname: Option<String>) -> AddrInfo {
    let kind = if hints.kind.raw() == 0 { SocketKind::SOCK_STREAM } else { hints.kind };
    let proto = match (hints.proto.raw(), kind) {
        (0, SocketKind::SOCK_STREAM) => Protocol::IPPROTO_TCP,
        (0, SocketKind::SOCK_DGRAM) => Protocol::IPPROTO_UDP,
        _ => hints.proto,
    };
    let family = if ip.is_ipv4() { AddressFamily::AF_INET } else { AddressFamily::AF_INET6 };
    AddrInfo { family, kind, proto, canonname, addr: SocketAddr::new(ip, port).into() }
}

impl fmt::Debug for FakeResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let table = self.lock();
        f.debug_struct("FakeResolver")
            .field("rows", &table.rows.len())
            .field("lookups", &table.lookups.len())
            .finish()
    }
}
