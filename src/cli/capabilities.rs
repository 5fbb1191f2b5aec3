//! `b24flow capabilities`: the catalog, as tables or as JSON.

use std::fmt::Write;

use b24flow::catalog::{Capabilities, TriggerMapping};

use super::{Printer, Status};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Print one JSON object with `triggers`, `actions`, `entities` and `variables`.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> Status {
    let caps = Capabilities::get();
    if args.json {
        printer.json(&caps);
    } else {
        printer.out(&render(&caps));
    }
    Status::Success
}

fn render(caps: &Capabilities) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Triggers ({})", caps.triggers.len());
    for t in caps.triggers {
        let how = match t.mapping {
            TriggerMapping::Template { auto_start, .. } => {
                format!(
                    "{} template, starts {}",
                    t.entity.id(),
                    auto_start_words(auto_start)
                )
            }
            TriggerMapping::Unsupported { .. } if b24flow::runner::runs_trigger(t.id) => {
                "runs in b24flow (`b24flow run`, from REST events)".to_owned()
            }
            TriggerMapping::Unsupported { .. } => "not expressible as a template".to_owned(),
        };
        let _ = writeln!(out, "  {:<18} {:<36} {}", t.id, t.event, how);
        let phrases: Vec<String> = t.phrases.iter().map(|p| format!("\"{p}\"")).collect();
        let _ = writeln!(out, "  {:<18} say: {}", "", phrases.join(", "));
    }
    let _ = writeln!(out, "\nActions ({})", caps.actions.len());
    for a in caps.actions {
        let fields: Vec<String> = a
            .fields
            .iter()
            .map(|f| {
                if f.required {
                    f.name.to_owned()
                } else {
                    format!("[{}]", f.name)
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "  {:<20} {:<40} {}",
            a.id,
            fields.join(", "),
            a.description
        );
    }
    let _ = writeln!(out, "\nEntities ({})", caps.entities.len());
    for e in caps.entities {
        let doc = e
            .document_type
            .map_or_else(|| "no template document type".to_owned(), |d| d.join(" / "));
        let _ = writeln!(out, "  {:<12} {}", e.id, doc);
    }
    let _ = writeln!(out, "\nSmart variables ({})", caps.variables.len());
    for v in caps.variables {
        let from: Vec<&str> = v.sources.iter().map(|s| s.entity.id()).collect();
        let name = format!("{{{{{}}}}}", v.name);
        let _ = writeln!(
            out,
            "  {:<22} {:<32} from {}",
            name,
            v.description,
            from.join(", ")
        );
    }
    out
}

fn auto_start_words(a: b24flow::catalog::AutoStart) -> &'static str {
    match a {
        b24flow::catalog::AutoStart::OnCreate => "on create",
        b24flow::catalog::AutoStart::OnChange => "on change",
    }
}
