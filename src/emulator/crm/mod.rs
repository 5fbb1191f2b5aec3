//! The emulated portal's CRM: leads, deals, contacts, companies, quotes and smart
//! invoices, the tasks, to-dos, calls and comments workflows create, and the seeded
//! users, departments, pipelines and stages.
//!
//! Records are kept with the platform's compatible (upper-case) field names, which is
//! what business processes see (`Item::getCompatibleData` for quotes and smart invoices);
//! `crm.item.*` converts to and from its camelCase names at the REST edge.
//!
//! Invariants: ids per kind start at 1 and are never reused; a record's stage always
//! belongs to its category; [`Crm::document`] derives `STAGE_SEMANTIC_ID` only on deals
//! and `STATUS_SEMANTIC_ID` only on leads, exactly as the platform does (smart invoices
//! and quotes have none, `crm/lib/Model/Dynamic/PrototypeItem.php`).

pub(crate) mod directory;
pub(crate) mod rest;
pub(crate) mod userfields;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::dates;

/// A CRM entity kind the emulator stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Kind {
    /// `crm.lead.*`, entity type 1.
    Lead,
    /// `crm.deal.*`, entity type 2.
    Deal,
    /// `crm.contact.*`, entity type 3.
    Contact,
    /// `crm.company.*`, entity type 4.
    Company,
    /// `crm.item.*` with entityTypeId 7.
    Quote,
    /// `crm.item.*` with entityTypeId 31.
    SmartInvoice,
}

impl Kind {
    /// All kinds.
    pub const ALL: [Kind; 6] = [
        Kind::Lead,
        Kind::Deal,
        Kind::Contact,
        Kind::Company,
        Kind::Quote,
        Kind::SmartInvoice,
    ];

    /// `CCrmOwnerType` id.
    pub fn entity_type_id(self) -> i64 {
        match self {
            Kind::Lead => 1,
            Kind::Deal => 2,
            Kind::Contact => 3,
            Kind::Company => 4,
            Kind::Quote => 7,
            Kind::SmartInvoice => 31,
        }
    }

    /// The kind of a `CCrmOwnerType` id.
    pub fn from_entity_type_id(id: i64) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.entity_type_id() == id)
    }

    /// The business process document type (`CCrmBizProcHelper::ResolveDocumentType`).
    pub fn document_type(self) -> [&'static str; 3] {
        match self {
            Kind::Lead => ["crm", "CCrmDocumentLead", "LEAD"],
            Kind::Deal => ["crm", "CCrmDocumentDeal", "DEAL"],
            Kind::Contact => ["crm", "CCrmDocumentContact", "CONTACT"],
            Kind::Company => ["crm", "CCrmDocumentCompany", "COMPANY"],
            Kind::Quote => [
                "crm",
                "Bitrix\\Crm\\Integration\\BizProc\\Document\\Quote",
                "QUOTE",
            ],
            Kind::SmartInvoice => [
                "crm",
                "Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice",
                "SMART_INVOICE",
            ],
        }
    }

    /// The kind whose document type is `(entity, type)`.
    pub fn from_document_type(entity: &str, document_type: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| {
            let [_, e, t] = k.document_type();
            e == entity && t == document_type
        })
    }

    /// The document id's third part (`CCrmBizProcHelper::ResolveDocumentId`):
    /// `DEAL_5`, `SMART_INVOICE_5`.
    pub fn document_id(self, id: u64) -> String {
        format!("{}_{id}", self.document_type()[2])
    }

    /// The lower-case name used in timeline and activity bindings.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Lead => "lead",
            Kind::Deal => "deal",
            Kind::Contact => "contact",
            Kind::Company => "company",
            Kind::Quote => "quote",
            Kind::SmartInvoice => "smart_invoice",
        }
    }

    /// The field holding the record's stage, if it has one.
    pub fn stage_field(self) -> Option<&'static str> {
        match self {
            Kind::Lead => Some("STATUS_ID"),
            Kind::Deal | Kind::Quote | Kind::SmartInvoice => Some("STAGE_ID"),
            Kind::Contact | Kind::Company => None,
        }
    }

    /// The `crm.status.list` entity id of a category's stages.
    pub fn status_entity(self, category: i64) -> Option<String> {
        match self {
            Kind::Lead => Some("STATUS".into()),
            Kind::Deal if category == 0 => Some("DEAL_STAGE".into()),
            Kind::Deal => Some(format!("DEAL_STAGE_{category}")),
            Kind::Quote => Some("QUOTE_STATUS".into()),
            Kind::SmartInvoice => Some(format!("DYNAMIC_31_STAGE_{category}")),
            Kind::Contact | Kind::Company => None,
        }
    }

    /// The category new records get.
    pub fn default_category(self) -> i64 {
        match self {
            Kind::SmartInvoice => SMART_INVOICE_CATEGORY,
            _ => 0,
        }
    }
}

