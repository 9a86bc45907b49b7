//! `getaddrinfo` and `getnameinfo` against python3 on this machine: every case is run by
//! asock three ways (blocking, async on `futures::executor::block_on`, async on tokio) and by
//! CPython, and the answers (family, kind, proto, canonname, address tuple, or the error) must
//! be identical, in the C library's order.
//!
//! Outside a namespace only lookups that cannot leave the machine are made (numeric hosts,
//! /etc/hosts names in the families /etc/hosts has, reverse lookups of /etc/hosts addresses);
//! the `*_in_a_private_netns` tests run everything else where DNS cannot be reached.

mod resolve_support;

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};

use asock::resolve::Service;
use asock::{AddressFamily, ErrorKind, Protocol, SockAddr, SocketKind};
use libc::{
    AF_INET, AF_INET6, AI_ADDRCONFIG, AI_ALL, AI_CANONNAME, AI_NUMERICHOST, AI_NUMERICSERV,
    AI_PASSIVE, AI_V4MAPPED, NI_DGRAM, NI_NAMEREQD, NI_NOFQDN, NI_NUMERICHOST, NI_NUMERICSERV,
    SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET, SOCK_STREAM,
};
use resolve_support::*;

/// Hosts glibc reads as numbers (checked: `AI_NUMERICHOST` accepts each), so no lookup.
const NUMERIC_HOSTS: &[&str] = &[
    "127.0.0.1",
    "0.0.0.0",
    "255.255.255.255",
    "127.1",
    "0x7f.1",
    "017.0.0.1",
    "2130706433",
    "1.2.3",
    "0",
    "::1",
    "::",
    "::ffff:1.2.3.4",
    "::1.2.3.4",
    "fe80::1%lo",
    "fe80::1%1",
    "fe80::1%999",
    "2001:db8::1",
    "FE80::ABCD",
];

/// Hosts that are not numeric: looked up if allowed to, so outside a namespace only with
/// `AI_NUMERICHOST` (where they fail with `EAI_NONAME` at once).
const NOT_NUMERIC_HOSTS: &[&str] = &[
    "",
    "1.2.3.4.5",
    "256.1.1.1",
    "[::1]",
    " 127.0.0.1",
    "127.0.0.1 ",
    "127.0.0.1.",
    "1::2::3",
    "fe80::1%nosuch",
    "::ffff:127.0.0.1%lo",
    "1.2.3.4%lo",
    "asock-test.invalid",
    "bücher.example",
];

/// Hosts Python's `idna` codec refuses before any C call.
const IDNA_REFUSED: &[&str] = &["a..b", ".", "..", "a.b..", ".a"];

#[derive(Debug, Clone)]
struct Gai {
    host: Option<String>,
    port: Service,
    family: i32,
    kind: i32,
    proto: i32,
    flags: i32,
}

fn gai(
    host: Option<&str>,
    port: impl Into<Service>,
    family: i32,
    kind: i32,
    proto: i32,
    flags: i32,
) -> Gai {
    Gai { host: host.map(str::to_owned), port: port.into(), family, kind, proto, flags }
}

impl Gai {
    fn python(&self) -> String {
        format!(
            "gai|getaddrinfo({}, {}, {}, {}, {}, {})",
            py_host(self.host.as_deref()),
            py_port(&self.port),
            self.family,
            self.kind,
            self.proto,
            self.flags
        )
    }

    fn lookup(&self) -> asock::Lookup<Vec<asock::resolve::AddrInfo>> {
        asock::getaddrinfo(
            self.host.as_deref(),
            self.port.clone(),
            AddressFamily::from(self.family),
            SocketKind::from(self.kind),
            Protocol::from(self.proto),
            self.flags,
        )
    }

