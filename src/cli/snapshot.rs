//! `b24flow snapshot --env NAME`: the environment's names and ids into
//! `environments/<NAME>.yaml`, keeping the hand-written aliases.

use b24flow::snapshot::{self, Snapshot};

use super::{Printer, Status, runtime};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Write nothing; exit 2 when the portal differs from the committed snapshot.
    #[arg(long)]
    check: bool,
    #[command(flatten)]
    env: super::EnvArg,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let base = b24flow::config::Env::capture();
    let name = args.env.env.clone().or(base.default_environment);
    let Some(name) = name else {
        return Err(miette::miette!(
            code = "b24flow::snapshot::no_environment",
            help =
                "declare [environments.NAME] in b24flow.toml and run b24flow snapshot --env NAME",
            "a snapshot is taken of one environment: give --env NAME (or set B24FLOW_ENV)"
        ));
    };
    let project = super::project()?.select_environment_only(Some(&name))?;
    super::select_env(&name);
    // The aliases of the file as it is; a file that no longer parses is refused rather
    // than overwritten, so hand-written aliases are never lost.
    let before = Snapshot::load(&project.root, &name)?;
    runtime()?.block_on(async {
        let portal = super::connect(&project, printer).await?;
        let app = super::env().client_id.as_deref();
        let mut fresh = snapshot::read::read(&portal.client, &name, app).await?;
        if fresh.sms_providers.is_none() {
            printer.note(&format!(
                "SMS providers not read: messageservice.sender.list answers the OAuth application only (set {} and its tokens){}.",
                b24flow::config::environment_var(&name, b24flow::config::var::CLIENT_ID),
                if before.as_ref().is_some_and(|b| b.sms_providers.is_some()) { "; the file keeps the ones it has" } else { "" }
            ));
        }
        if let Some(old) = &before {
            fresh.aliases.clone_from(&old.aliases);
            // What these credentials cannot read is kept as it was, not erased.
            if fresh.sms_providers.is_none() {
                fresh.sms_providers.clone_from(&old.sms_providers);
            }
            if fresh.open_lines.is_none() {
                fresh.open_lines.clone_from(&old.open_lines);
            }
        }
        let path = Snapshot::path(&project.root, &name);
        let rel = project.relative(&path);
        let same = before
            .as_ref()
            .is_some_and(|old| old.to_yaml(snapshot::SCHEMA_REF) == fresh.to_yaml(snapshot::SCHEMA_REF));
        if args.check {
            if same {
                printer.note(&format!("{rel} matches the portal of `{name}`."));
                return Ok(Status::Success);
            }
            printer.note(&format!(
                "{rel} is out of date: the portal of `{name}` changed. Run b24flow snapshot --env {name}."
            ));
            return Ok(Status::Changes);
        }
        if same {
            printer.note(&format!("{rel} is up to date."));
            return Ok(Status::Success);
        }
        fresh.write(&project.root)?;
        let stages: usize = fresh
            .pipelines
            .values()
            .flatten()
            .map(|p| p.stages.len())
            .sum();
        printer.note(&format!(
            "Wrote {rel}: {} pipelines, {stages} stages, {} users, {} departments, {} custom fields, {} smart processes, {} SMS providers, {} Open Channel lines.",
            fresh.pipelines.values().map(Vec::len).sum::<usize>(),
            fresh.users.len(),
            fresh.departments.len(),
            fresh.fields.values().map(Vec::len).sum::<usize>(),
            fresh.smart_processes.len(),
            fresh.sms_providers.as_ref().map_or(0, Vec::len),
            fresh.open_lines.as_ref().map_or(0, Vec::len),
        ));
        Ok(Status::Success)
    })
}