/// The default smart-invoice pipeline's id. The platform creates it on first use, so its
/// id differs between portals; 1 is what a fresh portal usually gets (unconfirmed).
pub const SMART_INVOICE_CATEGORY: i64 = 1;

/// A field's type, as `crm.*.fields` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Integer.
    Integer,
    /// Float.
    Double,
    /// Text.
    String,
    /// `Y`/`N`.
    Char,
    /// Date without time.
    Date,
    /// Date and time.
    DateTime,
    /// A user id.
    User,
    /// A stage or status id.
    Status,
    /// A contact id.
    Contact,
    /// A company id.
    Company,
    /// A pipeline id.
    Category,
    /// Phones, e-mails: `[{VALUE, VALUE_TYPE}]`.
    Multifield,
}

impl FieldType {
    /// The name `fields` shows.
    pub fn name(self) -> &'static str {
        match self {
            FieldType::Integer => "integer",
            FieldType::Double => "double",
            FieldType::String => "string",
            FieldType::Char => "char",
            FieldType::Date => "date",
            FieldType::DateTime => "datetime",
            FieldType::User => "user",
            FieldType::Status => "crm_status",
            FieldType::Contact => "crm_contact",
            FieldType::Company => "crm_company",
            FieldType::Category => "crm_category",
            FieldType::Multifield => "crm_multifield",
        }
    }
}

/// One field of a kind: compatible name, type, read-only, required on add.
pub(crate) struct Field {
    pub name: &'static str,
    pub ty: FieldType,
    pub read_only: bool,
    pub required: bool,
}

const fn f(name: &'static str, ty: FieldType) -> Field {
    Field {
        name,
        ty,
        read_only: false,
        required: false,
    }
}
const fn ro(name: &'static str, ty: FieldType) -> Field {
    Field {
        name,
        ty,
        read_only: true,
        required: false,
    }
}
const fn req(name: &'static str, ty: FieldType) -> Field {
    Field {
        name,
        ty,
        read_only: false,
        required: true,
    }
}

use FieldType as T;

const COMMON: [Field; 6] = [
    ro("ID", T::Integer),
    f("ASSIGNED_BY_ID", T::User),
    ro("CREATED_BY_ID", T::User),
    ro("MODIFY_BY_ID", T::User),
    ro("DATE_CREATE", T::DateTime),
    ro("DATE_MODIFY", T::DateTime),
];

const DEAL: [Field; 13] = [
    f("TITLE", T::String),
    f("CATEGORY_ID", T::Category),
    f("STAGE_ID", T::Status),
    ro("STAGE_SEMANTIC_ID", T::String),
    f("OPPORTUNITY", T::Double),
    f("CURRENCY_ID", T::String),
    f("CONTACT_ID", T::Contact),
    f("COMPANY_ID", T::Company),
    f("LEAD_ID", T::Integer),
    f("BEGINDATE", T::Date),
    f("CLOSEDATE", T::Date),
    ro("CLOSED", T::Char),
    f("COMMENTS", T::String),
];

const LEAD: [Field; 12] = [
    f("TITLE", T::String),
    f("NAME", T::String),
    f("LAST_NAME", T::String),
    f("STATUS_ID", T::Status),
    ro("STATUS_SEMANTIC_ID", T::String),
    f("COMPANY_TITLE", T::String),
    f("OPPORTUNITY", T::Double),
    f("CURRENCY_ID", T::String),
    f("PHONE", T::Multifield),
    f("EMAIL", T::Multifield),
    f("IM", T::Multifield),
    f("COMMENTS", T::String),
];

