//! `b24flow init`: start a project in the current folder: config, an example spec, the
//! GitHub Actions workflow, and a `.gitignore` entry. Never overwrites a file.
//!
//! The workflow depends on the config: without `[environments]` (a fresh config has
//! none) it is `github_workflow.yml` as it stands; with them (a `b24flow.toml` kept
//! from before), the promotion workflow of [`github_workflow_for`], whose per-environment
//! jobs come from `github_workflow_environments.yml`.

use std::path::Path;

use super::{Printer, Status};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

/// The config `init` writes: every setting, commented, at its default.
pub(crate) const CONFIG_TEMPLATE: &str = r#"# b24flow configuration. No secrets here: credentials come from the environment.

[portal]
# Your Bitrix24 portal. Without it, plan and apply use the built-in local portal
# (state in .b24flow/). Credentials: B24FLOW_WEBHOOK_URL (enough for plan), or
# B24FLOW_CLIENT_ID + B24FLOW_CLIENT_SECRET + B24FLOW_REFRESH_TOKEN (needed for apply).
# url = "https://your-company.bitrix24.com"
# rate = "standard"        # standard (2 req/s, burst 50), enterprise (5/s, burst 250), off
# timeout_secs = 60

[parser]
# provider = "offline"     # offline, gemini, anthropic, openai
# model = "..."            # each provider has a current default
# base_url = "..."         # e.g. http://localhost:11434/v1 for a local Ollama
# jobs = 4                 # specs parsed at once
# requests_per_minute = 60

[policy]
# webhook_allowed_hosts = []   # private hosts a webhook action may call
# max_deletes = 3              # a plan deleting more templates needs --allow-deletes
# protect = []                 # workflow ids or globs ("billing/*") no plan may destroy

[recipients]
# Names used in specs, mapped to Bitrix24 users or groups:
# "sales team" = "group_d1"    # a department
# "anna" = "user_7"

[channels]
# sms_provider = ":default:"
# email_from = ""              # empty: the responsible person's mailbox
# notify_from = "user_1"       # who notifications and chat messages come from

[serve]
# hosts = []                   # names `b24flow serve` answers to besides localhost and IPs
"#;

/// The GitHub Actions workflow `init` writes: plan on pull requests, apply the reviewed
/// plan on main, a daily drift check. It installs the release of the b24flow that wrote
/// it (checked against the release's SHA-256), else builds with `install`.
pub(crate) fn github_workflow(install: &str) -> String {
    include_str!("github_workflow.yml")
        .replace("__INSTALL__", install)
        .replace("__VERSION__", env!("CARGO_PKG_VERSION"))
        .replace(
            "__RELEASES__",
            concat!(env!("CARGO_PKG_REPOSITORY"), "/releases"),
        )
}

/// The workflow for a project with `[environments]`, declared in `order` (the first is
/// applied on a push to main, each later one behind a GitHub Environment of its name):
/// [`github_workflow`] with its `plan`, `apply` and `drift` jobs replaced by
/// per-environment ones (`github_workflow_environments.yml`) and every other job (the
/// runner) kept as it is. Without environments, exactly [`github_workflow`].
pub(crate) fn github_workflow_for(install: &str, order: &[String]) -> String {
    let base = include_str!("github_workflow.yml");
    let (Some(first), Some(last)) = (order.first(), order.last()) else {
        return github_workflow(install);
    };
    let parts = template_sections(include_str!("github_workflow_environments.yml"));
    let install_step = install_step(base);
    let section = |name: &str| {
        parts
            .get(name)
            .copied()
            .unwrap_or_default()
            .replace("__INSTALL_STEP__\n", &install_step)
    };
    let per_env = |text: &str, env: &str| {
        text.replace("__VAR__", &env_var_part(env))
            .replace("__ENV__", env)
    };
    let plan_vars: String = order
        .iter()
        .map(|env| {
            let var = env_var_part(env);
            format!(
                "      B24FLOW_{var}_PORTAL_URL: ${{{{ vars.B24FLOW_{var}_PORTAL_URL }}}}\n      B24FLOW_{var}_WEBHOOK_URL: ${{{{ secrets.B24FLOW_{var}_WEBHOOK_URL }}}}\n"
            )
        })
        .collect::<Vec<_>>()
        .concat();
    let envs = order.join(" ");
    let with_envs = |text: String| {
        text.replace("__PLAN_VARS__\n", &plan_vars)
            .replace("__ENVS__", &envs)
    };
    let mut promotion = with_envs(section("plan"));
    promotion.push_str(&per_env(&section("apply_first"), first));
    for pair in order.windows(2) {
        promotion
            .push_str(&per_env(&section("promote"), &pair[1]).replace("__PREVIOUS__", &pair[0]));
    }
    let drift = with_envs(section("drift"));
    let header = section("header")
        .replace("__FIRST__", first)
        .replace("__LAST__", last);

    let (head, jobs) = base.split_once("\njobs:\n").expect("the workflow has jobs");
    let head = head
        .find("\nname: ")
        .map_or(head, |at| &head[at + 1..])
        .replace(
            "\".github/workflows/b24flow.yml\"]",
            "\".github/workflows/b24flow.yml\", \"environments/**\"]",
        );
    let mut out = format!("{header}{head}\njobs:\n");
    for (name, block) in job_blocks(jobs) {
        match name {
            "plan" => out.push_str(&promotion),
            "apply" => {}
            "drift" => out.push_str(&drift),
            _ => out.push_str(block),
        }
    }
    out.replace("__INSTALL__", install)
        .replace("__VERSION__", env!("CARGO_PKG_VERSION"))
        .replace(
            "__RELEASES__",
            concat!(env!("CARGO_PKG_REPOSITORY"), "/releases"),
        )
}