    /// asock's answers: blocking, async on block_on (own pool), async on tokio.
    fn case(&self, rt: &tokio::runtime::Runtime) -> Case {
        let blocking = asock::blocking::getaddrinfo(
            self.host.as_deref(),
            self.port.clone(),
            AddressFamily::from(self.family),
            SocketKind::from(self.kind),
            Protocol::from(self.proto),
            self.flags,
        );
        let own_pool = futures::executor::block_on(self.lookup());
        let tokio = rt.block_on(self.lookup());
        Case::new(self.python())
            .answer("blocking", render_gai(&blocking))
            .answer("async/block_on", render_gai(&own_pool))
            .answer("async/tokio", render_gai(&tokio))
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime")
}

fn check(what: &str, cases: &[Gai]) {
    let rt = runtime();
    let cases: Vec<Case> = cases.iter().map(|g| g.case(&rt)).collect();
    assert_matches_python(what, &cases);
}

// ===== case lists =====

fn numeric_host_cases() -> Vec<Gai> {
    let flags = [
        0,
        AI_PASSIVE,
        AI_CANONNAME,
        AI_NUMERICHOST,
        AI_NUMERICSERV,
        AI_V4MAPPED,
        AI_V4MAPPED | AI_ALL,
        AI_ADDRCONFIG,
        AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST,
    ];
    let hosts = NUMERIC_HOSTS.iter().map(|h| Some(*h)).chain([None]);
    let mut cases = Vec::new();
    for host in hosts {
        for family in [0, AF_INET, AF_INET6] {
            for kind in [0, SOCK_STREAM] {
                for flags in flags {
                    cases.push(gai(host, 80, family, kind, 0, flags));
                }
            }
        }
    }
    cases
}

fn port_cases() -> Vec<Gai> {
    let ports: Vec<Service> = vec![
        Service::Any,
        0.into(),
        80.into(),
        65535.into(),
        65536.into(),
        (-1).into(),
        ((1i64 << 40) + 80).into(),
        (-65537).into(),
        i64::MAX.into(),
        "80".into(),
        "65536".into(),
        "http".into(),
        "https".into(),
        "domain".into(),
        "nosuchservice".into(),
        "".into(),
        " 80".into(),
        "80 ".into(),
        "0x50".into(),
        "-1".into(),
    ];
    let mut cases = Vec::new();
    for host in [Some("127.0.0.1"), Some("::1"), None] {
        for port in &ports {
            for kind in [0, SOCK_STREAM, SOCK_DGRAM, SOCK_RAW] {
                for flags in [0, AI_NUMERICSERV, AI_PASSIVE] {
                    cases.push(gai(host, port.clone(), 0, kind, 0, flags));
                }
            }
        }
    }
    cases
}

fn kind_and_protocol_cases() -> Vec<Gai> {
    let mut cases = Vec::new();
    for host in ["127.0.0.1", "::1"] {
        for kind in [0, SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET, 99] {
            for proto in [0, 6, 17, 132, 136, 99] {
                cases.push(gai(Some(host), 80, 0, kind, proto, 0));
            }
        }
    }
    cases
}

fn error_cases() -> Vec<Gai> {
    let mut cases = Vec::new();
    for family in [libc::AF_UNIX, libc::AF_PACKET, 12345, -1] {
        cases.push(gai(Some("127.0.0.1"), 80, family, 0, 0, 0));
    }
    for flags in [0x10000, -1, 0x7fff_ffff, AI_CANONNAME] {
        cases.push(gai(None, 80, 0, 0, 0, flags)); // AI_CANONNAME without a host is EAI_BADFLAGS
    }
    // Numeric-only with a name: EAI_NONAME without a lookup.
    let names = etc_hosts().names.into_keys().collect::<Vec<_>>();
    for host in names.iter().map(String::as_str).chain(NOT_NUMERIC_HOSTS.iter().copied()) {
        cases.push(gai(Some(host), 80, 0, SOCK_STREAM, 0, AI_NUMERICHOST));
        cases.push(gai(Some(host), 80, AF_INET6, SOCK_STREAM, 0, AI_NUMERICHOST | AI_V4MAPPED));
    }
    for host in
        IDNA_REFUSED.iter().copied().chain([&*"y".repeat(64), &*format!("{}.com", "y".repeat(64))])
    {
        cases.push(gai(Some(host), 80, 0, 0, 0, 0));
    }
    cases
}

/// /etc/hosts names, in the families /etc/hosts has them in (a family it lacks would go on
/// to DNS); with `full`, every family and flag.
fn etc_hosts_cases(full: bool) -> Vec<Gai> {
    let hosts = etc_hosts();
    let mut flags = vec![0, AI_PASSIVE, AI_NUMERICSERV];
    if full {
        flags.extend([
            AI_CANONNAME,
            AI_V4MAPPED,
            AI_V4MAPPED | AI_ALL,
            AI_ADDRCONFIG,
            AI_CANONNAME | AI_ADDRCONFIG,
        ]);
    }
    let mut cases = Vec::new();
    for (name, &(v4, v6)) in &hosts.names {
        let mut families = vec![];
        if full || v4 || v6 {
            families.push(0);
        }
        if full || v4 {
            families.push(AF_INET);
        }
        if full || v6 {
            families.push(AF_INET6);
        }
        let mut spellings = vec![name.clone()];
        if full {
            spellings.extend([name.to_uppercase(), format!("{name}.")]);
        }
        for host in &spellings {
            for &family in &families {
                for kind in [0, SOCK_STREAM, SOCK_DGRAM] {
                    for &flags in &flags {
                        for port in [Service::from(80), Service::from("http")] {
                            cases.push(gai(Some(host), port, family, kind, 0, flags));
                        }
                    }
                }
            }
        }
    }
    cases
}

/// Every non-numeric form, looked up for real: only inside a private network namespace.
fn lookup_cases() -> Vec<Gai> {
    let mut cases = Vec::new();
    for host in NOT_NUMERIC_HOSTS {
        for family in [0, AF_INET, AF_INET6] {
            cases.push(gai(Some(host), 80, family, SOCK_STREAM, 0, 0));
            cases.push(gai(Some(host), "http", family, 0, 0, AI_CANONNAME));
        }
    }
    cases
}

// ===== getaddrinfo tests =====

#[test]
fn getaddrinfo_numeric_hosts_match_python() {
    check("numeric hosts x families x flags", &numeric_host_cases());
}

#[test]
fn getaddrinfo_ports_and_services_match_python() {
    check("ports and services", &port_cases());
}

#[test]
fn getaddrinfo_kinds_and_protocols_match_python() {
    check("kinds and protocols", &kind_and_protocol_cases());
}

#[test]
fn getaddrinfo_errors_match_python() {
    check("error cases", &error_cases());
}

#[test]
fn getaddrinfo_etc_hosts_names_match_python() {
    check("/etc/hosts names", &etc_hosts_cases(false));
}

#[test]
fn getaddrinfo_etc_services_names_match_python() {
    let mut cases = Vec::new();
    for (name, _, proto, aliases) in etc_services() {
        let kind = match proto.as_str() {
            "tcp" => SOCK_STREAM,
            "udp" => SOCK_DGRAM,
            _ => 0,
        };
        for service in std::iter::once(name).chain(aliases) {
            cases.push(gai(Some("127.0.0.1"), service.as_str(), AF_INET, kind, 0, 0));
            cases.push(gai(Some("::1"), service.as_str(), AF_INET6, 0, 0, 0));
        }
    }
    assert!(!cases.is_empty(), "/etc/services has no entries");
    check("/etc/services names", &cases);
}

#[test]
fn getaddrinfo_every_form_matches_python_in_a_private_netns() {
    if !enter_private_netns("getaddrinfo_every_form_matches_python_in_a_private_netns") {
        return;
    }
    let mut cases = numeric_host_cases();
    cases.extend(etc_hosts_cases(true));
    cases.extend(lookup_cases());
    check("every form, in a private network namespace", &cases);
}

/// Deliberate difference: CPython passes the host up to the NUL (resolving "127.0.0.1"
/// here); asock refuses it.
#[test]
fn embedded_nul_in_host_is_invalid_input_where_python_truncates() {
    let host = "127.0.0.1\0junk";
    let blocking = asock::blocking::getaddrinfo(
        host,
        80,
        AddressFamily::AF_INET,
        SocketKind::SOCK_STREAM,
        Protocol::from(0),
        0,
    );
    assert_eq!(blocking.unwrap_err().kind(), ErrorKind::InvalidInput);
    let lookup = asock::getaddrinfo(
        host,
        80,
        AddressFamily::AF_INET,
        SocketKind::SOCK_STREAM,
        Protocol::from(0),
        0,
    );
    assert!(lookup.is_immediate(), "a refused argument needs no thread");
    assert_eq!(futures::executor::block_on(lookup).unwrap_err().kind(), ErrorKind::InvalidInput);
    assert_eq!(asock::blocking::gethostbyname(host).unwrap_err().kind(), ErrorKind::InvalidInput);
    // What Python does instead:
    let truncated = gai(Some("127.0.0.1"), 80, AF_INET, SOCK_STREAM, 0, 0);
    if let Some(answers) = python_answers(&[
        format!("gai|getaddrinfo({}, 80, {AF_INET}, {SOCK_STREAM}, 0, 0)", py_str(host)),
        truncated.python(),
    ]) {
        assert_eq!(answers[0], answers[1], "CPython resolves the host up to the NUL");
    }
}

#[test]
fn service_name_with_nul_is_invalid_input() {
    let result = asock::blocking::getaddrinfo(
        "127.0.0.1",
        "ht\0tp",
        AddressFamily::AF_INET,
        SocketKind::SOCK_STREAM,
        Protocol::from(0),
        0,
    );
    assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidInput);
}

