//! Messages: to the client (Open Channels, e-mail, SMS) and to employees (notifications,
//! chat).

use super::{Activity, Value, sender, user_list};
use crate::config::Channels;
use crate::resolve::Audience;

/// imopenlines module: writes into the client's open Open Channel chat (WhatsApp among
/// its connectors); IsSystem "N" so it reaches the client.
pub(super) fn whatsapp(name: String, message: &str) -> Activity {
    Activity::new("ImOpenLinesMessageActivity", name)
        .with("Title", Value::str("Message the client (Open Channels)"))
        .with("MessageText", Value::str(message))
        .with("IsSystem", Value::str("N"))
        .with("AttachmentType", Value::str("file"))
        .with("Attachment", Value::empty_array())
}

/// crm CrmSendEmailActivity: the recipient is the record's client, found by the
/// activity; an empty MessageFrom uses the responsible person's mailbox.
pub(super) fn email(name: String, subject: &str, body: &str, channels: &Channels) -> Activity {
    Activity::new("CrmSendEmailActivity", name)
        .with("Title", Value::str("E-mail the client"))
        .with("Subject", Value::str(subject))
        .with("MessageText", Value::str(body))
        .with("MessageTextType", Value::str("bbcode"))
        .with("MessageFrom", Value::str(&channels.email_from))
        .with("EmailType", Value::str(""))
        .with("EmailSelectRule", Value::str("first"))
        .with("UseLinkTracker", Value::str("Y"))
        .with("AttachmentType", Value::str("file"))
        .with("Attachment", Value::empty_array())
}

/// crm CrmSendSmsActivity, to the record's client or to employees.
pub(super) fn sms(name: String, to: &Audience, message: &str, channels: &Channels) -> Activity {
    let activity = Activity::new("CrmSendSmsActivity", name)
        .with("Title", Value::str("Send an SMS"))
        .with("ProviderId", Value::str(&channels.sms_provider))
        .with("MessageText", Value::str(message));
    match to {
        Audience::Client => activity
            .with("RecipientType", Value::str("entity"))
            .with("PhoneType", Value::str("")),
        Audience::Users(users) => activity
            .with("RecipientType", Value::str("user"))
            .with("RecipientUser", user_list(users)),
    }
}

/// im IMNotifyActivity: MessageType 2 = a personal notification from MessageUserFrom
/// (IM_NOTIFY_FROM).
pub(super) fn notify(name: String, to: &[String], message: &str, channels: &Channels) -> Activity {
    Activity::new("IMNotifyActivity", name)
        .with("Title", Value::str("Notify"))
        .with("MessageUserFrom", sender(channels))
        .with("MessageUserTo", user_list(to))
        .with("MessageSite", Value::str(message))
        .with("MessageOut", Value::str(message))
        .with("MessageType", Value::str("2"))
}

/// im ImMessageActivity: a plain chat message from `[channels] notify_from`.
pub(super) fn chat(name: String, to: &[String], message: &str, channels: &Channels) -> Activity {
    Activity::new("ImMessageActivity", name)
        .with("Title", Value::str("Chat message"))
        .with("MessageUserFrom", sender(channels))
        .with("MessageUserTo", user_list(to))
        .with("MessageTemplate", Value::str("plain"))
        .with(
            "MessageFields",
            Value::map([("MessageText", Value::str(message))]),
        )
}
