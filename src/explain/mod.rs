//! Workflows in plain English: what a blueprint does, said for the sales and operations
//! people who review a change, not for the engineers who read the activity tree.
//!
//! [`explain`] turns a blueprint and the project's config into an [`Explanation`]: one or
//! two sentences ("When a deal moves to a won stage, send a WhatsApp message to the
//! deal's client: '…', then create the task 'Send the contract' for the deal's
//! responsible person.") plus caveats, the limits the portal puts on it, in words.
//! [`changes()`] says what differs between two blueprints ("also creates the task …",
//! "the message now says …"), and [`mermaid()`] draws the workflow as a flowchart.
//!
//! Invariants:
//! - Deterministic and offline: the same blueprint and config always give the same
//!   words. No model is asked.
//! - Built from the blueprint (the lockfile's wire type), `[recipients]`, `[channels]` and
//!   the catalog's public tables only, never from the template compiler's internals, so
//!   a blueprint the compiler refuses still reads right, with the refusal as a caveat.
//! - What each trigger does on a portal is said in one place, [`TRIGGER_WORDS`]: when a
//!   template changes how a trigger behaves, that table is the one to change.
//!
//! Layout: this file holds the trigger table and the entry points; `words` makes the
//! phrases, `caveats` the limits, `text` the small text helpers they share.

mod caveats;
pub mod changes;
pub mod mermaid;
pub mod svg;
mod text;
mod words;

use std::fmt::{self, Write as _};

use schemars::JsonSchema;
use serde::Serialize;

use crate::blueprint::{Action, Blueprint};
use crate::config::Config;
use crate::lockfile::Lockfile;

pub use changes::{Change, changed_nodes, changes};
pub use mermaid::{Chart, Node, chart, mermaid};
pub use svg::svg;
pub(crate) use text::{capitalize, field_words, finish_sentence};
pub(crate) use words::Words;

/// A workflow in plain English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Explanation {
    /// One or two sentences saying when the workflow runs and what it does.
    pub summary: String,
    /// When it starts, e.g. "a deal moves to a won stage".
    pub trigger: String,
    /// The conditions, each as a phrase, e.g. "deals over 20,000".
    pub conditions: Vec<String>,
    /// The steps in the order they run, each as an imperative phrase.
    pub steps: Vec<String>,
    /// What the workflow cannot do or does differently from what its words suggest.
    pub caveats: Vec<String>,
}

/// What `explain --json` prints (`schema/explain.schema.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ExplainDocument {
    /// The document's format version (1).
    pub format_version: u32,
    /// The workflow id (its spec's path under `workflows/` without `.txt`).
    pub id: String,
    /// The workflow's name, as its template is named.
    pub name: String,
    /// The workflow in plain English.
    pub explanation: Explanation,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.summary)?;
        for caveat in &self.caveats {
            write!(f, "\nNote: {caveat}")?;
        }
        Ok(())
    }
}

/// How one trigger reads in words, and what its template really does on a portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TriggerWords {
    /// The catalog's trigger id.
    pub id: &'static str,
    /// The clause after "When". `{stage}` is replaced by the trigger's stage.
    pub when: &'static str,
    /// The check the template makes before the steps, as a yes/no question (diagram).
    /// Present exactly when the catalog's mapping has guard rows.
    pub check: Option<&'static str>,
    /// What the template waits for first. Present exactly when the mapping waits.
    pub wait: Option<&'static str>,
    /// How often it really runs, when that is not simply "each time it happens".
    pub caveat: Option<&'static str>,
}

