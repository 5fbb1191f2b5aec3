//! Decompiling: a template already in the portal back to the blueprint b24flow would
//! have lowered it from, or the reasons it is not one (an opaque workflow).
//!
//! The inverse of [`crate::bizproc::lower`] together with [`crate::resolve`]: the
//! document type gives the entity, `AUTO_EXECUTE` and the tree's shape (a date wait, the
//! guard's `IfElseActivity`, a transition's marker branches) give the trigger and its
//! parameters, the guard rows past the trigger's own give the conditions, and each
//! action activity gives its action ([`actions`]).
//!
//! Invariant: a blueprint is returned only when it is proven, not guessed. Every
//! candidate is resolved with the project's config and lowered again, and kept only if
//! that gives back the same tree: the same bytes ([`Recovered::exact`]) when lowered
//! under the workflow id the template was made for, or the same tree up to activity
//! names (the designer's own names, or another workflow id's) otherwise. Anything else,
//! such as approvals, loops, activities b24flow does not write, switched-off
//! activities, parameters or properties edited by hand, is [`Decompiled::Opaque`] with
//! every reason found.

mod actions;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::php::Value;
use super::template::{Activity, ROOT_TYPE, Template};
use crate::blueprint::{Action, Blueprint, Condition, Trigger};
use crate::catalog::{self, Entity, TriggerInfo, TriggerMapping};
use crate::config::Config;

/// A blueprint recovered from a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovered {
    pub blueprint: Blueprint,
    /// `false` when the template's auto-start is off (`AUTO_EXECUTE` 0): the workflow is
    /// imported paused.
    pub enabled: bool,
    /// Lowering the blueprint under the workflow id gives the template's tree byte for
    /// byte (activity names included); otherwise only up to activity names.
    pub exact: bool,
}

/// Why a template is not within what b24flow compiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// Where in the template, e.g. `TEMPLATE[0].Children[1]` or `PARAMETERS`.
    pub at: String,
    /// What is there, in words.
    pub message: String,
}

/// What a template decompiles to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decompiled {
    /// Within what b24flow compiles.
    Blueprint(Recovered),
    /// Kept verbatim; the reasons say why.
    Opaque(Vec<Reason>),
}

/// Activities b24flow writes around the actions.
const STRUCTURE: &[&str] = &[
    "IfElseActivity",
    "IfElseBranchActivity",
    "WhileActivity",
    "SequenceActivity",
    "DelayActivity",
];

/// Activities b24flow writes for actions.
const ACTIONS: &[&str] = &[
    "ImOpenLinesMessageActivity",
    "CrmSendEmailActivity",
    "CrmSendSmsActivity",
    "IMNotifyActivity",
    "ImMessageActivity",
    "Task2Activity",
    "CrmCreateToDoActivity",
    "CrmCreateCallActivity",
    "CreateCrmDealDocumentActivity",
    "CreateCrmContactDocumentActivity",
    "CreateCrmCompanyDocumentActivity",
    "CrmCreateDynamicActivity",
    "SetFieldActivity",
    "CrmChangeResponsibleActivity",
    "CrmChangeStatusActivity",
    "CrmTimelineCommentAdd",
    "WebHookActivity",
];

/// People's decisions and questions: the bizproc approval activities.
const APPROVALS: &[&str] = &[
    "ApproveActivity",
    "ReviewActivity",
    "RequestInformationActivity",
    "RequestInformationOptionalActivity",
];

/// Loops and parallel branches b24flow never writes (its one `WhileActivity` is the
/// date wait, checked by shape).
const CONTROL: &[&str] = &[
    "ForEachActivity",
    "ParallelActivity",
    "ListenActivity",
    "EventDrivenActivity",
    "StateMachineWorkflowActivity",
    "StateActivity",
];