// ===== getnameinfo =====

fn gni_case(addr: &SockAddr, flags: i32, rt: &tokio::runtime::Runtime) -> Case {
    let python = format!("gni|getnameinfo({}, {flags})", py_sockaddr(addr));
    Case::new(python)
        .answer("blocking", render_gni(&asock::blocking::getnameinfo(addr, flags)))
        .answer(
            "async/block_on",
            render_gni(&futures::executor::block_on(asock::getnameinfo(addr, flags))),
        )
        .answer("async/tokio", render_gni(&rt.block_on(asock::getnameinfo(addr, flags))))
}

fn v4(ip: Ipv4Addr, port: u16) -> SockAddr {
    SockAddr::Inet(SocketAddrV4::new(ip, port))
}

fn v6(ip: &str, port: u16, flowinfo: u32, scope_id: u32) -> SockAddr {
    SockAddr::Inet6(SocketAddrV6::new(ip.parse::<Ipv6Addr>().unwrap(), port, flowinfo, scope_id))
}

fn gni_addresses(port: u16) -> Vec<SockAddr> {
    vec![
        v4(Ipv4Addr::LOCALHOST, port),
        v4(Ipv4Addr::new(10, 1, 2, 3), port),
        v4(Ipv4Addr::UNSPECIFIED, port),
        v6("::1", port, 0, 0),
        v6("fe80::1", port, 0, 1),
        v6("fe80::1", port, 0, 999),
        v6("::ffff:127.0.0.1", port, 0, 0),
        v6("2001:db8::1", port, 5, 0),
        v6("2001:db8::1", port, 0xfffff, 0),
        v6("2001:db8::1", port, 0x100000, 0),
    ]
}