const CONTACT: [Field; 6] = [
    f("NAME", T::String),
    f("LAST_NAME", T::String),
    f("COMPANY_ID", T::Company),
    f("PHONE", T::Multifield),
    f("EMAIL", T::Multifield),
    f("IM", T::Multifield),
];

const COMPANY: [Field; 4] = [
    req("TITLE", T::String),
    f("PHONE", T::Multifield),
    f("EMAIL", T::Multifield),
    f("IM", T::Multifield),
];

const ITEM: [Field; 10] = [
    f("TITLE", T::String),
    f("CATEGORY_ID", T::Category),
    f("STAGE_ID", T::Status),
    f("OPPORTUNITY", T::Double),
    f("CURRENCY_ID", T::String),
    f("CONTACT_ID", T::Contact),
    f("COMPANY_ID", T::Company),
    f("BEGINDATE", T::Date),
    f("CLOSEDATE", T::Date),
    f("PARENT_ID_2", T::Integer),
];

/// The fields of a kind, in `fields` order.
pub(crate) fn fields(kind: Kind) -> Vec<&'static Field> {
    let own: &'static [Field] = match kind {
        Kind::Deal => &DEAL,
        Kind::Lead => &LEAD,
        Kind::Contact => &CONTACT,
        Kind::Company => &COMPANY,
        Kind::Quote | Kind::SmartInvoice => &ITEM,
    };
    COMMON
        .iter()
        .take(1)
        .chain(own)
        .chain(COMMON.iter().skip(1))
        .collect()
}

/// The field named `name` on `kind`.
pub(crate) fn field(kind: Kind, name: &str) -> Option<&'static Field> {
    fields(kind).into_iter().find(|f| f.name == name)
}

/// A stage: id, name, semantics (`P`, `S`, `F`), sort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// `STATUS_ID`, e.g. `WON` or `C1:WON` or `DT31_1:P`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `P` in progress, `S` success, `F` failure (`crm/lib/phasesemantics.php`).
    pub semantics: char,
    /// Sort order.
    pub sort: i64,
}

/// The categories (pipelines) of a kind: id and name.
pub fn categories(kind: Kind) -> Vec<(i64, &'static str)> {
    match kind {
        Kind::Deal => vec![(0, "General"), (1, "Repeat sales")],
        Kind::SmartInvoice => vec![(SMART_INVOICE_CATEGORY, "Invoices")],
        Kind::Lead | Kind::Quote | Kind::Contact | Kind::Company => vec![(0, "General")],
    }
}

/// The stages of one category, the platform's defaults (`CCrmStatus::GetDefault*`).
pub fn stages(kind: Kind, category: i64) -> Vec<Stage> {
    let base: &[(&str, &str, char)] = match kind {
        Kind::Deal => &[
            ("NEW", "New", 'P'),
            ("PREPARATION", "Preparing documents", 'P'),
            ("PREPAYMENT_INVOICE", "Invoice", 'P'),
            ("EXECUTING", "In progress", 'P'),
            ("FINAL_INVOICE", "Final invoice", 'P'),
            ("WON", "Deal won", 'S'),
            ("LOSE", "Deal lost", 'F'),
            ("APOLOGY", "Analyze failure", 'F'),
        ],
        Kind::Lead => &[
            ("NEW", "Unassigned", 'P'),
            ("IN_PROCESS", "In progress", 'P'),
            ("PROCESSED", "Processed", 'P'),
            ("CONVERTED", "Good lead", 'S'),
            ("JUNK", "Junk lead", 'F'),
        ],
        Kind::Quote => &[
            ("DRAFT", "New", 'P'),
            ("SENT", "Sent to client", 'P'),
            ("APPROVED", "Approved", 'S'),
            ("DECLAINED", "Declined", 'F'),
        ],
        // Copied from the old invoice statuses N, S, P, D with the `DT31_<cat>:` prefix.
        Kind::SmartInvoice => &[
            ("N", "New", 'P'),
            ("S", "Sent", 'P'),
            ("P", "Paid", 'S'),
            ("D", "Refused", 'F'),
        ],
        Kind::Contact | Kind::Company => &[],
    };
    if !categories(kind).iter().any(|(id, _)| *id == category) {
        return Vec::new();
    }
    let prefix = match kind {
        Kind::Deal if category > 0 => format!("C{category}:"),
        Kind::SmartInvoice => format!("DT31_{category}:"),
        _ => String::new(),
    };
    base.iter()
        .zip(1..)
        .map(|((id, name, semantics), i)| Stage {
            id: format!("{prefix}{id}"),
            name: (*name).to_owned(),
            semantics: *semantics,
            sort: i * 10,
        })
        .collect()
}