// The transition triggers check and set a per-workflow marker field on the record
// instead of the `modified` operator, whose result depended on the core and the save path
// (shared/reviews/platform-fidelity-2026-12.md, F1; docs/templates.md "Transitions: once
// each time the record enters the state"). The limits below are the ones that page lists.
macro_rules! once_each_time {
    ($what:literal, $record:literal) => {
        concat!(
            "it runs once each time ",
            $what,
            ": b24flow keeps a marker field on the ",
            $record,
            " for this workflow (apply creates it), so later edits fire nothing and leaving the state and entering it again fires again. A ",
            $record,
            " already in the state when the workflow is installed fires on its next edit, and the conditions are checked at the moment the state is entered"
        )
    };
}
const WON_ONCE: &str = once_each_time!("the deal becomes won", "deal");
const LOST_ONCE: &str = once_each_time!("the deal becomes lost", "deal");
const CONVERTED_ONCE: &str = once_each_time!(
    "the lead is converted (through the converter, the form or the REST API)",
    "lead"
);
const APPROVED_ONCE: &str = once_each_time!("the quote becomes approved", "quote");
const STAGE_CHANGE_LIMITS: &str = "it runs once each time the deal moves there: b24flow keeps the stage last seen in a marker field on the deal (apply creates it): it runs once per stage move, on every save path; the first stage move after install of a deal that predates the workflow is recorded, not acted on";

/// Every trigger in words. One row per catalog trigger (a test checks it).
pub const TRIGGER_WORDS: &[TriggerWords] = &[
    TriggerWords {
        id: "deal_won",
        when: "a deal becomes won",
        check: Some("Has the deal just become won (won, and not yet marked)?"),
        wait: None,
        caveat: Some(WON_ONCE),
    },
    TriggerWords {
        id: "deal_lost",
        when: "a deal becomes lost",
        check: Some("Has the deal just become lost (lost, and not yet marked)?"),
        wait: None,
        caveat: Some(LOST_ONCE),
    },
    TriggerWords {
        id: "deal_created",
        when: "a deal is created",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "deal_updated",
        when: "any field of a deal changes (each time)",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "stage_changed",
        when: "a deal moves to {stage}",
        check: Some("Has the deal just moved to {stage} (not yet marked)?"),
        wait: None,
        caveat: Some(STAGE_CHANGE_LIMITS),
    },
    TriggerWords {
        id: "lead_created",
        when: "a lead is created",
        check: None,
        wait: None,
        caveat: None,
    },
    // crm LeadConverter starts on-change templates without a changed-field list
    // (modules/crm/lib/conversion/leadconverter.php); the marker does not need one.
    TriggerWords {
        id: "lead_converted",
        when: "a lead is converted",
        check: Some("Has the lead just been converted (converted, and not yet marked)?"),
        wait: None,
        caveat: Some(CONVERTED_ONCE),
    },
    TriggerWords {
        id: "lead_updated",
        when: "any field of a lead changes (each time)",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "contact_created",
        when: "a contact is created",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "contact_updated",
        when: "any field of a contact changes (each time)",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "company_created",
        when: "a company is created",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "company_updated",
        when: "any field of a company changes (each time)",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "task_created",
        when: "a task is created",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "task_completed",
        when: "a task is completed",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "task_overdue",
        when: "a task is past its deadline",
        check: None,
        wait: None,
        caveat: None,
    },
    // Smart invoices have no STAGE_SEMANTIC_ID (crm Model/Dynamic/PrototypeItem.php):
    // paid and refused are read from the stage id (`[portal] invoice_paid_stages`, else
    // any stage containing ":P" / ":D", the standard pipeline's, crm_status.php
    // GetDefaultInvoiceStatuses). WhileActivity re-checks the due date before each wait
    // (bizproc whileactivity.php), so a date moved later is followed.
    TriggerWords {
        id: "invoice_overdue",
        when: "an invoice is still unpaid the day after its payment date",
        check: Some("Is the invoice still unpaid (neither in a paid nor a refused stage)?"),
        wait: Some(
            "Wait until the day after the invoice's payment date, again while it is moved later",
        ),
        caveat: Some(
            "it starts when the invoice is created, so invoices created before this workflow was installed are not covered. Before each wait it reads the payment date again, so a date moved later is followed. Paid and refused are read from the invoice's stage: the stages in [portal] invoice_paid_stages / invoice_refused_stages, or else any stage id containing \":P\" / \":D\" (the standard invoice pipeline's)",
        ),
    },
    TriggerWords {
        id: "invoice_paid",
        when: "an invoice is paid",
        check: Some("Has the invoice just reached a paid stage (not yet marked)?"),
        wait: None,
        caveat: Some(
            "it runs once each time the invoice becomes paid. Paid is read from the invoice's stage: the stages in [portal] invoice_paid_stages, or else any stage id containing \":P\" (the standard invoice pipeline's). b24flow keeps a marker field on the invoice (apply creates it), so it runs once each time the invoice becomes paid; an invoice already paid when the workflow is installed fires on its next edit",
        ),
    },
    TriggerWords {
        id: "quote_created",
        when: "a quote is created",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "quote_approved",
        when: "a quote is approved",
        check: Some("Has the quote just been approved (approved, and not yet marked)?"),
        wait: None,
        caveat: Some(APPROVED_ONCE),
    },
    TriggerWords {
        id: "meeting_scheduled",
        when: "a meeting is scheduled",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "activity_added",
        when: "a note or activity is logged",
        check: None,
        wait: None,
        caveat: None,
    },
];

