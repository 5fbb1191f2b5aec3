//! Batched reads of paged lists: every list's first page, then every remaining page of
//! every list in one `batch` request.
//!
//! Bitrix24 list methods return 50 rows a page with `total` and `next`
//! (bitrix24/b24restdocs `api-reference/how-to-call-rest-api/list-methods-pecularities.md`),
//! and a `batch` runs up to 50 commands (`batch.md`: "the number of requests in a batch
//! is limited to 50"; `CRestUtil::BATCH_MAX_LENGTH`). Knowing `total` after the first
//! page, every other page's `start` is known, so the rest of a list costs one request
//! per 50 pages instead of one per page.
//!
//! Invariants (the same bounds as the sequential reader had): no portal reply can make
//! a read loop or read without bound. `next` must advance; rows past the `total` the
//! portal itself reported are an error; no list is read past [`MAX_LIST_PAGES`] pages; a
//! list without a `total` is followed page by page. A command that fails inside a batch
//! fails the whole read with the portal's error: a read is never partly believed.

use serde_json::{Map, Value};

use super::batch::{BatchReply, CommandError};
use super::client::value_u64;
use super::error::help_for;
use super::template::MAX_LIST_PAGES;
use super::{Batch, Client, Error, MAX_COMMANDS, Method};

/// One list to read to its end: the method and its parameters (without `start`).
#[derive(Debug, Clone, PartialEq)]
pub struct ListRead {
    pub method: Method,
    /// A JSON object (or null).
    pub params: Value,
}

/// One single (unpaged) call to send in the same batch as the first pages.
#[derive(Debug, Clone, PartialEq)]
pub struct SingleRead {
    pub method: Method,
    pub params: Value,
}

/// What a list read returned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listed {
    /// Every row, in page order.
    pub rows: Vec<Value>,
    /// The `total` the portal reported last.
    pub total: Option<u64>,
}

/// A list being read.
struct Progress {
    rows: Vec<Value>,
    total: Option<u64>,
    /// The `start` of the page still to read, if any.
    next: Option<u64>,
    /// The `start` of the last page read.
    start: u64,
    pages: usize,
}

impl Progress {
    /// Records a page read at `start`; checks the bounds.
    fn page(
        &mut self,
        method: Method,
        start: u64,
        result: &Value,
        total: Option<u64>,
        next: Option<u64>,
    ) -> Result<(), Error> {
        let Some(rows) = rows_of(result) else {
            return Err(malformed(method, "`result` is not a list".into()));
        };
        self.rows.extend(rows.iter().cloned());
        // Each page reports the count at the time it was read; the latest one is used,
        // so a row added while paging does not make the list fail.
        self.total = total.or(self.total);
        self.start = start;
        self.pages += 1;
        self.next = next;
        let Some(next) = next else {
            return Ok(());
        };
        if next <= start {
            return Err(malformed(method, "`next` does not advance".into()));
        }
        if let Some(total) = self.total
            && self.rows.len() as u64 >= total
        {
            return Err(malformed(
                method,
                format!(
                    "the portal reported {total} rows but keeps sending more pages \
                     (`next` = {next} after {} rows)",
                    self.rows.len()
                ),
            ));
        }
        if self.pages >= MAX_LIST_PAGES {
            return Err(too_long(method, self.rows.len()));
        }
        Ok(())
    }
}

/// A page's rows: `result` itself, or the one list inside it for the methods that wrap
/// their rows in an object (`userfieldconfig.list` answers `{fields: [...]}`,
/// `crm.item.list` `{items: [...]}`, `tasks.task.list` `{tasks: [...]}`).
fn rows_of(result: &Value) -> Option<&Vec<Value>> {
    match result {
        Value::Array(rows) => Some(rows),
        Value::Object(map) if map.len() == 1 => map.values().next()?.as_array(),
        _ => None,
    }
}

