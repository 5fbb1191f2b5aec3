//! The plan operation: what apply would change, and whether a plan may be applied.
//!
//! [`wanted`] builds every lockfile into its desired template and refuses to go on if
//! any workflow has a problem; [`compute`] lists the portal and diffs. [`check_deletes`]
//! is the deletion guard. A saved plan is read with [`read_saved`] (its lockfiles must
//! be the ones on disk) and, once a portal is connected, checked with [`check_saved`]
//! (same portal, managed templates unmoved): the invariant of [`crate::plan`] that "a
//! saved plan is refused once either has moved" is kept here and only here.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Error, Problem};
use crate::bitrix::{ListQuery, ListRead, Listed};
use crate::build::build_all;
use crate::config::Config;
use crate::explain::{self, changed_nodes, mermaid};
use crate::lockfile::Lockfile;
use crate::plan::{self, Action, Desired, FieldToCreate, Plan, Review};
use crate::portal::Portal;
use crate::project::Project;
use crate::resolve::RequiredField;
use crate::userfields;
use serde_json::Value;

/// The desired templates of every workflow, and the compiler's warnings about them.
#[derive(Debug)]
pub struct Wanted {
    /// Sorted by workflow id, each id once.
    pub templates: Vec<Desired>,
    /// The template was still produced; show these.
    pub warnings: Vec<Problem>,
    /// The user fields the templates need, each with the workflow that needs it, in
    /// workflow order.
    pub fields: Vec<(String, RequiredField)>,
}

/// Builds every workflow. Refuses with [`Error::InvalidLockfiles`] (carrying every
/// problem) when any workflow cannot be built: a plan never covers part of a project.
pub fn wanted(project: &Project) -> Result<Wanted, Error> {
    let mut wanted = Wanted::from_build(build_all(project, &[])?)?;
    let ids: Vec<String> = wanted.templates.iter().map(|d| d.id.clone()).collect();
    for pattern in super::protect::unmatched(&project.config, &ids) {
        wanted
            .warnings
            .push(super::protect::unmatched_warning(pattern));
    }
    Ok(wanted)
}

impl Wanted {
    /// What [`build_all`] returned, as the desired state; refuses with
    /// [`Error::InvalidLockfiles`] (carrying every problem) when anything failed to build.
    pub(super) fn from_build(
        (built, problems): (Vec<crate::build::Built>, Vec<Problem>),
    ) -> Result<Wanted, Error> {
        if !problems.is_empty() {
            return Err(Error::InvalidLockfiles {
                count: problems.len(),
                problems,
            });
        }
        let mut wanted = Wanted {
            templates: Vec::with_capacity(built.len()),
            warnings: Vec::new(),
            fields: Vec::new(),
        };
        for b in built {
            wanted.warnings.extend(b.warnings);
            wanted.fields.extend(
                b.required_fields
                    .into_iter()
                    .map(|f| (b.desired.id.clone(), f)),
            );
            wanted.templates.push(b.desired);
        }
        Ok(wanted)
    }
}

/// Reads the portal and computes the plan that makes it match `wanted`: the templates
/// and the user fields the portal lacks in two requests ([`read_portal`]), then, only
/// when the plan deletes or replaces templates, their running instances in one more
/// ([`running`]).
pub async fn compute(portal: &Portal, wanted: &Wanted) -> Result<Plan, Error> {
    let (live, missing) = read_portal(portal, &wanted.fields).await?;
    let mut plan = plan::build(&portal.label, &wanted.templates, &live);
    plan.set_fields(missing);
    running(portal, &mut plan).await?;
    Ok(plan)
}

/// Reads the running instances of every template `plan` deletes or replaces (one
/// `batch` of `bizproc.workflow.instances` commands, 50 templates a request) into the
/// plan. A failed read fails the plan: a template is never deleted on a guess.
pub async fn running(portal: &Portal, plan: &mut Plan) -> Result<(), Error> {
    let ids = plan.templates_to_remove();
    if ids.is_empty() {
        return Ok(());
    }
    let running = portal
        .client
        .instances_of(&ids)
        .await
        .map_err(|e| Error::Instances {
            count: ids.len(),
            source: super::Rest(e),
        })?;
    plan.set_running(&running);
    Ok(())
}

/// Every live template, and the fields of `needed` the portal does not have (each once
/// with every workflow that needs it), read together
/// ([`crate::bitrix::Client::read_batched`]): the first template page and one list of
/// user fields per record type in one request, every other page in one more.
pub async fn read_portal(
    portal: &Portal,
    needed: &[(String, RequiredField)],
) -> Result<(Vec<plan::Live>, Vec<FieldToCreate>), Error> {
    let by_name = by_field(needed);
    let query = ListQuery::default();
    let (field_lists, group) = field_reads(&by_name);
    let mut lists = vec![query.read()];
    lists.extend(field_lists);
    let (mut listed, _) = portal.client.read_batched(&lists, &[]).await?;
    let live = query
        .rows(std::mem::take(&mut listed[0].rows))?
        .iter()
        .map(crate::portal::live_of)
        .collect();
    let missing = unlisted(by_name, &group, &listed[1..]);
    Ok((live, missing))
}

