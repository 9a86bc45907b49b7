//! The netdb functions against python3 on this machine: `gethostbyname`, `gethostbyname_ex`,
//! `gethostbyaddr`, `getfqdn`, `gethostname`, `getservbyname`, `getservbyport`,
//! `getprotobyname` and the `if_*` functions, each run blocking and async (on
//! `futures::executor::block_on` and on tokio) and compared with CPython's answer or error.
//!
//! As in resolve_getaddrinfo.rs, lookups that could reach DNS only run inside a private
//! network namespace: CPython's `gethostbyname_ex` passes the name to `gethostbyname_r`, which
//! reads only dotted decimal forms itself (not `0x7f.1`), and `gethostbyaddr` reverses any
//! address, so outside the namespace these get /etc/hosts names and addresses only.

mod resolve_support;

use std::future::Future;

use asock::{ErrorKind, Result};
use resolve_support::*;

struct Runner {
    rt: tokio::runtime::Runtime,
    cases: Vec<Case>,
}

impl Runner {
    fn new() -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        Runner { rt, cases: Vec::new() }
    }

    /// One case run blocking and async, each answer rendered by `render`.
    fn add<T, F>(
        &mut self,
        python: String,
        blocking: impl FnOnce() -> Result<T>,
        lookup: impl Fn() -> F,
        render: impl Fn(&Result<T>) -> String,
    ) where
        F: Future<Output = Result<T>>,
    {
        let case = Case::new(python)
            .answer("blocking", render(&blocking()))
            .answer("async/block_on", render(&futures::executor::block_on(lookup())))
            .answer("async/tokio", render(&self.rt.block_on(lookup())));
        self.cases.push(case);
    }

    fn gethostbyname(&mut self, host: &str) {
        self.add(
            format!("plain|gethostbyname({})", py_str(host)),
            || asock::blocking::gethostbyname(host),
            || asock::gethostbyname(host),
            render_plain,
        );
    }

    fn gethostbyname_ex(&mut self, host: &str) {
        self.add(
            format!("hostent|gethostbyname_ex({})", py_str(host)),
            || asock::blocking::gethostbyname_ex(host),
            || asock::gethostbyname_ex(host),
            render_hostent,
        );
    }

    fn gethostbyaddr(&mut self, host: &str) {
        self.add(
            format!("hostent|gethostbyaddr({})", py_str(host)),
            || asock::blocking::gethostbyaddr(host),
            || asock::gethostbyaddr(host),
            render_hostent,
        );
    }

    fn getfqdn(&mut self, name: &str) {
        self.add(
            format!("plain|getfqdn({})", py_str(name)),
            || asock::blocking::getfqdn(name),
            || asock::getfqdn(name),
            render_plain,
        );
    }

    fn check(&self, what: &str) {
        assert_matches_python(what, &self.cases);
    }
}

/// Dotted decimal forms `gethostbyname_r` reads itself, so no lookup at any step.
const DOTTED: &[&str] =
    &["127.0.0.1", "0.0.0.0", "255.255.255.255", "127.1", "017.0.0.1", "2130706433", "1.2.3", "0"];

/// Forms that are numeric for `getaddrinfo` but not dotted decimal, or not numeric at all.
const LOOKED_UP: &[&str] = &[
    "",
    "<broadcast>",
    "0x7f.1",
    "::1",
    "::",
    "fe80::1%lo",
    "2001:db8::1",
    "::ffff:127.0.0.1",
    "10.1.2.3",
    "1.2.3.4.5",
    "asock-test.invalid",
    "bücher.example",
];

fn hostnames_with_v4() -> Vec<String> {
    etc_hosts().names.into_iter().filter(|(_, (v4, _))| *v4).map(|(name, _)| name).collect()
}