/// An environment's part of its variable names: `pre-prod` is `PRE_PROD`, as
/// [`b24flow::config::environment_var`] names them.
fn env_var_part(env: &str) -> String {
    b24flow::config::environment_var(env, "B24FLOW_X")
        .trim_start_matches("B24FLOW_")
        .trim_end_matches("_X")
        .to_owned()
}

/// The sections of the environments template, each after its `#% name` line.
fn template_sections(text: &str) -> std::collections::BTreeMap<&str, &str> {
    let mut out = std::collections::BTreeMap::new();
    let mut rest = text;
    while let Some(at) = rest.find("#% ") {
        let after = &rest[at + 3..];
        let (name, body) = after.split_once('\n').unwrap_or((after, ""));
        let end = body.find("\n#% ").map_or(body.len(), |e| e + 1);
        out.insert(name.trim(), &body[..end]);
        rest = &body[end..];
    }
    out
}

/// The base workflow's "Install b24flow" step (its first), placeholders and all.
fn install_step(base: &str) -> String {
    let start = base
        .find("      - name: Install b24flow\n")
        .expect("the workflow installs b24flow");
    let rest = &base[start..];
    let end = rest[1..].find("\n      - ").map_or(rest.len(), |e| e + 2);
    rest[..end].to_owned()
}

/// The jobs of a workflow's `jobs:` body, in order: each is its key line with the
/// comment lines above it and everything up to the next job. The name is the job's key.
fn job_blocks(jobs: &str) -> Vec<(&str, &str)> {
    let mut starts = Vec::new();
    let mut pending_comment: Option<usize> = None;
    let mut offset = 0;
    for line in jobs.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("  ")
            && !rest.starts_with(' ')
        {
            if rest.starts_with('#') {
                pending_comment.get_or_insert(offset);
            } else if let Some(name) = rest.trim_end().strip_suffix(':') {
                starts.push((pending_comment.take().unwrap_or(offset), name));
            }
        } else if !line.trim().is_empty() {
            pending_comment = None;
        }
        offset += line.len();
    }
    starts
        .iter()
        .enumerate()
        .map(|(i, (start, name))| {
            let end = starts.get(i + 1).map_or(jobs.len(), |(s, _)| *s);
            (*name, &jobs[*start..end])
        })
        .collect()
}

/// The environments `b24flow.toml` declares, in the order it declares them; empty
/// without `[environments]` (or without the file).
pub(crate) fn declared_environments(root: &Path) -> miette::Result<Vec<String>> {
    #[derive(serde::Deserialize)]
    struct Order {
        #[serde(default)]
        environments: std::collections::BTreeMap<String, toml::Spanned<toml::Value>>,
    }
    let path = root.join(b24flow::config::FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(miette::miette!("cannot read {}: {e}", path.display())),
    };
    // Checked as every command checks it (names, keys), then ordered by position.
    b24flow::config::Config::parse(&text, &path)?;
    let order: Order = toml::from_str(&text)
        .map_err(|e| miette::miette!("cannot read {}: {e}", path.display()))?;
    let mut envs: Vec<(usize, String)> = order
        .environments
        .into_iter()
        .map(|(name, value)| (value.span().start, name))
        .collect();
    envs.sort();
    Ok(envs.into_iter().map(|(_, name)| name).collect())
}

