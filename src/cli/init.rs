//! `b24flow init`: start a project in the current folder: config, an example spec, the
//! GitHub Actions workflow, and a `.gitignore` entry. Never overwrites a file.

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

/// How the written workflow builds b24flow when no verified release binary is found.
pub(crate) const INSTALL_FROM_CRATES_IO: &str =
    "cargo install --locked b24flow --version \"$B24FLOW_VERSION\"";

const EXAMPLE_SPEC: &str = "When a deal is won, send a WhatsApp message to the client\n";

pub(crate) fn run(_args: &Args, printer: &Printer) -> miette::Result<Status> {
    let root = std::env::current_dir().map_err(|e| miette::miette!("{e}"))?;
    let mut wrote = Vec::new();
    let mut kept = Vec::new();
    let workflow = github_workflow(INSTALL_FROM_CRATES_IO);
    for (path, content) in [
        ("b24flow.toml", CONFIG_TEMPLATE),
        ("workflows/deal-won.txt", EXAMPLE_SPEC),
        (".github/workflows/b24flow.yml", workflow.as_str()),
    ] {
        if create_new(&root.join(path), content)? {
            wrote.push(path);
        } else {
            kept.push(path);
        }
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
