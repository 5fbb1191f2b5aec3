//! The portal's directory: pipelines (categories), their stages (statuses), users,
//! departments and smart-process types, when they differ from the built-in defaults:
//! a seeded portal (`emulator --seed N`) or one whose stages were changed through REST.
//!
//! The default portal has no directory (`State::directory` is `None`) and answers reads
//! from the fixed tables in [`super`] exactly as before; the first write
//! (`crm.status.add`/`update`/`delete`, `crm.category.add`) copies those tables into a
//! directory, which answers from then on. A seed builds the same portal shape with other
//! ids: the same names, different category ids, `UC_…` stage codes, user and department
//! ids and user-field names, so the same spec compiles to different ids per copy.
//!
//! Reply shapes (REST docs, bitrix24/b24restdocs): `crm.status.add` returns the new row
//! id, `update`/`delete` `true` (`api-reference/crm/status/crm-status-*.md`); a stage
//! added to `DEAL_STAGE_<n>` gets the `C<n>:` prefix on its STATUS_ID (crm-status-add.md:
//! "the pipeline prefix is added automatically"); `crm.category.add` returns
//! `{category: {...}}` and `crm.type.list` `{types: [...]}` with `total`
//! (`api-reference/crm/universal/category/crm-category-add.md`,
//! `.../user-defined-object-types/crm-type-list.md`). The smart invoice in
//! `crm.type.list` is an assumption (the system type may be hidden there).
//!
//! `messageservice.sender.list` answers an application (an administrator's) with the
//! codes it registered, a plain array (messageservice-sender-list.md); a webhook gets
//! `ACCESS_DENIED` "Application context required". `imopenlines.config.list.get` answers
//! an unpaged plain list of line rows with `ID`, `ACTIVE`, `LINE_NAME` (imopenlines
//! `Rest::configListGet` returns `Config::getList` of `lib/config.php`: `ConfigTable` rows,
//! no `total`, no `next`). A seeded portal has the SMS providers
//! `acme_sms` and `acme_sms_backup` and the lines *WhatsApp* and *Website chat*.
//!
//! Limitation: records (`crm.deal.add` and the engine) still check stages against the
//! fixed tables, so a record cannot enter a stage only a directory has.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{Kind, categories, stages};
use crate::emulator::params::{php_int, php_string, upper_keys};
use crate::emulator::portal::{Caller, Outcome, RestError};
use crate::emulator::store::State;

/// The methods a directory answers (lower case). The first four are also answered by
/// [`super::rest`] for the default portal.
pub(crate) const METHODS: [&str; 11] = [
    "crm.status.list",
    "crm.category.list",
    "user.get",
    "department.get",
    "crm.type.list",
    "crm.status.add",
    "crm.status.update",
    "crm.status.delete",
    "crm.category.add",
    "messageservice.sender.list",
    "imopenlines.config.list.get",
];

/// Methods only this module answers, on every portal.
const OWN: [&str; 7] = [
    "messageservice.sender.list",
    "imopenlines.config.list.get",
    "crm.type.list",
    "crm.status.add",
    "crm.status.update",
    "crm.status.delete",
    "crm.category.add",
];

/// Whether this module answers `method` on this portal (the shared reads only when the
/// portal has a directory).
pub(crate) fn handles(state: &State, method: &str) -> bool {
    OWN.contains(&method) || (METHODS.contains(&method) && state.directory.is_some())
}

/// A pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub entity_type_id: i64,
    pub id: i64,
    pub name: String,
    pub sort: i64,
}

/// A `b_crm_status` row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::struct_field_names)] // STATUS_ID is the platform's column name.
pub struct Status {
    /// The row id.
    pub id: u64,
    pub entity_id: String,
    pub status_id: String,
    pub name: String,
    pub sort: i64,
    /// `S`, `F`, or empty (in progress).
    pub semantics: String,
    /// The category, for pipeline stages.
    pub category_id: Option<i64>,
    /// System rows (NEW, WON, LOSE, ...) cannot be deleted.
    pub system: bool,
}

/// An employee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: u64,
    pub name: String,
    pub last_name: String,
    pub email: String,
    pub departments: Vec<u64>,
}

