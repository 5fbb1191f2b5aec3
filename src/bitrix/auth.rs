//! Credentials: incoming webhooks and OAuth tokens, URL checks, and the credentials file.
//!
//! Invariants:
//! - a webhook URL and every token live in a [`SecretString`] and are exposed only when a
//!   request is built; every URL shown to a person goes through
//!   [`redact_url`](super::redact_url);
//! - plain `http://` is refused unless the host is loopback (the local emulator);
//! - rotated OAuth tokens are written at once, atomically (temp file + rename), to a file
//!   with mode 0600, because Bitrix24 invalidates the old refresh token on every refresh.

use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use url::Url;

use super::Error;
use super::redact::{redact_str, redact_url};

/// The public OAuth server of Bitrix24 cloud portals.
pub const DEFAULT_TOKEN_URL: &str = "https://oauth.bitrix.info/oauth/token/";

/// How the client proves who it is.
#[derive(Debug)]
pub enum AuthConfig {
    /// An incoming webhook: `https://<portal>/rest/<user>/<code>/`.
    Webhook(SecretString),
    /// An OAuth application.
    OAuth(OAuthConfig),
}

/// An OAuth application's credentials.
#[derive(Debug)]
pub struct OAuthConfig {
    /// `https://<portal>`.
    pub portal: String,
    /// The current access token, if known.
    pub access_token: Option<SecretString>,
    /// The refresh token, if known.
    pub refresh_token: Option<SecretString>,
    /// The application's client id.
    pub client_id: Option<String>,
    /// The application's client secret.
    pub client_secret: Option<SecretString>,
    /// The token endpoint; [`DEFAULT_TOKEN_URL`] when `None`.
    pub token_url: Option<String>,
    /// Where rotated tokens are kept. `None` keeps them in memory only.
    pub credentials_file: Option<PathBuf>,
}

/// A parsed, checked URL: `https`, or `http` to a loopback host.
pub(crate) fn checked_url(raw: &str, what: &str) -> Result<Url, Error> {
    let url = Url::parse(raw.trim()).map_err(|e| Error::Config {
        message: format!("the {what} is not a valid URL ({e}): {}", redact_str(raw)),
        help: "write it in full, e.g. https://example.bitrix24.com".into(),
    })?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::Config {
                message: format!("refusing plain http for the {what}: {}", redact_url(&url)),
                help: "Bitrix24 requires HTTPS; only loopback addresses (the local emulator) may use http".into(),
            });
        }
        other => {
            return Err(Error::Config {
                message: format!("the {what} has an unsupported scheme `{other}`"),
                help: "use an https:// URL".into(),
            });
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::Config {
            message: format!("the {what} has no host"),
            help: "write it in full, e.g. https://example.bitrix24.com".into(),
        });
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Checks a webhook URL and returns it normalised to end in `/`, plus its redacted form.
pub(crate) fn webhook_base(secret: &SecretString) -> Result<(SecretString, String), Error> {
    let url = checked_url(secret.expose_secret(), "webhook URL")?;
    let segments: Vec<&str> = url
        .path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).collect())
        .unwrap_or_default();
    // A webhook is /rest/<user id>/<code>/; anything else would send the code to an
    // unexpected path, so refuse it rather than guess.
    let ok = segments.len() == 3
        && segments[0] == "rest"
        && segments[1].bytes().all(|b| b.is_ascii_digit())
        && !segments[2].is_empty();
    // Nor does a webhook carry user info, a query or a fragment: each is a place a
    // secret could hide and be sent where it was not meant to go.
    let extra = url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some();
    if !ok || extra {
        return Err(Error::Config {
            message: format!(
                "the webhook URL must look like https://<portal>/rest/<user>/<code>/, got {}",
                redact_url(&url)
            ),
            help: "copy the URL from Developer resources > Other > Inbound webhook, without a method name".into(),
        });
    }
    let mut base = url.clone();
    base.set_path(&format!("/rest/{}/{}/", segments[1], segments[2]));
    let shown = redact_url(&base);
    Ok((SecretString::from(base.to_string()), shown))
}