/// The words for one trigger id, if the catalog knows it.
pub fn trigger_words(id: &str) -> Option<&'static TriggerWords> {
    TRIGGER_WORDS.iter().find(|t| t.id == id)
}

/// Explains a workflow in plain English.
pub fn explain(blueprint: &Blueprint, config: &Config) -> Explanation {
    let words = Words::new(blueprint, config);
    let trigger = words.when(&blueprint.trigger);
    let conditions: Vec<String> = blueprint
        .conditions
        .iter()
        .map(|c| words.condition(c))
        .collect();
    let steps: Vec<String> = run_order(&blueprint.actions)
        .into_iter()
        .map(|i| words.action(&blueprint.actions[i]).imperative())
        .collect();

    let mut summary = format!("When {trigger}");
    if !conditions.is_empty() {
        let _ = write!(
            summary,
            " (only for {})",
            words.conditions(&blueprint.conditions)
        );
    }
    if steps.is_empty() {
        summary.push_str(", do nothing");
    } else {
        summary.push_str(", ");
        summary.push_str(&steps.join(", then "));
    }
    summary = finish_sentence(&summary);

    Explanation {
        summary,
        trigger,
        conditions,
        steps,
        caveats: words.caveats(blueprint),
    }
}

/// Explains a lockfile's workflow: [`explain`] of its blueprint, plus a first caveat when
/// the lockfile switches the workflow off (`options.enabled: false`), because then the
/// portal keeps the template but never starts it on its own (`AUTO_EXECUTE` 0).
pub fn explain_lockfile(lockfile: &Lockfile, config: &Config) -> Explanation {
    let mut explanation = explain(&lockfile.blueprint, config);
    if !lockfile.options.enabled {
        explanation.caveats.insert(
            0,
            "This workflow is switched off (options.enabled: false in its lockfile): the portal keeps the template but never starts it on its own.".to_owned(),
        );
    }
    explanation
}

/// The order the actions run in: the spec's order, with `move_stage` last, because the
/// platform's CrmChangeStatusActivity ends the workflow once the stage changes (see
/// docs/templates.md); the template compiler places it the same way.
pub fn run_order(actions: &[Action]) -> Vec<usize> {
    let (mut order, moves): (Vec<usize>, Vec<usize>) =
        (0..actions.len()).partition(|&i| actions[i].kind != "move_stage");
    order.extend(moves);
    order
}

#[cfg(test)]
mod tests {
    use super::text::{cut, group_thousands, join_and, offset_words};
    use super::*;
    use crate::blueprint::Trigger;
    use crate::catalog::TRIGGERS;
    use crate::catalog::TriggerMapping;

