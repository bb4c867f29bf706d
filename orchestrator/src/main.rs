use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = bakeoff::cli::Cli::parse();
    match bakeoff::run(cli).await {
        // Interrupted and cleaned up: exit now. Returning would drop the runtime, which waits for
        // its blocking threads — a load phase keeps sending until its end, up to a minute later.
        Ok(code) if code == ExitCode::from(bakeoff::session::INTERRUPTED_EXIT_CODE) => std::process::exit(bakeoff::session::INTERRUPTED_EXIT_CODE.into()),
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            error.chain().skip(1).for_each(|cause| eprintln!("  caused by: {cause}"));
            ExitCode::FAILURE
        }
    }
}