/// The fields of `needed` the portal does not have, each once with every workflow
/// that needs it (one list per record type, read in one `batch`).
pub async fn missing_fields(
    portal: &Portal,
    needed: &[(String, RequiredField)],
) -> Result<Vec<FieldToCreate>, Error> {
    if needed.is_empty() {
        return Ok(Vec::new());
    }
    let by_name = by_field(needed);
    let (lists, group) = field_reads(&by_name);
    let (listed, _) = portal.client.read_batched(&lists, &[]).await?;
    Ok(unlisted(by_name, &group, &listed))
}

/// The fields of `needed` by name, each with every workflow that needs it.
fn by_field(needed: &[(String, RequiredField)]) -> BTreeMap<&str, (Vec<String>, &RequiredField)> {
    let mut by_name: BTreeMap<&str, (Vec<String>, &RequiredField)> = BTreeMap::new();
    for (workflow, field) in needed {
        by_name
            .entry(field.field_name.as_str())
            .or_insert_with(|| (Vec::new(), field))
            .0
            .push(workflow.clone());
    }
    by_name
}

/// One list per record type that holds every field of `by_name` it finds (the field's
/// own list call without its name filter), and for each field, in order, its list.
fn field_reads(
    by_name: &BTreeMap<&str, (Vec<String>, &RequiredField)>,
) -> (Vec<ListRead>, Vec<usize>) {
    let mut lists: Vec<ListRead> = Vec::new();
    let mut group = Vec::with_capacity(by_name.len());
    for (_, field) in by_name.values() {
        let mut params = field.list_params.clone();
        if let Some(filter) = params.get_mut("filter").and_then(Value::as_object_mut) {
            filter.retain(|_, v| v.as_str() != Some(field.field_name.as_str()));
        }
        let read = ListRead {
            method: field.list_method,
            params,
        };
        let i = lists.iter().position(|l| *l == read).unwrap_or_else(|| {
            lists.push(read);
            lists.len() - 1
        });
        group.push(i);
    }
    (lists, group)
}

/// The fields the lists of their record type (`listed`, indexed by `group` in
/// `by_name`'s order) do not name.
fn unlisted(
    by_name: BTreeMap<&str, (Vec<String>, &RequiredField)>,
    group: &[usize],
    listed: &[Listed],
) -> Vec<FieldToCreate> {
    // Each list's names once: 1,000 workflows' markers are 1,000 rows of one list.
    let names: Vec<std::collections::BTreeSet<&str>> = listed
        .iter()
        .map(|l| l.rows.iter().filter_map(userfields::name_of).collect())
        .collect();
    let mut missing = Vec::new();
    for ((workflows, field), &i) in by_name.into_values().zip(group) {
        if !names[i].contains(field.field_name.as_str()) {
            missing.push(to_create(field, workflows));
        }
    }
    missing
}

/// The plan's record of a field to create.
pub fn to_create(field: &RequiredField, workflows: Vec<String>) -> FieldToCreate {
    FieldToCreate {
        field_name: field.field_name.clone(),
        entity: serde_json::to_value(field.entity)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        label: field.label.clone(),
        workflows,
        method: field.add_method.name().to_owned(),
        params: field.add_params.clone(),
        list_method: field.list_method.name().to_owned(),
        list_params: field.list_params.clone(),
    }
}

