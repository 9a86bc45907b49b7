//! The command line, declared with clap's derive: every subcommand, option and help text.
//!
//! Values are checked as they are parsed (`values.rs`), so a bad port, address or duration is
//! a usage error (exit status 2) naming the option and what is wrong, before anything runs.

use std::time::Duration;

use asock::{AddressFamily, SockAddr, SocketKind};
use clap::{ArgAction, Args, Parser, Subcommand};

use crate::values;

/// The exit statuses, printed under `asock --help` and kept in step with `main.rs`.
pub const EXIT_STATUS: &str = "\
Exit status:
  0  success
  1  an operation failed: connection refused, timed out, reset, an I/O error, a resolver
     failure other than \"not found\" (EAI_AGAIN, EAI_FAIL, ...)
  2  usage error: an unknown option, a missing or malformed argument (a port outside
     0-65535, an address, a duration, a host name that cannot be encoded)
  3  a host or service name that does not resolve (EAI_NONAME, EAI_NODATA,
     EAI_ADDRFAMILY, EAI_SERVICE)";

/// `asock`: Python's socket module from the shell.
#[derive(Debug, Parser)]
#[command(
    name = "asock",
    version,
    about = "Resolve names, connect, listen, serve echo and benchmark sockets, from the shell",
    long_about = "Resolve names, connect, listen, serve echo and benchmark sockets, from the \
                  shell.\n\nconnect, listen and echo run on asock's AsyncSocket under its own \
                  reactor; connect races a name's IPv6 and IPv4 addresses (Happy Eyeballs, \
                  RFC 8305).",
    after_long_help = EXIT_STATUS,
    arg_required_else_help = true,
    propagate_version = true
)]
pub struct Cli {
    /// More output on stderr: -v adds debug events (connect's Happy Eyeballs timeline),
    /// -vv everything asock traces.
    #[arg(short, long, action = ArgAction::Count, global = true)]
    pub verbose: u8,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List getaddrinfo's answer for HOST [PORT] as a table (like `getent ahosts`)
    Resolve(ResolveArgs),
    /// Connect (Happy Eyeballs), then pipe stdin to the socket and the socket to stdout
    #[command(after_long_help = CONNECT_EXAMPLES)]
    Connect(ConnectArgs),
    /// Accept one connection (or many with --keep) and pipe it, netcat-style
    Listen(ListenArgs),
    /// Serve TCP, UDP and UNIX echo on loopback; prints where it listens
    Echo(EchoArgs),
    /// std::net vs tokio::net vs asock, side by side, as one table with ratios
    Bench(BenchArgs),
}

/// `asock resolve`.
#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// The host: a name, an IPv4 or IPv6 address
    pub host: String,

    /// A port number (0-65535) or a service name (http, ssh, ...)
    #[arg(value_parser = values::service)]
    pub port: Option<values::Port>,

    /// Address family: inet, inet6, unspec, a Python name (AF_INET6) or a number
    #[arg(long, value_name = "FAMILY", default_value = "unspec", value_parser = values::family)]
    pub family: AddressFamily,

    /// Socket kind: stream, dgram, raw, seqpacket, any, a Python name or a number
    #[arg(long, value_name = "KIND", default_value = "any", value_parser = values::kind)]
    pub kind: SocketKind,

    /// AI_* flags, comma-separated, with or without the prefix (canonname,numerichost)
    #[arg(long, value_name = "FLAGS", default_value = "", value_parser = values::ai_flags)]
    pub flags: i32,
}

const CONNECT_EXAMPLES: &str = "\
Examples:
  asock connect localhost 8080              a name: its IPv6 and IPv4 addresses raced
  asock connect '[::1]' 8080                an IPv6 address, bare or in brackets
  asock connect 127.0.0.1:8080 [::1]:8080   several addresses, raced in this order
  asock connect --unix /run/app.sock        a UNIX stream socket (@name: abstract)
  echo hi | asock connect --udp 127.0.0.1 9 one datagram per line";