#[test]
fn gethostbyname_matches_python() {
    let mut run = Runner::new();
    // setipaddr(AF_INET) answers IPv6 literals with EAI_ADDRFAMILY without a lookup.
    for host in DOTTED.iter().chain(&["", "<broadcast>", "0x7f.1", "::1", "fe80::1%lo", "a..b"]) {
        run.gethostbyname(host);
    }
    for name in hostnames_with_v4() {
        run.gethostbyname(&name);
    }
    run.check("gethostbyname");
}

#[test]
fn gethostbyname_ex_matches_python() {
    let mut run = Runner::new();
    for host in DOTTED {
        run.gethostbyname_ex(host);
    }
    for name in hostnames_with_v4() {
        run.gethostbyname_ex(&name);
    }
    run.gethostbyname_ex("a..b");
    run.check("gethostbyname_ex");
}

#[test]
fn gethostbyaddr_matches_python() {
    let mut run = Runner::new();
    let hosts = etc_hosts();
    for ip in &hosts.addrs {
        run.gethostbyaddr(&ip.to_string());
    }
    for name in hosts.names.keys() {
        run.gethostbyaddr(name);
    }
    run.gethostbyaddr(""); // the wildcard resolves to two addresses: refused before a lookup
    run.gethostbyaddr("a..b");
    run.check("gethostbyaddr");
}

#[test]
fn getfqdn_matches_python() {
    let mut run = Runner::new();
    let hosts = etc_hosts();
    let hostname = asock::blocking::gethostname().expect("gethostname");
    if hosts.names.contains_key(&hostname) {
        for name in ["", "0.0.0.0", "::", "  "] {
            run.getfqdn(name); // the local host's name, reversed through /etc/hosts
        }
    } else {
        println!("SKIPPED (part): the host name {hostname:?} is not in /etc/hosts, so getfqdn(\"\") would ask DNS");
    }
    for name in hosts.names.keys() {
        run.getfqdn(name);
        run.getfqdn(&format!(" \t{name}\n"));
    }
    for ip in &hosts.addrs {
        run.getfqdn(&ip.to_string());
    }
    run.getfqdn("a..b"); // idna refuses it: Python lets that error through
    run.check("getfqdn");
}

#[test]
fn lookups_of_every_form_match_python_in_a_private_netns() {
    if !enter_private_netns("lookups_of_every_form_match_python_in_a_private_netns") {
        return;
    }
    let mut run = Runner::new();
    for host in DOTTED.iter().chain(LOOKED_UP) {
        run.gethostbyname(host);
        run.gethostbyname_ex(host);
        run.gethostbyaddr(host);
        run.getfqdn(host);
    }
    for name in etc_hosts().names.keys() {
        run.gethostbyname_ex(&name.to_uppercase());
        run.gethostbyaddr(&format!("{name}."));
    }
    run.check("gethostby*/getfqdn, in a private network namespace");
}

#[test]
fn gethostname_matches_python() {
    let mut run = Runner::new();
    run.add(
        "plain|gethostname()".to_owned(),
        asock::blocking::gethostname,
        || async { asock::gethostname() },
        render_plain,
    );
    run.check("gethostname");
}

#[test]
fn getservbyname_and_getservbyport_match_python_for_etc_services() {
    let mut run = Runner::new();
    let services = etc_services();
    assert!(!services.is_empty(), "/etc/services has no entries");
    for (name, port, proto, aliases) in &services {
        for service in std::iter::once(name).chain(aliases) {
            for proto in [Some(proto.as_str()), None, Some("nope")] {
                let py_proto = proto.map_or(String::new(), |p| format!(", {}", py_str(p)));
                run.add(
                    format!("plain|getservbyname({}{py_proto})", py_str(service)),
                    || asock::blocking::getservbyname(service, proto),
                    || asock::getservbyname(service, proto),
                    render_plain,
                );
            }
        }
        for proto in [Some(proto.as_str()), None] {
            let py_proto = proto.map_or(String::new(), |p| format!(", {}", py_str(p)));
            run.add(
                format!("plain|getservbyport({port}{py_proto})"),
                || asock::blocking::getservbyport(*port, proto),
                || asock::getservbyport(*port, proto),
                render_plain,
            );
        }
    }
    for (name, proto) in [("nope", None), ("http", Some("udp")), ("", None), ("HTTP", None)] {
        let py_proto = proto.map_or(String::new(), |p| format!(", {}", py_str(p)));
        run.add(
            format!("plain|getservbyname({}{py_proto})", py_str(name)),
            || asock::blocking::getservbyname(name, proto),
            || asock::getservbyname(name, proto),
            render_plain,
        );
    }
    for port in [-1i64, 65536, 70000, 0, 65535, 1] {
        run.add(
            format!("plain|getservbyport({port})"),
            || asock::blocking::getservbyport(port, None),
            || asock::getservbyport(port, None),
            render_plain,
        );
    }
    run.check("getservbyname/getservbyport over /etc/services");
}

