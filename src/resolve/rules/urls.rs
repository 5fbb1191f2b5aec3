//! Webhook URLs: https, a host Bitrix24 will call, and not an internal address unless
//! `[policy] webhook_allowed_hosts` allows the host.

use std::net::{IpAddr, Ipv4Addr};

use super::super::{Code, Diagnostic};
use super::Resolver;

impl Resolver<'_> {
    /// Checks a webhook URL; returns it trimmed when Bitrix24 may call it.
    pub(super) fn url(&mut self, path: &str, value: &str) -> Option<String> {
        let mut errors = Vec::new();
        let url = check_url(
            path,
            value,
            &self.config.policy.webhook_allowed_hosts,
            &mut errors,
        );
        for e in errors {
            self.error(e);
        }
        url
    }
}

/// The webhook URL checks, shared by templates and by workflows b24flow runs itself:
/// https, a domain name, and no internal address unless `allowed` lists the host.
/// Returns the URL trimmed when it passes; otherwise pushes the reasons.
pub(crate) fn check_url(
    path: &str,
    value: &str,
    allowed: &[String],
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let url = match url::Url::parse(value) {
        Ok(url) => url,
        Err(e) => {
            errors.push(Diagnostic::new(
                path,
                Code::BadUrl,
                format!("`{value}` is not a URL: {e}"),
            ));
            return None;
        }
    };
    let mut ok = true;
    if url.scheme() != "https" {
        errors.push(
            Diagnostic::new(
                path,
                Code::InsecureUrl,
                format!("webhook URLs must use https, not {}", url.scheme()),
            )
            .help("the record's data travels to this address; use an https endpoint"),
        );
        ok = false;
    }
    let Some(host) = url.host_str() else {
        errors.push(Diagnostic::new(path, Code::BadUrl, "the URL has no host"));
        return None;
    };
    let allowed = allowed.iter().any(|h| h.eq_ignore_ascii_case(host));
    if !allowed && let Some(why) = internal_host(host) {
        errors.push(
            Diagnostic::new(
                path,
                Code::InternalUrl,
                format!("the webhook points at {why} address `{host}`"),
            )
            .help(format!(
                "if this is intended, allow it: [policy] webhook_allowed_hosts = [\"{host}\"]"
            )),
        );
        return None;
    }
    // bizproc WebHookActivity calls only hosts with a domain name (a dot after the
    // first character).
    if host.find('.').is_none_or(|i| i == 0) {
        errors.push(
                Diagnostic::new(
                    path,
                    Code::BadUrl,
                    format!("`{value}` has no domain name"),
                )
                .help("Bitrix24 calls only URLs whose host contains a dot, e.g. https://hooks.example.com/deal"),
            );
        return None;
    }
    ok.then(|| value.trim().to_owned())
}

/// Why a host is internal (loopback, private, link-local, reserved), or `None` if it is
/// public. A trailing dot (`localhost.`) names the same host.
pub(crate) fn internal_host(host: &str) -> Option<&'static str> {
    let lower = host
        .trim_matches(['[', ']'])
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if lower == "localhost"
        || lower.ends_with(".localhost")
        || lower == "localhost.localdomain"
        || lower.ends_with(".localdomain")
    {
        return Some("a loopback");
    }
    if lower.contains('.') && matches!(lower.rsplit('.').next(), Some("local" | "internal")) {
        return Some("a private");
    }
    match lower.parse::<IpAddr>().ok()? {
        IpAddr::V4(ip) => internal_v4(ip),
        IpAddr::V6(ip) => {
            let first = ip.segments()[0];
            if ip.is_loopback() {
                Some("a loopback")
            } else if first & 0xfe00 == 0xfc00 {
                Some("a private")
            } else if first & 0xffc0 == 0xfe80 {
                Some("a link-local")
            } else if ip.is_unspecified() || ip.is_multicast() {
                Some("a non-routable")
            } else if let Some(v4) = ip.to_ipv4_mapped() {
                internal_v4(v4)
            } else {
                None
            }
        }
    }
}

fn internal_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, ..] = ip.octets();
    if ip.is_loopback() {
        Some("a loopback")
    } else if ip.is_private() || a == 100 && (b & 0xC0) == 64 {
        Some("a private")
    } else if ip.is_link_local() {
        Some("a link-local")
    } else if a == 0 || ip.is_broadcast() || ip.is_multicast() {
        // 0.0.0.0/8 is "this network": Linux connects 0.0.0.0 to the local host.
        Some("a non-routable")
    } else if a == 198 && (b & 0xFE) == 18 {
        // 198.18.0.0/15, the benchmarking range, often routes to lab networks.
        Some("a reserved")
    } else {
        None
    }
}