/// A department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub id: u64,
    pub name: String,
    pub parent: Option<u64>,
    pub head: u64,
}

/// A smart-process type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmartType {
    pub id: u64,
    pub entity_type_id: i64,
    pub title: String,
}

/// Everything the directory holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Directory {
    pub categories: Vec<Category>,
    pub statuses: Vec<Status>,
    pub users: Vec<User>,
    pub departments: Vec<Department>,
    pub types: Vec<SmartType>,
    /// SMS provider codes registered through `messageservice.sender.add`. The emulator
    /// keeps no owner per code: every application sees them all as its own.
    pub sms_senders: Vec<String>,
    /// Open Channel lines: id and `LINE_NAME`.
    pub open_lines: Vec<(u64, String)>,
    next_status: u64,
    next_category: i64,
}

/// A six-character stage code after `UC_`, as the kanban editor makes (random on a real
/// portal; here derived from the seed and the name, so copies are reproducible).
fn uc_code(seed: u64, name: &str) -> String {
    let digest = crate::digest::sha256_hex(format!("{seed}:{name}").as_bytes());
    format!("UC_{}", digest[..6].to_ascii_uppercase())
}

/// A seeded stage's code: the fixed one (`NEW`, `WON`, ...) where the table gives one,
/// else one the editor would make ([`uc_code`]).
fn stage_code(seed: u64, id: &str, name: &str) -> String {
    if id.is_empty() {
        uc_code(seed, name)
    } else {
        id.to_owned()
    }
}

impl Directory {
    /// The built-in default portal's tables, as a directory.
    pub fn defaults() -> Directory {
        let mut d = Directory::default();
        for kind in Kind::ALL {
            for (i, (cat, name)) in (0..).zip(categories(kind)) {
                if matches!(kind, Kind::Deal | Kind::SmartInvoice) {
                    d.categories.push(Category {
                        entity_type_id: kind.entity_type_id(),
                        id: cat,
                        name: name.to_owned(),
                        sort: (i + 1) * 100,
                    });
                }
                let Some(entity) = kind.status_entity(cat) else {
                    continue;
                };
                for s in stages(kind, cat) {
                    let category_id = (!matches!(kind, Kind::Lead | Kind::Quote)).then_some(cat);
                    d.push_status(
                        &entity,
                        &s.id,
                        &s.name,
                        s.sort,
                        s.semantics,
                        category_id,
                        true,
                    );
                }
            }
        }
        d.users = super::USERS
            .iter()
            .map(|u| User {
                id: u.id,
                name: u.name.to_owned(),
                last_name: u.last_name.to_owned(),
                email: u.email.to_owned(),
                departments: u.departments.to_vec(),
            })
            .collect();
        d.departments = super::DEPARTMENTS
            .iter()
            .map(|(id, name, parent, head)| Department {
                id: *id,
                name: (*name).to_owned(),
                parent: *parent,
                head: *head,
            })
            .collect();
        d.types = vec![SmartType {
            id: 1,
            entity_type_id: 31,
            title: "Invoices".into(),
        }];
        d.next_category = d.categories.iter().map(|c| c.id).max().unwrap_or(0) + 1;
        d
    }

