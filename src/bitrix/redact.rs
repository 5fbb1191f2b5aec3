//! Keeping secrets out of text: URLs shown to a person, and text a portal sent back.
//!
//! Two tools, for two kinds of text:
//! - [`redact_url`] shows a portal or webhook URL with everything that could be a
//!   credential hidden: user info, query, fragment, and every path segment that is not
//!   known to be harmless. A webhook's code is a path segment, and a mistyped webhook
//!   URL (`/rest/admin/<code>/`, `/REST/1/<code>/`, `https://host/<code>`) puts it where
//!   no fixed position rule would look, so the rule is "hide unless known safe".
//! - [`scrub`] (and [`Scrubber`], which carries the secrets) removes known secret
//!   values from free text: a portal's `error_description` may quote the token or the
//!   webhook path it was called with, and that text reaches the terminal and
//!   `.b24flow/journal.jsonl`.
//!
//! Invariant: every error text the REST client builds has been through a [`Scrubber`]
//! holding the client's webhook code, access and refresh tokens (old and rotated) and
//! client secret.

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use super::Method;
use crate::config::Env;

/// What a hidden part of a URL or a scrubbed secret is replaced with.
pub const MASK: &str = "***";

/// Secrets shorter than this are not scrubbed from text: every real Bitrix24 token and
/// webhook code is far longer (a webhook code has 16 characters, an access token about
/// 70), and replacing a one- or two-letter "secret" would garble every message.
pub const MIN_SECRET_LEN: usize = 6;

/// The URL with credentials hidden: no user info, query or fragment, and only path
/// segments known to be harmless kept (`rest`, the numeric user id right after it, and
/// REST method names); every other segment becomes `***`.
pub fn redact_url(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_query(None);
    shown.set_fragment(None);
    let segments: Vec<&str> = url
        .path_segments()
        .map(Iterator::collect)
        .unwrap_or_default();
    let mut kept: Vec<&str> = Vec::with_capacity(segments.len());
    for (i, segment) in segments.iter().enumerate() {
        let safe = segment.is_empty()
            || (i == 0 && *segment == "rest")
            || (i == 1
                && segments[0] == "rest"
                && !segment.is_empty()
                && segment.bytes().all(|b| b.is_ascii_digit()))
            || Method::from_name(segment).is_some_and(|m| m.name() == *segment);
        if safe {
            kept.push(segment);
        } else if kept.last() != Some(&MASK) {
            kept.push(MASK);
        }
    }
    if !segments.is_empty() {
        shown.set_path(&format!("/{}", kept.join("/")));
    }
    shown.to_string()
}

/// Redacts a string that should be a URL; unparseable input is hidden entirely.
pub fn redact_str(raw: &str) -> String {
    Url::parse(raw.trim()).map_or_else(|_| "<hidden>".to_owned(), |u| redact_url(&u))
}

/// Replaces every occurrence of each secret in `text` with `***`. Secrets shorter than
/// [`MIN_SECRET_LEN`] are left alone (see there); longer secrets are replaced first, so
/// a secret that contains another is hidden whole.
pub fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut secrets: Vec<&str> = secrets
        .iter()
        .copied()
        .filter(|s| s.len() >= MIN_SECRET_LEN)
        .collect();
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut out = text.to_owned();
    for secret in secrets {
        if out.contains(secret) {
            out = out.replace(secret, MASK);
        }
    }
    out
}

/// A set of known secrets, to [`scrub`](Scrubber::scrub) from text before it is shown
/// or written. Cheap to clone; its `Debug` shows only how many secrets it holds.
#[derive(Clone, Default)]
pub struct Scrubber {
    secrets: Vec<SecretString>,
}

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scrubber")
            .field("secrets", &self.secrets.len())
            .finish()
    }
}

impl Scrubber {
    /// An empty scrubber.
    pub fn new() -> Scrubber {
        Scrubber::default()
    }

    /// Every secret the environment supplies: the webhook URL and its code, the OAuth
    /// tokens and client secret, the parsers' API keys and the HTTP API token.
    pub fn from_env(env: &Env) -> Scrubber {
        let mut s = Scrubber::new();
        if let Some(hook) = &env.webhook_url {
            s.add_webhook(hook.expose_secret());
        }
        for secret in [
            &env.access_token,
            &env.client_secret,
            &env.refresh_token,
            &env.gemini_api_key,
            &env.anthropic_api_key,
            &env.openai_api_key,
            &env.api_token,
            &env.application_token,
        ]
        .into_iter()
        .flatten()
        {
            s.add(secret.expose_secret());
        }
        s
    }

    /// Adds a secret value (ignored when shorter than [`MIN_SECRET_LEN`] or known).
    pub fn add(&mut self, secret: &str) {
        let secret = secret.trim();
        if secret.len() >= MIN_SECRET_LEN
            && !self.secrets.iter().any(|s| s.expose_secret() == secret)
        {
            self.secrets.push(SecretString::from(secret.to_owned()));
        }
    }

