//! The vocabulary of b24flow: triggers, actions and their fields, entities, smart
//! variables, and how each trigger becomes a Bitrix24 business process.
//!
//! The vocabulary's facts live here and nowhere else: the offline parser reads the
//! phrases, [`crate::resolve`] reads the field rules, variable sources, trigger mappings
//! and which entities each action works on, the JSON Schemas and the LLM prompt are
//! generated from it, and `b24flow capabilities` prints it. The rules that apply these
//! facts to a blueprint live in [`crate::resolve`]. Nothing here does I/O.
//!
//! The types and lookups are here; the three long tables sit beside them, one file
//! each: `triggers.rs`, `actions.rs`, `variables.rs`.
//!
//! Invariants, pinned by the tests at the bottom: 21 triggers, 22 actions (one
//! [`ActionKind`] each, 19 of them with an activity), 19 variables; ids are unique and
//! `snake_case`; every trigger's entity is listed; every variable names at least one
//! entity that supplies it; every supported action works on at least one entity, and
//! only on entities with a document type.

use serde::Serialize;

mod actions;
mod sources;
mod triggers;
mod variables;

pub use actions::{ACTIONS, NOT_OFFERED, not_offered};
pub use triggers::TRIGGERS;
pub use variables::VARIABLES;

/// Bumped whenever the vocabulary changes in a way that can change a parse. It is part of
/// the hash recorded in lockfiles, so a catalog change shows up as stale lockfiles.
pub const CATALOG_VERSION: u32 = 2;

/// A CRM record type a workflow runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Entity {
    #[serde(rename = "CRM_DEAL")]
    Deal,
    #[serde(rename = "CRM_LEAD")]
    Lead,
    #[serde(rename = "CRM_CONTACT")]
    Contact,
    #[serde(rename = "CRM_COMPANY")]
    Company,
    #[serde(rename = "CRM_INVOICE")]
    Invoice,
    #[serde(rename = "CRM_QUOTE")]
    Quote,
    #[serde(rename = "TASK")]
    Task,
}

/// Everything the catalog knows about one entity.
#[derive(Debug, Clone, Serialize)]
pub struct EntityInfo {
    /// The entity id used in blueprints, e.g. `CRM_DEAL`.
    pub id: &'static str,
    #[serde(skip)]
    pub entity: Entity,
    /// A human name, e.g. "deal".
    pub label: &'static str,
    /// The Bitrix24 business process document type (module, class, type), or `None` when
    /// the portal offers no designer templates for this entity.
    pub document_type: Option<[&'static str; 3]>,
    /// The CRM owner type id (`CCrmOwnerType`), used when creating items of this entity.
    pub crm_type_id: Option<u32>,
    /// The document field that holds the stage or status.
    pub stage_field: Option<&'static str>,
}

/// All entities, in display order.
pub const ENTITIES: &[EntityInfo] = &[
    EntityInfo {
        id: "CRM_DEAL",
        entity: Entity::Deal,
        label: "deal",
        document_type: Some(["crm", "CCrmDocumentDeal", "DEAL"]),
        crm_type_id: Some(2),
        stage_field: Some("STAGE_ID"),
    },
    EntityInfo {
        id: "CRM_LEAD",
        entity: Entity::Lead,
        label: "lead",
        document_type: Some(["crm", "CCrmDocumentLead", "LEAD"]),
        crm_type_id: Some(1),
        stage_field: Some("STATUS_ID"),
    },
    EntityInfo {
        id: "CRM_CONTACT",
        entity: Entity::Contact,
        label: "contact",
        document_type: Some(["crm", "CCrmDocumentContact", "CONTACT"]),
        crm_type_id: Some(3),
        stage_field: None,
    },
    EntityInfo {
        id: "CRM_COMPANY",
        entity: Entity::Company,
        label: "company",
        document_type: Some(["crm", "CCrmDocumentCompany", "COMPANY"]),
        crm_type_id: Some(4),
        stage_field: None,
    },
    EntityInfo {
        id: "CRM_INVOICE",
        entity: Entity::Invoice,
        label: "invoice",
        document_type: Some([
            "crm",
            "Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice",
            "SMART_INVOICE",
        ]),
        crm_type_id: Some(31),
        stage_field: Some("STAGE_ID"),
    },
    EntityInfo {
        id: "CRM_QUOTE",
        entity: Entity::Quote,
        label: "quote",
        document_type: Some([
            "crm",
            "Bitrix\\Crm\\Integration\\BizProc\\Document\\Quote",
            "QUOTE",
        ]),
        crm_type_id: Some(7),
        stage_field: Some("STATUS_ID"),
    },
    EntityInfo {
        id: "TASK",
        entity: Entity::Task,
        label: "task",
        document_type: None,
        crm_type_id: None,
        stage_field: None,
    },
];

impl Entity {
    /// The catalog entry for this entity.
    pub fn info(self) -> &'static EntityInfo {
        ENTITIES
            .iter()
            .find(|e| e.entity == self)
            .expect("every entity has a catalog entry")
    }

