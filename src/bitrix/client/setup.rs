//! Building a [`Client`]: from explicit options, from `b24flow.toml` and the environment
//! (webhook or OAuth, with stored credentials for the same portal), or for the built-in
//! local portal. Kept apart from the calling machinery in `mod.rs`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use secrecy::{ExposeSecret, SecretString};

use super::{Auth, Client, ClientOptions, RetryPolicy};
use crate::bitrix::Error;
use crate::bitrix::auth::{self, AuthConfig, OAuthConfig, Tokens};
use crate::bitrix::rate::LeakyBucket;
use crate::bitrix::redact::{Scrubber, redact_str, redact_url};
use crate::config::{Config, Env, RatePlan};

impl Client {
    /// Builds a client from explicit options (tests, the local portal).
    pub fn new(options: ClientOptions) -> Result<Client, Error> {
        let mut scrubber = Scrubber::new();
        match &options.auth {
            AuthConfig::Webhook(secret) => scrubber.add_webhook(secret.expose_secret()),
            AuthConfig::OAuth(o) => {
                for secret in [&o.access_token, &o.refresh_token, &o.client_secret]
                    .into_iter()
                    .flatten()
                {
                    scrubber.add(secret.expose_secret());
                }
            }
        }
        let (auth, shown) = match options.auth {
            AuthConfig::Webhook(secret) => {
                let (base, shown) = auth::webhook_base(&secret)?;
                (Auth::Webhook { base }, shown)
            }
            AuthConfig::OAuth(o) => oauth(o)?,
        };
        let http = reqwest::Client::builder()
            .timeout(options.timeout)
            .connect_timeout(options.timeout.min(Duration::from_secs(15)))
            .user_agent(concat!("b24flow/", env!("CARGO_PKG_VERSION")))
            // A redirect could carry the webhook code to another host.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config {
                message: format!("cannot set up HTTP: {}", e.without_url()),
                help: "this is a bug in b24flow".into(),
            })?;
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0x9e37_79b9, |d| u64::from(d.subsec_nanos()) ^ d.as_secs())
            | 1;
        Ok(Client {
            http,
            auth,
            shown,
            bucket: LeakyBucket::for_plan(options.rate),
            retry: options.retry,
            timeout: options.timeout,
            requests: AtomicU64::new(0),
            retries: AtomicU64::new(0),
            refreshes: AtomicU64::new(0),
            operating_reset: Mutex::new(HashMap::new()),
            rng: Mutex::new(seed),
            scrubber: Mutex::new(scrubber),
        })
    }

    /// Builds the client for the configured portal; `Ok(None)` when none is configured
    /// (the caller then uses the built-in local portal).
    ///
    /// OAuth credentials win over a webhook, because only an application may write
    /// templates. Tokens in the credentials file win over the environment, because the
    /// refresh token in the environment is stale after the first rotation.
    pub fn from_config(config: &Config, env: &Env, root: &Path) -> Result<Option<Client>, Error> {
        let environment = config.selected.as_ref().map(|s| s.name.as_str());
        let file = config.portal.credentials_file.as_ref().map_or_else(
            || match environment {
                Some(name) => crate::state::StateDir::for_environment(root, name).credentials(),
                None => crate::state::StateDir::at(root).credentials(),
            },
            |p| root.join(p),
        );
        let portal = env.portal_url.clone().or_else(|| config.portal.url.clone());
        let stored = match &portal {
            Some(p) => auth::read_credentials(&file)?.filter(|c| same_portal(&c.portal, p)),
            None => None,
        };
        let (access, refresh) = match stored {
            Some(c) => (
                c.access_token.map(SecretString::from),
                c.refresh_token.map(SecretString::from),
            ),
            None => (env.access_token.clone(), env.refresh_token.clone()),
        };
        let has_tokens = access.is_some() || refresh.is_some();
        let auth = match (portal, &env.webhook_url) {
            (Some(portal), _) if has_tokens => AuthConfig::OAuth(OAuthConfig {
                portal,
                access_token: access,
                refresh_token: refresh,
                client_id: env.client_id.clone(),
                client_secret: env.client_secret.clone(),
                token_url: env.oauth_url.clone(),
                credentials_file: Some(file),
            }),
            (_, Some(webhook)) => AuthConfig::Webhook(webhook.clone()),
            (Some(portal), None) => {
                let Some(name) = environment else {
                    return Err(Error::Config {
                        message: format!("no credentials for the portal {}", redact_str(&portal)),
                        help: "set B24FLOW_WEBHOOK_URL (enough for plan and list), or an OAuth \
                               application: B24FLOW_CLIENT_ID, B24FLOW_CLIENT_SECRET and \
                               B24FLOW_REFRESH_TOKEN (needed for apply)"
                            .into(),
                    });
                };
                let var = |v| crate::config::environment_var(name, v);
                return Err(Error::Config {
                    message: format!(
                        "no credentials for the environment `{name}` ({}, [environments.{name}] in {})",
                        redact_str(&portal),
                        crate::config::FILE_NAME
                    ),
                    help: format!(
                        "set {} (enough for plan and list), or an OAuth application: {}, {} and {} (needed for apply); or a static token in {}",
                        var(crate::config::var::WEBHOOK_URL),
                        var(crate::config::var::CLIENT_ID),
                        var(crate::config::var::CLIENT_SECRET),
                        var(crate::config::var::REFRESH_TOKEN),
                        var(crate::config::var::ACCESS_TOKEN),
                    ),
                });
            }
            (None, None) => return Ok(None),
        };
        Client::new(ClientOptions {
            auth,
            rate: config.portal.rate,
            timeout: Duration::from_secs(config.portal.timeout_secs.max(1)),
            retry: RetryPolicy::default(),
        })
        .map(Some)
    }

    /// A client for the built-in local portal (an emulator on loopback): OAuth with a
    /// fixed access token, no client-side rate limit.
    pub fn local(portal_url: &str, access_token: SecretString) -> Result<Client, Error> {
        Client::new(ClientOptions {
            auth: AuthConfig::OAuth(OAuthConfig {
                portal: portal_url.to_owned(),
                access_token: Some(access_token),
                refresh_token: None,
                client_id: None,
                client_secret: None,
                token_url: None,
                credentials_file: None,
            }),
            rate: RatePlan::Off,
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
        })
    }
}

pub(super) fn oauth(o: OAuthConfig) -> Result<(Auth, String), Error> {
    let portal_url = auth::checked_url(&o.portal, "portal URL")?;
    let mut rest = portal_url.clone();
    rest.set_path("/rest/");
    rest.set_query(None);
    let token_url = auth::checked_url(
        o.token_url.as_deref().unwrap_or(auth::DEFAULT_TOKEN_URL),
        "OAuth token URL",
    )?;
    let shown = redact_url(&portal_url);
    Ok((
        Auth::OAuth {
            rest,
            portal: o.portal,
            token_url,
            client_id: o.client_id,
            client_secret: o.client_secret,
            tokens: tokio::sync::Mutex::new(Tokens {
                access: o.access_token,
                refresh: o.refresh_token,
                generation: 0,
            }),
            file: o.credentials_file,
        },
        shown,
    ))
}

fn same_portal(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.trim().trim_end_matches('/').to_ascii_lowercase();
    norm(a) == norm(b)
}
