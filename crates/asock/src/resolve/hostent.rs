//! The `gethostby*` family as CPython builds it (Modules/socketmodule.c): `setipaddr` turns the
//! argument into one address (numeric forms directly, names through `getaddrinfo`), then
//! `gethostbyname_r` / `gethostbyaddr_r` fill a `hostent`, which `gethost_common` turns into
//! `(name, aliases, addresses)`. Following the same steps gives the same answers and the same
//! errors: a name that does not resolve fails in `getaddrinfo` (a `gaierror`) before the
//! `hostent` call could fail (an `herror`).

use std::ffi::CStr;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::HostEntry;
use crate::sys::resolve as sys;
use asock_core::{Error, Result, SockAddr};

/// CPython's `setipaddr(name, af)`: the one address `name` stands for, looked up if need be.
pub(crate) fn setipaddr(name: &CStr, af: i32) -> Result<IpAddr> {
    let text = name.to_bytes();
    if text.is_empty() {
        // The wildcard address of `af`: a passive lookup of no host, which must be unique.
        let infos = sys::getaddrinfo(None, Some(c"0"), af, libc::SOCK_DGRAM, 0, libc::AI_PASSIVE)?;
        let first =
            infos.first().ok_or_else(|| Error::invalid_input("unsupported address family"))?;
        let ip =
            ip_of(&first.addr).ok_or_else(|| Error::invalid_input("unsupported address family"))?;
        if infos.len() > 1 {
            return Err(Error::invalid_input("wildcard resolved to multiple address"));
        }
        return Ok(ip);
    }
    if text == b"255.255.255.255" || text == b"<broadcast>" {
        if af != libc::AF_INET && af != libc::AF_UNSPEC {
            return Err(Error::invalid_input("address family mismatched"));
        }
        return Ok(IpAddr::V4(Ipv4Addr::BROADCAST));
    }
    // Numeric forms skip the lookup. A scoped IPv6 address ("fe80::1%eth0") goes to
    // getaddrinfo, which knows interface names.
    if af == libc::AF_UNSPEC || af == libc::AF_INET {
        if let Some(bytes) = sys::inet_pton_raw(libc::AF_INET, name) {
            return Ok(IpAddr::V4(Ipv4Addr::from(
                <[u8; 4]>::try_from(bytes.as_slice()).unwrap_or_default(),
            )));
        }
    }
    if (af == libc::AF_UNSPEC || af == libc::AF_INET6) && !text.contains(&b'%') {
        if let Some(bytes) = sys::inet_pton_raw(libc::AF_INET6, name) {
            return Ok(IpAddr::V6(Ipv6Addr::from(
                <[u8; 16]>::try_from(bytes.as_slice()).unwrap_or_default(),
            )));
        }
    }
    let infos = sys::getaddrinfo(Some(name), None, af, 0, 0, 0)?;
    let first = infos.first().ok_or_else(|| Error::invalid_input("unknown address family"))?;
    ip_of(&first.addr).ok_or_else(|| Error::invalid_input("unknown address family"))
}

/// `socket.gethostbyname(name)` for an already encoded name.
pub(crate) fn gethostbyname(name: &CStr) -> Result<Ipv4Addr> {
    match setipaddr(name, libc::AF_INET)? {
        IpAddr::V4(ip) => Ok(ip),
        // setipaddr(AF_INET) only yields IPv4; CPython would print whatever it got.
        IpAddr::V6(_) => Err(Error::invalid_input("unsupported address family")),
    }
}

/// `socket.gethostbyname_ex(name)` for an already encoded name.
pub(crate) fn gethostbyname_ex(name: &CStr) -> Result<HostEntry> {
    let ip = setipaddr(name, libc::AF_INET)?;
    let af = if ip.is_ipv4() { libc::AF_INET } else { libc::AF_INET6 };
    gethost_common(sys::gethostbyname(name)?, af)
}

/// `socket.gethostbyaddr(ip)` for an already encoded name or address.
pub(crate) fn gethostbyaddr(name: &CStr) -> Result<HostEntry> {
    let (bytes, af) = match setipaddr(name, libc::AF_UNSPEC)? {
        IpAddr::V4(ip) => (ip.octets().to_vec(), libc::AF_INET),
        IpAddr::V6(ip) => (ip.octets().to_vec(), libc::AF_INET6),
    };
    gethost_common(sys::gethostbyaddr(&bytes, af)?, af)
}

/// CPython's `gethost_common`: the entry must be of the family asked for.
fn gethost_common(h: sys::HostEnt, af: i32) -> Result<HostEntry> {
    if h.addrtype != af {
        return Err(Error::from_errno(libc::EAFNOSUPPORT));
    }
    let addrs = h
        .addrs
        .iter()
        .filter_map(|bytes| match af {
            libc::AF_INET => <[u8; 4]>::try_from(bytes.get(..4)?).ok().map(IpAddr::from),
            _ => <[u8; 16]>::try_from(bytes.get(..16)?).ok().map(IpAddr::from),
        })
        .collect();
    Ok(HostEntry {
        name: lossy(&h.name),
        aliases: h.aliases.iter().map(|alias| lossy(alias)).collect(),
        addrs,
    })
}

fn ip_of(addr: &SockAddr) -> Option<IpAddr> {
    addr.as_socket().map(|sa| sa.ip())
}

pub(crate) fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
