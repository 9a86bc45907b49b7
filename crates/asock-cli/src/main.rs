//! `asock`: resolve names, connect, listen, serve echo and benchmark, from the shell.
//!
//! Exit status, in the habit of netcat and getent (`args::EXIT_STATUS` is the table that
//! `asock --help` prints): 0 success, 1 an operation failed, 2 a usage error, 3 a name that
//! does not resolve.

mod args;
mod bench;
mod connect;
mod echo;
mod failure;
mod listen;
mod output;
mod pipe;
mod resolve;
mod values;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

fn main() -> ExitCode {
    // Usage errors exit 2 and --help / --version 0, with clap's messages.
    let cli = Cli::parse();
    output::init(cli.verbose);
    let (name, result) = match cli.command {
        Command::Resolve(args) => ("resolve", resolve::run(args)),
        Command::Connect(args) => ("connect", connect::run(args)),
        Command::Listen(args) => ("listen", listen::run(args)),
        Command::Echo(args) => ("echo", echo::run(args)),
        Command::Bench(args) => ("bench", bench::run(args)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // The command's result, not a log line: printed whatever the verbosity.
            eprintln!("asock {name}: {failure}");
            if let failure::Failure::Usage(_) = failure {
                eprintln!("\nFor more information, try 'asock {name} --help'.");
            }
            failure.exit_code()
        }
    }
}