/// Decompiles `template`. `id` is the workflow id to lower candidates under: the id
/// the template's ownership marker names when it has one, so a template b24flow made
/// reads back byte for byte.
pub fn decompile(template: &Template, id: &str, config: &Config) -> Decompiled {
    let reasons = screen(template);
    if !reasons.is_empty() {
        return Decompiled::Opaque(reasons);
    }
    let Some(entity) = entity_of(&template.document_type) else {
        return Decompiled::Opaque(vec![reason(
            "DOCUMENT_TYPE",
            "not a CRM entity b24flow knows",
        )]);
    };
    let mut loose = None;
    let mut misses = Vec::new();
    for trigger in candidates(entity, template.auto_execute) {
        for merge in [true, false] {
            let blueprint = match extract(template, entity, trigger, merge) {
                Ok(bp) => bp,
                Err(miss) => {
                    misses.push(miss);
                    continue;
                }
            };
            match check(template, id, config, &blueprint) {
                Check::Exact => {
                    return Decompiled::Blueprint(Recovered {
                        blueprint,
                        enabled: template.auto_execute != 0,
                        exact: true,
                    });
                }
                Check::UpToNames if loose.is_none() => {
                    loose = Some(Recovered {
                        blueprint,
                        enabled: template.auto_execute != 0,
                        exact: false,
                    });
                }
                Check::UpToNames => {}
                Check::Differs(miss) => misses.push(miss),
            }
        }
    }
    if let Some(recovered) = loose {
        return Decompiled::Blueprint(recovered);
    }
    // The most telling miss: the one that got furthest (a difference found by lowering
    // beats a shape that did not fit).
    misses.sort_by_key(|m| std::cmp::Reverse(m.0));
    let reason = misses.into_iter().next().map_or_else(
        || reason("TEMPLATE[0]", "no b24flow trigger starts this way"),
        |(_, r)| r,
    );
    Decompiled::Opaque(vec![reason])
}

fn reason(at: impl Into<String>, message: impl Into<String>) -> Reason {
    Reason {
        at: at.into(),
        message: message.into(),
    }
}

/// The entity whose business process document type this is.
pub fn entity_of(document_type: &[String; 3]) -> Option<Entity> {
    catalog::ENTITIES.iter().find_map(|e| {
        let dt = e.document_type?;
        (dt.iter().zip(document_type).all(|(a, b)| a == b)).then_some(e.entity)
    })
}

/// Every reason the template is outside what b24flow writes that shows without trying
/// a trigger: the document type, auto-start, parameters, and each activity's type.
fn screen(t: &Template) -> Vec<Reason> {
    let mut out = Vec::new();
    if entity_of(&t.document_type).is_none() {
        out.push(reason(
            "DOCUMENT_TYPE",
            format!(
                "`{}` is not a CRM entity b24flow compiles for",
                t.document_type.join(" / ")
            ),
        ));
    }
    if t.auto_execute > 2 {
        out.push(reason(
            "AUTO_EXECUTE",
            format!(
                "auto-start {} (on create and on change) is not one b24flow trigger",
                t.auto_execute
            ),
        ));
    }
    for (key, value) in [
        ("PARAMETERS", &t.parameters),
        ("VARIABLES", &t.variables),
        ("CONSTANTS", &t.constants),
    ] {
        if value.as_array().is_some_and(|a| !a.is_empty()) {
            out.push(reason(key, "b24flow templates declare none"));
        }
    }
    if t.root.type_ != ROOT_TYPE {
        out.push(reason(
            "TEMPLATE[0]",
            format!("the root is `{}`, not {ROOT_TYPE}", t.root.type_),
        ));
    }
    walk(&t.root, "TEMPLATE[0]", &mut out);
    out
}

fn walk(a: &Activity, at: &str, out: &mut Vec<Reason>) {
    let ty = a.type_.as_str();
    let what = format!("`{}` ({ty})", a.title().unwrap_or(&a.name));
    if APPROVALS.contains(&ty) {
        out.push(reason(at, format!("{what} is an approval or review step")));
    } else if CONTROL.contains(&ty) {
        out.push(reason(at, format!("{what} is a loop or parallel branch")));
    } else if at != "TEMPLATE[0]" && !STRUCTURE.contains(&ty) && !ACTIONS.contains(&ty) {
        out.push(reason(
            at,
            format!("{what} is an activity b24flow does not write"),
        ));
    }
    if !a.activated {
        out.push(reason(at, format!("{what} is switched off")));
    }
    for (i, child) in a.children.iter().enumerate() {
        walk(child, &format!("{at}.Children[{i}]"), out);
    }
}

/// The triggers that could have made a template on `entity` with this auto-start;
/// auto-start off (a paused workflow) allows any.
fn candidates(entity: Entity, auto_execute: u8) -> impl Iterator<Item = &'static TriggerInfo> {
    catalog::TRIGGERS.iter().filter(move |t| {
        t.entity == entity
            && matches!(t.mapping, TriggerMapping::Template { auto_start, .. }
                if auto_execute == 0 || auto_start.auto_execute() == auto_execute)
    })
}

/// How far a miss got, for picking the reason to show: 0 the shape, 1 the rules, 2 the
/// lowered tree.
type Miss = (u8, Reason);

