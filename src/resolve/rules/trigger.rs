//! The trigger and the guard: the trigger exists, belongs to the blueprint's entity and
//! can become a template; its parameters are known; the blueprint's conditions are
//! well formed. Resolved, they become the guard rows: the trigger's (stage filled in),
//! then the conditions, all joined by AND.

use crate::blueprint::Blueprint;
use crate::catalog::{self, Entity, TriggerInfo, TriggerMapping};

use super::super::{Code, Diagnostic, model::Row};
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
        }
    }

    /// The guard rows of a checked blueprint: the trigger's, then the conditions.
    pub(in crate::resolve) fn guard(
        &mut self,
        bp: &Blueprint,
        rows: &[catalog::GuardRow],
    ) -> Vec<Row> {
        let mut out = Vec::new();
        for row in rows {
            let value = if row.value.contains("{stage}") {
                match bp.trigger.param("stage") {
                    Some(stage) => row.value.replace("{stage}", stage),
                    // "moves to any stage": only the `modified` row remains.
                    None => continue,
                }
            } else {
                row.value.to_owned()
            };
            out.push(Row {
                field: row.field.to_owned(),
                operator: row.operator.to_owned(),
                value,
            });
        }
        for (i, c) in bp.conditions.iter().enumerate() {
            if let Some(value) = self.text(&format!("conditions[{i}].value"), &c.value) {
                out.push(Row {
                    field: field_id(&c.field),
                    operator: c.operator.clone(),
                    value,
                });
            }
        }
        out
    }
}

fn param_help(trigger: &TriggerInfo) -> String {
    if trigger.params.is_empty() {
        "remove it".to_owned()
    } else {
        let names: Vec<&str> = trigger.params.iter().map(|p| p.name).collect();
        format!("it takes: {}", names.join(", "))
    }
}
