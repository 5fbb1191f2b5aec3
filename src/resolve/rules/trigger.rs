//! The trigger and the guard: the trigger exists, belongs to the blueprint's entity and
//! can become a template; its parameters are known; the blueprint's conditions are
//! well formed. Resolved, they become the guard rows: the trigger's (stage filled in),
//! then the conditions, all joined by AND.

use crate::blueprint::Blueprint;
use crate::catalog::{self, Entity, TriggerInfo, TriggerMapping};

use std::sync::LazyLock;

use regex::Regex;

use super::super::{
    Code, Diagnostic,
    model::{Operand, Row},
};
use super::values::{field_id, field_problem, is_field_id, is_stage, stage_problem};
use super::{Resolver, suggest};

impl Resolver<'_> {
    /// Checks the trigger; returns it when it exists.
    pub(in crate::resolve) fn check_trigger(
        &mut self,
        bp: &Blueprint,
        entity: Option<Entity>,
    ) -> Option<&'static TriggerInfo> {
        let Some(trigger) = catalog::trigger(&bp.trigger.kind) else {
            let ids: Vec<&str> = catalog::TRIGGERS.iter().map(|t| t.id).collect();
            self.error(
                Diagnostic::new(
                    "trigger.type",
                    Code::UnknownTrigger,
                    format!("unknown trigger `{}`", bp.trigger.kind),
                )
                .help(suggest(&bp.trigger.kind, &ids)),
            );
            return None;
        };
        if let TriggerMapping::Unsupported { reason, instead } = trigger.mapping {
            self.error(
                Diagnostic::new(
                    "trigger.type",
                    Code::UnsupportedTrigger,
                    format!(
                        "trigger `{}` cannot become a Bitrix24 template: {reason}",
                        trigger.id
                    ),
                )
                .help(instead),
            );
        }
        if let Some(entity) = entity
            && entity != trigger.entity
        {
            self.error(
                Diagnostic::new(
                    "entity",
                    Code::EntityMismatch,
                    format!(
                        "trigger `{}` starts on a {}, but the entity is {}",
                        trigger.id,
                        trigger.entity.info().label,
                        entity.id()
                    ),
                )
                .help(format!("set the entity to {}", trigger.entity.id())),
            );
        }
        for (name, value) in &bp.trigger.params {
            let path = format!("trigger.{name}");
            if !trigger.params.iter().any(|p| p.name == name) {
                self.error(
                    Diagnostic::new(
                        &path,
                        Code::UnknownParam,
                        format!("trigger `{}` takes no `{name}`", trigger.id),
                    )
                    .help(param_help(trigger)),
                );
            } else if name == "stage" && !is_stage(value) {
                self.error(stage_problem(&path, value));
            }
        }
        for p in trigger.params.iter().filter(|p| p.required) {
            if !bp.trigger.params.contains_key(p.name) {
                self.error(
                    Diagnostic::new(
                        "trigger",
                        Code::MissingParam,
                        format!("trigger `{}` needs `{}`", trigger.id, p.name),
                    )
                    .help(p.description),
                );
            }
        }
        Some(trigger)
    }

    /// Checks the blueprint's conditions.
    pub(in crate::resolve) fn check_conditions(&mut self, bp: &Blueprint, entity: Option<Entity>) {
        for (i, c) in bp.conditions.iter().enumerate() {
            let at = |field: &str| format!("conditions[{i}].{field}");
            if !is_field_id(&c.field) {
                self.error(field_problem(&at("field"), &c.field));
            }
            let known = catalog::CONDITION_OPERATORS
                .iter()
                .any(|(op, _)| *op == c.operator);
            if !known {
                let ops: Vec<&str> = catalog::CONDITION_OPERATORS
                    .iter()
                    .map(|(o, _)| *o)
                    .collect();
                self.error(
                    Diagnostic::new(
                        at("operator"),
                        Code::UnknownOperator,
                        format!("unknown operator `{}`", c.operator),
                    )
                    .help(format!("use one of: {}", ops.join(" "))),
                );
            }
            let needs_value = !matches!(c.operator.as_str(), "empty" | "!empty");
            if known && needs_value && c.value.is_empty() {
                self.error(Diagnostic::new(
                    at("value"),
                    Code::MissingValue,
                    format!("`{}` needs a value to compare with", c.operator),
                ));
            }
            self.check_variables(&at("value"), &c.value, entity);
            if field_id(&c.field) == "SOURCE_ID"
                && !c.value.is_empty()
                && !c.value.contains("{{")
                && catalog::source_id(&c.value).is_none()
                && !catalog::is_source_id_form(&c.value)
            {
                let ids: Vec<&str> = catalog::DEFAULT_SOURCES.iter().map(|(id, _)| *id).collect();
                self.error(
                    Diagnostic::new(
                        at("value"),
                        Code::BadSource,
                        format!(
                            "`{}` is not a source id, so the condition would never hold: SOURCE_ID holds the id of an entry of the portal's source list, not its name",
                            c.value
                        ),
                    )
                    .help(format!(
                        "use one of the default ids ({}), or the id the portal gave a source it added (UC_..., listed by crm.status.list with ENTITY_ID SOURCE)",
                        ids.join(", ")
                    )),
                );
            }
        }
    }

    /// The trigger's rows of a checked blueprint, placeholders filled in: `{stage}` by
    /// the `stage` parameter (the row is dropped without one: "any stage"), and the
    /// invoice stage sets by `[portal]` or their default. `None` when `[portal]` names
    /// a stage that cannot be an invoice stage (reported).
    pub(in crate::resolve) fn trigger_rows(
        &mut self,
        bp: &Blueprint,
        rows: &[catalog::GuardRow],
    ) -> Option<Vec<Row>> {
        let mut out = Vec::new();
        for row in rows {
            match row.value {
                "{stage}" => {
                    if let Some(stage) = bp.trigger.param("stage") {
                        out.push(Row::text(row.field, row.operator, stage));
                    }
                }
                "{invoice_paid}" | "{invoice_refused}" => {
                    let paid = row.value == "{invoice_paid}";
                    out.push(self.invoice_stage_row(row, paid)?);
                }
                value => out.push(Row::text(row.field, row.operator, value)),
            }
        }
        Some(out)
    }

    /// A row on the smart invoice's success (`paid`) or failure stages. Smart invoices
    /// have no `STAGE_SEMANTIC_ID` (crm `Model/Dynamic/PrototypeItem.php` has no such
    /// column; `Item::getCompatibleData` adds none), so the stage id is compared.
    ///
    /// With `[portal] invoice_paid_stages` / `invoice_refused_stages`: `in` / `!in` with
    /// the list as a PHP array (`Condition::checkInOperation` tests membership; a string
    /// would be a substring test). Without: `contain` / `!contain` of `:P` / `:D`, the
    /// standard pipeline's success and failure stage ids after the category prefix
    /// (`CCrmStatus::GetDefaultInvoiceStatuses` N, S, P, D; ids are `DT31_<category>:<id>`
    /// by `getDynamicEntityStatusPrefix` and `addKnownPrefixToStatusId`), whatever the
    /// portal's category id. `contain` is a substring test on the stage id
    /// (`Condition::checkContainOperation`, bizproc lib/activity/condition.php).
    fn invoice_stage_row(&mut self, row: &catalog::GuardRow, paid: bool) -> Option<Row> {
        let (key, configured, default) = if paid {
            (
                "invoice_paid_stages",
                &self.config.portal.invoice_paid_stages,
                ":P",
            )
        } else {
            (
                "invoice_refused_stages",
                &self.config.portal.invoice_refused_stages,
                ":D",
            )
        };
        let negated = row.operator.starts_with('!');
        if configured.is_empty() {
            let operator = if negated { "!contain" } else { "contain" };
            return Some(Row::text(row.field, operator, default));
        }
        let bad: Vec<&String> = configured.iter().filter(|s| !is_invoice_stage(s)).collect();
        if !bad.is_empty() {
            let list: Vec<&str> = bad.iter().map(|s| s.as_str()).collect();
            self.error(
                Diagnostic::new(
                    "trigger.type",
                    Code::BadInvoiceStage,
                    format!(
                        "[portal] {key} has {} that {} not a smart invoice stage id: {}",
                        if list.len() == 1 { "a value" } else { "values" },
                        if list.len() == 1 { "is" } else { "are" },
                        list.join(", ")
                    ),
                )
                .help("write the full ids the portal stores, e.g. \"DT31_3:P\" (crm.status.list, ENTITY_ID SMART_INVOICE_STAGE_<category>)"),
            );
            return None;
        }
        Some(Row {
            field: row.field.to_owned(),
            operator: row.operator.to_owned(),
            value: Operand::List(configured.clone()),
        })
    }

    /// The blueprint's conditions as rows.
    pub(in crate::resolve) fn condition_rows(&mut self, bp: &Blueprint) -> Vec<Row> {
        let mut out = Vec::new();
        for (i, c) in bp.conditions.iter().enumerate() {
            if let Some(value) = self.text(&format!("conditions[{i}].value"), &c.value) {
                let field = field_id(&c.field);
                // "Website" is the source WEB: the record holds the id (see
                // `catalog::sources`).
                let value = match catalog::source_id(&value) {
                    Some(id) if field == "SOURCE_ID" => id.to_owned(),
                    _ => value,
                };
                out.push(Row::text(&field, &c.operator, value));
            }
        }
        out
    }
}

/// A smart invoice stage id: `DT31_<category>:<stage>` (`CCrmStatus::
/// getDynamicEntityStatusPrefix` gives `DT<entityTypeId>_<categoryId>`, the separator
/// is `:`; 31 is the smart invoice's entity type).
fn is_invoice_stage(s: &str) -> bool {
    static INVOICE_STAGE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^DT31_\d+:[A-Za-z0-9_]+$").expect("a valid pattern"));
    INVOICE_STAGE.is_match(s)
}

fn param_help(trigger: &TriggerInfo) -> String {
    if trigger.params.is_empty() {
        "remove it".to_owned()
    } else {
        let names: Vec<&str> = trigger.params.iter().map(|p| p.name).collect();
        format!("it takes: {}", names.join(", "))
    }
}