fn malformed(method: Method, detail: String) -> Error {
    Error::Malformed {
        method: method.name().to_owned(),
        status: 200,
        detail,
    }
}

fn too_long(method: Method, rows: usize) -> Error {
    malformed(
        method,
        format!(
            "the list did not end after {MAX_LIST_PAGES} pages ({rows} rows); b24flow stops \
             there rather than read without end"
        ),
    )
}

impl Client {
    /// Reads every list in `lists` to its end, and makes every call in `singles`, in as
    /// few requests as the platform allows: one list alone starts with a plain call;
    /// otherwise the first pages and the singles go in `batch` requests of 50 commands,
    /// then every remaining page of every list in more of them (one request for up to
    /// 50 pages). Returns the lists' rows and the singles' results, each in order.
    pub async fn read_batched(
        &self,
        lists: &[ListRead],
        singles: &[SingleRead],
    ) -> Result<(Vec<Listed>, Vec<Value>), Error> {
        let mut progress: Vec<Progress> = lists
            .iter()
            .map(|_| Progress {
                rows: Vec::new(),
                total: None,
                next: None,
                start: 0,
                pages: 0,
            })
            .collect();
        let mut single_results = vec![Value::Null; singles.len()];
        if lists.len() == 1 && singles.is_empty() {
            let reply = self
                .call(lists[0].method, with_start(&lists[0].params, 0))
                .await?;
            progress[0].page(lists[0].method, 0, &reply.result, reply.total, reply.next)?;
        } else {
            // First pages and singles, 50 commands a request.
            let mut commands: Vec<(String, Method, Value)> = Vec::new();
            for (i, l) in lists.iter().enumerate() {
                commands.push((format!("l{i}_0"), l.method, with_start(&l.params, 0)));
            }
            for (i, s) in singles.iter().enumerate() {
                commands.push((format!("s{i}"), s.method, s.params.clone()));
            }
            for chunk in commands.chunks(MAX_COMMANDS) {
                let reply = self.run_reads(chunk).await?;
                for (key, method, _) in chunk {
                    let result = reply.results.get(key).cloned().unwrap_or(Value::Null);
                    if let Some(i) = key.strip_prefix('s').and_then(|n| n.parse::<usize>().ok()) {
                        single_results[i] = result;
                        continue;
                    }
                    let i = list_index(key);
                    let (total, next) = page_info(&reply, key);
                    progress[i].page(*method, 0, &result, total, next)?;
                }
            }
        }
        // Every remaining page whose start is known, batched; lists without a `total`
        // are followed page by page.
        loop {
            let mut commands: Vec<(String, Method, Value)> = Vec::new();
            for (i, (l, p)) in lists.iter().zip(&progress).enumerate() {
                let Some(next) = p.next else { continue };
                let starts = remaining_starts(l.method, p, next)?;
                for start in starts {
                    commands.push((
                        format!("l{i}_{start}"),
                        l.method,
                        with_start(&l.params, start),
                    ));
                }
            }
            if commands.is_empty() {
                break;
            }
            for chunk in commands.chunks(MAX_COMMANDS) {
                let reply = self.run_reads(chunk).await?;
                for (key, method, params) in chunk {
                    let i = list_index(key);
                    let start = params.get("start").and_then(value_u64).unwrap_or(0);
                    let result = reply.results.get(key).cloned().unwrap_or(Value::Null);
                    let (total, next) = page_info(&reply, key);
                    progress[i].page(*method, start, &result, total, next)?;
                }
            }
        }
        Ok((
            progress
                .into_iter()
                .map(|p| Listed {
                    rows: p.rows,
                    total: p.total,
                })
                .collect(),
            single_results,
        ))
    }