    /// The blueprint id, e.g. `CRM_DEAL`.
    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// Looks an entity up by its blueprint id (case-insensitive).
    pub fn from_id(id: &str) -> Option<Self> {
        ENTITIES
            .iter()
            .find(|e| e.id.eq_ignore_ascii_case(id))
            .map(|e| e.entity)
    }
}

/// When Bitrix24 starts a template on its own (`AUTO_EXECUTE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AutoStart {
    /// Start when a record is created (`AUTO_EXECUTE` 1).
    OnCreate,
    /// Start whenever a record is changed (`AUTO_EXECUTE` 2).
    OnChange,
}

impl AutoStart {
    /// The `AUTO_EXECUTE` value Bitrix24 stores for this mode.
    pub fn auto_execute(self) -> u8 {
        match self {
            AutoStart::OnCreate => 1,
            AutoStart::OnChange => 2,
        }
    }
}

/// One row of a guard condition: a `fieldcondition` row `[field, operator, value]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GuardRow {
    pub field: &'static str,
    /// A Bitrix24 condition operator: `=`, `!=`, `modified`, ...
    pub operator: &'static str,
    /// The compared value. `{stage}` is replaced by the trigger's `stage` parameter.
    pub value: &'static str,
}

/// How a trigger becomes a business process template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TriggerMapping {
    /// A template on the entity's document type that starts on its own.
    Template {
        auto_start: AutoStart,
        /// Conditions checked first; the workflow goes on only when all hold. For a
        /// transition (`once_per_entry`) they describe the state the record enters.
        ///
        /// Two placeholders are filled in by [`crate::resolve`]: `{stage}` (the trigger's
        /// `stage` parameter) and `{invoice_paid}` / `{invoice_refused}` (the invoice
        /// pipelines' success and failure stages, from `[portal]` or the default).
        guard: &'static [GuardRow],
        /// The trigger is a transition into the state `guard` describes ("a deal is
        /// won"), not a state: it fires once each time the record enters that state, on
        /// every core and save path. The template tracks this with a per-workflow marker
        /// field on the record (see [`crate::resolve::Resolved::required_fields`]), not
        /// with the `modified` operator, whose answer depends on the core generation and
        /// on whether the save path passes a changed-field list (bizproc
        /// `lib/activity/conditiongroup.php`; crm `conversion/leadconverter.php` passes
        /// none).
        once_per_entry: bool,
        /// A document date field to wait for before the guard is checked.
        wait_until: Option<&'static str>,
    },
    /// Bitrix24 business process templates cannot express this trigger.
    Unsupported {
        reason: &'static str,
        instead: &'static str,
    },
}

/// A parameter a trigger accepts in the blueprint's trigger object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TriggerParam {
    pub name: &'static str,
    pub description: &'static str,
    pub required: bool,
}

/// Everything the catalog knows about one trigger.
#[derive(Debug, Clone, Serialize)]
pub struct TriggerInfo {
    /// The trigger id used in blueprints, e.g. `deal_won`.
    pub id: &'static str,
    /// What happens in the CRM, in words.
    pub event: &'static str,
    /// The entity whose record starts the workflow.
    pub entity: Entity,
    /// The phrases users are told to write (from the product documentation).
    pub phrases: &'static [&'static str],
    /// Parameters the trigger object may carry.
    pub params: &'static [TriggerParam],
    /// How the trigger becomes a template.
    pub mapping: TriggerMapping,
}

/// Looks a trigger up by id.
pub fn trigger(id: &str) -> Option<&'static TriggerInfo> {
    TRIGGERS.iter().find(|t| t.id == id)
}

/// What kind of value an action field holds. Validation and the schemas follow this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Free text; smart variables may appear inside.
    Text,
    /// A person or group: a smart variable, `user_<id>`, or a name from `[recipients]`.
    Recipient,
    /// An absolute `https` URL.
    Url,
    /// A pipeline stage or status id, e.g. `WON` or `C2:PREPARATION`.
    Stage,
    /// A tag name.
    Tag,
    /// A document field id, e.g. `OPPORTUNITY` or `UF_CRM_SOURCE`.
    Field,
    /// A date-time: a smart variable, an ISO-8601 date-time, or a relative offset such
    /// as `+3d` or `+2h`.
    DateTime,
    /// `low`, `normal` or `high`.
    Priority,
    /// `POST` or `GET`.
    HttpMethod,
    /// A whole number, e.g. an e-mail template id.
    Integer,
}

