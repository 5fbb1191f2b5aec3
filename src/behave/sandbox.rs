//! A fresh executing local portal in this process, with every workflow applied to it.
//!
//! The templates reach it the way they reach any portal: [`crate::ops::plan`] builds
//! and diffs them, [`crate::ops::apply::run`] writes them (its lock and journal sit in
//! a temporary folder, never in the project's `.b24flow/`). Records are then created
//! and changed over the same REST methods a person's edits arrive by, so the engine's
//! start rules apply unchanged.
//!
//! Invariants: the portal keeps its state in memory and is gone when the sandbox is
//! dropped; nothing is sent anywhere (the engine records messages in its outbox).

use serde_json::{Value, json};

use crate::emulator::{self, App, EngineOptions};
use crate::ops;
use crate::portal::Portal;

/// Why the sandbox could not be set up or driven.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("cannot start the local portal for tests")]
    #[diagnostic(code(b24flow::test::portal))]
    Start {
        #[source]
        #[diagnostic_source]
        source: emulator::Error,
    },
    #[error("cannot make a temporary folder: {0}")]
    #[diagnostic(code(b24flow::test::io))]
    Temp(std::io::Error),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Ops(#[from] ops::Error),
    #[error("the local portal refused to load `{id}`: {message}")]
    #[diagnostic(code(b24flow::test::load))]
    Load { id: String, message: String },
    #[error("{method} failed on the local portal: {message}")]
    #[diagnostic(code(b24flow::test::call))]
    Call { method: String, message: String },
}

/// A running local portal with the project's workflows in it.
pub struct Sandbox {
    portal: Portal,
    http: reqwest::Client,
    url: String,
    token: String,
    _dir: tempfile::TempDir,
    /// Workflow id to template id.
    pub templates: Vec<(String, u64)>,
}

impl Sandbox {
    /// Starts a portal and applies `wanted` to it through the apply session.
    pub async fn start(
        wanted: &ops::plan::Wanted,
        engine: EngineOptions,
    ) -> Result<Sandbox, Error> {
        let dir = tempfile::tempdir().map_err(Error::Temp)?;
        let token = crate::digest::sha256_hex(
            format!(
                "test:{}:{:?}",
                std::process::id(),
                std::time::SystemTime::now()
            )
            .as_bytes(),
        );
        let options = emulator::Options {
            state_file: None,
            apps: vec![App {
                app_id: 1,
                client_id: "local.b24flow".into(),
                client_secret: String::new(),
                access_token: Some(token.clone()),
                refresh_token: None,
                user_id: 1,
                admin: true,
            }],
            rate: None,
            engine: Some(engine),
            ..emulator::Options::default()
        };
        let handle = emulator::start(options)
            .await
            .map_err(|source| Error::Start { source })?;
        let url = handle.portal_url();
        let client = crate::bitrix::Client::local(&url, token.clone().into())
            .map_err(|e| ops::Error::from(crate::portal::Error::from(e)))?;
        let portal = Portal {
            client,
            label: "test".into(),
            local: Some(handle),
            // A fresh in-memory portal with a generated token: no secret of the
            // environment is in play.
            secrets: crate::bitrix::Scrubber::default(),
        };
        let plan = ops::plan::compute(&portal, wanted).await?;
        let state = crate::state::StateDir::at(dir.path());
        let applied = ops::apply::run(
            &state,
            &portal,
            &plan,
            ops::apply::Options::default(),
            &|_| {},
        )
        .await?;
        let mut templates = Vec::new();
        for o in &applied.report.outcomes {
            if let Some(e) = &o.error {
                return Err(Error::Load {
                    id: o.id.clone(),
                    message: e.to_string(),
                });
            }
            if let Some(t) = o.template_id {
                templates.push((o.id.clone(), t));
            }
        }
        Ok(Sandbox {
            portal,
            http: reqwest::Client::new(),
            url,
            token,
            _dir: dir,
            templates,
        })
    }

    /// Calls a method of the local portal; its `result`, or the portal's error.
    pub async fn call(&self, method: &str, params: &Value) -> Result<Value, Error> {
        let fail = |message: String| Error::Call {
            method: method.to_owned(),
            message,
        };
        let url = format!("{}/rest/{method}.json", self.url);
        let reply = self
            .http
            .post(url)
            .query(&[("auth", self.token.as_str())])
            .json(params)
            .send()
            .await
            .map_err(|e| fail(e.to_string()))?;
        let body: Value = reply.json().await.map_err(|e| fail(e.to_string()))?;
        if let Some(code) = body.get("error") {
            let description = body
                .get("error_description")
                .and_then(Value::as_str)
                .unwrap_or_default();
            return Err(fail(format!(
                "{} {description}",
                code.as_str().unwrap_or_default()
            )));
        }
        Ok(body.get("result").cloned().unwrap_or(Value::Null))
    }

    /// Moves the clock forward; returns how many instances resumed.
    pub async fn advance(&self, seconds: i64) -> Result<u64, Error> {
        let r = self
            .call("b24flow.clock.advance", &json!({ "seconds": seconds }))
            .await?;
        Ok(r.get("resumed").and_then(Value::as_u64).unwrap_or(0))
    }

    /// Today on the portal's virtual clock, `YYYY-MM-DD`.
    pub async fn today(&self) -> Result<String, Error> {
        let r = self
            .call("b24flow.clock.advance", &json!({"seconds": 0}))
            .await?;
        Ok(r.get("now")
            .and_then(Value::as_str)
            .and_then(|n| n.get(0..10))
            .unwrap_or_default()
            .to_owned())
    }

    /// Stops the local portal.
    pub async fn shutdown(mut self) {
        if let Some(handle) = self.portal.local.take() {
            handle.shutdown().await;
        }
    }
}