/// The category a stage id belongs to (`CCrmDocumentDeal` reads the `C<n>:` prefix).
pub(crate) fn stage_category(kind: Kind, stage: &str) -> Option<i64> {
    categories(kind)
        .into_iter()
        .map(|(id, _)| id)
        .find(|cat| stages(kind, *cat).iter().any(|s| s.id == stage))
}

/// The stage tables a portal's records are checked against: its directory when it has
/// one (a seeded portal: custom `UC_` stages, pipelines added with `crm.category.add`,
/// stages added or deleted with `crm.status.*`), else the platform's defaults. On a real
/// portal both come from the same `b_crm_status` rows: a pipeline's stages are
/// `DealCategory::getStageList($categoryId)` (CORP `crm/lib/category/dealcategory.php`),
/// which the deal's automation target also reads for its statuses (`getEntityStatuses`),
/// so a stage the portal lists is a stage a record can be in, and a deleted one is not.
#[derive(Debug, Clone, Copy)]
pub struct StageBook<'a>(pub Option<&'a directory::Directory>);

impl StageBook<'_> {
    /// The stages of one category, in their sort order; empty for a category the portal
    /// does not have.
    pub(crate) fn list(self, kind: Kind, category: i64) -> Vec<Stage> {
        let Some(dir) = self.0 else {
            return stages(kind, category);
        };
        let known = match kind {
            Kind::Deal | Kind::SmartInvoice => dir
                .categories
                .iter()
                .any(|c| c.entity_type_id == kind.entity_type_id() && c.id == category),
            Kind::Lead | Kind::Quote => category == 0,
            Kind::Contact | Kind::Company => false,
        };
        let Some(entity) = kind.status_entity(category).filter(|_| known) else {
            return Vec::new();
        };
        let mut rows: Vec<Stage> = dir
            .statuses
            .iter()
            .filter(|s| s.entity_id == entity)
            .map(|s| Stage {
                id: s.status_id.clone(),
                name: s.name.clone(),
                semantics: match s.semantics.as_str() {
                    "S" => 'S',
                    "F" => 'F',
                    _ => 'P',
                },
                sort: s.sort,
            })
            .collect();
        rows.sort_by_key(|s| s.sort);
        rows
    }

    /// The category a stage belongs to.
    pub(crate) fn category_of(self, kind: Kind, stage: &str) -> Option<i64> {
        let Some(dir) = self.0 else {
            return stage_category(kind, stage);
        };
        let mut cats: Vec<i64> = dir
            .categories
            .iter()
            .filter(|c| c.entity_type_id == kind.entity_type_id())
            .map(|c| c.id)
            .collect();
        if matches!(kind, Kind::Lead | Kind::Quote) {
            cats = vec![0];
        }
        cats.into_iter()
            .find(|cat| self.list(kind, *cat).iter().any(|s| s.id == stage))
    }

    /// The stage with this id, in whichever category holds it.
    pub(crate) fn find(self, kind: Kind, stage: &str) -> Option<Stage> {
        self.category_of(kind, stage)
            .and_then(|c| self.list(kind, c).into_iter().find(|s| s.id == stage))
    }
}

/// A seeded employee.
#[derive(Debug, Clone, Copy)]
pub struct User {
    /// Id.
    pub id: u64,
    /// First name.
    pub name: &'static str,
    /// Last name.
    pub last_name: &'static str,
    /// E-mail.
    pub email: &'static str,
    /// Mobile phone.
    pub phone: &'static str,
    /// Departments.
    pub departments: &'static [u64],
}

/// The portal's employees. User 1 is the administrator the local application acts for.
pub const USERS: [User; 4] = [
    User {
        id: 1,
        name: "Anna",
        last_name: "Admin",
        email: "anna@example.com",
        phone: "+10000000001",
        departments: &[1],
    },
    User {
        id: 2,
        name: "Sam",
        last_name: "Seller",
        email: "sam@example.com",
        phone: "+10000000002",
        departments: &[12],
    },
    User {
        id: 3,
        name: "Sara",
        last_name: "Sales",
        email: "sara@example.com",
        phone: "+10000000003",
        departments: &[12],
    },
    User {
        id: 4,
        name: "Mark",
        last_name: "Manager",
        email: "mark@example.com",
        phone: "+10000000004",
        departments: &[13],
    },
];

