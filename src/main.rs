//! The `b24flow` binary: parse arguments, run the command, map the result to an exit
//! code. Everything else lives in the library and in `cli`.

mod cli;

use std::process::ExitCode;

// mimalloc, not the system allocator: the offline parser allocates many short strings,
// and `cargo bench --bench parse` (which uses the same one) measured about a tenth off
// its time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::main()
}