/// One field of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FieldSpec {
    pub name: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    pub description: &'static str,
}

/// The group an action belongs to, as the product documentation groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionGroup {
    Messaging,
    Tasks,
    Crm,
    Control,
    External,
}

/// One action, as a type: code that handles actions matches on this exhaustively, so a
/// new action cannot be forgotten. Its blueprint id is [`ActionKind::id`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActionKind {
    SendWhatsapp,
    SendEmail,
    SendSms,
    SendNotification,
    SendBitrixMessage,
    CreateTask,
    UpdateTask,
    SetReminder,
    ScheduleCall,
    CreateDeal,
    UpdateDeal,
    CreateContact,
    CreateCompany,
    CreateInvoice,
    CreateQuote,
    AssignResponsible,
    MoveStage,
    UpdateField,
    AddComment,
    AddTag,
    RemoveTag,
    Webhook,
}

impl ActionKind {
    /// The catalog entry for this action.
    pub fn info(self) -> &'static ActionInfo {
        ACTIONS
            .iter()
            .find(|a| a.kind == self)
            .expect("every action kind has a catalog entry")
    }

    /// The blueprint id, e.g. `send_whatsapp`.
    pub fn id(self) -> &'static str {
        self.info().id
    }
}

/// How an action becomes a business process activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActionMapping {
    /// One activity of this class does it.
    Activity {
        /// The platform activity class, e.g. `CrmChangeStatusActivity`.
        activity: &'static str,
        /// The entities whose document type offers the activity.
        available_on: &'static [Entity],
    },
    /// No business process activity can do it from a CRM template.
    Unsupported {
        reason: &'static str,
        instead: &'static str,
    },
}

/// Everything the catalog knows about one action.
#[derive(Debug, Clone, Serialize)]
pub struct ActionInfo {
    #[serde(skip)]
    pub kind: ActionKind,
    /// The action id used in blueprints, e.g. `send_whatsapp`.
    pub id: &'static str,
    pub group: ActionGroup,
    /// What it does, in words.
    pub description: &'static str,
    /// The fields, in the order they are written.
    pub fields: &'static [FieldSpec],
    /// How it becomes an activity, and on which entities.
    pub mapping: ActionMapping,
}

impl ActionInfo {
    /// The spec of one field, if the action has it.
    pub fn field(&self, name: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The entities the action works on (none when it is unsupported).
    pub fn available_on(&self) -> &'static [Entity] {
        match self.mapping {
            ActionMapping::Activity { available_on, .. } => available_on,
            ActionMapping::Unsupported { .. } => &[],
        }
    }
}

/// Looks an action up by id.
pub fn action(id: &str) -> Option<&'static ActionInfo> {
    ACTIONS.iter().find(|a| a.id == id)
}

/// A smart variable: a `{{NAME}}` placeholder that Bitrix24 fills in at run time.
#[derive(Debug, Clone, Serialize)]
pub struct VariableInfo {
    /// The name without braces, e.g. `CONTACT_PHONE`.
    pub name: &'static str,
    pub description: &'static str,
    /// The entities that can supply it, each with the Bitrix24 expression that yields it.
    pub sources: &'static [VariableSource],
}

/// How one entity supplies a smart variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct VariableSource {
    pub entity: Entity,
    /// The Bitrix24 expression, e.g. `{=Document:TITLE}`.
    pub expression: &'static str,
}

impl VariableInfo {
    /// The Bitrix24 expression for this variable on `entity`, if the entity supplies it.
    pub fn expression_for(&self, entity: Entity) -> Option<&'static str> {
        self.sources
            .iter()
            .find(|s| s.entity == entity)
            .map(|s| s.expression)
    }
}

pub use sources::{DEFAULT_SOURCES, is_source_id_form, source_id};

/// Looks a smart variable up by name (without braces).
pub fn variable(name: &str) -> Option<&'static VariableInfo> {
    VARIABLES.iter().find(|v| v.name == name)
}

