//! `asock`: resolve names, connect, listen, serve echo and benchmark, from the shell.
//!
//! Exit status, in the habit of netcat and getent: 0 success, 1 an operation failed
//! (connection refused, timed out, I/O error), 2 a usage error, 3 a name that does not resolve.

mod args;
mod bench;
mod connect;
mod echo;
mod listen;
mod pipe;
mod resolve;
mod timeline;

use std::process::ExitCode;

use args::UsageError;

const USAGE: &str = "\
usage: asock <command> [options]

commands:
  resolve HOST [PORT]     list getaddrinfo's answer (like getent ahosts)
      --family inet|inet6|unspec   --kind stream|dgram|raw   --flags canonname,passive,...
  connect HOST PORT       connect (Happy Eyeballs), then pipe stdin/stdout to the socket
      --timeout SECS  --source ADDR  --delay MS  --udp  --unix PATH  --verbose
  listen [HOST] PORT      accept one connection (or many with --keep) and pipe it
      --keep  --udp  --unix PATH
  echo                    serve TCP, UDP and UNIX echo; prints where it listens
      --host HOST  --port PORT  --unix PATH  --for SECS
  bench                   std::net vs tokio::net vs asock, side by side, with ratios
      --quick  --filter WORD

exit status: 0 ok, 1 operation failed, 2 usage error, 3 name not resolved";

/// How a subcommand failed.
#[derive(Debug)]
pub enum Failure {
    /// Bad command line: exit 2.
    Usage(UsageError),
    /// The name did not resolve: exit 3.
    NotFound(asock::Error),
    /// Anything else: exit 1.
    Failed(asock::Error),
}

impl From<UsageError> for Failure {
    fn from(error: UsageError) -> Self {
        Failure::Usage(error)
    }
}

impl From<asock::Error> for Failure {
    fn from(error: asock::Error) -> Self {
        if error.kind() == asock::ErrorKind::Gai {
            Failure::NotFound(error)
        } else {
            Failure::Failed(error)
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::Failed(error.into())
    }
}

fn main() -> ExitCode {
    let words: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = words.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "resolve" => resolve::run(rest),
        "connect" => connect::run(rest),
        "listen" => listen::run(rest),
        "echo" => echo::run(rest),
        "bench" => bench::run(rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        "--version" | "-V" => {
            println!("asock {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        other => Err(Failure::Usage(UsageError(format!("unknown command {other:?}")))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(error)) => {
            eprintln!("asock {command}: {error}\n(asock --help lists the commands and options)");
            ExitCode::from(2)
        }
        Err(Failure::NotFound(error)) => {
            eprintln!("asock {command}: {error}");
            ExitCode::from(3)
        }
        Err(Failure::Failed(error)) => {
            eprintln!("asock {command}: {error}");
            ExitCode::from(1)
        }
    }
}
