"""Record a credit sale to an existing or a new customer."""

from ui import session
from ui.forms import sale_form

actor = session.page("Record a credit sale", roles=("owner", "clerk"))
with session.shown_errors():
    sale_form(actor, session.shop()["currency"], key="sale_page")