/// Departments: id, name, parent, head.
pub const DEPARTMENTS: [(u64, &str, Option<u64>, u64); 3] = [
    (1, "Company", None, 1),
    (12, "Sales", Some(1), 2),
    (13, "Service", Some(1), 4),
];

/// A seeded user by id.
pub fn user(id: u64) -> Option<&'static User> {
    USERS.iter().find(|u| u.id == id)
}

/// Users of a department; with `recursive`, of its sub-departments too
/// (`CBPHelper::extractUsersFromExtendedGroup`: `D<n>` direct, `DR<n>` recursive).
pub fn department_users(department: u64, recursive: bool) -> Vec<u64> {
    let mut depts = vec![department];
    if recursive {
        let mut i = 0;
        while i < depts.len() {
            let parent = depts[i];
            depts.extend(
                DEPARTMENTS
                    .iter()
                    .filter(|d| d.2 == Some(parent))
                    .map(|d| d.0),
            );
            i += 1;
        }
    }
    USERS
        .iter()
        .filter(|u| u.departments.iter().any(|d| depts.contains(d)))
        .map(|u| u.id)
        .collect()
}

/// A stored CRM record: compatible field name to value.
pub type Record = Map<String, Value>;

/// Everything the CRM holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Crm {
    /// The last id given per kind, and for `task`, `activity`, `comment`.
    pub last_ids: BTreeMap<String, u64>,
    /// Records by kind and id.
    pub records: BTreeMap<Kind, BTreeMap<u64, Record>>,
    /// Tasks by id (`tasks.task.*` camelCase fields).
    pub tasks: BTreeMap<u64, Map<String, Value>>,
    /// Activities (to-dos, calls) by id (`crm.activity.list` fields).
    pub activities: BTreeMap<u64, Map<String, Value>>,
    /// Timeline comments by id (`crm.timeline.comment.list` fields).
    pub comments: BTreeMap<u64, Map<String, Value>>,
    /// Declared user fields per kind, as `crm.<entity>.userfield.list` rows.
    pub user_fields: BTreeMap<Kind, Vec<Map<String, Value>>>,
}

impl Crm {
    /// The next id for `what` (a kind's name, `task`, `activity`, `comment`).
    pub(crate) fn allocate(&mut self, what: &str) -> u64 {
        let slot = self.last_ids.entry(what.to_owned()).or_insert(0);
        *slot += 1;
        *slot
    }

    /// A stored record.
    pub fn record(&self, kind: Kind, id: u64) -> Option<&Record> {
        self.records.get(&kind).and_then(|r| r.get(&id))
    }

    /// The record as its business process document sees it: the stored fields, users
    /// as `user_<id>` (`appendDefaultUserPrefixes`), dates in the site format, and the
    /// derived semantics field of deals and leads only.
    pub fn document(
        &self,
        kind: Kind,
        id: u64,
        date_format: &str,
        book: StageBook<'_>,
    ) -> Option<Record> {
        let stored = self.record(kind, id)?;
        let mut doc = Record::new();
        for field in fields(kind) {
            let value = stored.get(field.name).cloned().unwrap_or(Value::Null);
            let value = match field.ty {
                T::User => match as_u64(&value) {
                    Some(n) if n > 0 => json!(format!("user_{n}")),
                    _ => Value::Null,
                },
                T::Date | T::DateTime => match value.as_str().and_then(dates::parse_iso) {
                    Some(t) => json!(if field.ty == T::Date {
                        dates::format_site(t, dates::date_part(date_format))
                    } else {
                        dates::format_site(t, date_format)
                    }),
                    None => Value::Null,
                },
                _ => value,
            };
            doc.insert(field.name.to_owned(), value);
        }
        for (k, v) in stored {
            if k.starts_with("UF_") {
                doc.insert(k.clone(), v.clone());
            }
        }
        // STAGE_SEMANTIC_ID exists on deals (DealTable) and STATUS_SEMANTIC_ID on leads;
        // quotes and smart invoices carry no semantics field at all.
        if let Some(sf) = kind.stage_field() {
            let stage = stored.get(sf).and_then(Value::as_str).unwrap_or("");
            let semantics = book.find(kind, stage).map(|s| s.semantics.to_string());
            match kind {
                Kind::Deal => {
                    doc.insert("STAGE_SEMANTIC_ID".into(), json!(semantics));
                }
                Kind::Lead => {
                    doc.insert("STATUS_SEMANTIC_ID".into(), json!(semantics));
                }
                Kind::Quote => {
                    // Quote::getCompatibleData names the stage STATUS_ID.
                    doc.insert("STATUS_ID".into(), json!(stage));
                }
                _ => {}
            }
        }
        Some(doc)
    }

