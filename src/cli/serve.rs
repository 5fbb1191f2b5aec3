//! `b24flow serve`: the HTTP API and the builder page until Ctrl-C.

use std::net::SocketAddr;
use std::sync::Arc;

use b24flow::config::Env;
use b24flow::serve::{self, AppState, history::History};

use super::{Printer, Status, runtime};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Address to listen on. Anything but loopback needs B24FLOW_API_TOKEN, which every
    /// request must then send as `Authorization: Bearer <token>`.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    listen: SocketAddr,
    #[command(flatten)]
    env: super::EnvArg,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project_in(&args.env)?;
    let env = Env::capture_for(project.environment());
    // Refuse before anything else happens, so a misconfigured server never starts.
    serve::check_listen(args.listen, env.api_token.as_ref())?;
    runtime()?.block_on(async {
        let listener = serve::bind(args.listen, &env).await?;
        let addr = listener
            .local_addr()
            .map_err(|e| miette::miette!("cannot read the listening address: {e}"))?;
        let history = History::open(&project.root)?;
        let token = env.api_token.is_some();
        let state = Arc::new(AppState::new(project, env, history));
        printer.note(&format!(
            "Serving b24flow on http://{addr}/ (API docs at http://{addr}/docs){}. Ctrl-C stops it.",
            if token {
                "; requests need the bearer token B24FLOW_API_TOKEN"
            } else {
                ""
            }
        ));
        serve::serve(listener, state, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
        printer.note("Stopped.");
        Ok(Status::Success)
    })
}
