use std::panic::AssertUnwindSafe;
use std::process::ExitCode;

use bakeoff::session::{is_broken_pipe, quiet_on_broken_pipe, BROKEN_PIPE_EXIT_CODE, INTERRUPTED_EXIT_CODE};
use clap::Parser;

fn main() -> ExitCode {
    quiet_on_broken_pipe();
    let cli = bakeoff::cli::Cli::parse();
    let runtime = tokio::runtime::Runtime::new().expect("a Tokio runtime");
    match std::panic::catch_unwind(AssertUnwindSafe(|| runtime.block_on(bakeoff::run(cli)))) {
        // Interrupted and cleaned up: exit now. Returning would drop the runtime, which waits for
        // its blocking threads — a load phase keeps sending until its end, up to a minute later.
        Ok(Ok(code)) if code == ExitCode::from(INTERRUPTED_EXIT_CODE) => std::process::exit(INTERRUPTED_EXIT_CODE.into()),
        Ok(Ok(code)) => code,
        Ok(Err(error)) => {
            eprintln!("error: {error}");
            error.chain().skip(1).for_each(|cause| eprintln!("  caused by: {cause}"));
            ExitCode::FAILURE
        }
        // The reader of stdout went away (`bakeoff … | head`); what the session made is removed.
        Err(panic) if is_broken_pipe(&*panic) => std::process::exit(BROKEN_PIPE_EXIT_CODE.into()),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}