/// Friendly names for document fields, used by conditions and `update_field`.
/// Each maps a word people write to the Bitrix24 field id.
pub const FIELD_ALIASES: &[(&str, &str)] = &[
    ("amount", "OPPORTUNITY"),
    ("value", "OPPORTUNITY"),
    ("opportunity", "OPPORTUNITY"),
    ("sum", "OPPORTUNITY"),
    ("total", "OPPORTUNITY"),
    ("worth", "OPPORTUNITY"),
    ("budget", "OPPORTUNITY"),
    ("currency", "CURRENCY_ID"),
    ("title", "TITLE"),
    ("name", "TITLE"),
    ("source", "SOURCE_ID"),
    ("stage", "STAGE_ID"),
    ("status", "STATUS_ID"),
    ("probability", "PROBABILITY"),
    ("comments", "COMMENTS"),
    ("comment", "COMMENTS"),
    ("type", "TYPE_ID"),
    ("industry", "INDUSTRY"),
    ("responsible", "ASSIGNED_BY_ID"),
    ("deadline", "DEADLINE"),
    ("priority", "PRIORITY"),
    ("close date", "CLOSEDATE"),
    // A lead's, contact's or company's e-mail and phone are multi-fields named EMAIL and
    // PHONE in the document (crm_multifield; see emulator::crm's field table).
    ("email", "EMAIL"),
    ("e-mail", "EMAIL"),
    ("email address", "EMAIL"),
    ("e-mail address", "EMAIL"),
    ("phone", "PHONE"),
    ("phone number", "PHONE"),
];

/// The Bitrix24 field id for a friendly field name, if there is one.
pub fn field_alias(word: &str) -> Option<&'static str> {
    let word = word.trim().to_ascii_lowercase();
    FIELD_ALIASES
        .iter()
        .find(|(alias, _)| *alias == word)
        .map(|(_, id)| *id)
}

/// Condition operators a blueprint may use, with their meaning.
pub const CONDITION_OPERATORS: &[(&str, &str)] = &[
    ("=", "equals"),
    ("!=", "does not equal"),
    (">", "is greater than"),
    (">=", "is at least"),
    ("<", "is less than"),
    ("<=", "is at most"),
    ("contain", "contains"),
    ("!contain", "does not contain"),
    ("empty", "is empty"),
    ("!empty", "is not empty"),
];

/// A stable digest of the whole catalog, recorded in lockfiles so that a vocabulary
/// change marks them stale.
pub fn fingerprint() -> String {
    // `support` says how b24flow carries each item out, not what a parser may write, so
    // it stays out of the digest: lockfiles are not marked stale when the runner learns
    // a new action.
    let mut doc = serde_json::to_value(Capabilities::get()).expect("the catalog serializes");
    if let Some(map) = doc.as_object_mut() {
        map.remove("support");
    }
    let json = serde_json::to_vec(&doc).expect("the catalog serializes");
    crate::digest::sha256_hex(&json)
}

/// How b24flow carries each trigger and action out: `template` (a business process
/// template in the portal) and/or `runner` (`b24flow run`, from REST events).
#[derive(Debug, Serialize)]
pub struct Support {
    pub triggers: std::collections::BTreeMap<&'static str, Vec<&'static str>>,
    pub actions: std::collections::BTreeMap<&'static str, Vec<&'static str>>,
}

impl Support {
    /// The support of every trigger and action.
    pub fn get() -> Support {
        let triggers = TRIGGERS
            .iter()
            .map(|t| {
                let mut by = Vec::new();
                if matches!(t.mapping, TriggerMapping::Template { .. }) {
                    by.push("template");
                }
                if crate::runner::runs_trigger(t.id) {
                    by.push("runner");
                }
                (t.id, by)
            })
            .collect();
        let actions = ACTIONS
            .iter()
            .map(|a| {
                let mut by = Vec::new();
                if matches!(a.mapping, ActionMapping::Activity { .. }) {
                    by.push("template");
                }
                if crate::runner::runs_action(a.kind) {
                    by.push("runner");
                }
                (a.id, by)
            })
            .collect();
        Support { triggers, actions }
    }
}

/// The catalog as one document: what `b24flow capabilities --json` prints and
/// `GET /capabilities` serves.
#[derive(Debug, Serialize)]
pub struct Capabilities {
    pub catalog_version: u32,
    pub triggers: &'static [TriggerInfo],
    pub actions: &'static [ActionInfo],
    pub entities: &'static [EntityInfo],
    pub variables: &'static [VariableInfo],
    pub condition_operators: Vec<ConditionOperator>,
    /// How each trigger and action is carried out.
    pub support: Support,
}

