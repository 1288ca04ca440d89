"""Record a credit sale to an existing or a new customer."""

from i18n import N_
from ui import session
from ui.forms import sale_form

actor = session.page(N_("Record a credit sale"), roles=("owner", "clerk"))
with session.shown_errors():
    sale_form(actor, session.shop()["currency"], key="sale_page")
