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
        let mut fresh = snapshot::read::read(&portal.client, &name).await?;
        if let Some(old) = &before {
            fresh.aliases = old.aliases.clone();
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
            "Wrote {rel}: {} pipelines, {stages} stages, {} users, {} departments, {} custom fields, {} smart processes.",
            fresh.pipelines.values().map(Vec::len).sum::<usize>(),
            fresh.users.len(),
            fresh.departments.len(),
            fresh.fields.values().map(Vec::len).sum::<usize>(),
            fresh.smart_processes.len(),
        ));
        Ok(Status::Success)
    })
}
