//! Parsing and checking of argument values. Each parser returns the reason in plain words;
//! clap prints it after the option's name and exits with status 2.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use asock::resolve::Service;
use asock::{consts, AddressFamily, SockAddr, SocketKind, UnixAddr};

/// A `resolve` port: a number or a service name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Port {
    /// A port number, 0 to 65535.
    Number(u16),
    /// A service name, looked up by getaddrinfo (`/etc/services`).
    Name(String),
}

impl From<Port> for Service {
    fn from(port: Port) -> Service {
        match port {
            Port::Number(number) => Service::Number(i64::from(number)),
            Port::Name(name) => Service::Name(name),
        }
    }
}

/// A port number, 0 to 65535 (the C library would silently wrap 70000 to 4464).
pub fn port(text: &str) -> Result<u16, String> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{text:?} is not a port number (0-65535)"));
    }
    digits.parse().map_err(|_| format!("port {text} is out of range (0-65535)"))
}

/// A port number (checked as [`port`]) or a service name.
pub fn service(text: &str) -> Result<Port, String> {
    if text.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-') {
        return port(text).map(Port::Number);
    }
    if text.is_empty() || text.contains(char::is_whitespace) {
        return Err(format!("{text:?} is neither a port number nor a service name"));
    }
    Ok(Port::Name(text.to_owned()))
}

/// `inet`, `inet6`, `unspec`, a Python name (`AF_INET6`) or a number.
pub fn family(text: &str) -> Result<AddressFamily, String> {
    let family = match text {
        "inet" | "4" | "ipv4" => Some(AddressFamily::AF_INET),
        "inet6" | "6" | "ipv6" => Some(AddressFamily::AF_INET6),
        "unspec" | "any" => Some(AddressFamily::AF_UNSPEC),
        other => AddressFamily::from_name(other)
            .or_else(|| other.parse::<i32>().ok().map(AddressFamily::from)),
    };
    family.ok_or_else(|| format!("unknown family {text:?} (inet, inet6, unspec)"))
}

/// `stream`, `dgram`, `raw`, `seqpacket`, `any`, a Python name or a number.
pub fn kind(text: &str) -> Result<SocketKind, String> {
    let kind = match text {
        "stream" | "tcp" => Some(SocketKind::SOCK_STREAM),
        "dgram" | "udp" => Some(SocketKind::SOCK_DGRAM),
        "raw" => Some(SocketKind::SOCK_RAW),
        "seqpacket" => Some(SocketKind::SOCK_SEQPACKET),
        "any" => Some(SocketKind::from(0)),
        other => {
            SocketKind::from_name(other).or_else(|| other.parse::<i32>().ok().map(SocketKind::from))
        }
    };
    kind.ok_or_else(|| format!("unknown kind {text:?} (stream, dgram, raw, seqpacket, any)"))
}

/// A comma-separated list of `AI_*` flags, with or without the prefix, any case.
pub fn ai_flags(text: &str) -> Result<i32, String> {
    let mut flags = 0;
    for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        let name = word.to_ascii_uppercase();
        let name = if name.starts_with("AI_") { name } else { format!("AI_{name}") };
        let value = consts::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| {
                format!("unknown flag {word:?} (canonname, passive, numerichost, numericserv, ...)")
            })?
            .1;
        flags |= value as i32;
    }
    Ok(flags)
}

/// A positive number of seconds that a socket timeout can hold (Python's `settimeout`
/// rules: not negative, not NaN, not too large).
pub fn seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text.parse().map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if secs <= 0.0 {
        return Err(format!("{text} seconds: it must be more than zero"));
    }
    asock::Mode::from_secs_f64(Some(secs))
        .ok()
        .and_then(|mode| mode.timeout())
        .ok_or_else(|| format!("{text} seconds is too long for a socket timeout"))
}

/// Happy Eyeballs' Connection Attempt Delay in milliseconds: 10 to 2000 (RFC 8305 §5's
/// bounds, which the library would otherwise clamp to silently).
pub fn attempt_delay(text: &str) -> Result<Duration, String> {
    let ms: u64 = text.parse().map_err(|_| format!("{text:?} is not a number of milliseconds"))?;
    if !(10..=2000).contains(&ms) {
        return Err(format!("{ms} ms is outside 10-2000 ms (RFC 8305's bounds)"));
    }
    Ok(Duration::from_millis(ms))
}

