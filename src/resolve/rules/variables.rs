//! Smart variables: each `{{NAME}}` must be in the catalog and supplied by the
//! workflow's entity, and resolves to that entity's expression (`{=Document:TITLE}`).

use crate::blueprint::variables_in;
use crate::catalog::{self, Entity, VariableInfo};

use super::super::{Code, Diagnostic};
use super::{Resolver, suggest};

/// The catalog entry for `{{name}}`, or why there is none.
fn lookup(path: &str, name: &str) -> Result<&'static VariableInfo, Diagnostic> {
    catalog::variable(name).ok_or_else(|| {
        let names: Vec<&str> = catalog::VARIABLES.iter().map(|v| v.name).collect();
        Diagnostic::new(
            path,
            Code::UnknownVariable,
            format!("unknown smart variable `{{{{{name}}}}}`"),
        )
        .help(suggest(name, &names))
    })
}

/// The entity's expression for `{{name}}`, or why there is none. The one variable rule.
fn expression(path: &str, name: &str, entity: Entity) -> Result<&'static str, Diagnostic> {
    let var = lookup(path, name)?;
    var.expression_for(entity).ok_or_else(|| {
        let from: Vec<&str> = var.sources.iter().map(|s| s.entity.id()).collect();
        Diagnostic::new(
            path,
            Code::UnavailableVariable,
            format!("a {} cannot supply `{{{{{name}}}}}`", entity.info().label),
        )
        .help(format!("it is available on: {}", from.join(", ")))
    })
}

/// The whole value when it is exactly one `{{NAME}}`.
pub(super) fn sole_variable(value: &str) -> Option<&str> {
    let inner = value.trim().strip_prefix("{{")?.strip_suffix("}}")?;
    (!inner.contains("{{") && !inner.contains("}}")).then(|| inner.trim())
}

impl Resolver<'_> {
    /// Checks every `{{NAME}}` in `value` (the entity is unknown when it was wrong).
    pub(super) fn check_variables(&mut self, path: &str, value: &str, entity: Option<Entity>) {
        for name in variables_in(value) {
            // With no known entity, only the name can be checked (the entity is
            // reported on its own).
            let result = match entity {
                Some(entity) => expression(path, name, entity).map(|_| ()),
                None => lookup(path, name).map(|_| ()),
            };
            if let Err(d) = result {
                self.error(d);
            }
        }
    }

    /// `text` with every `{{NAME}}` replaced by the entity's expression for it.
    pub(super) fn text(&mut self, path: &str, text: &str) -> Option<String> {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        let mut ok = true;
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start + 2..].find("}}") else {
                break;
            };
            out.push_str(&rest[..start]);
            let name = rest[start + 2..start + 2 + len].trim();
            match self.variable(path, name) {
                Some(expr) => out.push_str(expr),
                None => ok = false,
            }
            rest = &rest[start + 2 + len + 2..];
        }
        out.push_str(rest);
        ok.then_some(out)
    }

    pub(super) fn variable(&mut self, path: &str, name: &str) -> Option<&'static str> {
        match expression(path, name, self.entity) {
            Ok(expr) => Some(expr),
            Err(d) => {
                self.error(d);
                None
            }
        }
    }
}