/// One condition operator in the capabilities listing.
#[derive(Debug, Serialize)]
pub struct ConditionOperator {
    pub id: &'static str,
    pub meaning: &'static str,
}

impl Capabilities {
    /// The whole catalog.
    pub fn get() -> Self {
        Capabilities {
            catalog_version: CATALOG_VERSION,
            triggers: TRIGGERS,
            actions: ACTIONS,
            entities: ENTITIES,
            variables: VARIABLES,
            condition_operators: CONDITION_OPERATORS
                .iter()
                .map(|(id, meaning)| ConditionOperator { id, meaning })
                .collect(),
            support: Support::get(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn counts_match_the_product_documentation() {
        assert_eq!(TRIGGERS.len(), 21);
        assert_eq!(ACTIONS.len(), 22);
        assert_eq!(VARIABLES.len(), 19);
    }

    #[test]
    fn ids_are_unique() {
        let triggers: BTreeSet<_> = TRIGGERS.iter().map(|t| t.id).collect();
        let actions: BTreeSet<_> = ACTIONS.iter().map(|a| a.id).collect();
        let variables: BTreeSet<_> = VARIABLES.iter().map(|v| v.name).collect();
        assert_eq!(triggers.len(), TRIGGERS.len());
        assert_eq!(actions.len(), ACTIONS.len());
        assert_eq!(variables.len(), VARIABLES.len());
    }

    #[test]
    fn every_variable_has_a_source_and_every_entity_an_entry() {
        for v in VARIABLES {
            assert!(!v.sources.is_empty(), "{} has no source", v.name);
        }
        for e in ENTITIES {
            assert_eq!(e.entity.info().id, e.id);
            assert_eq!(Entity::from_id(e.id), Some(e.entity));
        }
    }

    #[test]
    fn each_action_kind_has_one_entry_and_its_availability_is_pinned() {
        for a in ACTIONS {
            assert_eq!(a.kind.info().id, a.id);
            assert_eq!(a.kind.id(), a.id);
            for e in a.available_on() {
                assert!(e.info().document_type.is_some(), "{} on {e:?}", a.id);
            }
        }
        let supported = ACTIONS
            .iter()
            .filter(|a| matches!(a.mapping, ActionMapping::Activity { .. }))
            .count();
        assert_eq!(supported, 19);
        let on = |id: &str| action(id).unwrap().available_on().to_vec();
        assert_eq!(on("move_stage"), [Entity::Deal, Entity::Lead]);
        assert!(!on("schedule_call").contains(&Entity::Invoice));
        for (kind, entity, _) in NOT_OFFERED {
            assert!(!kind.info().available_on().contains(entity), "{kind:?}");
            assert!(entity.info().document_type.is_some());
        }
        assert_eq!(
            on("set_reminder"),
            [Entity::Deal, Entity::Lead, Entity::Contact, Entity::Company]
        );
        assert_eq!(on("update_deal"), [Entity::Deal]);
        assert_eq!(on("send_whatsapp").len(), 6);
        for id in ["update_task", "add_tag", "remove_tag"] {
            assert!(on(id).is_empty(), "{id}");
        }
    }

    /// A transition is one state row the template can negate (entered / left), or the
    /// `{stage}` row that an absent parameter drops ("any stage").
    #[test]
    fn transitions_have_one_state_row_with_a_negation() {
        for t in TRIGGERS {
            if let TriggerMapping::Template {
                guard,
                once_per_entry: true,
                ..
            } = t.mapping
            {
                assert_eq!(guard.len(), 1, "{}", t.id);
                assert!(
                    ["=", "in"].contains(&guard[0].operator),
                    "{}: {}",
                    t.id,
                    guard[0].operator
                );
            }
        }
    }

    #[test]
    fn every_trigger_and_action_is_supported_by_a_template_or_the_runner() {
        let support = Support::get();
        assert_eq!(support.triggers.len(), 21);
        assert_eq!(support.actions.len(), 22);
        for (id, by) in support.triggers.iter().chain(&support.actions) {
            assert!(!by.is_empty(), "{id} is not supported");
        }
        assert_eq!(support.triggers["task_completed"], ["runner"]);
        assert_eq!(support.actions["add_tag"], ["runner"]);
        assert_eq!(support.actions["send_email"], ["template", "runner"]);
        assert_eq!(support.actions["send_sms"], ["template"]);
    }

    #[test]
    fn template_triggers_have_a_document_type() {
        for t in TRIGGERS {
            if let TriggerMapping::Template { .. } = t.mapping {
                assert!(t.entity.info().document_type.is_some(), "{}", t.id);
            }
        }
    }
}
