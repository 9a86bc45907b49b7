//! `asock resolve HOST [PORT]`: getaddrinfo's answer as a table, like `getent ahosts`.

use asock::resolve::Service;
use asock::Protocol;

use crate::args::ResolveArgs;
use crate::failure::Failure;

/// Runs the subcommand.
pub fn run(args: ResolveArgs) -> Result<(), Failure> {
    let service = args.port.map_or(Service::Any, Service::from);
    let infos = asock::blocking::getaddrinfo(
        args.host.as_str(),
        service,
        args.family,
        args.kind,
        Protocol::from(0),
        args.flags,
    )
    .map_err(|e| Failure::for_host(&args.host, e))?;
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
