//! `b24flow run`: carries out the runner workflows. Pulls the portal's offline events,
//! runs the workflows they start, clears them, and scans for overdue tasks. `--once`
//! drains and exits (a scheduled CI job); without it, it polls with back-off until
//! Ctrl-C or SIGTERM, finishing the pass in progress first.

use std::path::PathBuf;
use std::time::Duration;

use b24flow::ops::runner;

use super::{Printer, Status, runtime};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Drain the events once and exit.
    #[arg(long)]
    once: bool,
    /// The runner's state file (idempotency keys); keep it between runs.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Print what each pass did as JSON.
    #[arg(long)]
    json: bool,
}

/// The first wait between passes when nothing happened, and the longest.
const MIN_WAIT: Duration = Duration::from_secs(5);
const MAX_WAIT: Duration = Duration::from_secs(120);

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project()?;
    let state = args
        .state
        .clone()
        .unwrap_or_else(|| project.state().dir().join("runner.sqlite"));
    runtime()?.block_on(async {
        let workflows = runner::workflows(&project)?;
        if workflows.is_empty() {
            printer.note("No runner workflows: every workflow runs as a template in the portal.");
            return Ok(Status::Success);
        }
        let portal = super::connect(&project, printer).await?;
        let diff = runner::bindings(&portal, &workflows, None).await?;
        if !diff.missing.is_empty() {
            printer.problem(&format!(
                "events not bound in the portal (run `b24flow apply`): {}",
                diff.missing.join(", ")
            ));
        }
        // Listen for the stop signal from the start, so one that arrives mid-pass ends
        // the loop after that pass instead of killing the process mid-request.
        let (stop_tx, mut stop) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            stop_signal().await;
            let _ = stop_tx.send(true);
        });
        let mut wait = MIN_WAIT;
        loop {
            let pass = runner::run_once(&portal, &workflows, &state).await;
            match pass {
                Ok(report) => {
                    if args.json {
                        printer.json(&report);
                    } else {
                        printer.note(&format!(
                            "{} event(s), {} workflow run(s), {} action(s) done, {} already done",
                            report.events, report.started, report.actions, report.skipped
                        ));
                    }
                    for line in &report.refused {
                        printer.problem(&format!("refused, not sent: {line}"));
                    }
                    for line in &report.settled {
                        printer.note(&format!(
                            "{line} (an earlier run stopped while sending it)"
                        ));
                    }
                    for key in &report.uncertain {
                        printer.problem(&format!(
                            "{key}: an earlier run stopped while sending this; it was not sent again"
                        ));
                    }
                    if args.once {
                        return Ok(Status::Success);
                    }
                    wait = if report.events > 0 || report.started > 0 {
                        MIN_WAIT
                    } else {
                        (wait * 2).min(MAX_WAIT)
                    };
                }
                Err(e) if !args.once => {
                    printer.error(&miette::Report::new(e));
                    wait = (wait * 2).min(MAX_WAIT);
                }
                Err(e) => return Err(e.into()),
            }
            if *stop.borrow() {
                return Ok(Status::Success);
            }
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                _ = stop.changed() => return Ok(Status::Success),
            }
        }
    })
}

/// Resolves on Ctrl-C (SIGINT), and on Unix also on SIGTERM (what `docker stop` and
/// systemd send by default).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