/// Fills in [`Plan::reviews`]: each created, updated or replaced workflow explained, with
/// its diagram and, for an update, what changed in words.
///
/// The earlier version comes from `base`, the project as of the pull request's base
/// commit (e.g. a `git worktree` of it): its lockfile at the same path. Without one,
/// an update says that it changed without a per-change list, and points at the
/// activity-level diff; a portal edit (drift) has no earlier version in git at all.
/// The live template is never read back into a blueprint: its bytes are the compiler's
/// output, not the spec's words.
pub fn review(plan: &mut Plan, project: &Project, base: Option<&Path>) -> Result<(), Error> {
    let workflows = project.workflows()?;
    let config = &project.config;
    for change in &plan.changes {
        if !matches!(
            change.action,
            Action::Create | Action::Update | Action::Replace
        ) {
            continue;
        }
        let Some(w) = workflows.iter().find(|w| w.id == change.id) else {
            continue;
        };
        // The lockfile was read and built moments ago by `wanted`; one that cannot be
        // read now simply gets no review section.
        let Ok(now) = Lockfile::read(&w.lock_path) else {
            continue;
        };
        let explanation = explain::explain_lockfile(&now.lockfile, config).to_string();
        let earlier = match change.action {
            Action::Create => Earlier::None(None),
            _ if change.reason.contains("drift") => Earlier::None(Some(
                "The workflow did not change in git: the portal's copy was edited, and this update puts back the version in git. The activity-level diff shows what the edit changed.".to_owned(),
            )),
            _ => earlier(project, base, &w.lock_path),
        };
        let review = match earlier {
            Earlier::None(note) => Review {
                explanation,
                changes: Vec::new(),
                note,
                diagram: mermaid(
                    &now.lockfile.blueprint,
                    config,
                    &std::collections::BTreeSet::new(),
                ),
            },
            Earlier::Blueprint(old) => {
                let list = explain::changes(&old, &now.lockfile.blueprint, config);
                let note = list.is_empty().then(|| {
                    "The blueprint did not change; the template differs because b24flow.toml or b24flow itself changed. The activity-level diff shows how.".to_owned()
                });
                Review {
                    explanation,
                    diagram: mermaid(&now.lockfile.blueprint, config, &changed_nodes(&list)),
                    changes: list.into_iter().map(|c| c.text).collect(),
                    note,
                }
            }
        };
        plan.reviews.insert(change.id.clone(), review);
    }
    Ok(())
}

/// The earlier version of a workflow, or why there is none.
enum Earlier {
    None(Option<String>),
    Blueprint(crate::blueprint::Blueprint),
}

fn earlier(project: &Project, base: Option<&Path>, lock_path: &Path) -> Earlier {
    let Some(base) = base else {
        return Earlier::None(Some(
            "Changed; no earlier version was given to compare with (`b24flow plan --base DIR`), so the changes are not listed one by one. The activity-level diff shows them.".to_owned(),
        ));
    };
    let relative = lock_path.strip_prefix(&project.root).unwrap_or(lock_path);
    match Lockfile::read(&base.join(relative)) {
        Ok(old) => Earlier::Blueprint(old.lockfile.blueprint),
        Err(_) => Earlier::None(Some(format!(
            "Changed; the base has no readable {}, so the changes are not listed one by one. The activity-level diff shows them.",
            project.relative(lock_path)
        ))),
    }
}

/// [`compute`] restricted to `targets` (see [`super::target`]); `wanted` comes from
/// [`super::target::wanted`]. No targets is the whole project.
pub async fn compute_targeted(
    portal: &Portal,
    wanted: &Wanted,
    targets: &[String],
) -> Result<Plan, Error> {
    if targets.is_empty() {
        return compute(portal, wanted).await;
    }
    let live = portal.live().await?;
    let mut plan = super::target::plan(&portal.label, wanted, &live, targets)?;
    running(portal, &mut plan).await?;
    Ok(plan)
}

/// The deletion guard: refuses a plan that deletes more templates than `allow`, or
/// than `[policy] max_deletes` when `allow` is not given. Deletes are counted from the
/// changes, and duplicates of a workflow that still exists (b24flow's own debris,
/// [`Plan::is_duplicate`]) are not counted: they are always removed.
pub fn check_deletes(plan: &Plan, config: &Config, allow: Option<u32>) -> Result<(), Error> {
    let limit = allow.unwrap_or(config.policy.max_deletes);
    let deletes = plan.guarded_deletes();
    if deletes > limit as usize {
        return Err(super::TooManyDeletes { deletes, limit }.into());
    }
    Ok(())
}

/// Every policy check a plan must pass before it is applied: the deletion guard, then
/// the protected workflows (which no flag overrides).
pub fn check_policy(plan: &Plan, config: &Config, allow: Option<u32>) -> Result<(), Error> {
    super::protect::check(plan, config)?;
    check_deletes(plan, config, allow)
}

/// Writes `plan` to `path` for a later `apply`, in full (templates and fingerprints).
pub fn save(plan: &Plan, path: &Path) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(plan).expect("a plan serializes");
    crate::lockfile::write_atomic(path, text.as_bytes()).map_err(|error| Error::Write {
        path: path.to_owned(),
        error,
    })
}