/// The tokens of an OAuth application, as kept in memory.
pub(crate) struct Tokens {
    pub(crate) access: Option<SecretString>,
    pub(crate) refresh: Option<SecretString>,
    /// Bumped on every refresh, so concurrent callers refresh only once.
    pub(crate) generation: u64,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("access", &self.access.as_ref().map(|_| "<redacted>"))
            .field("refresh", &self.refresh.as_ref().map(|_| "<redacted>"))
            .field("generation", &self.generation)
            .finish()
    }
}

/// The credentials file's content.
#[derive(Serialize, Deserialize)]
pub(crate) struct StoredCredentials {
    /// The portal these tokens belong to.
    pub(crate) portal: String,
    pub(crate) access_token: Option<String>,
    pub(crate) refresh_token: Option<String>,
}

/// Reads the credentials file; `Ok(None)` when it does not exist.
pub(crate) fn read_credentials(path: &Path) -> Result<Option<StoredCredentials>, Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(Error::Credentials {
                action: "read",
                path: path.to_owned(),
                source,
            });
        }
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| Error::Credentials {
            action: "read",
            path: path.to_owned(),
            // serde_json's message quotes no content beyond a position, so no token leaks.
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()),
        })
}

/// Writes the credentials file atomically with mode 0600.
pub(crate) fn write_credentials(path: &Path, creds: &StoredCredentials) -> Result<(), Error> {
    let fail = |source: std::io::Error| Error::Credentials {
        action: "write",
        path: path.to_owned(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".credentials")
        .tempfile_in(dir)
        .map_err(fail)?;
    // tempfile creates files with mode 0600 on Unix; set it anyway so the guarantee does
    // not rest on a library default.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(fail)?;
    }
    let text = serde_json::to_string_pretty(creds)
        .map_err(|e| fail(std::io::Error::other(e.to_string())))?;
    tmp.write_all(text.as_bytes()).map_err(fail)?;
    tmp.write_all(b"\n").map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_urls_are_normalised_and_redacted() {
        let (base, shown) = webhook_base(&SecretString::from(
            "https://x.bitrix24.com/rest/1/s3cr3tcode".to_owned(),
        ))
        .unwrap();
        assert_eq!(
            base.expose_secret(),
            "https://x.bitrix24.com/rest/1/s3cr3tcode/"
        );
        assert_eq!(shown, "https://x.bitrix24.com/rest/1/***/");
        assert!(!shown.contains("s3cr3t"));
    }

    #[test]
    fn webhook_with_a_method_is_refused_without_echoing_the_code() {
        let err = webhook_base(&SecretString::from(
            "https://x.bitrix24.com/rest/1/s3cr3tcode/profile".to_owned(),
        ))
        .unwrap_err();
        assert!(!format!("{err} {err:?}").contains("s3cr3t"));
    }

    #[test]
    fn plain_http_only_on_loopback() {
        assert!(checked_url("http://127.0.0.1:8080", "portal URL").is_ok());
        assert!(checked_url("http://localhost:8080", "portal URL").is_ok());
        assert!(checked_url("http://[::1]:8080", "portal URL").is_ok());
        assert!(checked_url("http://example.com", "portal URL").is_err());
        assert!(checked_url("https://example.com", "portal URL").is_ok());
        assert!(checked_url("ftp://example.com", "portal URL").is_err());
    }

    #[test]
    fn credentials_file_is_private_and_atomic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/credentials.json");
        let creds = StoredCredentials {
            portal: "https://x".into(),
            access_token: Some("a".into()),
            refresh_token: Some("r".into()),
        };
        write_credentials(&path, &creds).unwrap();
        let back = read_credentials(&path).unwrap().unwrap();
        assert_eq!(back.refresh_token.as_deref(), Some("r"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(
            read_credentials(&dir.path().join("none.json"))
                .unwrap()
                .is_none()
        );
    }
}