    /// Adds a webhook URL: the whole URL, and each path segment that is not known to be
    /// harmless (the code sits in one of them, wherever a typo put it).
    pub fn add_webhook(&mut self, raw: &str) {
        self.add(raw);
        let path = Url::parse(raw.trim()).map_or_else(|_| raw.to_owned(), |u| u.path().to_owned());
        for (i, segment) in path.split('/').filter(|p| !p.is_empty()).enumerate() {
            let harmless = (i == 0 && segment.eq_ignore_ascii_case("rest"))
                || segment.bytes().all(|b| b.is_ascii_digit())
                || Method::from_name(segment).is_some();
            if !harmless {
                self.add(segment);
            }
        }
    }

    /// Adds every secret of another scrubber.
    pub fn extend(&mut self, other: &Scrubber) {
        for s in &other.secrets {
            self.add(s.expose_secret());
        }
    }

    /// `text` with every known secret replaced by `***`.
    pub fn scrub(&self, text: &str) -> String {
        let secrets: Vec<&str> = self
            .secrets
            .iter()
            .map(ExposeSecret::expose_secret)
            .collect();
        scrub(text, &secrets)
    }

    /// How many secrets it holds.
    pub fn len(&self) -> usize {
        self.secrets.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(raw: &str) -> String {
        redact_url(&Url::parse(raw).unwrap())
    }

    #[test]
    fn well_formed_webhooks_keep_their_shape() {
        assert_eq!(
            shown("https://x.bitrix24.com/rest/1/s3cr3tcode/"),
            "https://x.bitrix24.com/rest/1/***/"
        );
        assert_eq!(
            shown("https://x.bitrix24.com/rest/1/s3cr3tcode/profile"),
            "https://x.bitrix24.com/rest/1/***/profile"
        );
        assert_eq!(shown("https://x.bitrix24.com"), "https://x.bitrix24.com/");
        assert_eq!(
            shown("https://u:p@x.bitrix24.com/?auth=tok#f"),
            "https://x.bitrix24.com/"
        );
    }

    #[test]
    fn redteam_5_3_malformed_webhook_urls_hide_the_code() {
        for raw in [
            "https://x.bitrix24.com/rest/admin/MK_WHCODE_7f3a/",
            "https://x.bitrix24.com/REST/1/MK_WHCODE_7f3a/",
            "https://x.bitrix24.com/MK_WHCODE_7f3a",
            "http://x.bitrix24.com/rest/MK_WHCODE_7f3a/",
            "https://x.bitrix24.com/rest/%31/MK_WHCODE_7f3a/extra",
            "https://x.bitrix24.com/rest/1/2/MK_WHCODE_7f3a",
            "https://x.bitrix24.com/rest/1/MK_WHCODE_7f3a/crm.deal.list",
        ] {
            let out = shown(raw);
            assert!(!out.contains("MK_WHCODE"), "{raw} -> {out}");
            assert!(out.starts_with("http"), "{out}");
        }
    }

    #[test]
    fn scrub_hides_known_secrets_longest_first() {
        let text = "bad auth: TOKEN123456 and TOKEN1234567890 at /rest/1/HOOKCODE99/";
        let out = scrub(
            text,
            &["TOKEN123456", "TOKEN1234567890", "HOOKCODE99", "ab"],
        );
        assert_eq!(out, "bad auth: *** and *** at /rest/1/***/");
        assert_eq!(scrub("a b ab", &["ab"]), "a b ab", "short secrets are left");
    }

    #[test]
    fn scrubber_from_env_covers_every_secret_variable() {
        let env = Env::from_lookup(|name| {
            Some(match name {
                crate::config::var::WEBHOOK_URL => {
                    "https://x.bitrix24.com/rest/admin/MK_WHCODE_7f3a/".to_owned()
                }
                crate::config::var::PORTAL_URL => "https://x.bitrix24.com".to_owned(),
                other => format!("MK_{other}_7f3a"),
            })
        });
        let s = Scrubber::from_env(&env);
        for name in crate::config::ENV_VARS {
            let text = format!("echo: MK_{name}_7f3a MK_WHCODE_7f3a");
            let out = s.scrub(&text);
            assert!(!out.contains("MK_WHCODE"), "{out}");
            if ![
                crate::config::var::PORTAL_URL,
                crate::config::var::CLIENT_ID,
                crate::config::var::OAUTH_URL,
                crate::config::var::WEBHOOK_URL,
                // A commit id, public by nature.
                crate::config::var::GITHUB_SHA,
                // An environment's name, written in b24flow.toml.
                crate::config::var::ENVIRONMENT,
            ]
            .contains(&name)
            {
                assert!(!out.contains(&format!("MK_{name}")), "{name}: {out}");
            }
        }
        assert!(!format!("{s:?}").contains("MK_"));
    }
}
