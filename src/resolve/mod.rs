//! The semantic pass: a [`Blueprint`] and the project's [`Config`] in, a [`Resolved`]
//! model or every [`Diagnostic`] out. This is the only place a rule about blueprints is
//! written; `validate`, `compile`, `build` (so `plan` and `apply`), `parse`, `serve` and
//! the LLM repair loop all call [`resolve`], and lowering the result to a template
//! ([`crate::bizproc::lower`]) cannot fail.
//!
//! Two passes over the blueprint, both here:
//! 1. the checks: every value's shape, every name against the catalog and the config,
//!    every action's availability on the entity. All problems are reported at once.
//! 2. only when those pass, resolution into the model: texts with their expressions,
//!    recipients as codes, dates in the platform's form, `move_stage` last (a warning
//!    says so). What only a resolved value can show (a contact name without a last
//!    name, several people where one is needed) is reported here.
//!
//! Invariants: deterministic; diagnostics in document order, errors before warnings;
//! a diagnostic's code names this stage (`b24flow::rules::…`).

pub mod diagnostic;
pub mod fields;
pub mod model;
mod names;
pub mod project;
pub mod rules;
pub mod yaml_path;

pub use diagnostic::{Code, Diagnostic, Diagnostics, Placed, Severity};
pub use fields::RequiredField;
pub use model::{Audience, Numbered, Operand, Resolved, Row, Step, Transition};

use crate::blueprint::Blueprint;
use crate::catalog::{Entity, TriggerMapping};
use crate::config::Config;

use rules::Resolver;

/// Resolves a blueprint against the catalog and the project's config. On failure the
/// errors come first, then any warnings.
pub fn resolve(bp: &Blueprint, config: &Config) -> Result<Resolved, Diagnostics> {
    // Names become the selected environment's ids first; every rule below sees ids.
    let named = names::substitute(bp, config).map_err(Diagnostics)?;
    let bp = named.as_ref().map_or(bp, |n| &n.blueprint);
    let entity = Entity::from_id(&bp.entity);
    let mut r = Resolver {
        config,
        entity: entity.unwrap_or(Entity::Deal),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let checked = r.check(bp, entity);
    let resolved = match checked {
        Some((entity, trigger, infos)) if r.errors.is_empty() => {
            r.entity = entity;
            r.resolve(bp, entity, trigger, &infos)
        }
        _ => None,
    };
    match resolved {
        Some(mut resolved) if r.errors.is_empty() => {
            if let Some(id) = named.as_ref().and_then(|n| n.sms_provider.clone()) {
                resolved.channels.sms_provider = id;
            }
            resolved.warnings = r.warnings;
            Ok(resolved)
        }
        _ => {
            let mut all = r.errors;
            all.extend(r.warnings);
            Err(Diagnostics(all))
        }
    }
}

/// Every diagnostic for `bp`, errors and warnings: what `validate` and the LLM repair
/// loop report.
pub fn diagnose(bp: &Blueprint, config: &Config) -> Diagnostics {
    match resolve(bp, config) {
        Ok(resolved) => Diagnostics(resolved.warnings),
        Err(diagnostics) => diagnostics,
    }
}

type Checked = (
    Entity,
    &'static crate::catalog::TriggerInfo,
    Vec<&'static crate::catalog::ActionInfo>,
);

impl Resolver<'_> {
    fn check(&mut self, bp: &Blueprint, entity: Option<Entity>) -> Option<Checked> {
        if bp.name.trim().is_empty() {
            self.error(Diagnostic::new(
                "name",
                Code::EmptyName,
                "the workflow has no name",
            ));
        } else if bp.name.chars().count() > 200 {
            self.error(Diagnostic::new(
                "name",
                Code::LongName,
                "the name is longer than 200 characters",
            ));
        }
        if entity.is_none() {
            let ids: Vec<&str> = crate::catalog::ENTITIES.iter().map(|e| e.id).collect();
            self.error(
                Diagnostic::new(
                    "entity",
                    Code::UnknownEntity,
                    format!("unknown entity `{}`", bp.entity),
                )
                .help(rules::suggest(&bp.entity, &ids)),
            );
        }
        let trigger = self.check_trigger(bp, entity);
        self.check_conditions(bp, entity);
        let infos = self.check_actions(&bp.actions, entity);
        Some((entity?, trigger?, infos?))
    }

    fn resolve(
        &mut self,
        bp: &Blueprint,
        entity: Entity,
        trigger: &'static crate::catalog::TriggerInfo,
        infos: &[&'static crate::catalog::ActionInfo],
    ) -> Option<Resolved> {
        // Both refused by the checks, which say why.
        let TriggerMapping::Template {
            auto_start,
            guard,
            once_per_entry,
            wait_until,
        } = trigger.mapping
        else {
            return None;
        };
        let document_type = entity.info().document_type?;
        let trigger_rows = self.trigger_rows(bp, guard)?;
        let conditions = self.condition_rows(bp);
        let (guard, transition) = if once_per_entry {
            let transition = if trigger_rows.is_empty() {
                // "moves to any stage": the marker remembers the stage last seen.
                Transition::Change {
                    field: guard.first().map_or("STAGE_ID", |g| g.field).to_owned(),
                }
            } else {
                let left = trigger_rows.iter().filter_map(Row::negated).collect();
                Transition::Enter {
                    state: trigger_rows,
                    left,
                }
            };
            (conditions, Some(transition))
        } else {
            let mut rows = trigger_rows;
            rows.extend(conditions);
            (rows, None)
        };
        let steps = self.steps(&bp.actions, infos);
        self.check_pipeline(bp, &steps);
        Some(Resolved {
            name: bp.name.clone(),
            entity,
            document_type,
            trigger,
            auto_start,
            wait_until,
            guard,
            transition,
            steps,
            channels: self.config.channels.clone(),
            warnings: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests;