    /// A realistic portal, numbered by `seed` (1, 2, ...): a Sales pipeline (0) and a
    /// Repeat sales pipeline with custom stages, an invoice pipeline, five users (two
    /// of them namesakes) in three departments, and the smart-invoice type. Every copy
    /// has the same names; the ids after the general pipeline's system stages differ.
    pub fn seeded(seed: u64) -> Directory {
        let n = i64::try_from(seed % 1000).unwrap_or(1);
        let mut d = Directory {
            next_status: 100 * seed,
            ..Directory::default()
        };
        let repeat = 2 + n;
        let invoices = 1 + n;
        d.categories = vec![
            Category {
                entity_type_id: 2,
                id: 0,
                name: "Sales".into(),
                sort: 100,
            },
            Category {
                entity_type_id: 2,
                id: repeat,
                name: "Repeat sales".into(),
                sort: 200,
            },
            Category {
                entity_type_id: 31,
                id: invoices,
                name: "Invoices".into(),
                sort: 100,
            },
        ];
        let sales: [(&str, &str, char); 6] = [
            ("NEW", "New", 'P'),
            ("PREPARATION", "Qualification", 'P'),
            ("", "Proposal", 'P'),
            ("", "Contract", 'P'),
            ("WON", "Deal won", 'S'),
            ("LOSE", "Deal lost", 'F'),
        ];
        for (i, (id, name, sem)) in (1..).zip(sales) {
            let id = stage_code(seed, id, name);
            d.push_status("DEAL_STAGE", &id, name, i * 10, sem, Some(0), id.len() < 9);
        }
        let again: [(&str, &str, char); 4] = [
            ("NEW", "New", 'P'),
            ("", "Renewal offer", 'P'),
            ("WON", "Renewed", 'S'),
            ("LOSE", "Not renewed", 'F'),
        ];
        for (i, (id, name, sem)) in (1..).zip(again) {
            let code = stage_code(seed, id, name);
            let full = format!("C{repeat}:{code}");
            d.push_status(
                &format!("DEAL_STAGE_{repeat}"),
                &full,
                name,
                i * 10,
                sem,
                Some(repeat),
                !id.is_empty(),
            );
        }
        for (i, (id, name, sem)) in (1..).zip([
            ("N", "New", 'P'),
            ("S", "Sent", 'P'),
            ("P", "Paid", 'S'),
            ("D", "Refused", 'F'),
        ]) {
            d.push_status(
                &format!("DYNAMIC_31_STAGE_{invoices}"),
                &format!("DT31_{invoices}:{id}"),
                name,
                i * 10,
                sem,
                Some(invoices),
                true,
            );
        }
        // Leads and quotes keep the platform's default statuses.
        for kind in [Kind::Lead, Kind::Quote] {
            let entity = kind.status_entity(0).unwrap_or_default();
            for s in stages(kind, 0) {
                d.push_status(&entity, &s.id, &s.name, s.sort, s.semantics, None, true);
            }
        }
        let base = 10 * seed;
        let (company, sales_dep, service) = (1, base + 2, base + 3);
        d.departments = vec![
            Department {
                id: company,
                name: "Company".into(),
                parent: None,
                head: 1,
            },
            Department {
                id: sales_dep,
                name: "Sales".into(),
                parent: Some(company),
                head: base + 1,
            },
            Department {
                id: service,
                name: "Service".into(),
                parent: Some(company),
                head: base + 3,
            },
        ];
        let people: [(u64, &str, &str, u64); 5] = [
            (1, "Anna", "Admin", company),
            (base + 1, "Sam", "Seller", sales_dep),
            (base + 2, "Alex", "Morgan", sales_dep),
            (base + 3, "Olga", "Support", service),
            (base + 4, "Alex", "Morgan", service),
        ];
        d.users = people
            .iter()
            .map(|(id, name, last, dep)| User {
                id: *id,
                name: (*name).to_owned(),
                last_name: (*last).to_owned(),
                email: format!(
                    "{}.{}{id}@example.com",
                    name.to_lowercase(),
                    last.to_lowercase()
                ),
                departments: vec![*dep],
            })
            .collect();
        d.types = vec![
            SmartType {
                id: seed,
                entity_type_id: 31,
                title: "Invoices".into(),
            },
            SmartType {
                id: seed + 1,
                entity_type_id: 128 + 2 * n,
                title: "Contracts".into(),
            },
        ];
        d.sms_senders = vec!["acme_sms".into(), "acme_sms_backup".into()];
        d.open_lines = vec![
            (base + 1, "WhatsApp".into()),
            (base + 2, "Website chat".into()),
        ];
        d.next_category = repeat + 1;
        d
    }

    /// The custom deal field a seeded portal has (`crm.deal.userfield.add` fields).
    pub fn seeded_field(seed: u64) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert(
            "FIELD_NAME".into(),
            json!(format!("UF_CRM_{}", 1_700_000_000 + seed * 1000)),
        );
        m.insert("USER_TYPE_ID".into(), json!("string"));
        m.insert("EDIT_FORM_LABEL".into(), json!("Budget code"));
        m.insert("LIST_COLUMN_LABEL".into(), json!("Budget code"));
        m
    }

    #[allow(clippy::too_many_arguments)]
    fn push_status(
        &mut self,
        entity: &str,
        status_id: &str,
        name: &str,
        sort: i64,
        semantics: char,
        category_id: Option<i64>,
        system: bool,
    ) -> u64 {
        self.next_status += 1;
        let id = self.next_status;
        self.statuses.push(Status {
            id,
            entity_id: entity.to_owned(),
            status_id: status_id.to_owned(),
            name: name.to_owned(),
            sort,
            semantics: match semantics {
                'S' => "S".into(),
                'F' => "F".into(),
                _ => String::new(),
            },
            category_id,
            system,
        });
        id
    }
}