/// `--source`: `ADDR`, `ADDR:PORT` or `[ADDR]:PORT`; the port defaults to 0 (any).
pub fn source_address(text: &str) -> Result<SockAddr, String> {
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(addr.into());
    }
    strip_brackets(text)
        .parse::<IpAddr>()
        .map(|ip| SocketAddr::new(ip, 0).into())
        .map_err(|_| format!("{text:?} is not an IP address (127.0.0.1, ::1, [::1]:5000)"))
}

/// A numeric host to bind: empty (every IPv4 address), IPv4, or IPv6 with or without
/// brackets (a zone `%eth0` allowed).
pub fn bind_host(text: &str) -> Result<String, String> {
    bind_address(text, 0)
        .map(|_| text.to_owned())
        .map_err(|_| format!("{text:?} is not a numeric address (127.0.0.1, ::1, or \"\" for all)"))
}

/// The address [`bind_host`] accepted, with `port`.
pub fn bind_address(host: &str, port: u16) -> asock::Result<SockAddr> {
    if host.contains(':') {
        SockAddr::inet6(strip_brackets(host), port, 0, 0)
    } else {
        SockAddr::inet(host, port)
    }
}

/// `[::1]` (a URI's form) as `::1`; anything else as it is.
pub fn strip_brackets(host: &str) -> &str {
    host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host)
}

/// A UNIX socket address: `@NAME` in the abstract namespace, else a path.
pub fn unix_address(text: &str) -> SockAddr {
    SockAddr::Unix(match text.strip_prefix('@') {
        Some(name) => UnixAddr::abstract_name(name),
        None => UnixAddr::pathname(text),
    })
}

/// What `asock connect` was asked to reach.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A host (name or address) and a port: resolved, then raced.
    HostPort(String, u16),
    /// Socket addresses, raced in the order given.
    Addresses(Vec<SockAddr>),
}

/// `HOST PORT`, or one or more `ADDRESS:PORT` (`127.0.0.1:80`, `[::1]:80`).
pub fn connect_target(words: &[String]) -> Result<Target, String> {
    let addrs: Result<Vec<SockAddr>, _> =
        words.iter().map(|w| w.parse::<SocketAddr>().map(SockAddr::from)).collect();
    match (addrs, words) {
        (Ok(addrs), _) if !addrs.is_empty() => Ok(Target::Addresses(addrs)),
        (_, [host, port_text]) => {
            let port = port(port_text).map_err(|e| format!("PORT: {e}"))?;
            if host.is_empty() {
                return Err("HOST is empty".into());
            }
            Ok(Target::HostPort(host.clone(), port))
        }
        (_, [word]) => Err(format!(
            "{word:?} is not ADDRESS:PORT (127.0.0.1:80, [::1]:80); a name needs HOST PORT"
        )),
        (_, []) => Err("HOST PORT or ADDRESS:PORT is needed (or --unix PATH)".into()),
        (_, words) => {
            let bad = words.iter().find(|w| w.parse::<SocketAddr>().is_err());
            Err(format!(
                "{:?} is not ADDRESS:PORT; several targets must all be ADDRESS:PORT \
                 (127.0.0.1:80, [::1]:80)",
                bad.map_or("", String::as_str)
            ))
        }
    }
}