    /// The client of a record, for the e-mail, SMS, Open Channel and call activities:
    /// the record itself for leads, contacts and companies, else its contact, else its
    /// company.
    pub fn client(&self, kind: Kind, id: u64) -> Option<(Kind, u64)> {
        match kind {
            Kind::Lead | Kind::Contact | Kind::Company => Some((kind, id)),
            _ => {
                let rec = self.record(kind, id)?;
                for (field, k) in [("CONTACT_ID", Kind::Contact), ("COMPANY_ID", Kind::Company)] {
                    if let Some(cid) = rec.get(field).and_then(as_u64).filter(|n| *n > 0)
                        && self.record(k, cid).is_some()
                    {
                        return Some((k, cid));
                    }
                }
                None
            }
        }
    }

    /// The first value of a multifield (`PHONE`, `EMAIL`) on a record.
    pub fn first_multi(&self, kind: Kind, id: u64, field: &str) -> Option<String> {
        multi_values(self.record(kind, id)?.get(field)?)
            .into_iter()
            .next()
    }

    /// A printable name: `NAME LAST_NAME` for people, `TITLE` otherwise.
    pub fn printable(&self, kind: Kind, id: u64) -> Option<String> {
        let rec = self.record(kind, id)?;
        let text = |k: &str| rec.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
        Some(match kind {
            Kind::Contact => format!("{} {}", text("NAME"), text("LAST_NAME"))
                .trim()
                .to_owned(),
            _ => text("TITLE"),
        })
    }
}

/// The values of a multifield: `[{VALUE, VALUE_TYPE}]`, a plain string or a list.
pub(crate) fn multi_values(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) if !s.is_empty() => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(|i| match i {
                Value::Object(m) => m.get("VALUE").and_then(Value::as_str).map(str::to_owned),
                Value::String(s) => Some(s.clone()),
                _ => None,
            })
            .filter(|s| !s.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

/// A positive integer from a JSON number or a digit string.
pub(crate) fn as_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_and_categories() {
        assert_eq!(stage_category(Kind::Deal, "WON"), Some(0));
        assert_eq!(stage_category(Kind::Deal, "C1:WON"), Some(1));
        assert_eq!(stage_category(Kind::Deal, "C2:WON"), None);
        assert_eq!(stage_category(Kind::SmartInvoice, "DT31_1:P"), Some(1));
        assert_eq!(department_users(1, true), vec![1, 2, 3, 4]);
        assert_eq!(department_users(12, false), vec![2, 3]);
    }

    #[test]
    fn smart_invoices_have_no_semantics_field() {
        let mut crm = Crm::default();
        let mut rec = Record::new();
        rec.insert("STAGE_ID".into(), json!("DT31_1:P"));
        crm.records
            .entry(Kind::SmartInvoice)
            .or_default()
            .insert(1, rec.clone());
        let mut deal = Record::new();
        deal.insert("STAGE_ID".into(), json!("WON"));
        crm.records.entry(Kind::Deal).or_default().insert(1, deal);
        let inv = crm
            .document(
                Kind::SmartInvoice,
                1,
                "DD.MM.YYYY HH:MI:SS",
                StageBook(None),
            )
            .unwrap();
        assert!(!inv.contains_key("STAGE_SEMANTIC_ID"));
        let d = crm
            .document(Kind::Deal, 1, "DD.MM.YYYY HH:MI:SS", StageBook(None))
            .unwrap();
        assert_eq!(d["STAGE_SEMANTIC_ID"], json!("S"));
    }
}
