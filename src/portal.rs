//! Which portal a command talks to: the one configured, or the built-in local portal.
//!
//! With no portal URL and no webhook configured, b24flow starts its emulator in-process
//! on a loopback port, with its templates kept in `.b24flow/portal.json`, and reaches it
//! through the same REST client as a real portal. A new user can run the whole pipeline
//! with no account and no key.

use std::path::PathBuf;

use crate::bitrix::{self, Client, ListQuery, LiveTemplate};
use crate::config::Env;
use crate::emulator;
use crate::plan::Live;
use crate::project::Project;
use crate::state::StateDir;

/// A connected portal.
pub struct Portal {
    pub client: Client,
    /// What to call it in output: a URL without credentials, or `local`.
    pub label: String,
    /// The running local portal, if this is one; dropping it stops the server.
    pub local: Option<emulator::Handle>,
    /// Every secret the environment supplied (parser keys and the API token besides the
    /// portal's own credentials), for scrubbing text written to files such as the
    /// journal.
    pub secrets: bitrix::Scrubber,
}

/// Why no portal could be reached.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("cannot connect to the portal")]
    #[diagnostic(code(b24flow::portal::connect))]
    Client(
        #[from]
        #[diagnostic_source]
        bitrix::Error,
    ),
    #[error("cannot start the local portal")]
    #[diagnostic(code(b24flow::portal::local))]
    Local {
        #[source]
        #[diagnostic_source]
        source: emulator::Error,
    },
    #[error("cannot create {}", path.display())]
    #[diagnostic(code(b24flow::portal::io))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Portal {
    /// Connects to the configured portal, or starts the local one.
    pub async fn connect(project: &Project, env: &Env) -> Result<Portal, Error> {
        if let Some(client) = Client::from_config(&project.config, env, &project.root)? {
            let label = client.portal().to_owned();
            return Ok(Portal {
                client,
                label,
                local: None,
                secrets: bitrix::Scrubber::from_env(env),
            });
        }
        Portal::start_local(project, env).await
    }

    async fn start_local(project: &Project, env: &Env) -> Result<Portal, Error> {
        let state = project.state().portal_json();
        if let Some(dir) = state.parent() {
            std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                path: dir.to_owned(),
                source,
            })?;
        }
        // The token only lives as long as this process and the server only listens on
        // loopback; it keeps other local programs from writing to the project's portal.
        let token = crate::digest::sha256_hex(
            format!("{}:{:?}", std::process::id(), std::time::SystemTime::now()).as_bytes(),
        );
        let options = emulator::Options::local(state, token.clone());
        let handle = emulator::start(options)
            .await
            .map_err(|source| Error::Local { source })?;
        let client = Client::local(&handle.portal_url(), token.into())?;
        Ok(Portal {
            client,
            label: "local".into(),
            local: Some(handle),
            secrets: bitrix::Scrubber::from_env(env),
        })
    }

    /// Every template in the portal, in the form plans compare.
    pub async fn live(&self) -> Result<Vec<Live>, bitrix::Error> {
        let rows = self.client.template_list_all(&ListQuery::default()).await?;
        Ok(rows.into_iter().map(|t| live_of(&t)).collect())
    }

    /// The first line plan and apply print: where they act.
    pub fn describe(&self) -> String {
        if self.local.is_some() {
            format!(
                "Using the built-in local portal (state in {}); set [portal] url in b24flow.toml for a real one.",
                StateDir::relative().portal_json().display()
            )
        } else {
            format!("Using the portal {}.", self.label)
        }
    }
}

/// A listed template as a plan's [`Live`].
pub fn live_of(t: &LiveTemplate) -> Live {
    Live {
        id: t.id,
        name: t.name.clone(),
        description: t.description.clone(),
        document_type: t.document_type.clone(),
        auto_execute: t.auto_execute.unwrap_or(0),
        tree: t.template.clone(),
        system_code: (!t.system_code.is_empty()).then(|| t.system_code.clone()),
    }
}

impl crate::apply::LiveSource for Portal {
    async fn live(&self) -> Result<Vec<Live>, bitrix::Error> {
        Portal::live(self).await
    }
}

impl crate::apply::LiveSource for Client {
    async fn live(&self) -> Result<Vec<Live>, bitrix::Error> {
        let rows = self.template_list_all(&ListQuery::default()).await?;
        Ok(rows.iter().map(live_of).collect())
    }
}
