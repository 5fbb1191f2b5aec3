//! `b24flow completions SHELL`: shell completions, generated from the command
//! definitions so they never fall behind.

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, Printer, Status};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// bash, zsh, fish, elvish or powershell.
    #[arg(value_enum)]
    shell: Shell,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> Status {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "b24flow", &mut script);
    printer.out(&String::from_utf8_lossy(&script));
    Status::Success
}
