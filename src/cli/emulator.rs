//! `b24flow emulator`: run the local Bitrix24 portal until Ctrl-C.
//!
//! The credentials printed here are the emulator's own, given on the command line, so
//! they are shown in full: a user needs them to point a client at it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use b24flow::emulator::{self, App, Core, EngineOptions, Faults, Options, RateLimit, Webhook};
use miette::{IntoDiagnostic, WrapErr};

use super::{Printer, Status};

/// The emulated portal's rate plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Rate {
    /// 2 requests/s, burst 50.
    Standard,
    /// 5 requests/s, burst 250.
    Enterprise,
    /// No limit.
    Off,
}

/// Which core generation's business-process rules the portal follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum CoreArg {
    /// The newest CRM starter: REST edits pass the changed fields to `modified`.
    Starter,
    /// ConditionGroup cores without the starter: `modified` is always false.
    Cg,
    /// The old field condition: `modified` is true when no list is passed.
    OldFc,
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8024", value_name = "ADDR")]
    listen: SocketAddr,
    /// JSON file holding the portal's templates; kept in memory when absent.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Accept an admin incoming webhook `USER/CODE` (repeatable).
    #[arg(long, value_name = "USER/CODE")]
    webhook: Vec<String>,
    /// Accept this OAuth access token for a local application (app id 1); it never expires.
    #[arg(long, value_name = "TOKEN")]
    app_token: Option<String>,
    /// The local application's client id.
    #[arg(long, default_value = "local.b24flow", value_name = "ID")]
    client_id: String,
    /// The local application's client secret (for /oauth/token/).
    #[arg(long, default_value = "local-secret", value_name = "SECRET")]
    client_secret: String,
    /// The local application's first refresh token (for /oauth/token/).
    #[arg(long, value_name = "TOKEN")]
    refresh_token: Option<String>,
    /// The rate limit per client IP.
    #[arg(long, value_enum, default_value_t = Rate::Standard)]
    rate: Rate,
    /// Drain the rate-limit bucket this many times faster.
    #[arg(long, default_value_t = 1.0, value_name = "FACTOR")]
    time_scale: f64,
    /// Inject faults, e.g. `500:0.05,503:0.05,drop-after-commit:0.05,seed:7`.
    #[arg(long, value_name = "SPEC")]
    faults: Option<String>,
    /// Delay every REST reply by this many milliseconds.
    #[arg(long, default_value_t = 0, value_name = "N")]
    latency_ms: u64,
    /// Lifetime of access tokens issued by /oauth/token/, in seconds.
    #[arg(long, default_value_t = 3600, value_name = "SECS")]
    token_lifetime: u64,
    /// Business-process rules of this core generation.
    #[arg(long, value_enum, default_value_t = CoreArg::Starter)]
    core: CoreArg,
    /// Let records created or changed by workflows start other workflows (the crm
    /// option `start_bp_within_bp`, off on a real portal by default).
    #[arg(long)]
    start_bp_within_bp: bool,
    /// The portal's date format, in Bitrix24's tokens.
    #[arg(long, default_value = "DD.MM.YYYY HH:MI:SS", value_name = "FORMAT")]
    date_format: String,
    /// Start a fresh portal as copy N of a realistic one (two deal pipelines with custom
    /// stages, users, departments, a custom field, the smart-invoice type): every N has
    /// the same names under different ids. Without it, the default portal.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    seed: Option<u64>,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let mut webhooks = Vec::new();
    for spec in &args.webhook {
        let (user, code) = spec
            .split_once('/')
            .filter(|(u, c)| !c.is_empty() && !c.contains('/') && u.parse::<u64>().is_ok())
            .ok_or_else(|| {
                miette::miette!(
                    help = "write it as USER/CODE, e.g. 1/localcode",
                    "invalid --webhook `{spec}`"
                )
            })?;
        webhooks.push(Webhook {
            user_id: user.parse().unwrap_or(1),
            code: code.to_owned(),
            admin: true,
        });
    }
    let mut apps = Vec::new();
    if args.app_token.is_some() || args.refresh_token.is_some() {
        apps.push(App {
            app_id: 1,
            client_id: args.client_id.clone(),
            client_secret: args.client_secret.clone(),
            access_token: args.app_token.clone(),
            refresh_token: args.refresh_token.clone(),
            user_id: 1,
            admin: true,
        });
    }
    if !["YYYY", "MM", "DD"]
        .iter()
        .all(|t| args.date_format.contains(t))
    {
        return Err(miette::miette!(
            help = "use Bitrix24's tokens, e.g. DD.MM.YYYY HH:MI:SS or MM/DD/YYYY HH:MI:SS",
            "invalid --date-format `{}`",
            args.date_format
        ));
    }
    let faults = match &args.faults {
        Some(spec) => Faults::parse(spec)?,
        None => Faults::none(),
    };
    let options = Options {
        listen: args.listen,
        state_file: args.state.clone(),
        webhooks: webhooks.clone(),
        apps,
        rate: match args.rate {
            Rate::Standard => Some(RateLimit::STANDARD),
            Rate::Enterprise => Some(RateLimit::ENTERPRISE),
            Rate::Off => None,
        },
        time_scale: args.time_scale,
        operating: None,
        faults,
        latency: Duration::from_millis(args.latency_ms),
        token_lifetime: Duration::from_secs(args.token_lifetime),
        engine: Some(EngineOptions {
            core: match args.core {
                CoreArg::Starter => Core::Starter,
                CoreArg::Cg => Core::Cg,
                CoreArg::OldFc => Core::OldFc,
            },
            start_bp_within_bp: args.start_bp_within_bp,
            date_format: args.date_format.clone(),
            ..EngineOptions::default()
        }),
        seed: args.seed,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .into_diagnostic()
        .wrap_err("cannot start the async runtime")?;
    runtime.block_on(async {
        let handle = emulator::start(options).await?;
        printer.note(&format!("emulator listening on {}", handle.portal_url()));
        for hook in &webhooks {
            printer.note(&format!("  webhook: {}", handle.webhook_url(hook)));
        }
        if let Some(token) = &args.app_token {
            printer.note(&format!(
                "  app:     {}/rest/<method>?auth={token}",
                handle.portal_url()
            ));
        }
        if args.refresh_token.is_some() {
            printer.note(&format!(
                "  oauth:   {} (client id {})",
                handle.token_url(),
                args.client_id
            ));
        }
        if webhooks.is_empty() && args.app_token.is_none() && args.refresh_token.is_none() {
            printer.note("  no credentials given: add --webhook USER/CODE or --app-token TOKEN");
        }
        printer.note("press Ctrl-C to stop");
        tokio::signal::ctrl_c().await.into_diagnostic()?;
        handle.shutdown().await;
        Ok::<_, miette::Report>(Status::Success)
    })
}