/// Reads a plan saved by `plan --out` and checks that it was made from the lockfiles
/// on disk now. The portal side is [`check_saved`]'s, once one is connected.
pub fn read_saved(project: &Project, path: &Path) -> Result<Plan, Error> {
    let text = std::fs::read_to_string(path).map_err(|error| Error::ReadPlan {
        path: path.to_owned(),
        error,
    })?;
    let plan: Plan = serde_json::from_str(&text).map_err(|error| Error::BadPlan {
        path: path.to_owned(),
        error,
    })?;
    if plan.format_version != plan::FORMAT_VERSION {
        return Err(Error::PlanVersion {
            path: path.to_owned(),
            found: plan.format_version,
            expected: plan::FORMAT_VERSION,
        });
    }
    // A targeted plan is checked against its targeted lockfiles only.
    let built = if plan.targets.is_empty() {
        wanted(project)
    } else {
        super::target::wanted(project, &plan.targets)
    };
    let built = match built {
        Ok(built) => built,
        Err(Error::InvalidLockfiles { problems, .. }) => {
            return Err(Error::StalePlan {
                what: "the lockfiles",
                problems,
            });
        }
        Err(other) => return Err(other),
    };
    let now: BTreeMap<String, String> = built
        .templates
        .into_iter()
        .map(|d| (d.id, d.lockfile_sha256))
        .collect();
    if now != plan.lockfiles {
        return Err(Error::StalePlan {
            what: "the lockfiles",
            problems: Vec::new(),
        });
    }
    Ok(plan)
}

/// Checks a saved plan against the connected portal: the same portal, and its managed
/// templates as the plan saw them.
pub async fn check_saved(portal: &Portal, plan: &Plan) -> Result<(), Error> {
    if portal.label != plan.portal {
        return Err(Error::OtherPortal {
            planned: plan.portal.clone(),
            configured: portal.label.clone(),
        });
    }
    let live = portal.live().await?;
    if plan::live_fingerprint(&live) != plan.live_fingerprint {
        return Err(Error::StalePlan {
            what: "the portal",
            problems: Vec::new(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Action, Change};

    fn deleting(n: usize) -> Plan {
        let changes: Vec<Change> = (0..n)
            .map(|i| {
                Change::new(
                    format!("w{i}"),
                    Action::Delete,
                    Some(i as u64 + 1),
                    format!("w{i}"),
                    "its spec was deleted",
                )
            })
            .collect();
        let mut plan = plan::build("local", &[], &[]);
        plan.summary.delete = changes.len();
        plan.changes = changes;
        plan
    }

    #[test]
    fn the_deletion_guard_uses_the_flag_then_the_policy() {
        let config = Config::default();
        assert!(check_deletes(&deleting(3), &config, None).is_ok());
        let refused = check_deletes(&deleting(4), &config, None).unwrap_err();
        assert!(matches!(
            refused,
            Error::TooManyDeletes(super::super::TooManyDeletes {
                deletes: 4,
                limit: 3
            })
        ));
        assert!(check_deletes(&deleting(4), &config, Some(4)).is_ok());
        assert!(check_deletes(&deleting(1), &config, Some(0)).is_err());
    }

    /// Red-team 3.2: duplicates an earlier run left blocked the next apply once there
    /// were more than `max_deletes` of them; and 3.8: the guard read the summary.
    #[test]
    fn duplicates_are_not_counted_and_deletes_are_counted_from_the_changes() {
        let config = Config::default();
        let mut plan = deleting(6);
        for c in &plan.changes {
            plan.lockfiles.insert(c.id.clone(), "sha".into());
        }
        assert!(plan.changes.iter().all(|c| plan.is_duplicate(c)));
        assert!(check_deletes(&plan, &config, None).is_ok());
        let mut edited = deleting(6);
        edited.summary.delete = 0;
        assert!(check_deletes(&edited, &config, None).is_err());
    }

    #[test]
    fn problems_come_out_once_and_the_count_stays() {
        let mut e = Error::InvalidLockfiles {
            count: 2,
            problems: vec![miette::miette!("a"), miette::miette!("b")],
        };
        assert_eq!(e.take_problems().len(), 2);
        assert!(e.take_problems().is_empty());
        assert_eq!(
            e.to_string(),
            "2 problem(s) in the workflows; nothing was planned"
        );
    }

    #[test]
    fn a_saved_plan_that_is_not_one_is_refused_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b24flow.toml"), "").unwrap();
        let project = Project::discover(dir.path()).unwrap();
        let missing = read_saved(&project, &dir.path().join("nope.json")).unwrap_err();
        assert!(matches!(missing, Error::ReadPlan { .. }), "{missing:?}");
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{}").unwrap();
        assert!(matches!(
            read_saved(&project, &bad).unwrap_err(),
            Error::BadPlan { .. }
        ));
        let mut plan = plan::build("local", &[], &[]);
        plan.format_version = 99;
        let old = dir.path().join("old.json");
        save(&plan, &old).unwrap();
        assert!(matches!(
            read_saved(&project, &old).unwrap_err(),
            Error::PlanVersion { found: 99, .. }
        ));
    }
}