fn shape(at: &str, message: impl Into<String>) -> Miss {
    (0, reason(at, message))
}

/// Reads a candidate blueprint off the tree, assuming `trigger` made it. With `merge`,
/// consecutive SMS activities to employees with the same text become one action (lower
/// splits an SMS to several people into one activity each).
fn extract(
    t: &Template,
    entity: Entity,
    trigger: &'static TriggerInfo,
    merge: bool,
) -> Result<Blueprint, Miss> {
    let TriggerMapping::Template {
        guard,
        once_per_entry,
        wait_until,
        ..
    } = trigger.mapping
    else {
        return Err(shape("TEMPLATE[0]", "the trigger is not a template"));
    };
    let root = "TEMPLATE[0]";
    let mut body: &[Activity] = &t.root.children;
    match (wait_until, body.first()) {
        (Some(_), Some(first)) if first.type_ == "WhileActivity" => body = &body[1..],
        (Some(field), _) => {
            return Err(shape(root, format!("no wait for {field} comes first")));
        }
        (None, Some(first)) if first.type_ == "WhileActivity" => {
            return Err(shape(
                &format!("{root}.Children[0]"),
                "a loop that is not a trigger's date wait",
            ));
        }
        (None, _) => {}
    }
    let mut params = std::collections::BTreeMap::new();
    let (rows, steps): (Vec<&Value>, &[Activity]) = if once_per_entry {
        let [check] = body else {
            return Err(shape(root, "a transition trigger has one check"));
        };
        let branches = if_else(check, 3)
            .ok_or_else(|| shape(root, "the transition check does not have three branches"))?;
        let first_rows = condition_rows(&branches[0]).unwrap_or_default();
        let entered = first_rows
            .last()
            .and_then(|r| r.as_list())
            .is_some_and(|r| r.get(1).and_then(|v| v.as_str()) == Some("empty"))
            && first_rows.len() > 1;
        let container = if entered {
            // The rows before the marker's describe the state: the trigger's own.
            let state = &first_rows[..first_rows.len() - 1];
            if trigger.params.iter().any(|p| p.name == "stage") {
                let [row] = state else {
                    return Err(shape(root, "the stage check is not one row"));
                };
                params.insert("stage".to_owned(), row_value(row)?);
            }
            &branches[0].children
        } else {
            &branches[1].children
        };
        // The marker is written first, then the actions (or their conditions' check).
        let rest = container
            .get(1..)
            .ok_or_else(|| shape(root, "the transition branch has no marker"))?;
        match rest {
            [inner] if if_else(inner, 2).is_some() => {
                let b = if_else(inner, 2).expect("checked");
                (
                    condition_rows(&b[0]).unwrap_or_default(),
                    &b[0].children[..],
                )
            }
            _ => (Vec::new(), rest),
        }
    } else {
        match body {
            [check] if if_else(check, 2).is_some() => {
                let b = if_else(check, 2).expect("checked");
                let rows = condition_rows(&b[0]).unwrap_or_default();
                if rows.len() < guard.len() {
                    return Err(shape(root, "fewer guard rows than the trigger has"));
                }
                (rows[guard.len()..].to_vec(), &b[0].children[..])
            }
            _ if !guard.is_empty() => {
                return Err(shape(root, "the trigger's guard check is missing"));
            }
            _ => (Vec::new(), body),
        }
    };
    let conditions = rows
        .into_iter()
        .map(|r| condition(r, entity))
        .collect::<Result<Vec<_>, _>>()?;
    let mut list: Vec<Action> = Vec::new();
    for (i, a) in steps.iter().enumerate() {
        let action =
            actions::action(a, entity).map_err(|m| shape(&format!("{root} action {i}"), m))?;
        if merge
            && action.kind == "send_sms"
            && action.field("to") != Some("{{CONTACT_PHONE}}")
            && let Some(last) = list.last_mut()
            && last.kind == "send_sms"
            && last.field("to") != Some("{{CONTACT_PHONE}}")
            && last.field("message") == action.field("message")
        {
            let to = format!(
                "{}, {}",
                last.field("to").unwrap_or_default(),
                action.field("to").unwrap_or_default()
            );
            last.fields.insert("to".into(), to);
            continue;
        }
        list.push(action);
    }
    Ok(Blueprint {
        name: t.name.clone(),
        entity: entity.id().to_owned(),
        trigger: Trigger {
            kind: trigger.id.to_owned(),
            params,
        },
        conditions,
        actions: list,
    })
}

