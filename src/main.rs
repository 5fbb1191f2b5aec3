//! The `b24flow` binary: parse arguments, run the command, map the result to an exit
//! code. Everything else lives in the library and in `cli`.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
