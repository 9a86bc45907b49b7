//! Shared by the resolver tests: the python3 oracle, one text form for Rust's and Python's
//! answers, the machine's /etc files, and private network namespaces.
//!
//! No test may send a DNS query: any name not in /etc/hosts (and any reverse lookup of an
//! address not in it) would leave the machine. Tests outside a namespace therefore use numeric
//! hosts and the names /etc/hosts has, for the families it has them in; everything else runs in
//! a network namespace of the test's own, where the lookup fails locally.
#![allow(dead_code)] // each test binary uses a part

use std::collections::BTreeMap;
use std::fmt::Display;
use std::io::{Read, Write};
use std::net::IpAddr;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use asock::resolve::{AddrInfo, HostEntry, Service};
use asock::{Error, ErrorKind, Result, SockAddr};

// ===== the python3 oracle =====

/// Evaluates each `kind|expression` line in python3 (3.11) with `from socket import *` and
/// prints one line per case in the same text form as [`render_gai`] and friends.
///
/// CPython's `herror` carries the thread's `h_errno`, which glibc's `gethostby*_r` leave
/// untouched in some failures (reverse lookups of `::`, say): CPython then reports whatever
/// the previous case left there. The oracle resets `h_errno` to `HOST_NOT_FOUND` before each
/// case, the value such a lookup reports through its `h_errnop` (asock's answer then), so a
/// case's answer does not depend on the case before it.
const ORACLE: &str = r#"
import ctypes
import sys
from socket import *

try:
    _h_errno = ctypes.CDLL(None).__h_errno_location
    _h_errno.restype = ctypes.POINTER(ctypes.c_int)
except (OSError, AttributeError):
    _h_errno = None

def reset_h_errno():
    if _h_errno is not None:
        _h_errno()[0] = 1  # HOST_NOT_FOUND

def addr(sa):
    if len(sa) == 2:
        return f"{sa[0]}|{sa[1]}"
    return f"{inet_pton(AF_INET6, sa[0]).hex()}|{sa[1]}|{sa[2]}|{sa[3]}"

def ip(a):
    return inet_pton(AF_INET6, a).hex() if ':' in a else a

def render(kind, r):
    if kind == 'gai':
        return ';'.join(f"{int(f)},{int(t)},{p},{c},{addr(sa)}" for f, t, p, c, sa in r)
    if kind == 'gni':
        return f"{r[0]}|{r[1]}"
    if kind == 'hostent':
        return f"{r[0]}|{','.join(r[1])}|{','.join(ip(a) for a in r[2])}"
    if kind == 'ifs':
        return ','.join(f"{i}:{n}" for i, n in r)
    return str(int(r)) if isinstance(r, int) else str(r)

def err(e):
    if isinstance(e, gaierror):
        c = 'gaierror'
    elif isinstance(e, herror):
        c = 'herror'
    elif isinstance(e, OSError) and e.errno is not None:
        c = 'OSError'
    elif isinstance(e, (OSError, ValueError, TypeError, OverflowError)):
        c = 'invalid'
    else:
        raise e
    return f"ERR {c} {e}"

for line in sys.stdin.read().splitlines():
    kind, expr = line.split('|', 1)
    reset_h_errno()
    try:
        out = render(kind, eval(expr))
    except Exception as e:
        out = err(e)
    print(out, flush=True)
"#;

/// One differential case: the Python expression and the text of asock's answers, one per way
/// of calling it (blocking, async on some executor).
#[derive(Debug, Clone)]
pub struct Case {
    /// `kind|expression` for the oracle.
    pub python: String,
    /// `(mode, answer)`, rendered.
    pub answers: Vec<(&'static str, String)>,
}

impl Case {
    pub fn new(python: String) -> Self {
        Case { python, answers: Vec::new() }
    }

