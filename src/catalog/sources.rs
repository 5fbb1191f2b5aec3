//! Where a lead or deal came from: `SOURCE_ID` holds the id of an entry of the portal's
//! `SOURCE` list (`crm.status.list` with `ENTITY_ID` `SOURCE`), never its name. A
//! condition "the source is Website" must compare with `WEB`: compared with the name it
//! is false for every record, and the workflow silently never acts.
//!
//! The ids are the list a portal starts with, `CCrmStatus::GetDefaultSources()` in the
//! crm module (`classes/general/crm_status.php`): CALL, EMAIL, WEB, ADVERTISING, PARTNER,
//! RECOMMENDATION, TRADE_SHOW, WEBFORM, CALLBACK, RC_GENERATOR, STORE, OTHER. Their
//! display names come from the module's language files, which the source mirrors do not
//! carry; so a name is matched by the words of its id and the plain words people use for
//! it ("website", "referral", "trade show"), not by a portal's display text. Sources a
//! portal adds get ids of the form `UC_XXXXXX`, written as they are.

/// The default sources: the id, and the words that name it.
pub const DEFAULT_SOURCES: &[(&str, &[&str])] = &[
    (
        "CALL",
        &[
            "call",
            "phone call",
            "phone",
            "incoming call",
            "inbound call",
        ],
    ),
    ("EMAIL", &["email", "e-mail", "mail"]),
    (
        "WEB",
        &["web", "website", "web site", "site", "our website"],
    ),
    (
        "ADVERTISING",
        &["advertising", "advertisement", "ads", "adverts"],
    ),
    ("PARTNER", &["partner", "partners", "existing client"]),
    (
        "RECOMMENDATION",
        &[
            "recommendation",
            "by recommendation",
            "referral",
            "referrals",
        ],
    ),
    (
        "TRADE_SHOW",
        &[
            "trade show",
            "tradeshow",
            "trade fair",
            "exhibition",
            "show/exhibition",
            "expo",
        ],
    ),
    (
        "WEBFORM",
        &[
            "webform",
            "web form",
            "crm form",
            "website form",
            "online form",
            "form",
        ],
    ),
    ("CALLBACK", &["callback", "call back", "call-back"]),
    ("RC_GENERATOR", &["sales boost", "rc generator"]),
    (
        "STORE",
        &["store", "online store", "online shop", "shop", "web shop"],
    ),
    ("OTHER", &["other"]),
];

/// The source id `value` stands for: a default id as written (`WEB`), or the id whose
/// words `value` is, in any case ("Website", "trade show"). `None` for anything else.
pub fn source_id(value: &str) -> Option<&'static str> {
    let v = value.trim();
    if let Some((id, _)) = DEFAULT_SOURCES.iter().find(|(id, _)| *id == v) {
        return Some(id);
    }
    let lower = v.to_ascii_lowercase();
    // "the website", "a partner", "our website": the source with its article.
    let lower = ["the ", "a ", "an ", "our "]
        .iter()
        .find_map(|a| lower.strip_prefix(a))
        .unwrap_or(&lower);
    DEFAULT_SOURCES
        .iter()
        .find(|(_, names)| names.contains(&lower))
        .map(|(id, _)| *id)
}

/// Whether `value` is written as a source id a portal may hold: upper case, digits and
/// `_` (`UC_3KX9Q2`), so kept as written.
pub fn is_source_id_form(value: &str) -> bool {
    !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_the_default_ids_and_ids_stay() {
        assert_eq!(source_id("Website"), Some("WEB"));
        assert_eq!(source_id("website"), Some("WEB"));
        assert_eq!(source_id("WEB"), Some("WEB"));
        assert_eq!(source_id("Trade show"), Some("TRADE_SHOW"));
        assert_eq!(source_id("referral"), Some("RECOMMENDATION"));
        assert_eq!(source_id("E-mail"), Some("EMAIL"));
        assert_eq!(source_id("Instagram"), None);
        assert_eq!(source_id("web"), Some("WEB"));
        assert_eq!(source_id("a partner"), Some("PARTNER"));
    }

    #[test]
    fn a_custom_id_is_an_id_and_a_name_is_not() {
        assert!(is_source_id_form("UC_3KX9Q2"));
        assert!(!is_source_id_form("Instagram"));
        assert!(!is_source_id_form(""));
    }
}
