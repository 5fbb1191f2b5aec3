//! Blueprint to template: the compiler.
//!
//! A blueprint becomes one business process template on the entity's document type:
//!
//! ```text
//! SequentialWorkflowActivity "Template"
//! ├── DelayActivity                    only for triggers that wait for a date
//! └── IfElseActivity                   only when the trigger or the blueprint has conditions
//!     ├── IfElseBranchActivity         fieldcondition = trigger guard rows + conditions
//!     │   └── one activity per action, in order
//!     └── IfElseBranchActivity         truecondition (else: do nothing)
//! ```
//!
//! The trigger mapping comes from the one table in [`crate::catalog`]; this module adds
//! no trigger knowledge of its own. Each action maps to the activity that really does
//! it, with the property names and value formats read from the platform's activity
//! classes (see `docs/templates.md` for the table and its sources).
//!
//! Invariants:
//! - Deterministic: activity names derive from the workflow id and the node's position
//!   (`A#####_#####_#####_#####`, digits from SHA-256), so the same blueprint always
//!   gives the same bytes and editing one action's text changes only that activity.
//! - Nothing is dropped silently: an unknown field, an unresolvable recipient, or a
//!   smart variable the entity cannot supply is an error with the path of the value.
//! - All problems are reported at once; a template is returned only when there are none.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

use super::php::Value;
use super::template::{Activity, Template};
use crate::blueprint::{Action, Blueprint};
use crate::catalog::{self, Entity, TriggerMapping};
use crate::config::Config;

/// A problem found while compiling a blueprint. `path` points into the blueprint (and so
/// into the lockfile's `blueprint:` block), e.g. `actions[1].to`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum CompileError {
    /// The entity id is not in the catalog.
    #[error("{path}: unknown entity `{entity}`")]
    #[diagnostic(
        code(b24flow::compile::unknown_entity),
        help("use one of CRM_DEAL, CRM_LEAD, CRM_CONTACT, CRM_COMPANY, CRM_INVOICE, CRM_QUOTE")
    )]
    UnknownEntity { path: String, entity: String },

    /// The trigger belongs to another entity.
    #[error(
        "{path}: trigger `{trigger}` starts on a {expected}, but the workflow's entity is {entity}"
    )]
    #[diagnostic(
        code(b24flow::compile::entity_mismatch),
        help("set `entity` to the trigger's entity, or pick a trigger for {entity}")
    )]
    EntityMismatch {
        path: String,
        trigger: String,
        expected: String,
        entity: String,
    },

    /// The trigger id is not in the catalog.
    #[error("{path}: unknown trigger `{trigger}`")]
    #[diagnostic(
        code(b24flow::compile::unknown_trigger),
        help("`b24flow capabilities` lists the triggers")
    )]
    UnknownTrigger { path: String, trigger: String },

    /// The trigger exists, but no business process template can express it.
    #[error("{path}: trigger `{trigger}` cannot become a Bitrix24 template: {reason}")]
    #[diagnostic(code(b24flow::compile::unsupported_trigger), help("{instead}"))]
    UnsupportedTrigger {
        path: String,
        trigger: String,
        reason: String,
        instead: String,
    },

    /// The action id is not in the catalog.
    #[error("{path}: unknown action `{action}`")]
    #[diagnostic(
        code(b24flow::compile::unknown_action),
        help("`b24flow capabilities` lists the actions")
    )]
    UnknownAction { path: String, action: String },

    /// The action exists, but no activity can do it here.
    #[error("{path}: action `{action}` cannot become a Bitrix24 activity: {reason}")]
    #[diagnostic(code(b24flow::compile::unsupported_action), help("{instead}"))]
    UnsupportedAction {
        path: String,
        action: String,
        reason: String,
        instead: String,
    },

    /// A required field is missing or empty.
    #[error("{path}: `{action}` needs a `{field}`")]
    #[diagnostic(
        code(b24flow::compile::missing_field),
        help("add `{field}` to the action in the spec and compile again")
    )]
    MissingField {
        path: String,
        action: String,
        field: String,
    },

    /// A field the action does not have.
    #[error("{path}: `{action}` has no field `{field}`")]
    #[diagnostic(
        code(b24flow::compile::unknown_field),
        help("`b24flow capabilities` lists each action's fields")
    )]
    UnknownField {
        path: String,
        action: String,
        field: String,
    },

    /// `{{NAME}}` is not a smart variable.
    #[error("{path}: unknown smart variable `{{{{{name}}}}}`")]
    #[diagnostic(
        code(b24flow::compile::unknown_variable),
        help("`b24flow capabilities` lists the smart variables")
    )]
    UnknownVariable { path: String, name: String },

    /// The smart variable exists, but the workflow's entity cannot supply it.
    #[error("{path}: a {entity} cannot supply `{{{{{name}}}}}`")]
    #[diagnostic(
        code(b24flow::compile::variable_not_supplied),
        help("use a variable this entity supplies, or run the workflow on another entity")
    )]
    VariableNotSupplied {
        path: String,
        name: String,
        entity: String,
    },

    /// A recipient name that is neither a user code nor in `[recipients]`.
    #[error("{path}: no one called `{name}` is known")]
    #[diagnostic(
        code(b24flow::compile::unknown_recipient),
        help(
            "add it to b24flow.toml, e.g.\n[recipients]\n\"{name}\" = \"group_d12\"   # or user_<id>"
        )
    )]
    UnknownRecipient { path: String, name: String },

    /// A value that cannot be used where it is.
    #[error("{path}: `{value}` is not {expected}")]
    #[diagnostic(code(b24flow::compile::bad_value), help("{help}"))]
    BadValue {
        path: String,
        value: String,
        expected: String,
        help: String,
    },

    /// The activity is not offered on this entity's document type.
    #[error("{path}: `{action}` ({activity}) is not available on a {entity}")]
    #[diagnostic(
        code(b24flow::compile::not_available),
        help("Bitrix24 offers {activity} only on {available}")
    )]
    NotAvailable {
        path: String,
        action: String,
        activity: String,
        entity: String,
        available: String,
    },

    /// Warning: `move_stage` was moved to the end, because the activity ends the workflow.
    #[error("{path}: move_stage was moved after the other actions")]
    #[diagnostic(
        code(b24flow::compile::move_stage_reordered),
        severity(Warning),
        help(
            "CrmChangeStatusActivity ends the workflow once the stage changes, so actions after it would never run; write move_stage last to silence this"
        )
    )]
    MoveStageReordered { path: String },

    /// Warning: a field the target activity cannot carry.
    #[error("{path}: `{field}` is not sent: {reason}")]
    #[diagnostic(
        code(b24flow::compile::field_ignored),
        severity(Warning),
        help("remove the field from the spec, or use another action")
    )]
    FieldIgnored {
        path: String,
        field: String,
        reason: String,
    },
}

impl CompileError {
    /// Where in the blueprint the problem is, e.g. `actions[1].to`.
    pub fn path(&self) -> &str {
        match self {
            CompileError::UnknownEntity { path, .. }
            | CompileError::EntityMismatch { path, .. }
            | CompileError::UnknownTrigger { path, .. }
            | CompileError::UnsupportedTrigger { path, .. }
            | CompileError::UnknownAction { path, .. }
            | CompileError::UnsupportedAction { path, .. }
            | CompileError::MissingField { path, .. }
            | CompileError::UnknownField { path, .. }
            | CompileError::UnknownVariable { path, .. }
            | CompileError::VariableNotSupplied { path, .. }
            | CompileError::UnknownRecipient { path, .. }
            | CompileError::BadValue { path, .. }
            | CompileError::NotAvailable { path, .. }
            | CompileError::MoveStageReordered { path }
            | CompileError::FieldIgnored { path, .. } => path,
        }
    }

    /// Whether this is only a warning (the template is still produced).
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            CompileError::MoveStageReordered { .. } | CompileError::FieldIgnored { .. }
        )
    }
}

/// A compiled template and the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The template.
    pub template: Template,
    /// Problems that did not stop compilation (each [`CompileError::is_warning`]).
    pub warnings: Vec<CompileError>,
}

/// Compile a blueprint into a template; see [`compile_with_warnings`] to keep warnings.
pub fn compile(
    id: &str,
    blueprint: &Blueprint,
    config: &Config,
) -> Result<Template, Vec<CompileError>> {
    compile_with_warnings(id, blueprint, config).map(|c| c.template)
}