fn bad(message: &str) -> RestError {
    RestError::new(400, "", message)
}

fn read(result: Value, total: Option<u64>) -> Outcome {
    Outcome {
        result,
        total,
        next: None,
        wrote: false,
    }
}

fn write(result: Value) -> Outcome {
    Outcome {
        result,
        total: None,
        next: None,
        wrote: true,
    }
}

/// Equality filters (`{"ENTITY_ID": "DEAL_STAGE"}`), the only kind these reads take here.
fn matches(row: &Value, filter: Option<&Value>) -> bool {
    let Some(Value::Object(f)) = filter else {
        return true;
    };
    f.iter().all(|(k, want)| {
        let key = k.trim_start_matches('=').to_ascii_uppercase();
        let have = row.get(&key).or_else(|| row.get(k.trim_start_matches('=')));
        match (have, php_string(want)) {
            (Some(h), Some(w)) => php_string(h).is_some_and(|h| h == w),
            (None, _) => true,
            (Some(_), None) => false,
        }
    })
}

fn status_row(s: &Status) -> Value {
    json!({
        "ID": s.id.to_string(),
        "ENTITY_ID": s.entity_id,
        "STATUS_ID": s.status_id,
        "NAME": s.name,
        "NAME_INIT": if s.system { json!(s.name) } else { Value::Null },
        "SORT": s.sort.to_string(),
        "SYSTEM": if s.system { "Y" } else { "N" },
        "CATEGORY_ID": s.category_id.map(|c| json!(c.to_string())),
        "COLOR": "#39A8EF",
        "SEMANTICS": if s.semantics.is_empty() { Value::Null } else { json!(s.semantics) },
        "EXTRA": {"SEMANTICS": match s.semantics.as_str() { "S" => "success", "F" => "failure", _ => "process" }, "COLOR": "#39A8EF"},
    })
}

/// Gives a fresh portal the directory and the custom deal field of copy `seed`.
pub(crate) fn seed(state: &mut State, seed: u64) {
    state.directory = Some(Directory::seeded(seed));
    let fields = Directory::seeded_field(seed);
    let name = fields
        .get("FIELD_NAME")
        .and_then(php_string)
        .unwrap_or_default();
    if !state.crm.has_user_field(Kind::Deal, &name) {
        let _ = state
            .crm
            .add_user_field(Kind::Deal, &name, "string", &fields);
    }
}