/// The branches of an `IfElseActivity` with `n` of them, the last an unconditional
/// "otherwise" with no children.
fn if_else(a: &Activity, n: usize) -> Option<&[Activity]> {
    let last = a.children.last()?;
    (a.type_ == "IfElseActivity"
        && a.children.len() == n
        && a.children.iter().all(|b| b.type_ == "IfElseBranchActivity")
        && last.property("truecondition").is_some()
        && last.children.is_empty())
    .then_some(&a.children[..])
}

fn condition_rows(branch: &Activity) -> Option<Vec<&Value>> {
    branch.property("fieldcondition")?.as_list()
}

fn row_value(row: &Value) -> Result<String, Miss> {
    row.as_list()
        .and_then(|r| r.get(2).and_then(|v| v.as_str()).map(str::to_owned))
        .ok_or_else(|| shape("TEMPLATE[0]", "a condition row without a text value"))
}

/// A `fieldcondition` row `[field, operator, value, 0]` as a blueprint condition.
fn condition(row: &Value, entity: Entity) -> Result<Condition, Miss> {
    let bad = || shape("TEMPLATE[0]", "a condition row b24flow does not write");
    let items = row.as_list().ok_or_else(bad)?;
    let [field, operator, value, _joiner] = items.as_slice() else {
        return Err(bad());
    };
    Ok(Condition {
        field: field.as_str().ok_or_else(bad)?.to_owned(),
        operator: operator.as_str().ok_or_else(bad)?.to_owned(),
        value: actions::variables(value.as_str().ok_or_else(bad)?, entity),
    })
}

enum Check {
    Exact,
    UpToNames,
    Differs(Miss),
}

/// Resolves and lowers `blueprint` and compares the result with `t`.
fn check(t: &Template, id: &str, config: &Config, blueprint: &Blueprint) -> Check {
    let resolved = match crate::resolve::resolve(blueprint, config) {
        Ok(r) => r,
        Err(d) => {
            let first =
                d.0.into_iter()
                    .next()
                    .map_or_else(String::new, |d| d.message);
            return Check::Differs((
                1,
                reason(
                    "TEMPLATE[0]",
                    format!(
                        "read as `{}`, it breaks a rule: {first}",
                        blueprint.trigger.kind
                    ),
                ),
            ));
        }
    };
    let lowered = super::lower(id, &resolved);
    if lowered.name != t.name || lowered.document_type != t.document_type {
        return Check::Differs((1, reason("NAME", "the name does not read back")));
    }
    if lowered.root == t.root {
        return Check::Exact;
    }
    if unnamed(&lowered.root) == unnamed(&t.root) {
        return Check::UpToNames;
    }
    let at = first_difference(&t.root, &lowered.root, "TEMPLATE[0]")
        .unwrap_or_else(|| "TEMPLATE[0]".to_owned());
    Check::Differs((
        2,
        reason(
            at,
            format!(
                "differs from what b24flow writes for the closest blueprint (trigger `{}`): edited by hand, or made elsewhere",
                blueprint.trigger.kind
            ),
        ),
    ))
}

/// The tree with every activity name blanked.
fn unnamed(a: &Activity) -> Activity {
    Activity {
        name: String::new(),
        children: a.children.iter().map(unnamed).collect(),
        ..a.clone()
    }
}

/// Where two trees first differ (names aside), depth first.
fn first_difference(live: &Activity, ours: &Activity, at: &str) -> Option<String> {
    if live.type_ != ours.type_ || live.activated != ours.activated {
        return Some(at.to_owned());
    }
    if live.properties != ours.properties {
        let key = live
            .properties
            .iter()
            .zip(&ours.properties)
            .find(|(a, b)| a != b)
            .map(|((k, _), _)| k)
            .or_else(|| {
                // Equal as far as both go: the first key one of them has beyond that.
                let n = live.properties.len().min(ours.properties.len());
                live.properties
                    .get(n)
                    .or_else(|| ours.properties.get(n))
                    .map(|(k, _)| k)
            })
            .map_or_else(|| "Properties".to_owned(), Clone::clone);
        return Some(format!("{at}.Properties.{key}"));
    }
    for (i, (a, b)) in live.children.iter().zip(&ours.children).enumerate() {
        if let Some(d) = first_difference(a, b, &format!("{at}.Children[{i}]")) {
            return Some(d);
        }
    }
    (live.children.len() != ours.children.len()).then(|| format!("{at}.Children"))
}

#[cfg(test)]
mod tests;