/// Compile a blueprint into a template. `id` is the workflow's stable id (its path under
/// `workflows/` without the extension); activity names derive from it. On failure the
/// errors come first, then any warnings.
pub fn compile_with_warnings(
    id: &str,
    blueprint: &Blueprint,
    config: &Config,
) -> Result<Compiled, Vec<CompileError>> {
    let mut cx = Context {
        id,
        config,
        entity: Entity::Deal,
        errors: Vec::new(),
        warnings: Vec::new(),
        names: BTreeSet::new(),
    };
    let template = cx.blueprint(blueprint);
    match template {
        Some(template) if cx.errors.is_empty() => Ok(Compiled {
            template,
            warnings: cx.warnings,
        }),
        _ => {
            let mut all = cx.errors;
            all.extend(cx.warnings);
            Err(all)
        }
    }
}

struct Context<'a> {
    id: &'a str,
    config: &'a Config,
    entity: Entity,
    errors: Vec<CompileError>,
    warnings: Vec<CompileError>,
    names: BTreeSet<String>,
}

/// A resolved `to`: the record's client (the activity finds the address itself) or
/// employees.
enum Audience {
    Client,
    Users(Vec<String>),
}

impl Context<'_> {
    /// A designer-shaped activity name (`A` + four 5-digit groups) derived from the
    /// workflow id and the node's position, unique within this template.
    fn name(&mut self, position: &str) -> String {
        let mut salt = 0_u32;
        loop {
            let seed = if salt == 0 {
                format!("{}\n{position}", self.id)
            } else {
                format!("{}\n{position}\n{salt}", self.id)
            };
            let digest = Sha256::digest(seed.as_bytes());
            let groups: Vec<String> = digest
                .chunks_exact(4)
                .take(4)
                .map(|c| {
                    let n = u32::from_be_bytes([c[0], c[1], c[2], c[3]]) % 100_000;
                    format!("{n:05}")
                })
                .collect();
            let name = format!("A{}", groups.join("_"));
            if self.names.insert(name.clone()) {
                return name;
            }
            salt += 1;
        }
    }

    fn error(&mut self, e: CompileError) {
        self.errors.push(e);
    }

    fn blueprint(&mut self, bp: &Blueprint) -> Option<Template> {
        let Some(entity) = Entity::from_id(&bp.entity) else {
            self.error(CompileError::UnknownEntity {
                path: "entity".into(),
                entity: bp.entity.clone(),
            });
            return None;
        };
        self.entity = entity;
        let info = entity.info();

        let Some(trigger) = catalog::trigger(&bp.trigger.kind) else {
            self.error(CompileError::UnknownTrigger {
                path: "trigger.type".into(),
                trigger: bp.trigger.kind.clone(),
            });
            return None;
        };
        let (auto_start, guard, wait_until) = match trigger.mapping {
            TriggerMapping::Unsupported { reason, instead } => {
                self.error(CompileError::UnsupportedTrigger {
                    path: "trigger.type".into(),
                    trigger: trigger.id.into(),
                    reason: reason.into(),
                    instead: instead.into(),
                });
                return None;
            }
            TriggerMapping::Template {
                auto_start,
                guard,
                wait_until,
            } => (auto_start, guard, wait_until),
        };
        if trigger.entity != entity {
            self.error(CompileError::EntityMismatch {
                path: "entity".into(),
                trigger: trigger.id.into(),
                expected: trigger.entity.info().label.into(),
                entity: entity.id().into(),
            });
            return None;
        }
        let Some(document_type) = info.document_type else {
            self.error(CompileError::UnsupportedTrigger {
                path: "entity".into(),
                trigger: trigger.id.into(),
                reason: format!("a {} has no business process document type", info.label),
                instead: "run the workflow on a CRM entity".into(),
            });
            return None;
        };

        let mut template = Template::new(bp.name.clone(), document_type, auto_start.auto_execute());
        template.description = format!("Starts when {}.", trigger.event);

        // Guard rows: the trigger's, then the blueprint's conditions, all joined by AND
        // (joiner 0). The first row must be 0, or Bitrix's evaluator treats the whole
        // condition as true (bizproc lib/activity/conditiongroup.php).
        let mut rows = Vec::new();
        for row in guard {
            let value = if row.value.contains("{stage}") {
                match bp.trigger.param("stage") {
                    Some(stage) => {
                        self.check_stage("trigger.stage", stage);
                        row.value.replace("{stage}", stage)
                    }
                    // "moves to any stage": only the `modified` row remains.
                    None => continue,
                }
            } else {
                row.value.to_owned()
            };
            rows.push(condition_row(row.field, row.operator, &value));
        }
        for (i, c) in bp.conditions.iter().enumerate() {
            let path = format!("conditions[{i}]");
            if let Some(row) = self.condition(&path, &c.field, &c.operator, &c.value) {
                rows.push(row);
            }
        }

        let actions = self.actions(&bp.actions);

        if let Some(field) = wait_until {
            // The due date is a date, so waiting until it starts would fire a day early;
            // wait until the day after. `=dateadd({=Document:F}, "1d")` is the form the
            // robot designer itself stores in TimeoutTime (bizproc
            // Automation\Helper::parseDateTimeInterval), evaluated by calc `dateadd`.
            let delay = Activity::new("DelayActivity", self.name("trigger.wait"))
                .with(
                    "Title",
                    Value::str(format!("Wait until the day after {field}")),
                )
                .with(
                    "TimeoutTime",
                    Value::str(format!("=dateadd({{=Document:{field}}}, \"1d\")")),
                )
                .with("TimeoutTimeIsLocal", Value::str("N"));
            template.root.children.push(delay);
        }
        if rows.is_empty() {
            template.root.children.extend(actions);
        } else {
            let then = Activity::new("IfElseBranchActivity", self.name("trigger.guard.then"))
                .with("Title", Value::str("Conditions met"))
                .with("fieldcondition", Value::list(rows));
            let then = Activity {
                children: actions,
                ..then
            };
            let otherwise = Activity::new("IfElseBranchActivity", self.name("trigger.guard.else"))
                .with("Title", Value::str("Otherwise"))
                .with("truecondition", Value::Bool(true));
            let guard = Activity::new("IfElseActivity", self.name("trigger.guard"))
                .with("Title", Value::str("Check conditions"))
                .child(then)
                .child(otherwise);
            template.root.children.push(guard);
        }
        Some(template)
    }

    fn condition(&mut self, path: &str, field: &str, operator: &str, value: &str) -> Option<Value> {
        let field_id = self.field_id(&format!("{path}.field"), field)?;
        if !catalog::CONDITION_OPERATORS
            .iter()
            .any(|(op, _)| *op == operator)
        {
            self.error(CompileError::BadValue {
                path: format!("{path}.operator"),
                value: operator.into(),
                expected: "a condition operator".into(),
                help: "use =, !=, >, >=, <, <=, contain, !contain, empty or !empty".into(),
            });
            return None;
        }
        let value = self.text(&format!("{path}.value"), value)?;
        Some(condition_row(&field_id, operator, &value))
    }

    /// Compiles the actions in order, with `move_stage` moved last (it ends the workflow).
    fn actions(&mut self, actions: &[Action]) -> Vec<Activity> {
        let mut out = Vec::new();
        let mut last = Vec::new();
        let stage_moves: Vec<usize> = actions
            .iter()
            .enumerate()
            .filter(|(_, a)| a.kind == "move_stage")
            .map(|(i, _)| i)
            .collect();
        if stage_moves.len() > 1 {
            self.error(CompileError::BadValue {
                path: format!("actions[{}]", stage_moves[1]),
                value: "move_stage".into(),
                expected: "allowed twice".into(),
                help: "the first stage change ends the workflow; keep one move_stage".into(),
            });
        }
        for (i, action) in actions.iter().enumerate() {
            let path = format!("actions[{i}]");
            let Some(activity) = self.action(&path, action) else {
                continue;
            };
            if action.kind == "move_stage" {
                if i + 1 < actions.len() {
                    self.warnings
                        .push(CompileError::MoveStageReordered { path: path.clone() });
                }
                last.push(activity);
            } else {
                out.push(activity);
            }
        }
        out.extend(last);
        out
    }

    fn action(&mut self, path: &str, action: &Action) -> Option<Activity> {
        let Some(info) = catalog::action(&action.kind) else {
            self.error(CompileError::UnknownAction {
                path: format!("{path}.type"),
                action: action.kind.clone(),
            });
            return None;
        };
        let mut ok = true;
        for field in action.fields.keys() {
            if info.field(field).is_none() {
                self.error(CompileError::UnknownField {
                    path: format!("{path}.{field}"),
                    action: info.id.into(),
                    field: field.clone(),
                });
                ok = false;
            }
        }
        for spec in info.fields.iter().filter(|f| f.required) {
            if action.field(spec.name).is_none_or(|v| v.trim().is_empty()) {
                self.error(CompileError::MissingField {
                    path: format!("{path}.{}", spec.name),
                    action: info.id.into(),
                    field: spec.name.into(),
                });
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        let f = |name: &str| action.field(name).unwrap_or_default();
        let at = |name: &str| format!("{path}.{name}");
        let name = self.name(path);
        let entity = self.entity;

        let activity = match info.id {
            "send_whatsapp" => {
                self.client_only(&at("to"), f("to"), "send_whatsapp")?;
                let text = self.text(&at("message"), f("message"))?;
                // imopenlines module: writes into the client's open Open Channel chat
                // (WhatsApp among its connectors); IsSystem "N" so it reaches the client.
                Activity::new("ImOpenLinesMessageActivity", name)
                    .with("Title", Value::str("Message the client (Open Channels)"))
                    .with("MessageText", Value::str(text))
                    .with("IsSystem", Value::str("N"))
                    .with("AttachmentType", Value::str("file"))
                    .with("Attachment", Value::empty_array())
            }
            "send_email" => {
                self.client_only(&at("to"), f("to"), "send_email")?;
                if let Some(t) = action.field("template_id") {
                    self.error(CompileError::BadValue {
                        path: at("template_id"),
                        value: t.into(),
                        expected: "supported".into(),
                        help: "CrmSendEmailActivity has no e-mail template property; write the text in `body`".into(),
                    });
                    return None;
                }
                let subject = self.text(&at("subject"), f("subject"))?;
                let body = self.text(&at("body"), f("body"))?;
                // crm CrmSendEmailActivity: the recipient is the record's client,
                // found by the activity; an empty MessageFrom uses the responsible
                // person's mailbox.
                Activity::new("CrmSendEmailActivity", name)
                    .with("Title", Value::str("E-mail the client"))
                    .with("Subject", Value::str(subject))
                    .with("MessageText", Value::str(body))
                    .with("MessageTextType", Value::str("bbcode"))
                    .with("MessageFrom", Value::str(&self.config.channels.email_from))
                    .with("EmailType", Value::str(""))
                    .with("EmailSelectRule", Value::str("first"))
                    .with("UseLinkTracker", Value::str("Y"))
                    .with("AttachmentType", Value::str("file"))
                    .with("Attachment", Value::empty_array())
            }
            "send_sms" => {
                let audience = self.audience(&at("to"), f("to"))?;
                let text = self.text(&at("message"), f("message"))?;
                let activity = Activity::new("CrmSendSmsActivity", name)
                    .with("Title", Value::str("Send an SMS"))
                    .with("ProviderId", Value::str(&self.config.channels.sms_provider))
                    .with("MessageText", Value::str(text));
                match audience {
                    Audience::Client => activity
                        .with("RecipientType", Value::str("entity"))
                        .with("PhoneType", Value::str("")),
                    Audience::Users(users) => activity
                        .with("RecipientType", Value::str("user"))
                        .with("RecipientUser", user_list(users)),
                }
            }
            "send_notification" => {
                let to = self.users(&at("to"), f("to"))?;
                let text = self.text(&at("message"), f("message"))?;
                // im IMNotifyActivity: MessageType 2 = a personal notification from
                // MessageUserFrom (IM_NOTIFY_FROM).
                Activity::new("IMNotifyActivity", name)
                    .with("Title", Value::str("Notify"))
                    .with("MessageUserFrom", self.sender())
                    .with("MessageUserTo", user_list(to))
                    .with("MessageSite", Value::str(&text))
                    .with("MessageOut", Value::str(&text))
                    .with("MessageType", Value::str("2"))
            }
            "send_bitrix_message" => {
                let to = self.users(&at("to"), f("to"))?;
                let text = self.text(&at("message"), f("message"))?;
                Activity::new("ImMessageActivity", name)
                    .with("Title", Value::str("Chat message"))
                    .with("MessageUserFrom", self.sender())
                    .with("MessageUserTo", user_list(to))
                    .with("MessageTemplate", Value::str("plain"))
                    .with(
                        "MessageFields",
                        Value::map([("MessageText", Value::str(text))]),
                    )
            }
            "create_task" => {
                let title = self.text(&at("title"), f("title"))?;
                let assignee = self.users(&at("assignee"), f("assignee"))?;
                let mut fields = vec![
                    ("TITLE", Value::str(title)),
                    // "author" in a CRM document is the record's responsible person.
                    ("CREATED_BY", Value::list([Value::str("author")])),
                    ("RESPONSIBLE_ID", user_list(assignee)),
                ];
                if let Some(d) = action.field("description") {
                    fields.push(("DESCRIPTION", Value::str(self.text(&at("description"), d)?)));
                }
                if let Some(d) = action.field("deadline") {
                    fields.push(("DEADLINE", Value::str(self.datetime(&at("deadline"), d)?)));
                }
                if let Some(p) = action.field("priority") {
                    fields.push(("PRIORITY", Value::str(self.priority(&at("priority"), p)?)));
                }
                // tasks Task2Activity; AUTO_LINK_TO_CRM_ENTITY binds the task to the
                // record (UF_CRM_TASK), HoldToClose false lets the workflow go on at once.
                // Both are PHP booleans, as the constructor defaults them: older cores
                // test them with a bare `if`, where the string "N" would be true.
                Activity::new("Task2Activity", name)
                    .with("Title", Value::str("Create a task"))
                    .with("Fields", Value::map(fields))
                    .with("HoldToClose", Value::Bool(false))
                    .with("AUTO_LINK_TO_CRM_ENTITY", Value::Bool(true))
            }
            "update_task" => {
                self.error(CompileError::UnsupportedAction {
                    path: path.into(),
                    action: "update_task".into(),
                    reason: "TasksUpdateTaskActivity runs only in templates on tasks, and no activity updates an arbitrary task from a CRM workflow".into(),
                    instead: "create the task with create_task, or call your own service with a webhook action that uses tasks.task.update".into(),
                });
                return None;
            }
            "set_reminder" => {
                self.available(
                    path,
                    "set_reminder",
                    "CrmCreateToDoActivity",
                    &[Entity::Deal, Entity::Lead, Entity::Contact, Entity::Company],
                )?;
                let title = self.text(&at("title"), f("title"))?;
                let assignee = self.users(&at("assignee"), f("assignee"))?;
                let deadline = match action.field("datetime") {
                    Some(d) => self.datetime(&at("datetime"), d)?,
                    None => String::new(),
                };
                // crm CrmCreateToDoActivity (class spelled with a capital D); an empty
                // Deadline means "now" at run time.
                Activity::new("CrmCreateToDoActivity", name)
                    .with("Title", Value::str("Add a to-do"))
                    .with("Description", Value::str(title))
                    .with("Deadline", Value::str(deadline))
                    .with("Responsible", user_list(assignee))
                    .with("AutoComplete", Value::str("N"))
            }
            "schedule_call" => {
                self.client_only(&at("to"), f("to"), "schedule_call")?;
                let assignee = self.users(&at("assignee"), f("assignee"))?;
                let start = match action.field("datetime") {
                    Some(d) => self.datetime(&at("datetime"), d)?,
                    None => String::new(),
                };
                // crm CrmCreateCallActivity: calls the client's first phone; an empty
                // Subject is generated, an empty EndTime equals StartTime.
                Activity::new("CrmCreateCallActivity", name)
                    .with("Title", Value::str("Schedule a call"))
                    .with("Subject", Value::str(""))
                    .with("StartTime", Value::str(start))
                    .with("EndTime", Value::str(""))
                    .with("IsImportant", Value::str("N"))
                    .with("Description", Value::str(""))
                    .with("Responsible", user_list(assignee))
                    .with("AutoComplete", Value::str("N"))
            }
            "create_deal" => {
                let title = self.text(&at("title"), f("title"))?;
                let mut fields = vec![("TITLE", Value::str(title))];
                if let Some(a) = action.field("assignee") {
                    fields.push((
                        "ASSIGNED_BY_ID",
                        Value::str(self.one_user(&at("assignee"), a)?),
                    ));
                }
                if let Some(s) = action.field("stage") {
                    self.check_stage(&at("stage"), s);
                    fields.push(("STAGE_ID", Value::str(s)));
                }
                Activity::new("CreateCrmDealDocumentActivity", name)
                    .with("Title", Value::str("Create a deal"))
                    .with("Fields", Value::map(fields))
            }
            "create_contact" => {
                let title = self.text(&at("title"), f("title"))?;
                // CreateCrmContactDocumentActivity refuses a contact without both NAME
                // and LAST_NAME (its ValidateProperties).
                let Some((first, last)) = title.trim().rsplit_once(char::is_whitespace) else {
                    self.error(CompileError::BadValue {
                        path: at("title"),
                        value: title,
                        expected: "a first and a last name".into(),
                        help: "Bitrix24 requires both names for a new contact, e.g. \"Jane Doe\""
                            .into(),
                    });
                    return None;
                };
                Activity::new("CreateCrmContactDocumentActivity", name)
                    .with("Title", Value::str("Create a contact"))
                    .with(
                        "Fields",
                        Value::map([
                            ("NAME", Value::str(first.trim())),
                            ("LAST_NAME", Value::str(last.trim())),
                        ]),
                    )
            }
            "create_company" => {
                let title = self.text(&at("title"), f("title"))?;
                Activity::new("CreateCrmCompanyDocumentActivity", name)
                    .with("Title", Value::str("Create a company"))
                    .with("Fields", Value::map([("TITLE", Value::str(title))]))
            }
            "create_invoice" | "create_quote" => {
                // Smart invoices (31) and quotes (7) are created with the generic CRM
                // item activity; the dedicated ones are node-designer actions only.
                let type_id: i64 = if info.id == "create_invoice" { 31 } else { 7 };
                let title = self.text(&at("title"), f("title"))?;
                let mut fields = vec![(format!("{type_id}_TITLE"), Value::str(title))];
                if let Some(a) = action.field("assignee") {
                    let user = self.one_user(&at("assignee"), a)?;
                    fields.push((format!("{type_id}_ASSIGNED_BY_ID"), Value::str(user)));
                }
                Activity::new("CrmCreateDynamicActivity", name)
                    .with(
                        "Title",
                        Value::str(if type_id == 31 {
                            "Create an invoice"
                        } else {
                            "Create a quote"
                        }),
                    )
                    .with("DynamicTypeId", Value::Int(type_id))
                    .with(
                        "DynamicEntitiesFields",
                        Value::map(fields.iter().map(|(k, v)| (k.as_str(), v.clone()))),
                    )
                    .with("OnlyDynamicEntities", Value::str("N"))
            }
            "update_deal" | "update_field" => {
                if info.id == "update_deal" && entity != Entity::Deal {
                    self.error(CompileError::BadValue {
                        path: format!("{path}.type"),
                        value: "update_deal".into(),
                        expected: format!("possible on a {}", entity.info().label),
                        help: "update_deal changes the deal the workflow runs on; use update_field"
                            .into(),
                    });
                    return None;
                }
                let field = self.field_id(&at("field"), f("field"))?;
                let value = self.text(&at("value"), f("value"))?;
                Activity::new("SetFieldActivity", name)
                    .with("Title", Value::str(format!("Set {field}")))
                    .with(
                        "FieldValue",
                        Value::map([(field.as_str(), Value::str(value))]),
                    )
                    .with("ModifiedBy", Value::empty_array())
                    .with("MergeMultipleFields", Value::str("N"))
            }
            "assign_responsible" => {
                let users = self.users(&at("assignee"), f("assignee"))?;
                // GetterType "f": the first listed person (not random or round-robin).
                Activity::new("CrmChangeResponsibleActivity", name)
                    .with("Title", Value::str("Change the responsible person"))
                    .with("Responsible", user_list(users))
                    .with("ModifiedBy", Value::empty_array())
                    .with("GetterType", Value::str("f"))
                    .with("SkipAbsent", Value::str("N"))
                    .with("SkipTimeMan", Value::str("N"))
            }
            "move_stage" => {
                self.available(
                    path,
                    "move_stage",
                    "CrmChangeStatusActivity",
                    &[Entity::Deal, Entity::Lead, Entity::Invoice, Entity::Quote],
                )?;
                let stage = f("stage");
                self.check_stage(&at("stage"), stage);
                Activity::new("CrmChangeStatusActivity", name)
                    .with("Title", Value::str(format!("Move to {stage}")))
                    .with("TargetStatus", Value::str(stage))
                    .with("ModifiedBy", Value::empty_array())
            }
            "add_comment" => {
                let text = self.text(&at("message"), f("message"))?;
                Activity::new("CrmTimelineCommentAdd", name)
                    .with("Title", Value::str("Add a timeline comment"))
                    .with("CommentText", Value::str(text))
                    .with("CommentUser", self.sender())
            }
            "add_tag" | "remove_tag" => {
                self.error(CompileError::UnsupportedAction {
                    path: path.into(),
                    action: info.id.into(),
                    reason: "Bitrix24 has no business process activity for tags on CRM records (only tasks have tags)".into(),
                    instead: "keep the label in a custom field instead, e.g. update_field with field UF_CRM_TAGS".into(),
                });
                return None;
            }
            "webhook" => {
                let url = self.url(&at("url"), f("url"))?;
                if let Some(m) = action.field("method")
                    && !m.eq_ignore_ascii_case("POST")
                {
                    self.error(CompileError::BadValue {
                        path: at("method"),
                        value: m.into(),
                        expected: "POST".into(),
                        help: "WebHookActivity always sends a POST".into(),
                    });
                    return None;
                }
                if action.field("message").is_some() {
                    self.warnings.push(CompileError::FieldIgnored {
                        path: at("message"),
                        field: "message".into(),
                        reason: "WebHookActivity posts only the document id".into(),
                    });
                }
                // bizproc WebHookActivity: POSTs `document_id` to Handler through the
                // portal's REST event queue.
                Activity::new("WebHookActivity", name)
                    .with("Title", Value::str("Call a webhook"))
                    .with("Handler", Value::str(url))
            }
            other => {
                self.error(CompileError::UnknownAction {
                    path: format!("{path}.type"),
                    action: other.into(),
                });
                return None;
            }
        };
        Some(activity)
    }

    /// The employee messages and comments are sent as: `[channels] notify_from`.
    fn sender(&self) -> Value {
        Value::list([Value::str(&self.config.channels.notify_from)])
    }

    fn available(
        &mut self,
        path: &str,
        action: &str,
        activity: &str,
        entities: &[Entity],
    ) -> Option<()> {
        if entities.contains(&self.entity) {
            return Some(());
        }
        let available: Vec<&str> = entities.iter().map(|e| e.info().label).collect();
        self.error(CompileError::NotAvailable {
            path: path.into(),
            action: action.into(),
            activity: activity.into(),
            entity: self.entity.info().label.into(),
            available: available.join(", "),
        });
        None
    }

    /// Replaces every `{{NAME}}` with the entity's expression for it.
    fn text(&mut self, path: &str, text: &str) -> Option<String> {
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

    fn variable(&mut self, path: &str, name: &str) -> Option<&'static str> {
        let Some(var) = catalog::variable(name) else {
            self.error(CompileError::UnknownVariable {
                path: path.into(),
                name: name.into(),
            });
            return None;
        };
        let expr = var.expression_for(self.entity);
        if expr.is_none() {
            self.error(CompileError::VariableNotSupplied {
                path: path.into(),
                name: name.into(),
                entity: self.entity.info().label.into(),
            });
        }
        expr
    }

    /// The whole value when it is exactly one `{{NAME}}`.
    fn sole_variable(value: &str) -> Option<&str> {
        let inner = value.trim().strip_prefix("{{")?.strip_suffix("}}")?;
        (!inner.contains("{{") && !inner.contains("}}")).then(|| inner.trim())
    }

    /// A `to` that must be the record's client: `{{CONTACT_PHONE}}`, `{{CONTACT_EMAIL}}`
    /// or `{{CONTACT_NAME}}`. The activity finds the address on the record itself.
    fn client_only(&mut self, path: &str, value: &str, action: &str) -> Option<()> {
        match self.audience(path, value)? {
            Audience::Client => Some(()),
            Audience::Users(_) => {
                self.error(CompileError::BadValue {
                    path: path.into(),
                    value: value.into(),
                    expected: "the record's client".into(),
                    help: format!(
                        "{action} reaches only the client of the record (write {{{{CONTACT_PHONE}}}} or {{{{CONTACT_EMAIL}}}}); to reach an employee use send_notification"
                    ),
                });
                None
            }
        }
    }

    fn audience(&mut self, path: &str, value: &str) -> Option<Audience> {
        if let Some(name) = Self::sole_variable(value)
            && matches!(name, "CONTACT_PHONE" | "CONTACT_EMAIL" | "CONTACT_NAME")
        {
            self.variable(path, name)?;
            return Some(Audience::Client);
        }
        self.users(path, value).map(Audience::Users)
    }

    /// Employees: `{{ASSIGNED_BY_ID}}`, `user_<id>`, `group_<code>`, `author`, or names
    /// from `[recipients]`; several may be joined with commas.
    fn users(&mut self, path: &str, value: &str) -> Option<Vec<String>> {
        let mut users = Vec::new();
        let mut ok = true;
        for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match self.user(path, item) {
                Some(mut resolved) => users.append(&mut resolved),
                None => ok = false,
            }
        }
        if users.is_empty() && ok {
            self.error(CompileError::MissingField {
                path: path.into(),
                action: "this action".into(),
                field: path.rsplit('.').next().unwrap_or(path).into(),
            });
            return None;
        }
        ok.then_some(users)
    }

    fn user(&mut self, path: &str, item: &str) -> Option<Vec<String>> {
        if let Some(name) = Self::sole_variable(item) {
            if name != "ASSIGNED_BY_ID" {
                if catalog::variable(name).is_none() {
                    self.error(CompileError::UnknownVariable {
                        path: path.into(),
                        name: name.into(),
                    });
                } else {
                    self.error(CompileError::BadValue {
                        path: path.into(),
                        value: item.into(),
                        expected: "a person".into(),
                        help: "use {{ASSIGNED_BY_ID}}, user_<id>, group_<code>, or a name from [recipients]".into(),
                    });
                }
                return None;
            }
            return self.variable(path, name).map(|e| vec![e.to_owned()]);
        }
        if is_user_code(item) {
            return Some(vec![item.to_owned()]);
        }
        let Some(code) = self.config.recipient(item) else {
            self.error(CompileError::UnknownRecipient {
                path: path.into(),
                name: item.into(),
            });
            return None;
        };
        let codes: Vec<String> = code
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        if codes.is_empty() || !codes.iter().all(|c| is_user_code(c)) {
            self.error(CompileError::BadValue {
                path: path.into(),
                value: code.into(),
                expected: format!("a user or group code ([recipients] \"{item}\")"),
                help:
                    "write user_<id>, group_d<department id>, group_sg<id>_K, ... in b24flow.toml"
                        .into(),
            });
            return None;
        }
        Some(codes)
    }

    /// One user for a document field (`ASSIGNED_BY_ID` of a new item): a user code or
    /// an expression. "author" is not allowed there, so it becomes the record's
    /// responsible person explicitly.
    fn one_user(&mut self, path: &str, value: &str) -> Option<String> {
        let users = self.users(path, value)?;
        match users.as_slice() {
            [one] if one == "author" => self.variable(path, "ASSIGNED_BY_ID").map(str::to_owned),
            [one] if !one.starts_with("group_") => Some(one.clone()),
            _ => {
                self.error(CompileError::BadValue {
                    path: path.into(),
                    value: value.into(),
                    expected: "exactly one person".into(),
                    help: "a new record has one responsible person; name one user".into(),
                });
                None
            }
        }
    }

    /// A date-time: a relative offset (`+3d`, `+2h`, `+30m`, `+1w`), a smart variable,
    /// or an ISO date (`2026-01-31`) or date-time (`2026-01-31T10:00`).
    fn datetime(&mut self, path: &str, value: &str) -> Option<String> {
        let v = value.trim();
        if let Some(offset) = v.strip_prefix('+') {
            let split = offset
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(offset.len());
            let (digits, unit) = offset.split_at(split);
            let n: Option<u32> = digits.parse().ok().filter(|n| *n > 0);
            // Units of the calc function dateadd: d, h, i (minutes); weeks become days.
            let interval = match (n, unit.trim()) {
                (Some(n), "d" | "day" | "days") => Some(format!("{n}d")),
                (Some(n), "h" | "hour" | "hours") => Some(format!("{n}h")),
                (Some(n), "m" | "min" | "minute" | "minutes") => Some(format!("{n}i")),
                (Some(n), "w" | "week" | "weeks") => n.checked_mul(7).map(|d| format!("{d}d")),
                _ => None,
            };
            if let Some(interval) = interval {
                // A whole value starting with `=` is a calculation
                // (CBPActivity::CalcPattern).
                return Some(format!("=dateadd({{=System:Now}}, \"{interval}\")"));
            }
        } else if let Some(name) = Self::sole_variable(v) {
            return self.variable(path, name).map(str::to_owned);
        } else if let Some(iso) = iso_datetime(v) {
            return Some(iso);
        }
        self.error(CompileError::BadValue {
            path: path.into(),
            value: value.into(),
            expected: "a date-time".into(),
            help: "write an offset such as +3d, +2h, +30m or +1w, a variable such as {{CURRENT_DATETIME}}, or 2026-01-31 10:00".into(),
        });
        None
    }

    fn priority(&mut self, path: &str, value: &str) -> Option<String> {
        // tasks Priority: LOW 0, AVERAGE 1, HIGH 2.
        let code = match value.trim().to_ascii_lowercase().as_str() {
            "low" => "0",
            "normal" | "medium" | "average" => "1",
            "high" => "2",
            _ => {
                self.error(CompileError::BadValue {
                    path: path.into(),
                    value: value.into(),
                    expected: "a priority".into(),
                    help: "use low, normal or high".into(),
                });
                return None;
            }
        };
        Some(code.to_owned())
    }

    /// A document field id; friendly names ("amount") map through the catalog.
    fn field_id(&mut self, path: &str, value: &str) -> Option<String> {
        let v = value.trim();
        let id = catalog::field_alias(v).map_or_else(|| v.to_owned(), str::to_owned);
        let valid = id.starts_with(|c: char| c.is_ascii_uppercase())
            && id
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if valid {
            Some(id)
        } else {
            self.error(CompileError::BadValue {
                path: path.into(),
                value: value.into(),
                expected: "a document field id".into(),
                help:
                    "write the Bitrix24 field id, e.g. OPPORTUNITY, COMMENTS or UF_CRM_1700000000"
                        .into(),
            });
            None
        }
    }

    fn check_stage(&mut self, path: &str, stage: &str) {
        let valid = !stage.is_empty()
            && stage
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
        if !valid {
            self.error(CompileError::BadValue {
                path: path.into(),
                value: stage.into(),
                expected: "a stage id".into(),
                help: "write the stage id, e.g. WON, C2:PREPARATION or DT31_1:P".into(),
            });
        }
    }

    /// An http(s) URL whose host has a dot: what `WebHookActivity` accepts.
    fn url(&mut self, path: &str, value: &str) -> Option<String> {
        let parsed = url::Url::parse(value.trim()).ok();
        let ok = parsed.as_ref().is_some_and(|u| {
            matches!(u.scheme(), "http" | "https")
                && u.host_str()
                    .is_some_and(|h| h.find('.').is_some_and(|i| i > 0))
        });
        if ok {
            Some(value.trim().to_owned())
        } else {
            self.error(CompileError::BadValue {
                path: path.into(),
                value: value.into(),
                expected: "an http(s) URL with a domain name".into(),
                help: "Bitrix24 calls only http or https URLs whose host contains a dot, e.g. https://hooks.example.com/deal".into(),
            });
            None
        }
    }
}