/// Runs one directory method (see [`handles`]).
pub(crate) fn call(
    state: &mut State,
    caller: &Caller,
    method: &str,
    params: &Map<String, Value>,
) -> Result<Outcome, RestError> {
    let p = upper_keys(params);
    let writes = OWN.contains(&method)
        && !matches!(
            method,
            "crm.type.list" | "messageservice.sender.list" | "imopenlines.config.list.get"
        );
    if writes && state.directory.is_none() {
        state.directory = Some(Directory::defaults());
    }
    let d = state.directory.get_or_insert_with(Directory::defaults);
    match method {
        "crm.status.list" => {
            let mut rows: Vec<&Status> = d.statuses.iter().collect();
            rows.sort_by_key(|s| (s.entity_id.clone(), s.sort, s.id));
            let rows: Vec<Value> = rows
                .into_iter()
                .map(status_row)
                .filter(|r| matches(r, p.get("FILTER")))
                .collect();
            Ok(read(Value::Array(rows), None))
        }
        "crm.category.list" => {
            let type_id = php_int(p.get("ENTITYTYPEID"));
            if !d.categories.iter().any(|c| c.entity_type_id == type_id) {
                return Err(RestError::new(400, "NOT_FOUND", "Smart process not found"));
            }
            let cats: Vec<Value> = d
                .categories
                .iter()
                .filter(|c| c.entity_type_id == type_id)
                .enumerate()
                .map(|(i, c)| {
                    json!({"id": c.id, "name": c.name, "sort": c.sort, "entityTypeId": c.entity_type_id, "isDefault": if i == 0 { "Y" } else { "N" }})
                })
                .collect();
            let total = cats.len() as u64;
            Ok(read(json!({"categories": cats}), Some(total)))
        }
        "user.get" => {
            let want = p.get("ID").and_then(php_string);
            let rows: Vec<Value> = d
                .users
                .iter()
                .filter(|u| want.as_ref().is_none_or(|w| *w == u.id.to_string()))
                .map(|u| {
                    json!({"ID": u.id.to_string(), "ACTIVE": true, "NAME": u.name, "LAST_NAME": u.last_name, "EMAIL": u.email, "UF_DEPARTMENT": u.departments})
                })
                .filter(|r| matches(r, p.get("FILTER")))
                .collect();
            let total = rows.len() as u64;
            Ok(read(Value::Array(rows), Some(total)))
        }
        "department.get" => {
            let want = p.get("ID").and_then(php_string);
            let rows: Vec<Value> = d
                .departments
                .iter()
                .filter(|x| want.as_ref().is_none_or(|w| *w == x.id.to_string()))
                .map(|x| {
                    let mut row = json!({"ID": x.id.to_string(), "NAME": x.name, "SORT": 500, "UF_HEAD": x.head.to_string()});
                    if let (Some(parent), Value::Object(m)) = (x.parent, &mut row) {
                        m.insert("PARENT".into(), json!(parent.to_string()));
                    }
                    row
                })
                .collect();
            let total = rows.len() as u64;
            Ok(read(Value::Array(rows), Some(total)))
        }
        "crm.type.list" => {
            let types: Vec<Value> = d
                .types
                .iter()
                .map(|t| {
                    json!({"id": t.id, "title": t.title, "code": "", "entityTypeId": t.entity_type_id, "isCategoriesEnabled": "Y", "isStagesEnabled": "Y", "isBizProcEnabled": "Y"})
                })
                .collect();
            let total = types.len() as u64;
            Ok(read(json!({"types": types}), Some(total)))
        }
        "messageservice.sender.list" => {
            // REST docs messageservice-sender-list.md: application context only, and
            // an administrator; the codes as a plain array.
            if caller.app_id.is_none() {
                return Err(RestError::new(
                    403,
                    "ACCESS_DENIED",
                    "Application context required",
                ));
            }
            if !caller.admin {
                return Err(RestError::new(403, "ACCESS_DENIED", "Access denied!"));
            }
            Ok(read(json!(d.sms_senders), None))
        }
        "imopenlines.config.list.get" => {
            let rows: Vec<Value> = d
                .open_lines
                .iter()
                .map(|(id, name)| json!({"ID": id.to_string(), "ACTIVE": "Y", "LINE_NAME": name}))
                .collect();
            Ok(read(Value::Array(rows), None))
        }
        "crm.status.add" => status_add(d, &p),
        "crm.status.update" => {
            let id = u64::try_from(php_int(p.get("ID"))).unwrap_or(0);
            let fields = fields_of(&p)?;
            let row = d
                .statuses
                .iter_mut()
                .find(|s| s.id == id)
                .ok_or_else(|| bad("Not found"))?;
            if let Some(name) = fields.get("NAME").and_then(php_string) {
                if name.trim().is_empty() {
                    return Err(bad("The required field \"Title\" is not filled"));
                }
                row.name = name;
            }
            if let Some(sort) = fields.get("SORT") {
                row.sort = php_int(Some(sort));
            }
            Ok(write(json!(true)))
        }
        "crm.status.delete" => {
            let id = u64::try_from(php_int(p.get("ID"))).unwrap_or(0);
            let at = d
                .statuses
                .iter()
                .position(|s| s.id == id)
                .ok_or_else(|| bad("Not found"))?;
            if d.statuses[at].system {
                // crm `CCrmStatus::Delete` keeps system rows.
                return Err(bad("Can't delete system status"));
            }
            d.statuses.remove(at);
            Ok(write(json!(true)))
        }
        "crm.category.add" => {
            let type_id = php_int(p.get("ENTITYTYPEID"));
            let fields = fields_of(&p)?;
            let name = fields
                .get("NAME")
                .and_then(php_string)
                .filter(|n| !n.trim().is_empty())
                .ok_or_else(|| bad("The required field \"Title\" is not filled"))?;
            if type_id != 2 && !d.types.iter().any(|t| t.entity_type_id == type_id) {
                return Err(RestError::new(400, "NOT_FOUND", "Smart process not found"));
            }
            let id = d.next_category.max(1);
            d.next_category = id + 1;
            let sort = fields.get("SORT").map_or(500, |s| php_int(Some(s)));
            d.categories.push(Category {
                entity_type_id: type_id,
                id,
                name: name.clone(),
                sort,
            });
            // A new deal pipeline starts with the default stages under its prefix.
            if type_id == 2 {
                for s in stages(Kind::Deal, 0) {
                    d.push_status(
                        &format!("DEAL_STAGE_{id}"),
                        &format!("C{id}:{}", s.id),
                        &s.name,
                        s.sort,
                        s.semantics,
                        Some(id),
                        true,
                    );
                }
            }
            Ok(write(
                json!({"category": {"id": id, "name": name, "sort": sort, "entityTypeId": type_id, "isDefault": "N"}}),
            ))
        }
        _ => Err(crate::emulator::portal::not_found()),
    }
}