/// How the written workflow builds b24flow when no verified release binary is found.
pub(crate) const INSTALL_FROM_CRATES_IO: &str =
    "cargo install --locked b24flow --version \"$B24FLOW_VERSION\"";

const EXAMPLE_SPEC: &str = "When a deal is won, send a WhatsApp message to the client\n";

pub(crate) fn run(_args: &Args, printer: &Printer) -> miette::Result<Status> {
    let root = std::env::current_dir().map_err(|e| miette::miette!("{e}"))?;
    let mut wrote = Vec::new();
    let mut kept = Vec::new();
    for (path, content) in [
        ("b24flow.toml", CONFIG_TEMPLATE),
        ("workflows/deal-won.txt", EXAMPLE_SPEC),
    ] {
        if create_new(&root.join(path), content)? {
            wrote.push(path);
        } else {
            kept.push(path);
        }
    }
    // With [environments] in the config (one kept from before), the workflow promotes
    // from the first declared environment to the last.
    let environments = declared_environments(&root)?;
    let workflow = github_workflow_for(INSTALL_FROM_CRATES_IO, &environments);
    let path = ".github/workflows/b24flow.yml";
    if create_new(&root.join(path), &workflow)? {
        wrote.push(path);
    } else {
        kept.push(path);
    }
    if ensure_gitignore(&root)? {
        wrote.push(".gitignore");
    }
    for path in &wrote {
        printer.note(&format!("     Created {path}"));
    }
    for path in &kept {
        printer.note(&format!("        Kept {path} (it exists)"));
    }
    if wrote.contains(&path) && !environments.is_empty() {
        printer.note(&format!(
            "The workflow promotes {}; give each gated environment required reviewers in GitHub (Settings > Environments).",
            environments.join(" -> ")
        ));
    }
    printer.note("Next: `b24flow compile`, then `b24flow plan`.");
    Ok(Status::Success)
}

/// Creates `path` with `content` unless it exists. Returns whether it wrote.
fn create_new(path: &Path, content: &str) -> miette::Result<bool> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| miette::miette!("cannot create {}: {e}", dir.display()))?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut file) => {
            file.write_all(content.as_bytes())
                .map_err(|e| miette::miette!("cannot write {}: {e}", path.display()))?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(miette::miette!("cannot create {}: {e}", path.display())),
    }
}

/// Adds `.b24flow/` to `.gitignore` if it is not there. Returns whether it changed it.
fn ensure_gitignore(root: &Path) -> miette::Result<bool> {
    let path = root.join(".gitignore");
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(miette::miette!("cannot read .gitignore: {e}")),
    };
    if existing.lines().any(|l| {
        matches!(
            l.trim(),
            ".b24flow" | ".b24flow/" | "/.b24flow/" | "/.b24flow"
        )
    }) {
        return Ok(false);
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("# b24flow's local state (local portal, build output, credentials)\n.b24flow/\n");
    b24flow::lockfile::write_atomic(&path, text.as_bytes())
        .map_err(|e| miette::miette!("cannot write .gitignore: {e}"))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_single_portal_jobs_split_losslessly() {
        let base = include_str!("github_workflow.yml");
        let (_, jobs) = base.split_once("\njobs:\n").unwrap();
        let blocks = job_blocks(jobs);
        let names: Vec<&str> = blocks.iter().map(|(n, _)| *n).collect();
        // The promotion workflow replaces plan, apply and drift and keeps the rest.
        for name in ["plan", "apply", "drift"] {
            assert!(names.contains(&name), "{names:?}");
        }
        assert_eq!(blocks.iter().map(|(_, b)| *b).collect::<String>(), jobs);
        // A job's leading comment travels with it.
        let runner = blocks.iter().find(|(n, _)| *n == "runner").unwrap().1;
        assert!(runner.starts_with("  # The runner:"), "{runner}");
    }

    #[test]
    fn without_environments_the_workflow_is_unchanged() {
        assert_eq!(
            github_workflow_for("cargo install b24flow", &[]),
            github_workflow("cargo install b24flow")
        );
        let sections = template_sections(include_str!("github_workflow_environments.yml"));
        let names: Vec<&str> = sections.keys().copied().collect();
        assert_eq!(names, ["apply_first", "drift", "header", "plan", "promote"]);
        assert!(install_step(include_str!("github_workflow.yml")).ends_with("fi\n"));
    }
}