/// Why the `idna` codec refused `host`, in plain words. `reason` is the codec's own text
/// (`label empty or too long`, `label too long`, `Label starts with ACE prefix`); the
/// offending label is named where it can be found (labels hold 1 to 63 bytes once encoded;
/// an empty last label is a trailing dot, which is allowed).
pub fn host_name_problem(host: &str, reason: &str) -> String {
    if reason.contains("ACE prefix") {
        return "a label starts with \"xn--\" (already encoded) yet holds non-ASCII characters"
            .into();
    }
    // Python's separators: full stop, ideographic, fullwidth and halfwidth ideographic.
    let labels: Vec<&str> = host.split(['.', '\u{3002}', '\u{FF0E}', '\u{FF61}']).collect();
    let count = labels.len();
    for (i, label) in labels.iter().enumerate() {
        let position = i + 1;
        if label.is_empty() && position < count {
            let why = if i == 0 { "the name starts with a dot" } else { "two dots in a row" };
            return format!("label {position} of {count} is empty ({why})");
        }
        if label.len() > 63 && label.is_ascii() {
            return format!("label {position} is {} characters long; DNS allows 63", label.len());
        }
    }
    "a label is longer than DNS allows (63 bytes once encoded)".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_0_to_65535_and_never_wrap() {
        assert_eq!(port("0"), Ok(0));
        assert_eq!(port("65535"), Ok(65535));
        assert_eq!(port("70000").unwrap_err(), "port 70000 is out of range (0-65535)");
        assert!(port("-1").is_err());
        assert!(port("80a").is_err());
        assert!(port("").is_err());
    }

    #[test]
    fn a_resolve_port_is_a_number_or_a_service_name() {
        assert_eq!(service("443"), Ok(Port::Number(443)));
        assert_eq!(service("https"), Ok(Port::Name("https".into())));
        assert!(service("99999").unwrap_err().contains("out of range"));
        assert!(service("two words").is_err());
    }

    #[test]
    fn flags_accept_short_and_python_names() {
        assert_eq!(ai_flags("canonname,AI_PASSIVE"), Ok(consts::AI_CANONNAME | consts::AI_PASSIVE));
        assert_eq!(ai_flags(""), Ok(0));
        assert!(ai_flags("bogus").is_err());
    }

    #[test]
    fn family_accepts_words_names_and_numbers() {
        assert_eq!(family("inet6"), Ok(AddressFamily::AF_INET6));
        assert_eq!(family("AF_INET"), Ok(AddressFamily::AF_INET));
        assert_eq!(family("10"), Ok(AddressFamily::AF_INET6));
        assert!(family("ipx-ish").is_err());
    }

    #[test]
    fn durations_must_be_positive_and_fit_a_socket_timeout() {
        assert_eq!(seconds("1.5"), Ok(Duration::from_millis(1500)));
        assert!(seconds("0").unwrap_err().contains("more than zero"));
        assert!(seconds("-2").is_err());
        assert!(seconds("nan").is_err());
        assert!(seconds("inf").is_err());
        assert!(seconds("1e300").unwrap_err().contains("too long"));
        assert!(seconds("soon").unwrap_err().contains("not a number"));
        assert_eq!(attempt_delay("100"), Ok(Duration::from_millis(100)));
        assert!(attempt_delay("5").unwrap_err().contains("10-2000"));
        assert!(attempt_delay("5000").is_err());
    }

    #[test]
    fn source_addresses_take_an_optional_port() {
        let with_port: SockAddr = "[::1]:5000".parse().unwrap();
        assert_eq!(source_address("[::1]:5000"), Ok(with_port));
        let bare: SockAddr = "127.0.0.1:0".parse().unwrap();
        assert_eq!(source_address("127.0.0.1"), Ok(bare.clone()));
        assert_eq!(source_address("[127.0.0.1]"), Ok(bare));
        assert!(source_address("localhost").is_err());
    }

    #[test]
    fn bind_hosts_are_numeric() {
        assert!(bind_host("").is_ok());
        assert!(bind_host("127.0.0.1").is_ok());
        assert!(bind_host("::1").is_ok());
        assert!(bind_host("[::1]").is_ok());
        assert!(bind_host("localhost").is_err());
        assert_eq!(bind_address("[::1]", 7).unwrap(), "[::1]:7".parse().unwrap());
    }

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn connect_takes_host_and_port_or_a_list_of_addresses() {
        assert_eq!(
            connect_target(&words("localhost 80")),
            Ok(Target::HostPort("localhost".into(), 80))
        );
        assert_eq!(connect_target(&words("[::1] 80")), Ok(Target::HostPort("[::1]".into(), 80)));
        let list = connect_target(&words("127.0.0.1:80 [::1]:81")).unwrap();
        assert_eq!(
            list,
            Target::Addresses(vec!["127.0.0.1:80".parse().unwrap(), "[::1]:81".parse().unwrap()])
        );
        assert!(connect_target(&words("localhost 70000")).unwrap_err().contains("0-65535"));
        assert!(connect_target(&words("localhost:80")).unwrap_err().contains("HOST PORT"));
        assert!(connect_target(&words("127.0.0.1:80 nope 1")).is_err());
    }

    #[test]
    fn host_name_problems_are_said_in_words() {
        let empty = "label empty or too long";
        assert_eq!(host_name_problem("a..b", empty), "label 2 of 3 is empty (two dots in a row)");
        assert_eq!(
            host_name_problem(".", empty),
            "label 1 of 2 is empty (the name starts with a dot)"
        );
        let long = format!("{}.example", "x".repeat(64));
        assert_eq!(host_name_problem(&long, empty), "label 1 is 64 characters long; DNS allows 63");
        let long_unicode = format!("{}.example", "ü".repeat(60));
        assert!(host_name_problem(&long_unicode, empty).contains("longer than DNS allows"));
        assert!(host_name_problem("xn--bü", "Label starts with ACE prefix").contains("xn--"));
    }
}
