//! One `getaddrinfo` call, prepared once and run on whichever thread suits: the arguments
//! checked and turned into the C strings CPython would pass, then the answer turned into
//! [`AddrInfo`]s.

use std::ffi::CString;
use std::net::{IpAddr, SocketAddr};

use super::idna::encode_host;
use super::{AddrInfo, Hints, Service};
use crate::sys::resolve as sys;
use asock_core::{AddressFamily, Protocol, Result, SockAddr, SocketKind};

/// `AI_NUMERICHOST | AI_NUMERICSERV`: what makes `getaddrinfo` answer without a lookup.
const NUMERIC_ONLY: i32 = libc::AI_NUMERICHOST | libc::AI_NUMERICSERV;

/// A checked `getaddrinfo` call, owning its arguments (it may move to another thread).
#[derive(Debug)]
pub(crate) struct Query {
    host: Option<CString>,
    service: Option<CString>,
    hints: Hints,
}

impl Query {
    /// Prepares `getaddrinfo(host, service, hints)` as CPython does: the host through the
    /// `idna` codec (`None` stays a null pointer, `""` is passed as an empty string), the port
    /// as decimal text or the service name unchanged.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for an embedded NUL or a host name Python's `idna` codec refuses.
    pub(crate) fn new(host: Option<&str>, service: &Service, hints: Hints) -> Result<Self> {
        let host = host.map(encode_host).transpose()?;
        let service = service.to_c_string()?;
        Ok(Query { host, service, hints })
    }

    /// glibc's answer for the commonest query, built without calling it: a canonical IP
    /// literal (`127.0.0.1`, `::1`; what `std` parses), a port number, no flags beyond
    /// `AI_PASSIVE` / `AI_NUMERICHOST` / `AI_NUMERICSERV`, and a plain kind. glibc answers
    /// those from its socket-type table (stream/TCP, datagram/UDP, raw/0, in that order) with
    /// no lookup and nothing configurable; skipping the call saves most of its cost. The
    /// differential tests hold this to the C library's answers.
    pub(crate) fn literal_answer(
        host: Option<&str>,
        service: &Service,
        hints: Hints,
    ) -> Option<Vec<AddrInfo>> {
        const PLAIN_FLAGS: i32 = libc::AI_PASSIVE | NUMERIC_ONLY;
        if hints.flags & !PLAIN_FLAGS != 0 {
            return None;
        }
        // An IP literal passes Python's idna codec unchanged, so this is what C would get.
        let ip: IpAddr = host?.parse().ok()?;
        let family = if ip.is_ipv4() { AddressFamily::AF_INET } else { AddressFamily::AF_INET6 };
        if hints.family != AddressFamily::AF_UNSPEC && hints.family != family {
            return None;
        }
        let port = match service {
            Service::Any => 0,
            Service::Number(n) => u16::try_from(*n).ok()?,
            // What strtoul reads the same way: 1 to 5 ASCII digits, at most 65535.
            Service::Name(text) => {
                if text.is_empty() || text.len() > 5 || !text.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                text.parse::<u16>().ok()?
            }
        };
        const STREAM: (SocketKind, Protocol) = (SocketKind::SOCK_STREAM, Protocol::IPPROTO_TCP);
        const DGRAM: (SocketKind, Protocol) = (SocketKind::SOCK_DGRAM, Protocol::IPPROTO_UDP);
        const RAW: (SocketKind, Protocol) = (SocketKind::SOCK_RAW, Protocol::IPPROTO_IP);
        let kinds: &[(SocketKind, Protocol)] = match (hints.kind, hints.proto.raw()) {
            (SocketKind(0), 0) => &[STREAM, DGRAM, RAW],
            (SocketKind::SOCK_STREAM, 0 | libc::IPPROTO_TCP) => &[STREAM],
            (SocketKind::SOCK_DGRAM, 0 | libc::IPPROTO_UDP) => &[DGRAM],
            _ => return None,
        };
        let addr = SockAddr::from(SocketAddr::new(ip, port));
        let infos = kinds
            .iter()
            .map(|&(kind, proto)| AddrInfo {
                family,
                kind,
                proto,
                canonname: None,
                addr: addr.clone(),
            })
            .collect();
        Some(infos)
    }

    /// Calls the C library with the caller's flags. May block.
    pub(crate) fn run(&self) -> Result<Vec<AddrInfo>> {
        self.run_with_flags(self.hints.flags)
    }

    /// Tries to answer without any lookup: the C library with `AI_NUMERICHOST |
    /// AI_NUMERICSERV` added. `None` means a lookup is needed (the host or the port was not
    /// numeric, or the numeric-only call failed for a reason a full call might not share).
    ///
    /// Any failure of the numeric-only call sends the query to a thread unless the caller's
    /// flags were numeric-only already: glibc does not report "not numeric" with one code
    /// (a service name under `AI_NUMERICSERV` gives `EAI_SOCKTYPE` or `EAI_SERVICE`, a host
    /// name `EAI_NONAME`), so only the full call knows the right error.
    pub(crate) fn try_numeric(&self) -> Option<Result<Vec<AddrInfo>>> {
        match self.run_with_flags(self.hints.flags | NUMERIC_ONLY) {
            Ok(infos) => Some(Ok(infos)),
            Err(e) if self.hints.flags & NUMERIC_ONLY == NUMERIC_ONLY => Some(Err(e)),
            // A numeric host of the other family (`127.0.0.1` asked for as AF_INET6): glibc
            // gives the same EAI_ADDRFAMILY without the numeric flags, so asking a thread
            // would only cost a hop. Happy Eyeballs' two queries meet this on every IP literal.
            Err(e) if e.errno() == Some(asock_core::consts::EAI_ADDRFAMILY) => Some(Err(e)),
            Err(_) => None,
        }
    }

    fn run_with_flags(&self, flags: i32) -> Result<Vec<AddrInfo>> {
        let entries = sys::getaddrinfo(
            self.host.as_deref(),
            self.service.as_deref(),
            self.hints.family.raw(),
            self.hints.kind.raw(),
            self.hints.proto.raw(),
            flags,
        )?;
        let infos = entries
            .into_iter()
            .map(|entry| AddrInfo {
                family: AddressFamily::from(entry.family),
                kind: SocketKind::from(entry.socktype),
                proto: Protocol::from(entry.protocol),
                canonname: entry.canonname.map(|name| String::from_utf8_lossy(&name).into_owned()),
                addr: entry.addr,
            })
            .collect();
        Ok(infos)
    }
}

/// The hints of a six-argument call.
pub(crate) fn hints(family: AddressFamily, kind: SocketKind, proto: Protocol, flags: i32) -> Hints {
    Hints { family, kind, proto, flags }
}