#[test]
fn getprotobyname_matches_python_for_etc_protocols() {
    let mut run = Runner::new();
    let protocols = etc_protocols();
    assert!(!protocols.is_empty(), "/etc/protocols has no entries");
    let names = protocols
        .iter()
        .flat_map(|(name, _, aliases)| std::iter::once(name.clone()).chain(aliases.clone()));
    let raw = |r: &Result<asock::Protocol>| match r {
        Ok(proto) => proto.raw().to_string(),
        Err(e) => render_err(e),
    };
    for name in names.chain(["nope".to_owned(), "".to_owned(), "Tcp".to_owned()]) {
        run.add(
            format!("plain|getprotobyname({})", py_str(&name)),
            || asock::blocking::getprotobyname(&name),
            || asock::getprotobyname(&name),
            raw,
        );
    }
    run.check("getprotobyname over /etc/protocols");
}

#[test]
fn interface_functions_match_python() {
    let mut run = Runner::new();
    let render_ifs = |r: &Result<Vec<(u32, String)>>| match r {
        Ok(list) => list.iter().map(|(i, n)| format!("{i}:{n}")).collect::<Vec<_>>().join(","),
        Err(e) => render_err(e),
    };
    run.add(
        "ifs|if_nameindex()".to_owned(),
        asock::blocking::if_nameindex,
        || async { asock::if_nameindex() },
        render_ifs,
    );
    let interfaces = asock::blocking::if_nameindex().expect("if_nameindex");
    assert!(!interfaces.is_empty(), "no network interfaces at all");
    for (index, name) in
        interfaces.iter().cloned().chain([(0, "nope".to_owned()), (999_999, "".to_owned())])
    {
        run.add(
            format!("plain|if_nametoindex({})", py_str(&name)),
            || asock::blocking::if_nametoindex(&name),
            || async { asock::if_nametoindex(&name) },
            render_plain,
        );
        run.add(
            format!("plain|if_indextoname({index})"),
            || asock::blocking::if_indextoname(index),
            || async { asock::if_indextoname(index) },
            render_plain,
        );
    }
    run.check("if_nameindex/if_nametoindex/if_indextoname");
}

#[test]
fn nul_in_netdb_arguments_is_invalid_input() {
    let checks: Vec<Result<String>> = vec![
        asock::blocking::gethostbyname("local\0host").map(|ip| ip.to_string()),
        asock::blocking::gethostbyname_ex("local\0host").map(|h| h.name),
        asock::blocking::gethostbyaddr("127.0.0.1\0").map(|h| h.name),
        asock::blocking::getfqdn("local\0host"),
        asock::blocking::getservbyname("ht\0tp", None).map(|p| p.to_string()),
        asock::blocking::getservbyname("http", "t\0cp").map(|p| p.to_string()),
        asock::blocking::getservbyport(80, "t\0cp"),
        asock::blocking::getprotobyname("t\0cp").map(|p| p.to_string()),
        asock::blocking::if_nametoindex("l\0o").map(|i| i.to_string()),
    ];
    for result in checks {
        assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidInput);
    }
}
