"""Record a payment: against a customer's total (oldest first) or one sale."""

from i18n import N_
from ui import session
from ui.forms import payment_form, pick_customer

actor = session.page(N_("Record a payment"), roles=("owner", "clerk"))
currency = session.shop()["currency"]
with session.shown_errors():
    customer_id = pick_customer(actor, currency, key="payment_page_customer", only_owing=True)
    if customer_id is not None:
        payment_form(actor, currency, customer_id, key="payment_page", picker="payment_page_customer")