    #[test]
    fn every_trigger_has_words_that_match_its_mapping() {
        assert_eq!(TRIGGER_WORDS.len(), TRIGGERS.len());
        for t in TRIGGERS {
            let w = trigger_words(t.id).unwrap_or_else(|| panic!("no words for {}", t.id));
            match t.mapping {
                TriggerMapping::Template {
                    guard, wait_until, ..
                } => {
                    assert_eq!(w.check.is_some(), !guard.is_empty(), "{}: check", t.id);
                    assert_eq!(w.wait.is_some(), wait_until.is_some(), "{}: wait", t.id);
                    // Every trigger whose guard relies on the changed-field list says
                    // how often it really runs.
                    if guard.iter().any(|g| g.operator == "modified") {
                        assert!(w.caveat.is_some(), "{}: modified without a caveat", t.id);
                    }
                }
                TriggerMapping::Unsupported { .. } => {
                    assert!(w.check.is_none() && w.wait.is_none(), "{}", t.id);
                }
            }
        }
    }

    #[test]
    fn numbers_offsets_and_cuts() {
        assert_eq!(group_thousands("20000").as_deref(), Some("20,000"));
        assert_eq!(group_thousands("1234567.5").as_deref(), Some("1,234,567.5"));
        assert_eq!(group_thousands("999").as_deref(), Some("999"));
        assert_eq!(group_thousands("WEB"), None);
        assert_eq!(offset_words("+3d").as_deref(), Some("3 days"));
        assert_eq!(offset_words("+1w").as_deref(), Some("1 week"));
        assert_eq!(offset_words("+30m").as_deref(), Some("30 minutes"));
        assert_eq!(offset_words("3d"), None);
        assert_eq!(cut("short", 10), "short");
        assert_eq!(
            cut("Congratulations! Your deal has been confirmed.", 30),
            "Congratulations! Your deal has…"
        );
        assert_eq!(
            cut("Deal won: [the deal's title] ([the deal's amount]", 36),
            "Deal won: [the deal's title]…"
        );
        assert_eq!(
            join_and(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
    }

    #[test]
    fn a_caveat_shared_by_two_steps_is_said_once() {
        let whatsapp = Action::new(
            "send_whatsapp",
            [
                ("to", "{{CONTACT_PHONE}}".to_owned()),
                ("message", "Hi".to_owned()),
            ],
        );
        let b = Blueprint {
            name: "x".into(),
            entity: "CRM_DEAL".into(),
            trigger: Trigger::new("deal_created"),
            conditions: vec![],
            actions: vec![
                whatsapp.clone(),
                Action::new(
                    "update_field",
                    [("field", "UF_CRM_A".to_owned()), ("value", "1".to_owned())],
                ),
                whatsapp,
            ],
        };
        let e = explain(&b, &Config::default());
        assert_eq!(e.steps.len(), 3);
        assert_eq!(e.caveats.len(), 3, "{:#?}", e.caveats);
        assert!(e.caveats[0].contains("Open Channel"));
        assert!(e.caveats[1].contains("UF_CRM_A"));
        assert!(e.caveats[2].contains("start_bp_within_bp"));
    }

    #[test]
    fn recipient_codes_in_words() {
        let b = Blueprint {
            name: "x".into(),
            entity: "CRM_DEAL".into(),
            trigger: Trigger::new("deal_won"),
            conditions: vec![],
            actions: vec![],
        };
        let mut config = Config::default();
        config
            .recipients
            .insert("sales team".into(), "group_d12".into());
        let w = Words::new(&b, &config);
        assert_eq!(w.who("user_7"), "user 7");
        assert_eq!(w.who("group_dr1"), "department 1 and its sub-departments");
        assert_eq!(w.who("the Sales Team"), "the Sales Team (department 12)");
        assert_eq!(
            w.who("{{ASSIGNED_BY_ID}}, user_3"),
            "the deal's responsible person and user 3"
        );
        assert_eq!(w.who("{{CONTACT_PHONE}}"), "the deal's client");
        assert_eq!(w.who("boss"), "\"boss\" (not in [recipients])");
        assert_eq!(
            w.text("Deal {{DEAL_TITLE}}\n won {{NOPE}}"),
            "Deal [the deal's title] won {{NOPE}}"
        );
    }
}