    /// Sends read commands in one `batch`; a failed command fails the read.
    async fn run_reads(&self, commands: &[(String, Method, Value)]) -> Result<BatchReply, Error> {
        let mut batch = Batch::new().halt(false);
        for (key, method, params) in commands {
            batch.push(key.clone(), *method, params);
        }
        let reply = self.batch(&batch).await?;
        for (key, method, _) in commands {
            if let Some(e) = reply.error(key) {
                return Err(self.command_error(*method, e));
            }
            if !reply.results.contains_key(key) {
                return Err(malformed(
                    *method,
                    format!("the batch reply has no result for command `{key}`"),
                ));
            }
        }
        Ok(reply)
    }

    /// A batch command's failure as the error the same call alone would have given.
    fn command_error(&self, method: Method, e: &CommandError) -> Error {
        Error::Api {
            method: method.name().to_owned(),
            help: help_for(method.name(), &e.code, &e.description, self.is_webhook()),
            code: e.code.clone(),
            description: e.description.clone(),
            status: 200,
        }
    }
}

/// The `start`s still to read of a list whose next page starts at `next`: every page
/// up to the reported `total` (the page size is what the last page advanced by), or
/// just `next` when there is no total to count with.
fn remaining_starts(method: Method, p: &Progress, next: u64) -> Result<Vec<u64>, Error> {
    let Some(total) = p.total else {
        return Ok(vec![next]);
    };
    let step = next - p.start;
    let pages = total.saturating_sub(next).div_ceil(step).max(1);
    if pages.saturating_add(p.pages as u64) > MAX_LIST_PAGES as u64 {
        return Err(malformed(
            method,
            format!(
                "the portal reports {total} rows, more than the {MAX_LIST_PAGES} pages b24flow \
                 reads; it stops there rather than read without end"
            ),
        ));
    }
    Ok((0..pages).map(|k| next + k * step).collect())
}

fn list_index(key: &str) -> usize {
    key.strip_prefix('l')
        .and_then(|k| k.split('_').next())
        .and_then(|n| n.parse().ok())
        .expect("keys are written by read_batched")
}

fn page_info(reply: &BatchReply, key: &str) -> (Option<u64>, Option<u64>) {
    (reply.total(key), reply.nexts.get(key).and_then(value_u64))
}

/// `params` (an object, or null) with `start` set.
fn with_start(params: &Value, start: u64) -> Value {
    let mut map = params.as_object().cloned().unwrap_or_else(Map::new);
    map.insert("start".into(), Value::from(start));
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn progress(rows: usize, total: Option<u64>, start: u64) -> Progress {
        Progress {
            rows: vec![json!({}); rows],
            total,
            next: None,
            start,
            pages: 1,
        }
    }

    #[test]
    fn remaining_pages_follow_the_total() {
        let p = progress(50, Some(1000), 0);
        let starts = remaining_starts(Method::TemplateList, &p, 50).unwrap();
        assert_eq!(starts.len(), 19);
        assert_eq!((starts[0], starts[18]), (50, 950));
        assert_eq!(
            remaining_starts(Method::TemplateList, &progress(50, None, 0), 50).unwrap(),
            [50]
        );
        let huge = progress(1, Some(1_000_000), 0);
        assert!(remaining_starts(Method::TemplateList, &huge, 1).is_err());
    }

    #[test]
    fn pages_past_the_total_and_stuck_next_are_errors() {
        let mut p = progress(0, None, 0);
        p.pages = 0;
        assert!(
            p.page(Method::TemplateList, 0, &json!([1, 2]), Some(2), Some(2))
                .is_err()
        );
        let mut p = progress(0, None, 0);
        assert!(
            p.page(Method::TemplateList, 5, &json!([1]), None, Some(5))
                .is_err()
        );
        let mut p = progress(0, None, 0);
        assert!(
            p.page(Method::TemplateList, 0, &json!({"a": 1}), None, None)
                .is_err()
        );
        let mut p = progress(0, None, 0);
        p.page(
            Method::UserFieldConfigList,
            0,
            &json!({"fields": [{"fieldName": "UF_X"}]}),
            Some(1),
            None,
        )
        .unwrap();
        assert_eq!(p.rows.len(), 1);
    }
}