    #[must_use]
    pub fn answer(mut self, mode: &'static str, text: String) -> Self {
        self.answers.push((mode, text));
        self
    }
}

/// Python's answers to `cases`, in order; `None` (after printing why) if python3 cannot run.
pub fn python_answers(lines: &[String]) -> Option<Vec<String>> {
    let mut input = lines.join("\n");
    input.push('\n');
    let out = run_bounded(
        Command::new("python3").args(["-c", ORACLE]),
        Some(input.as_bytes()),
        Duration::from_secs(120),
    );
    let out = match out {
        Ok(out) => out,
        Err(e) => {
            println!("SKIPPED: python3 cannot run: {e}");
            return None;
        }
    };
    assert!(out.success, "python3 oracle failed:\n{}", out.stderr);
    let answers: Vec<String> = out.stdout.lines().map(str::to_owned).collect();
    assert_eq!(
        answers.len(),
        lines.len(),
        "python3 answered {} of {} cases",
        answers.len(),
        lines.len()
    );
    Some(answers)
}

/// Compares every case with Python; panics listing each mismatch. Returns false (after
/// printing SKIPPED) if python3 could not run.
pub fn assert_matches_python(what: &str, cases: &[Case]) -> bool {
    let lines: Vec<String> = cases.iter().map(|c| c.python.clone()).collect();
    let Some(answers) = python_answers(&lines) else { return false };
    let mut mismatches = Vec::new();
    for (case, want) in cases.iter().zip(&answers) {
        assert!(!case.answers.is_empty(), "case without an asock answer: {}", case.python);
        for (mode, got) in &case.answers {
            if got != want {
                mismatches.push(format!(
                    "  {}\n    python:       {want}\n    asock {mode}: {got}",
                    case.python
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{what}: {} of {} cases differ from python3:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
    println!("{what}: {} cases match python3", cases.len());
    true
}

// ===== one text form for both sides =====

/// A Python str literal holding exactly `text`.
pub fn py_str(text: &str) -> String {
    let hex: String = text.bytes().map(|b| format!("{b:02x}")).collect();
    format!("bytes.fromhex('{hex}').decode()")
}

/// Python's `host` argument.
pub fn py_host(host: Option<&str>) -> String {
    host.map_or_else(|| "None".to_owned(), py_str)
}

/// Python's `port` argument.
pub fn py_port(port: &Service) -> String {
    match port {
        Service::Any => "None".to_owned(),
        Service::Number(n) => n.to_string(),
        Service::Name(name) => py_str(name),
    }
}

/// Python's sockaddr tuple for an IP address.
pub fn py_sockaddr(addr: &SockAddr) -> String {
    match addr {
        SockAddr::Inet(a) => format!("('{}', {})", a.ip(), a.port()),
        SockAddr::Inet6(a) => {
            format!("('{}', {}, {}, {})", a.ip(), a.port(), a.flowinfo(), a.scope_id())
        }
        other => panic!("not an IP address: {other:?}"),
    }
}

pub fn render_err(e: &Error) -> String {
    let class = match e.kind() {
        ErrorKind::Gai => "gaierror",
        ErrorKind::Host => "herror",
        ErrorKind::Os => "OSError",
        _ => "invalid",
    };
    format!("ERR {class} {e}")
}

fn render_addr(addr: &SockAddr) -> String {
    match addr {
        SockAddr::Inet(a) => format!("{}|{}", a.ip(), a.port()),
        SockAddr::Inet6(a) => {
            format!("{}|{}|{}|{}", hex(&a.ip().octets()), a.port(), a.flowinfo(), a.scope_id())
        }
        other => format!("{other:?}"),
    }
}

fn render_ip(ip: &IpAddr) -> String {
    match ip {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => hex(&ip.octets()),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn render_gai(result: &Result<Vec<AddrInfo>>) -> String {
    match result {
        Ok(infos) => infos
            .iter()
            .map(|i| {
                format!(
                    "{},{},{},{},{}",
                    i.family.raw(),
                    i.kind.raw(),
                    i.proto.raw(),
                    i.canonname.as_deref().unwrap_or(""),
                    render_addr(&i.addr)
                )
            })
            .collect::<Vec<_>>()
            .join(";"),
        Err(e) => render_err(e),
    }
}

pub fn render_gni(result: &Result<(String, String)>) -> String {
    match result {
        Ok((host, service)) => format!("{host}|{service}"),
        Err(e) => render_err(e),
    }
}

pub fn render_hostent(result: &Result<HostEntry>) -> String {
    match result {
        Ok(h) => format!(
            "{}|{}|{}",
            h.name,
            h.aliases.join(","),
            h.addrs.iter().map(render_ip).collect::<Vec<_>>().join(",")
        ),
        Err(e) => render_err(e),
    }
}

pub fn render_plain<T: Display>(result: &Result<T>) -> String {
    match result {
        Ok(value) => value.to_string(),
        Err(e) => render_err(e),
    }
}

// ===== the machine's /etc files, read at test time =====

/// /etc/hosts: each name with whether it has IPv4 and IPv6 entries, and every address listed.
#[derive(Debug, Default)]
pub struct Hosts {
    pub names: BTreeMap<String, (bool, bool)>,
    pub addrs: Vec<IpAddr>,
}

pub fn etc_hosts() -> Hosts {
    let mut hosts = Hosts::default();
    for fields in etc_lines("/etc/hosts") {
        let Some(Ok(ip)) =
            fields.first().map(|a| a.split('%').next().unwrap_or(a).parse::<IpAddr>())
        else {
            continue;
        };
        hosts.addrs.push(ip);
        for name in &fields[1..] {
            let entry = hosts.names.entry(name.clone()).or_default();
            if ip.is_ipv4() {
                entry.0 = true;
            } else {
                entry.1 = true;
            }
        }
    }
    hosts
}

/// /etc/services: `(name, port, proto, aliases)`.
pub fn etc_services() -> Vec<(String, u16, String, Vec<String>)> {
    etc_lines("/etc/services")
        .into_iter()
        .filter_map(|fields| {
            let (port, proto) = fields.get(1)?.split_once('/')?;
            Some((fields[0].clone(), port.parse().ok()?, proto.to_owned(), fields[2..].to_vec()))
        })
        .collect()
}

/// /etc/protocols: `(name, number, aliases)`.
pub fn etc_protocols() -> Vec<(String, i32, Vec<String>)> {
    etc_lines("/etc/protocols")
        .into_iter()
        .filter_map(|fields| {
            Some((fields[0].clone(), fields.get(1)?.parse().ok()?, fields[2..].to_vec()))
        })
        .collect()
}

fn etc_lines(path: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(|line| line.split('#').next().unwrap_or(""))
        .map(|line| line.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .filter(|fields| !fields.is_empty())
        .collect()
}

// ===== private network namespaces =====

/// Set in the environment of a test binary re-run inside a private network namespace.
const NETNS_ENV: &str = "ASOCK_TEST_IN_PRIVATE_NETNS";

/// Whether this process runs inside the private network namespace a test made.
pub fn inside_private_netns() -> bool {
    std::env::var_os(NETNS_ENV).is_some()
}

/// Runs test `name` of this test binary again inside a new network namespace that has only
/// the loopback interface (`unshare -n`), where a DNS query cannot leave the machine: the
/// resolver's send fails at once.
///
/// Returns true in that inner run (the caller then does its checks); in the outer run it waits
/// for the inner one, asserts it passed, and returns false. Prints `SKIPPED` and returns false
/// when namespaces are not permitted here.
pub fn enter_private_netns(name: &str) -> bool {
    if inside_private_netns() {
        return true;
    }
    let probe = run_bounded(
        Command::new("unshare").args(["-n", "sh", "-c", "ip link set lo up"]),
        None,
        Duration::from_secs(20),
    );
    match probe {
        Ok(out) if out.success => {}
        Ok(out) => {
            println!("SKIPPED: cannot make a private network namespace: {}", out.stderr.trim());
            return false;
        }
        Err(e) => {
            println!("SKIPPED: cannot run unshare: {e}");
            return false;
        }
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let out = run_bounded(
        Command::new("unshare")
            .args([
                "-n",
                "sh",
                "-c",
                "ip link set lo up && exec \"$0\" --exact \"$1\" --nocapture --test-threads=1",
            ])
            .arg(exe)
            .arg(name)
            .env(NETNS_ENV, "1"),
        None,
        Duration::from_secs(120),
    )
    .expect("re-running the test in a private network namespace");
    println!("--- inner run (private network namespace) ---\n{}{}", out.stdout, out.stderr);
    assert!(out.success, "the inner run of {name} failed");
    assert!(out.stdout.contains("1 passed"), "the inner run did not run {name}");
    false
}

// ===== bounded child processes =====

pub struct Output {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cmd` with `input` on stdin, killing it if it outlives `limit`.
pub fn run_bounded(
    cmd: &mut Command,
    input: Option<&[u8]>,
    limit: Duration,
) -> std::io::Result<Output> {
    let mut child =
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
    let mut stdin = child.stdin.take();
    let input = input.map(<[u8]>::to_vec).unwrap_or_default();
    let writer = std::thread::spawn(move || {
        if let Some(stdin) = stdin.as_mut() {
            let _ = stdin.write_all(&input);
        }
    });
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} ran longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let _ = writer.join();
    Ok(Output {
        success: status.success(),
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
    })
}
