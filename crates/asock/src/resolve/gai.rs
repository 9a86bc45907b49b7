//! One `getaddrinfo` call, prepared once and run on whichever thread suits: the arguments
//! checked and turned into the C strings CPython would pass, then the answer turned into
//! [`AddrInfo`]s.

use std::ffi::CString;

use super::idna::encode_host;
use super::{AddrInfo, Hints, Service};
use crate::sys::resolve as sys;
use crate::{AddressFamily, Protocol, Result, SockAddr, SocketKind};

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
        entries
            .into_iter()
            .map(|entry| {
                Ok(AddrInfo {
                    family: AddressFamily::from(entry.family),
                    kind: SocketKind::from(entry.socktype),
                    proto: Protocol::from(entry.protocol),
                    canonname: entry
                        .canonname
                        .map(|name| String::from_utf8_lossy(&name).into_owned()),
                    addr: SockAddr::from_raw(&entry.addr)?,
                })
            })
            .collect()
    }
}

/// The hints of a six-argument call.
pub(crate) fn hints(family: AddressFamily, kind: SocketKind, proto: Protocol, flags: i32) -> Hints {
    Hints { family, kind, proto, flags }
}
