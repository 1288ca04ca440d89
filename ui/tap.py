"""One tap that opens WhatsApp or the phone's messages app with a message typed in AND tells the page it happened.

st.link_button cannot tell Python it was clicked, and a button followed by a link is two taps. This component
draws real anchors (wa.me in a new tab, sms: in place): a click reports its channel to Python as a trigger value
(read once, on the run it causes) and the anchor's own navigation goes on, the user's gesture opening the app.

The anchors are built with DOM calls (textContent, setAttribute), never innerHTML: labels and links carry user
text (names, messages). Only https://wa.me/ and sms: links are drawn."""

from __future__ import annotations

import streamlit as st

from duka import collections
from duka.members import Actor
from duka.reminders import sms_link, whatsapp_link
from i18n import t

_CSS = """
.taps { display: flex; gap: 0.5rem; flex-wrap: wrap; }
.tap {
  flex: 1 1 8rem; display: inline-flex; align-items: center; justify-content: center; min-height: 2.75rem;
  padding: 0.25rem 0.75rem; border-radius: 0.5rem; font-family: inherit; font-weight: 600; text-decoration: none;
  color: #ffffff; background: var(--st-primary-color, #0f766e); border: 1px solid transparent;
}
.tap[data-channel="sms"] {
  color: var(--st-text-color, #1f2937); background: transparent; border-color: rgba(49, 51, 63, 0.3);
}
.tap:hover, .tap:focus-visible { filter: brightness(0.92); outline: none; }
"""

# setTriggerValue first, then the browser follows the link: the click is the user's own gesture, so WhatsApp's
# new tab is not a blocked pop-up, and the trigger is sent before the page can lose focus to the other app.
_JS = """
const ALLOWED = /^(https:\\/\\/wa\\.me\\/|sms:)/;

export default function (component) {
  const { data, setTriggerValue, parentElement } = component;
  parentElement.querySelectorAll(".taps").forEach((old) => old.remove());  // new data: drawn again, not added
  const row = document.createElement("div");
  row.className = "taps";
  for (const link of (data && data.links) || []) {
    if (typeof link.href !== "string" || !ALLOWED.test(link.href)) continue;
    const anchor = document.createElement("a");
    anchor.className = "tap";
    anchor.textContent = String(link.label);
    anchor.setAttribute("href", link.href);
    anchor.setAttribute("data-channel", String(link.channel));
    if (link.new_tab) {
      anchor.setAttribute("target", "_blank");
      anchor.setAttribute("rel", "noopener noreferrer");
    }
    anchor.addEventListener("click", () => {
      setTriggerValue("sent", { channel: link.channel, ref: data.ref, text: data.text });
    });
    row.appendChild(anchor);
  }
  parentElement.appendChild(row);
  return () => row.remove();
}
"""

_tap = st.components.v2.component("daftari_tap", css=_CSS, js=_JS)


def send_buttons(links: list[dict], ref: object, text: str, key: str) -> dict | None:
    """Draw one anchor per link ({'channel', 'label', 'href', 'new_tab'}); on the run a tap causes, return
    {'channel', 'ref', 'text'} (`ref` and `text` as given to that drawing: which card, what the link carried),
    else None. `ref` is JSON (a customer's id)."""
    result = _tap(data={"links": links, "ref": ref, "text": text}, key=key, on_sent_change=lambda: None)
    sent = result.sent
    return sent if isinstance(sent, dict) else None


def send_reminder(actor: Actor, customer_id: int, phone: str, text: str, language: str, key: str) -> bool:
    """WhatsApp and SMS anchors carrying `text` to `phone`; a tap on them records the reminder (the exact text
    the link carried, in `language`). True on the run a tap of this customer's card causes: a tap on a card the
    page has already left (a second tap before it moved on) is not this customer's, and records nothing."""
    links = [
        {"channel": "whatsapp", "label": t("Send on WhatsApp"), "href": whatsapp_link(phone, text), "new_tab": True},
        {"channel": "sms", "label": t("Send SMS"), "href": sms_link(phone, text), "new_tab": False},
    ]
    ref = {"customer_id": customer_id, "language": language}
    sent = send_buttons(links, ref, text, key=key)
    if not (sent and sent.get("ref") == ref and sent.get("channel") in collections.CHANNELS):
        return False
    said = sent["text"] if isinstance(sent.get("text"), str) else text  # what the link carried
    collections.record_reminder(actor, customer_id, sent["channel"], said, language)
    return True