fn fields_of(p: &Map<String, Value>) -> Result<Map<String, Value>, RestError> {
    match p.get("FIELDS") {
        Some(Value::Object(m)) => Ok(upper_keys(m)),
        _ => Err(bad("Invalid parameters.")),
    }
}

fn status_add(d: &mut Directory, p: &Map<String, Value>) -> Result<Outcome, RestError> {
    let fields = fields_of(p)?;
    let entity = fields
        .get("ENTITY_ID")
        .and_then(php_string)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| bad("The field ENTITY_ID is required."))?;
    let given = fields
        .get("STATUS_ID")
        .and_then(php_string)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| bad("The field STATUS_ID is required."))?;
    let name = fields
        .get("NAME")
        .and_then(php_string)
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| bad("The required field \"Title\" is not filled"))?;
    let sort = fields.get("SORT").map_or(10, |s| php_int(Some(s)));
    let semantics = match fields.get("SEMANTICS").and_then(php_string).as_deref() {
        Some("S") => 'S',
        Some("F") => 'F',
        _ => 'P',
    };
    // Only pipeline stages and the lead and quote statuses are directories here.
    let category = if entity == "DEAL_STAGE" {
        Some(0)
    } else if let Some(n) = entity.strip_prefix("DEAL_STAGE_") {
        Some(
            n.parse::<i64>()
                .map_err(|_| bad("Specified entity type is not supported."))?,
        )
    } else if let Some(n) = entity
        .strip_prefix("DYNAMIC_31_STAGE_")
        .and_then(|n| n.parse::<i64>().ok())
    {
        Some(n)
    } else if matches!(entity.as_str(), "STATUS" | "QUOTE_STATUS") {
        None
    } else {
        return Err(bad("Specified entity type is not supported."));
    };
    if let Some(c) = category
        && !d.statuses.iter().any(|s| s.entity_id == entity)
        && !(entity.starts_with("DEAL_STAGE") && c == 0)
    {
        return Err(bad("Specified entity type is not supported."));
    }
    // crm-status-add.md: STATUS_ID is Latin letters, digits, - and _ for stages.
    if !given
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(bad("Invalid parameters."));
    }
    let full = match (entity.as_str(), category) {
        (e, Some(c)) if e.starts_with("DEAL_STAGE_") => format!("C{c}:{given}"),
        (e, Some(c)) if e.starts_with("DYNAMIC_31_STAGE_") => format!("DT31_{c}:{given}"),
        _ => given,
    };
    if d.statuses
        .iter()
        .any(|s| s.entity_id == entity && s.status_id == full)
    {
        return Err(bad("Duplicate STATUS_ID."));
    }
    let id = d.push_status(&entity, &full, &name, sort, semantics, category, false);
    Ok(write(json!(id)))
}

#[cfg(test)]
mod tests;
