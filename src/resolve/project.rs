//! Rules that need every workflow of a project at once. Today one: chaining.
//!
//! A record created or changed *by a workflow* does not start other business process
//! templates unless the crm option `start_bp_within_bp` is `Y`, and it defaults to `N`
//! (`Option::get('crm', 'start_bp_within_bp', 'N')` in crm `CCrmDocumentDeal::
//! CreateDocument`/`UpdateDocument`, `Integration/BizProc/Document/Item::launchOperation`
//! and the newest `CrmStarter::runOnInnerDocument`). So "when a deal is won, create an
//! invoice" plus "when an invoice is overdue, remind" never reminds for those invoices.
//! [`check`] warns where one workflow's action would be expected to start another.
//!
//! Invariants: pure and deterministic; warnings come in input order, then action order.

use crate::catalog::{AutoStart, Entity};

use super::{Code, Diagnostic, Resolved, Step};

/// One workflow of the project, resolved: its id and its model.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    pub id: &'a str,
    pub resolved: &'a Resolved,
}

/// A warning about one workflow of the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The workflow whose action the warning is about.
    pub workflow: String,
    /// Placed at the action, e.g. `actions[0].type`.
    pub diagnostic: Diagnostic,
}

/// What a step does to records, as far as starting templates goes.
enum Effect {
    Creates(Entity),
    Changes(Entity),
}

fn effect(step: &Step, own: Entity) -> Option<Effect> {
    match step {
        Step::CreateDeal { .. } => Some(Effect::Creates(Entity::Deal)),
        Step::CreateContact { .. } => Some(Effect::Creates(Entity::Contact)),
        Step::CreateCompany { .. } => Some(Effect::Creates(Entity::Company)),
        Step::CreateInvoice { .. } => Some(Effect::Creates(Entity::Invoice)),
        Step::CreateQuote { .. } => Some(Effect::Creates(Entity::Quote)),
        Step::UpdateDeal { .. }
        | Step::UpdateField { .. }
        | Step::MoveStage { .. }
        | Step::AssignResponsible { .. } => Some(Effect::Changes(own)),
        _ => None,
    }
}

/// Warns, for each action that creates or changes a record, about the project's other
/// workflows that such a record would be expected to start, and that the portal will
/// not start by default.
pub fn check(members: &[Member<'_>]) -> Vec<Finding> {
    let mut out = Vec::new();
    for source in members {
        for n in &source.resolved.steps {
            let Some(effect) = effect(&n.step, source.resolved.entity) else {
                continue;
            };
            let (entity, start, verb) = match effect {
                Effect::Creates(e) => (e, AutoStart::OnCreate, "creates"),
                Effect::Changes(e) => (e, AutoStart::OnChange, "changes"),
            };
            let targets: Vec<String> = members
                .iter()
                .filter(|t| t.id != source.id)
                .filter(|t| t.resolved.entity == entity && t.resolved.auto_start == start)
                // A disabled workflow (auto-start off) is still a member; it is listed
                // too, since enabling it would meet the same rule.
                .map(|t| format!("`{}` ({})", t.id, t.resolved.trigger.id))
                .collect();
            if targets.is_empty() {
                continue;
            }
            let kind = action_id(&n.step);
            out.push(Finding {
                workflow: source.id.to_owned(),
                diagnostic: Diagnostic::new(
                    format!("actions[{}].type", n.index),
                    Code::NotChained,
                    format!(
                        "`{kind}` {verb} a {}, but Bitrix24 does not start {} for records a workflow {verb}",
                        entity.info().label,
                        targets.join(", ")
                    ),
                )
                .help(
                    "the crm option start_bp_within_bp is N by default; ask the portal administrator to set it to Y (no REST method sets it), or do the other workflow's actions in this one",
                ),
            });
        }
    }
    out
}

fn action_id(step: &Step) -> &'static str {
    match step {
        Step::CreateDeal { .. } => "create_deal",
        Step::CreateContact { .. } => "create_contact",
        Step::CreateCompany { .. } => "create_company",
        Step::CreateInvoice { .. } => "create_invoice",
        Step::CreateQuote { .. } => "create_quote",
        Step::UpdateDeal { .. } => "update_deal",
        Step::UpdateField { .. } => "update_field",
        Step::MoveStage { .. } => "move_stage",
        Step::AssignResponsible { .. } => "assign_responsible",
        _ => "action",
    }
}