const GNI_PORTS: [u16; 7] = [0, 22, 53, 80, 443, 12345, 65535];

#[test]
fn getnameinfo_matches_python() {
    let hosts = etc_hosts();
    let rt = runtime();
    let mut cases = Vec::new();
    let numeric_flags = [
        NI_NUMERICHOST,
        NI_NUMERICHOST | NI_NUMERICSERV,
        NI_NUMERICHOST | NI_DGRAM,
        NI_NUMERICHOST | NI_NAMEREQD,
        NI_NUMERICHOST | 0x10000,
    ];
    for port in GNI_PORTS {
        for addr in gni_addresses(port) {
            for flags in numeric_flags {
                cases.push(gni_case(&addr, flags, &rt));
            }
        }
        // Reverse lookups only of addresses /etc/hosts lists: they never reach DNS.
        for ip in hosts.addrs.iter().filter(|ip| ip.is_ipv4()) {
            let addr = SockAddr::from(std::net::SocketAddr::new(*ip, port));
            for flags in [0, NI_NUMERICSERV, NI_NAMEREQD, NI_DGRAM] {
                cases.push(gni_case(&addr, flags, &rt));
            }
        }
    }
    assert_matches_python("getnameinfo", &cases);
}

#[test]
fn getnameinfo_reverse_lookups_match_python_in_a_private_netns() {
    if !enter_private_netns("getnameinfo_reverse_lookups_match_python_in_a_private_netns") {
        return;
    }
    let rt = runtime();
    let mut cases = Vec::new();
    for port in GNI_PORTS {
        for addr in gni_addresses(port) {
            for flags in [0, NI_NUMERICSERV, NI_NAMEREQD, NI_DGRAM, NI_NOFQDN] {
                cases.push(gni_case(&addr, flags, &rt));
            }
        }
    }
    assert_matches_python("getnameinfo reverse lookups, in a private network namespace", &cases);
}

#[test]
fn getnameinfo_numeric_answer_needs_no_thread() {
    let addr = v6("fe80::1", 443, 0, 1);
    let lookup = asock::getnameinfo(&addr, NI_NUMERICHOST | NI_NUMERICSERV);
    assert!(lookup.is_immediate());
    let (host, service) = futures::executor::block_on(lookup).unwrap();
    assert_eq!(service, "443");
    assert!(host.starts_with("fe80::1%"), "scoped host {host}");
}