/// One `fieldcondition` row: `[FIELD, operator, value, joiner]`, joiner 0 = AND, as the
/// designer writes it (bizproc `fieldcondition.php`, `GetPropertiesDialogValues`).
fn condition_row(field: &str, operator: &str, value: &str) -> Value {
    Value::list([
        Value::str(field),
        Value::str(operator),
        Value::str(value),
        Value::Int(0),
    ])
}

fn user_list(users: Vec<String>) -> Value {
    Value::list(users.into_iter().map(Value::Str))
}

/// `user_<id>`, `group_<code>` or `author`: what `CBPHelper::ExtractUsers` accepts as is.
fn is_user_code(s: &str) -> bool {
    if s == "author" {
        return true;
    }
    if let Some(id) = s.strip_prefix("user_") {
        return !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
    }
    if let Some(code) = s.strip_prefix("group_") {
        return !code.is_empty() && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    }
    false
}

/// `YYYY-MM-DD` or `YYYY-MM-DD[T ]HH:MM[:SS]` as `YYYY-MM-DD HH:MM:SS`: the fallback
/// format of the calc date functions. Activities that call `MakeTimeStamp` with the
/// site's format may not read it (unconfirmed); offsets are the safer form.
fn iso_datetime(v: &str) -> Option<String> {
    let (date, time) = match v.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (v, None),
    };
    let d: Vec<&str> = date.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if d.len() != 3 || !digits(d[0], 4) || !digits(d[1], 2) || !digits(d[2], 2) {
        return None;
    }
    let time = match time {
        None => "00:00:00".to_owned(),
        Some(t) => {
            let parts: Vec<&str> = t.split(':').collect();
            if !(2..=3).contains(&parts.len()) || !parts.iter().all(|p| digits(p, 2)) {
                return None;
            }
            format!(
                "{}:{}:{}",
                parts[0],
                parts[1],
                parts.get(2).unwrap_or(&"00")
            )
        }
    };
    Some(format!("{date} {time}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blueprint::{Condition, Trigger};
    use crate::catalog::{ACTIONS, TRIGGERS};

    fn blueprint(entity: &str, trigger: &str, actions: Vec<Action>) -> Blueprint {
        Blueprint {
            name: "Test".into(),
            entity: entity.into(),
            trigger: Trigger::new(trigger),
            conditions: Vec::new(),
            actions,
        }
    }

    fn action(kind: &str, fields: &[(&str, &str)]) -> Action {
        Action::new(kind, fields.iter().map(|(k, v)| (*k, (*v).to_owned())))
    }

    fn config() -> Config {
        let mut c = Config::default();
        c.recipients.insert("sales team".into(), "group_d12".into());
        c.recipients.insert("sales manager".into(), "user_7".into());
        c
    }

    fn ok(bp: &Blueprint) -> Template {
        compile("deals/test", bp, &config()).unwrap_or_else(|e| panic!("{e:#?}"))
    }

    fn errors(bp: &Blueprint) -> Vec<CompileError> {
        compile("deals/test", bp, &config()).expect_err("should not compile")
    }

    /// The action activities of a template, wherever the guard put them.
    fn action_nodes(t: &Template) -> Vec<&Activity> {
        t.root
            .walk()
            .into_iter()
            .skip(1)
            .filter(|a| {
                !matches!(
                    a.type_.as_str(),
                    "IfElseActivity" | "IfElseBranchActivity" | "DelayActivity"
                )
            })
            .collect()
    }

    fn rows(v: &Value) -> Vec<Vec<Value>> {
        v.as_list()
            .unwrap()
            .into_iter()
            .map(|r| r.as_list().unwrap().into_iter().cloned().collect())
            .collect()
    }

    fn s(v: &str) -> Value {
        Value::str(v)
    }

    fn comment() -> Action {
        action("add_comment", &[("message", "hello")])
    }

    #[test]
    fn every_trigger_compiles_or_is_rejected_with_its_reason() {
        for t in TRIGGERS {
            let mut bp = blueprint(t.entity.id(), t.id, vec![comment()]);
            if t.id == "stage_changed" {
                bp.trigger
                    .params
                    .insert("stage".into(), "C2:PREPARATION".into());
            }
            match t.mapping {
                TriggerMapping::Unsupported { reason, instead } => {
                    let errs = errors(&bp);
                    assert!(
                        errs.contains(&CompileError::UnsupportedTrigger {
                            path: "trigger.type".into(),
                            trigger: t.id.into(),
                            reason: reason.into(),
                            instead: instead.into(),
                        }),
                        "{}: {errs:?}",
                        t.id
                    );
                }
                TriggerMapping::Template {
                    auto_start,
                    guard,
                    wait_until,
                } => {
                    let tpl = ok(&bp);
                    let doc = t.entity.info().document_type.unwrap();
                    assert_eq!(tpl.document_type, doc.map(str::to_owned), "{}", t.id);
                    assert_eq!(tpl.auto_execute, auto_start.auto_execute(), "{}", t.id);
                    let mut children = tpl.root.children.iter();
                    if let Some(field) = wait_until {
                        let delay = children.next().unwrap();
                        assert_eq!(delay.type_, "DelayActivity");
                        assert_eq!(
                            delay.property("TimeoutTime"),
                            Some(&s(&format!("=dateadd({{=Document:{field}}}, \"1d\")")))
                        );
                    }
                    let next = children.next().unwrap();
                    if guard.is_empty() {
                        assert_eq!(next.type_, "CrmTimelineCommentAdd", "{}", t.id);
                    } else {
                        assert_eq!(next.type_, "IfElseActivity", "{}", t.id);
                        let expected: Vec<Vec<Value>> = guard
                            .iter()
                            .map(|g| {
                                vec![
                                    s(g.field),
                                    s(g.operator),
                                    s(&g.value.replace("{stage}", "C2:PREPARATION")),
                                    Value::Int(0),
                                ]
                            })
                            .collect();
                        let branch = &next.children[0];
                        assert_eq!(rows(branch.property("fieldcondition").unwrap()), expected);
                        assert_eq!(branch.children[0].type_, "CrmTimelineCommentAdd");
                    }
                }
            }
        }
    }

    #[test]
    fn deal_won_is_guarded_by_stage_semantics_and_modified() {
        let bp = blueprint(
            "CRM_DEAL",
            "deal_won",
            vec![action(
                "send_whatsapp",
                &[("to", "{{CONTACT_PHONE}}"), ("message", "Congratulations!")],
            )],
        );
        let t = ok(&bp);
        assert_eq!(t.auto_execute, 2);
        let guard = &t.root.children[0];
        assert_eq!(guard.type_, "IfElseActivity");
        let [then, otherwise] = guard.children.as_slice() else {
            panic!("two branches expected");
        };
        assert_eq!(then.type_, "IfElseBranchActivity");
        assert_eq!(
            rows(then.property("fieldcondition").unwrap()),
            vec![
                vec![s("STAGE_SEMANTIC_ID"), s("="), s("S"), Value::Int(0)],
                vec![s("STAGE_ID"), s("modified"), s(""), Value::Int(0)],
            ]
        );
        assert_eq!(then.children[0].type_, "ImOpenLinesMessageActivity");
        assert_eq!(
            otherwise.property("truecondition"),
            Some(&Value::Bool(true))
        );
        assert!(otherwise.children.is_empty());
        // The branch's condition key must come right after Title (the loader takes
        // the first key that names a condition).
        assert_eq!(then.properties[0].0, "Title");
        assert_eq!(then.properties[1].0, "fieldcondition");
    }

    #[test]
    fn stage_changed_without_a_stage_keeps_only_the_modified_row() {
        let bp = blueprint("CRM_DEAL", "stage_changed", vec![comment()]);
        let t = ok(&bp);
        let branch = &t.root.children[0].children[0];
        assert_eq!(
            rows(branch.property("fieldcondition").unwrap()),
            vec![vec![s("STAGE_ID"), s("modified"), s(""), Value::Int(0)]]
        );
    }

    #[test]
    fn blueprint_conditions_join_the_guard() {
        let mut bp = blueprint("CRM_DEAL", "deal_created", vec![comment()]);
        bp.conditions.push(Condition {
            field: "amount".into(),
            operator: ">".into(),
            value: "10000".into(),
        });
        let t = ok(&bp);
        let branch = &t.root.children[0].children[0];
        assert_eq!(
            rows(branch.property("fieldcondition").unwrap()),
            vec![vec![s("OPPORTUNITY"), s(">"), s("10000"), Value::Int(0)]]
        );
    }

    #[test]
    fn invoice_overdue_waits_for_the_due_date_then_checks_payment() {
        let bp = blueprint(
            "CRM_INVOICE",
            "invoice_overdue",
            vec![action(
                "send_email",
                &[
                    ("to", "{{CONTACT_EMAIL}}"),
                    ("subject", "Invoice {{INVOICE_ID}} is overdue"),
                    ("body", "Please pay {{INVOICE_AMOUNT}}."),
                ],
            )],
        );
        let t = ok(&bp);
        assert_eq!(t.auto_execute, 1);
        assert_eq!(t.document_type[2], "SMART_INVOICE");
        assert_eq!(t.root.children[0].type_, "DelayActivity");
        let branch = &t.root.children[1].children[0];
        assert_eq!(
            rows(branch.property("fieldcondition").unwrap()),
            vec![vec![s("STAGE_SEMANTIC_ID"), s("!="), s("S"), Value::Int(0)]]
        );
        let email = &branch.children[0];
        assert_eq!(email.type_, "CrmSendEmailActivity");
        assert_eq!(
            email.property("Subject"),
            Some(&s("Invoice {=Document:ID} is overdue"))
        );
        assert_eq!(
            email.property("MessageText"),
            Some(&s("Please pay {=Document:OPPORTUNITY}."))
        );
    }

    /// One row per catalog action: the fields to give it, and the activity type with
    /// the properties it must carry, or the rejection it must get.
    enum Expect {
        Activity(&'static str, Vec<(&'static str, Value)>),
        Rejected(&'static str),
    }

    /// (entity, action, fields, expectation)
    type Row = (
        &'static str,
        &'static str,
        Vec<(&'static str, &'static str)>,
        Expect,
    );

    fn action_table() -> Vec<Row> {
        use Expect::{Activity as A, Rejected as R};
        let users = |v: &[&str]| Value::list(v.iter().map(|u| s(u)));
        vec![
            (
                "CRM_DEAL",
                "send_whatsapp",
                vec![
                    ("to", "{{CONTACT_PHONE}}"),
                    ("message", "Hi {{CONTACT_NAME}}"),
                ],
                A(
                    "ImOpenLinesMessageActivity",
                    vec![
                        ("MessageText", s("Hi {=Document:CONTACT_ID > printable}")),
                        ("IsSystem", s("N")),
                    ],
                ),
            ),
            (
                "CRM_DEAL",
                "send_email",
                vec![("to", "{{CONTACT_EMAIL}}"), ("subject", "S"), ("body", "B")],
                A(
                    "CrmSendEmailActivity",
                    vec![
                        ("Subject", s("S")),
                        ("MessageText", s("B")),
                        ("MessageTextType", s("bbcode")),
                    ],
                ),
            ),
            (
                "CRM_LEAD",
                "send_sms",
                vec![("to", "{{CONTACT_PHONE}}"), ("message", "Hello")],
                A(
                    "CrmSendSmsActivity",
                    vec![
                        ("ProviderId", s(":default:")),
                        ("MessageText", s("Hello")),
                        ("RecipientType", s("entity")),
                    ],
                ),
            ),
            (
                "CRM_DEAL",
                "send_notification",
                vec![("to", "sales team"), ("message", "Lost: {{DEAL_TITLE}}")],
                A(
                    "IMNotifyActivity",
                    vec![
                        ("MessageUserTo", users(&["group_d12"])),
                        ("MessageSite", s("Lost: {=Document:TITLE}")),
                        ("MessageUserFrom", users(&["user_1"])),
                    ],
                ),
            ),
            (
                "CRM_DEAL",
                "send_bitrix_message",
                vec![("to", "{{ASSIGNED_BY_ID}}"), ("message", "Hi")],
                A(
                    "ImMessageActivity",
                    vec![
                        ("MessageUserTo", users(&["{=Document:ASSIGNED_BY_ID}"])),
                        ("MessageTemplate", s("plain")),
                        ("MessageFields", Value::map([("MessageText", s("Hi"))])),
                    ],
                ),
            ),
            (
                "CRM_LEAD",
                "create_task",
                vec![
                    ("title", "Follow up"),
                    ("assignee", "{{ASSIGNED_BY_ID}}"),
                    ("deadline", "+3d"),
                    ("priority", "high"),
                ],
                A(
                    "Task2Activity",
                    vec![
                        (
                            "Fields",
                            Value::map([
                                ("TITLE", s("Follow up")),
                                ("CREATED_BY", users(&["author"])),
                                ("RESPONSIBLE_ID", users(&["{=Document:ASSIGNED_BY_ID}"])),
                                ("DEADLINE", s("=dateadd({=System:Now}, \"3d\")")),
                                ("PRIORITY", s("2")),
                            ]),
                        ),
                        ("AUTO_LINK_TO_CRM_ENTITY", Value::Bool(true)),
                        ("HoldToClose", Value::Bool(false)),
                    ],
                ),
            ),
            (
                "CRM_DEAL",
                "update_task",
                vec![("field", "STATUS"), ("value", "5")],
                R("update_task"),
            ),
            (
                "CRM_DEAL",
                "set_reminder",
                vec![
                    ("title", "Call back"),
                    ("assignee", "user_3"),
                    ("datetime", "+2h"),
                ],
                A(
                    "CrmCreateToDoActivity",
                    vec![
                        ("Description", s("Call back")),
                        ("Responsible", users(&["user_3"])),
                        ("Deadline", s("=dateadd({=System:Now}, \"2h\")")),
                    ],
                ),
            ),
            (
                "CRM_LEAD",
                "schedule_call",
                vec![
                    ("to", "{{CONTACT_PHONE}}"),
                    ("assignee", "sales manager"),
                    ("datetime", "2026-02-01T10:30"),
                ],
                A(
                    "CrmCreateCallActivity",
                    vec![
                        ("StartTime", s("2026-02-01 10:30:00")),
                        ("Responsible", users(&["user_7"])),
                    ],
                ),
            ),
            (
                "CRM_LEAD",
                "create_deal",
                vec![
                    ("title", "From {{LEAD_NAME}}"),
                    ("assignee", "{{ASSIGNED_BY_ID}}"),
                    ("stage", "NEW"),
                ],
                A(
                    "CreateCrmDealDocumentActivity",
                    vec![(
                        "Fields",
                        Value::map([
                            ("TITLE", s("From {=Document:TITLE}")),
                            ("ASSIGNED_BY_ID", s("{=Document:ASSIGNED_BY_ID}")),
                            ("STAGE_ID", s("NEW")),
                        ]),
                    )],
                ),
            ),
            (
                "CRM_DEAL",
                "update_deal",
                vec![("field", "amount"), ("value", "500")],
                A(
                    "SetFieldActivity",
                    vec![("FieldValue", Value::map([("OPPORTUNITY", s("500"))]))],
                ),
            ),
            (
                "CRM_LEAD",
                "create_contact",
                vec![("title", "Jane Q Doe")],
                A(
                    "CreateCrmContactDocumentActivity",
                    vec![(
                        "Fields",
                        Value::map([("NAME", s("Jane Q")), ("LAST_NAME", s("Doe"))]),
                    )],
                ),
            ),
            (
                "CRM_DEAL",
                "create_company",
                vec![("title", "Acme")],
                A(
                    "CreateCrmCompanyDocumentActivity",
                    vec![("Fields", Value::map([("TITLE", s("Acme"))]))],
                ),
            ),
            (
                "CRM_DEAL",
                "create_invoice",
                vec![("title", "Invoice for {{DEAL_TITLE}}")],
                A(
                    "CrmCreateDynamicActivity",
                    vec![
                        ("DynamicTypeId", Value::Int(31)),
                        (
                            "DynamicEntitiesFields",
                            Value::map([("31_TITLE", s("Invoice for {=Document:TITLE}"))]),
                        ),
                    ],
                ),
            ),
            (
                "CRM_DEAL",
                "create_quote",
                vec![("title", "Quote"), ("assignee", "user_2")],
                A(
                    "CrmCreateDynamicActivity",
                    vec![
                        ("DynamicTypeId", Value::Int(7)),
                        (
                            "DynamicEntitiesFields",
                            Value::map([
                                ("7_TITLE", s("Quote")),
                                ("7_ASSIGNED_BY_ID", s("user_2")),
                            ]),
                        ),
                    ],
                ),
            ),
            (
                "CRM_LEAD",
                "assign_responsible",
                vec![("assignee", "{{ASSIGNED_BY_ID}}")],
                A(
                    "CrmChangeResponsibleActivity",
                    vec![
                        ("Responsible", users(&["{=Document:ASSIGNED_BY_ID}"])),
                        ("GetterType", s("f")),
                    ],
                ),
            ),
            (
                "CRM_DEAL",
                "move_stage",
                vec![("stage", "C2:WON")],
                A(
                    "CrmChangeStatusActivity",
                    vec![("TargetStatus", s("C2:WON"))],
                ),
            ),
            (
                "CRM_CONTACT",
                "update_field",
                vec![("field", "COMMENTS"), ("value", "VIP")],
                A(
                    "SetFieldActivity",
                    vec![("FieldValue", Value::map([("COMMENTS", s("VIP"))]))],
                ),
            ),
            (
                "CRM_DEAL",
                "add_comment",
                vec![("message", "Won on {{CURRENT_DATE}}")],
                A(
                    "CrmTimelineCommentAdd",
                    vec![
                        ("CommentText", s("Won on {=System:Date}")),
                        ("CommentUser", users(&["user_1"])),
                    ],
                ),
            ),
            ("CRM_DEAL", "add_tag", vec![("tag", "vip")], R("add_tag")),
            (
                "CRM_DEAL",
                "remove_tag",
                vec![("tag", "vip")],
                R("remove_tag"),
            ),
            (
                "CRM_DEAL",
                "webhook",
                vec![("url", "https://hooks.example.com/won"), ("method", "POST")],
                A(
                    "WebHookActivity",
                    vec![("Handler", s("https://hooks.example.com/won"))],
                ),
            ),
        ]
    }

    fn trigger_for(entity: &str) -> &'static str {
        match entity {
            "CRM_DEAL" => "deal_created",
            "CRM_LEAD" => "lead_created",
            "CRM_CONTACT" => "contact_created",
            _ => unreachable!("no row uses {entity}"),
        }
    }

    #[test]
    fn every_action_maps_to_its_activity_or_is_rejected() {
        let table = action_table();
        let covered: BTreeSet<&str> = table.iter().map(|(_, a, _, _)| *a).collect();
        let all: BTreeSet<&str> = ACTIONS.iter().map(|a| a.id).collect();
        assert_eq!(covered, all, "the table must cover every catalog action");

        for (entity, kind, fields, expect) in table {
            let bp = blueprint(entity, trigger_for(entity), vec![action(kind, &fields)]);
            match expect {
                Expect::Activity(type_, props) => {
                    let t = ok(&bp);
                    let nodes = action_nodes(&t);
                    assert_eq!(nodes.len(), 1, "{kind}");
                    let a = nodes[0];
                    assert_eq!(a.type_, type_, "{kind}");
                    assert!(
                        a.title().is_some_and(|t| !t.is_empty()),
                        "{kind} has no Title"
                    );
                    for (key, value) in props {
                        assert_eq!(a.property(key), Some(&value), "{kind}.{key}");
                    }
                }
                Expect::Rejected(action) => {
                    let errs = errors(&bp);
                    assert!(
                        matches!(&errs[..], [CompileError::UnsupportedAction { action: a, path, .. }] if a == action && path == "actions[0]"),
                        "{kind}: {errs:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_activity_has_a_title_and_a_designer_shaped_name() {
        let name_shape = regex::Regex::new(r"^A\d{5}_\d{5}_\d{5}_\d{5}$").unwrap();
        for (entity, kind, fields, expect) in action_table() {
            if matches!(expect, Expect::Rejected(_)) {
                continue;
            }
            let mut bp = blueprint(entity, trigger_for(entity), vec![action(kind, &fields)]);
            bp.conditions.push(Condition {
                field: "TITLE".into(),
                operator: "!empty".into(),
                value: String::new(),
            });
            let t = ok(&bp);
            for a in t.root.walk().into_iter().skip(1) {
                assert!(name_shape.is_match(&a.name), "{kind}: {}", a.name);
                assert!(a.title().is_some(), "{kind}: {} has no Title", a.type_);
            }
        }
    }

    #[test]
    fn same_blueprint_same_bytes_and_a_text_edit_touches_one_property() {
        let make = |message: &str| {
            blueprint(
                "CRM_DEAL",
                "deal_lost",
                vec![
                    action(
                        "send_notification",
                        &[("to", "sales team"), ("message", message)],
                    ),
                    action(
                        "create_task",
                        &[
                            ("title", "Review lost deal reasons"),
                            ("assignee", "{{ASSIGNED_BY_ID}}"),
                        ],
                    ),
                ],
            )
        };
        let a = ok(&make("Deal lost"));
        let b = ok(&make("Deal lost"));
        assert_eq!(a.to_bpt(), b.to_bpt());
        assert_eq!(a.sha256(), b.sha256());

        let c = ok(&make("Deal lost!"));
        assert_ne!(a.sha256(), c.sha256());
        let (na, nc) = (a.root.walk(), c.root.walk());
        assert_eq!(na.len(), nc.len());
        let mut changed = Vec::new();
        for (x, y) in na.iter().zip(&nc) {
            assert_eq!(x.name, y.name);
            assert_eq!(x.type_, y.type_);
            for ((kx, vx), (ky, vy)) in x.properties.iter().zip(&y.properties) {
                assert_eq!(kx, ky);
                if vx != vy {
                    changed.push(format!("{}.{kx}", x.type_));
                }
            }
        }
        assert_eq!(
            changed,
            [
                "IMNotifyActivity.MessageSite",
                "IMNotifyActivity.MessageOut"
            ]
        );
    }

    #[test]
    fn names_depend_on_the_workflow_id() {
        let bp = blueprint("CRM_DEAL", "deal_created", vec![comment()]);
        let a = compile("one", &bp, &config()).unwrap();
        let b = compile("two", &bp, &config()).unwrap();
        assert_ne!(a.root.children[0].name, b.root.children[0].name);
    }

    #[test]
    fn variables_the_entity_cannot_supply_are_errors() {
        let bp = blueprint(
            "CRM_LEAD",
            "lead_created",
            vec![action(
                "add_comment",
                &[("message", "Deal {{DEAL_TITLE}} and {{NOPE}}")],
            )],
        );
        let errs = errors(&bp);
        assert_eq!(
            errs,
            vec![
                CompileError::VariableNotSupplied {
                    path: "actions[0].message".into(),
                    name: "DEAL_TITLE".into(),
                    entity: "lead".into(),
                },
                CompileError::UnknownVariable {
                    path: "actions[0].message".into(),
                    name: "NOPE".into(),
                },
            ]
        );
    }

    #[test]
    fn recipients_resolve_or_fail_with_a_hint() {
        let bp = blueprint(
            "CRM_DEAL",
            "deal_lost",
            vec![
                action(
                    "send_notification",
                    &[("to", "the Sales Team, user_5"), ("message", "x")],
                ),
                action(
                    "send_notification",
                    &[("to", "marketing"), ("message", "x")],
                ),
                action(
                    "send_notification",
                    &[("to", "{{CONTACT_PHONE}}"), ("message", "x")],
                ),
                action(
                    "send_email",
                    &[("to", "user_5"), ("subject", "s"), ("body", "b")],
                ),
            ],
        );
        let errs = errors(&bp);
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert_eq!(
            errs[0],
            CompileError::UnknownRecipient {
                path: "actions[1].to".into(),
                name: "marketing".into(),
            }
        );
        let help = miette::Diagnostic::help(&errs[0]).unwrap().to_string();
        assert!(
            help.contains("[recipients]") && help.contains("\"marketing\""),
            "{help}"
        );
        assert_eq!(errs[1].path(), "actions[2].to");
        assert_eq!(errs[2].path(), "actions[3].to");

        let ok_bp = blueprint(
            "CRM_DEAL",
            "deal_lost",
            vec![action(
                "send_notification",
                &[("to", "the Sales Team, user_5"), ("message", "x")],
            )],
        );
        let t = ok(&ok_bp);
        assert_eq!(
            action_nodes(&t)[0].property("MessageUserTo"),
            Some(&Value::list([s("group_d12"), s("user_5")]))
        );
    }

    #[test]
    fn sms_to_an_employee_uses_the_user_recipient_type() {
        let bp = blueprint(
            "CRM_DEAL",
            "deal_created",
            vec![action(
                "send_sms",
                &[("to", "sales manager"), ("message", "New deal")],
            )],
        );
        let t = ok(&bp);
        let sms = action_nodes(&t)[0];
        assert_eq!(sms.property("RecipientType"), Some(&s("user")));
        assert_eq!(
            sms.property("RecipientUser"),
            Some(&Value::list([s("user_7")]))
        );
    }

    #[test]
    fn relative_and_bad_datetimes() {
        let mut cx = Context {
            id: "x",
            config: &Config::default(),
            entity: Entity::Deal,
            errors: Vec::new(),
            warnings: Vec::new(),
            names: BTreeSet::new(),
        };
        assert_eq!(
            cx.datetime("p", "+30m").unwrap(),
            "=dateadd({=System:Now}, \"30i\")"
        );
        assert_eq!(
            cx.datetime("p", "+1w").unwrap(),
            "=dateadd({=System:Now}, \"7d\")"
        );
        assert_eq!(
            cx.datetime("p", "{{CURRENT_DATETIME}}").unwrap(),
            "{=System:Now}"
        );
        assert_eq!(
            cx.datetime("p", "2026-01-31").unwrap(),
            "2026-01-31 00:00:00"
        );
        assert!(cx.errors.is_empty());
        for bad in ["+0d", "+3y", "tomorrow", "2026-1-31", "+99999999999d"] {
            assert!(cx.datetime("p", bad).is_none(), "{bad}");
        }
        assert_eq!(cx.errors.len(), 5);
    }

    #[test]
    fn move_stage_goes_last_with_a_warning() {
        let bp = blueprint(
            "CRM_DEAL",
            "deal_created",
            vec![action("move_stage", &[("stage", "PREPARATION")]), comment()],
        );
        let c = compile_with_warnings("w", &bp, &config()).unwrap();
        let types: Vec<&str> = action_nodes(&c.template)
            .iter()
            .map(|a| a.type_.as_str())
            .collect();
        assert_eq!(types, ["CrmTimelineCommentAdd", "CrmChangeStatusActivity"]);
        assert_eq!(
            c.warnings,
            vec![CompileError::MoveStageReordered {
                path: "actions[0]".into()
            }]
        );
        assert!(c.warnings[0].is_warning());

        let contact = blueprint(
            "CRM_CONTACT",
            "contact_created",
            vec![action("move_stage", &[("stage", "WON")])],
        );
        assert!(matches!(
            &errors(&contact)[..],
            [CompileError::NotAvailable { .. }]
        ));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bp = blueprint(
            "CRM_DEAL",
            "deal_won",
            vec![
                action("send_whatsapp", &[("message", "no recipient")]),
                action("webhook", &[("url", "http://localhost/x")]),
                action(
                    "create_task",
                    &[("title", "t"), ("assignee", "user_1"), ("colour", "red")],
                ),
                action("teleport", &[]),
            ],
        );
        let paths: Vec<String> = errors(&bp).iter().map(|e| e.path().to_owned()).collect();
        assert_eq!(
            paths,
            [
                "actions[0].to",
                "actions[1].url",
                "actions[2].colour",
                "actions[3].type"
            ]
        );
    }

    #[test]
    fn wrong_entity_for_the_trigger_is_an_error() {
        let bp = blueprint("CRM_LEAD", "deal_won", vec![comment()]);
        assert!(matches!(
            &errors(&bp)[..],
            [CompileError::EntityMismatch { .. }]
        ));
        let bp = blueprint("CRM_THING", "deal_won", vec![comment()]);
        assert!(matches!(
            &errors(&bp)[..],
            [CompileError::UnknownEntity { .. }]
        ));
    }
}
