//! The rules, one file per subject. Each file holds both the check of a value and its
//! resolution, so a rule is written once:
//!
//! - [`trigger`]: the trigger, its parameters, the conditions, the guard rows.
//! - [`actions`]: which actions exist, where they are offered, their fields, their steps.
//! - [`recipients`]: the user-code grammar, the client-only rule, `[recipients]`.
//! - [`variables`]: `{{NAME}}` against the entity.
//! - [`urls`]: webhook safety.
//! - [`values`]: the shapes of stage ids, field ids, date-times and the rest.

mod actions;

/// The field id a condition or action names (friendly upper-case names through the
/// catalog's aliases).
pub(crate) fn field_id_of(value: &str) -> String {
    values::field_id(value)
}
pub mod recipients;
mod trigger;
pub(crate) mod urls;
mod values;
mod variables;

use crate::catalog::Entity;
use crate::config::Config;

use super::Diagnostic;

/// Collects diagnostics while a blueprint is checked and resolved.
pub(super) struct Resolver<'a> {
    pub(super) config: &'a Config,
    /// The workflow's entity, once known (resolution runs only then).
    pub(super) entity: Entity,
    pub(super) errors: Vec<Diagnostic>,
    pub(super) warnings: Vec<Diagnostic>,
}

impl Resolver<'_> {
    pub(super) fn error(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    pub(super) fn warn(&mut self, d: Diagnostic) {
        self.warnings.push(d);
    }
}

/// "did you mean X?" when a close id exists, else the list of valid ids.
pub(super) fn suggest(wrong: &str, valid: &[&str]) -> String {
    let best = valid
        .iter()
        .map(|v| {
            (
                strsim::levenshtein(&wrong.to_ascii_lowercase(), &v.to_ascii_lowercase()),
                *v,
            )
        })
        .min();
    match best {
        Some((d, v)) if d <= 3 => format!("did you mean `{v}`?"),
        _ => format!("valid values: {}", valid.join(", ")),
    }
}