/// `asock connect`.
#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// HOST PORT (a name, an address, or [IPv6] and a port), or one or more ADDRESS:PORT
    /// (127.0.0.1:80, [::1]:80) raced in the order given
    #[arg(value_name = "TARGET", num_args = 0.., required_unless_present = "unix")]
    pub target: Vec<String>,

    /// Give up connecting after SECS seconds (resolution included)
    #[arg(long, value_name = "SECS", allow_negative_numbers = true, value_parser = values::seconds)]
    pub timeout: Option<Duration>,

    /// Bind every attempt to this local address first (ADDR, ADDR:PORT or [ADDR]:PORT)
    #[arg(long, value_name = "ADDR", value_parser = values::source_address)]
    pub source: Option<SockAddr>,

    /// Happy Eyeballs' attempt delay in milliseconds (10-2000, default 250)
    #[arg(long, value_name = "MS", allow_negative_numbers = true, value_parser = values::attempt_delay)]
    pub delay: Option<Duration>,

    /// UDP (or a UNIX datagram socket with --unix): each stdin line is one datagram
    #[arg(long)]
    pub udp: bool,

    /// Connect to a UNIX socket at PATH instead (@NAME: the abstract namespace)
    #[arg(long, value_name = "PATH", conflicts_with_all = ["target", "source", "delay"])]
    pub unix: Option<String>,
}

/// `asock listen`.
#[derive(Debug, Args)]
pub struct ListenArgs {
    /// [HOST] PORT: a numeric address to bind (default: every IPv4 address) and a port
    /// (0-65535, 0: any free port)
    #[arg(value_name = "ADDRESS", num_args = 0..=2, required_unless_present = "unix")]
    pub address: Vec<String>,

    /// Keep accepting, one connection after another (output only: stdin is not read)
    #[arg(long)]
    pub keep: bool,

    /// UDP (or a UNIX datagram socket with --unix): answers go to the last sender
    #[arg(long)]
    pub udp: bool,

    /// Listen on a UNIX socket at PATH instead (@NAME: the abstract namespace); a path is
    /// removed when the command ends
    #[arg(long, value_name = "PATH", conflicts_with = "address")]
    pub unix: Option<String>,
}

/// `asock echo`.
#[derive(Debug, Args)]
pub struct EchoArgs {
    /// The numeric address to serve TCP and UDP on
    #[arg(long, default_value = "127.0.0.1", value_parser = values::bind_host)]
    pub host: String,

    /// The port for TCP and UDP (0-65535; 0: any free port, the same for both)
    #[arg(long, default_value_t = 0, value_parser = values::port)]
    pub port: u16,

    /// The UNIX socket's path (@NAME: abstract; default: an abstract name with the pid)
    #[arg(long, value_name = "PATH")]
    pub unix: Option<String>,

    /// Stop after SECS seconds (default: serve until killed)
    #[arg(
        long = "for",
        value_name = "SECS",
        allow_negative_numbers = true,
        value_parser = values::seconds
    )]
    pub stop_after: Option<Duration>,
}

/// `asock bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Short samples (under a minute on 2 cores) instead of the full run
    #[arg(long)]
    pub quick: bool,

    /// Only the cases whose "scenario/implementation" contains WORD
    /// (tcp_pingpong, asock-tokio, udp_batch_64/quinn, ...)
    #[arg(long, value_name = "WORD", default_value = "")]
    pub filter: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_declaration_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn verbose_counts_and_is_accepted_after_the_subcommand() {
        let cli = Cli::try_parse_from(["asock", "connect", "-vv", "::1", "80"]).unwrap();
        assert_eq!(cli.verbose, 2);
        let cli = Cli::try_parse_from(["asock", "-v", "resolve", "localhost"]).unwrap();
        assert_eq!(cli.verbose, 1);
        let cli = Cli::try_parse_from(["asock", "resolve", "localhost"]).unwrap();
        assert_eq!(cli.verbose, 0);
    }

    #[test]
    fn a_port_past_65535_is_a_usage_error_naming_the_range() {
        let err = Cli::try_parse_from(["asock", "resolve", "localhost", "70000"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation);
        assert!(err.to_string().contains("0-65535"), "{err}");
    }

    #[test]
    fn the_long_help_lists_the_exit_statuses() {
        let help = Cli::command().render_long_help().to_string();
        assert!(help.contains("Exit status:"), "{help}");
        assert!(help.contains("3  a host or service name that does not resolve"), "{help}");
    }
}
