//! `asock resolve HOST [PORT]`: getaddrinfo's answer as a table, like `getent ahosts`.

use asock::{consts, AddressFamily, Protocol, SocketKind};

use crate::args::{Args, Spec, UsageError};
use crate::Failure;

const SPEC: Spec = Spec { options: &["family", "kind", "flags"], flags: &[], max_positional: 2 };

/// Runs the subcommand.
pub fn run(words: &[String]) -> Result<(), Failure> {
    let args = Args::parse(words, SPEC)?;
    let host = args.positional.first().ok_or_else(|| UsageError("resolve needs a HOST".into()))?;
    let port = args.positional.get(1).map(String::as_str);
    let family = family(args.option("family").unwrap_or("unspec"))?;
    let kind = kind(args.option("kind").unwrap_or("any"))?;
    let flags = flags(args.option("flags").unwrap_or(""))?;
    let service = match port {
        Some(text) => match text.parse::<i64>() {
            Ok(number) => asock::resolve::Service::Number(number),
            Err(_) => asock::resolve::Service::Name(text.to_owned()),
        },
        None => asock::resolve::Service::Any,
    };
    let infos = asock::blocking::getaddrinfo(
        host.as_str(),
        service,
        family,
        kind,
        Protocol::from(0),
        flags,
    )?;
    println!("{:<9} {:<14} {:<13} {:<40} CANONNAME", "FAMILY", "KIND", "PROTO", "ADDRESS");
    for info in infos {
        println!(
            "{:<9} {:<14} {:<13} {:<40} {}",
            info.family.to_string(),
            info.kind.to_string(),
            info.proto.to_string(),
            info.addr.to_string(),
            info.canonname.as_deref().unwrap_or("")
        );
    }
    Ok(())
}

/// `inet`, `inet6`, `unspec`, a Python name (`AF_INET6`) or a number.
pub fn family(text: &str) -> Result<AddressFamily, UsageError> {
    let family = match text {
        "inet" | "4" | "ipv4" => Some(AddressFamily::AF_INET),
        "inet6" | "6" | "ipv6" => Some(AddressFamily::AF_INET6),
        "unspec" | "any" => Some(AddressFamily::AF_UNSPEC),
        other => AddressFamily::from_name(other)
            .or_else(|| other.parse::<i32>().ok().map(AddressFamily::from)),
    };
    family.ok_or_else(|| {
        UsageError(format!("--family: unknown family {text:?} (inet, inet6, unspec)"))
    })
}

/// `stream`, `dgram`, `raw`, `seqpacket`, `any`, a Python name or a number.
fn kind(text: &str) -> Result<SocketKind, UsageError> {
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
    kind.ok_or_else(|| {
        UsageError(format!("--kind: unknown kind {text:?} (stream, dgram, raw, any)"))
    })
}

/// A comma-separated list of `AI_*` flags, with or without the prefix, any case.
fn flags(text: &str) -> Result<i32, UsageError> {
    let mut flags = 0;
    for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        let name = word.to_ascii_uppercase();
        let name = if name.starts_with("AI_") { name } else { format!("AI_{name}") };
        let value = consts::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| UsageError(format!("--flags: unknown flag {word:?}")))?
            .1;
        flags |= value as i32;
    }
    Ok(flags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_accept_short_and_python_names() {
        assert_eq!(
            flags("canonname,AI_PASSIVE").unwrap(),
            consts::AI_CANONNAME | consts::AI_PASSIVE
        );
        assert_eq!(flags("").unwrap(), 0);
        assert!(flags("bogus").is_err());
    }

    #[test]
    fn family_accepts_words_names_and_numbers() {
        assert_eq!(family("inet6").unwrap(), AddressFamily::AF_INET6);
        assert_eq!(family("AF_INET").unwrap(), AddressFamily::AF_INET);
        assert_eq!(family("10").unwrap(), AddressFamily::AF_INET6);
        assert!(family("ipx-ish").is_err());
    }
}
