"""The credit-sale and payment forms, shared by their own pages and the customer page.

What was typed stays when a save fails (the error shows just above the button, where a phone user looks);
the fields clear only after a successful save. No customer is chosen for the clerk. A sale past the customer's
credit limit is refused for a clerk and asked about for an owner, who may record it anyway."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import streamlit as st

import i18n
from duka import book, customers
from duka.book import OverLimit
from duka.clock import today, written_day
from duka.customers import LookAlike
from duka.members import Actor
from duka.money import money
from i18n import N_, t, tn
from ui.session import clear_fields, flash, shown_errors
from ui.text import plain

CHOOSE = N_("Choose a customer: type a name or phone…")
EXISTING, NEW = N_("Existing customer"), N_("New customer")
OLDEST_FIRST, ONE_SALE = N_("Oldest sales first"), N_("One sale")


def in_currency(label: str, currency: str) -> str:
    """A field's label (marked N_("Total ({currency})") by the caller) with the currency as money() writes it:
    'Total (Ksh)'."""
    return t(label, currency=i18n.currency_symbol(currency))


def shown_as(options: Iterable[str]) -> Callable[[str], str]:
    """A format_func for options kept in English (what is stored and compared) and shown translated. The labels
    are made now, in this run's language: a format_func may be called after the run (AppTest does)."""
    labels = {option: t(option) for option in options}
    return lambda option: labels.get(option, option)


def customer_label(row, currency: str) -> str:
    """'Kiprono · +254712345678 · owes Ksh 960.00' (no phone, no 'nan'); '· archived' when archived."""
    parts = [row.name]
    if isinstance(row.phone, str) and row.phone:
        parts.append(row.phone)
    parts.append(t("owes {amount}", amount=money(row.balance, currency)) if row.balance > 0 else t("owes nothing"))
    if getattr(row, "archived", False):
        parts.append(t("archived"))
    return " · ".join(parts)


def fresh_select(label: str, labels: dict, key: str, placeholder: str, start: object = None) -> object:
    """A select whose labels change with the data (balances, amounts), nothing chosen unless `start` is.

    Its value is set through session state on every run, so the browser redraws the chosen label: it keeps the
    label it was sent, and after a payment would still say "owes 960.00" beside a balance of 760.00."""
    current = st.session_state.get(key, start)
    st.session_state[key] = current if current in labels else None
    return st.selectbox(label, list(labels), format_func=labels.get, key=key, placeholder=placeholder)


def pick_customer(
    actor: Actor,
    currency: str,
    key: str,
    label: str = N_("Customer"),
    only_owing: bool = False,
    remember: bool = False,
    include_archived: bool = False,
) -> int | None:
    """A searchable select of the shop's customers with their balances as of now; nobody is chosen unless
    `remember` (the ledger page reopens the customer last opened). `label` is marked N_() and translated here."""
    choices = customers.customer_choices(actor, include_archived)
    if only_owing:
        choices = choices[choices["balance"] > 0]
    if choices.empty:
        st.info(
            t("Nobody owes anything right now.") if only_owing else t("No customers yet: add one with a credit sale.")
        )
        return None
    labels = {row.customer_id: customer_label(row, currency) for row in choices.itertuples()}
    start = st.session_state.get("customer_id") if remember else None
    chosen = fresh_select(t(label), labels, key, t(CHOOSE), start)
    if chosen is not None:
        st.session_state["customer_id"] = chosen
    return chosen


def _look_alike_buttons(key: str, currency: str) -> tuple[int | None, bool]:
    """After a LookAlike: one button per existing customer and one to add the new person anyway."""
    matches = st.session_state.get(f"{key}_look_alikes") or []
    use, anyway = None, False
    for m in matches:
        owes = money(m["balance"], currency)
        if m["phone"]:
            label = t("Use {name} · {phone} · owes {amount}", name=m["name"], phone=m["phone"], amount=owes)
        else:
            label = t("Use {name} · owes {amount}", name=m["name"], amount=owes)
        if st.form_submit_button(plain(label), key=f"{key}_use_{m['customer_id']}"):  # labels render markdown
            use = m["customer_id"]
    if matches:
        anyway = st.form_submit_button(t("No, it is a different person: add them"), key=f"{key}_anyway")
    return use, anyway


def over_limit_question(over: OverLimit, currency: str) -> str:
    """What an owner is asked before a sale (or a correction) takes a customer past their credit limit."""
    return t(
        "This takes {name} to {balance}, past their limit of {limit}. Record it anyway?",
        name=over.name,
        balance=money(over.balance, currency),
        limit=money(over.limit, currency),
    )


def sale_form(actor: Actor, currency: str, customer_id: int | None = None, key: str = "sale") -> None:
    """Record a credit sale: to a chosen customer, or to a new one created with it."""
    new_customer = False
    if customer_id is None:
        who = st.radio(
            t("Customer"), [EXISTING, NEW], format_func=shown_as((EXISTING, NEW)), horizontal=True, key=f"{key}_who"
        )
        new_customer = who == NEW
        if not new_customer:
            customer_id = pick_customer(actor, currency, key=f"{key}_customer", label=N_("Customer"))
    emptied = {f"{key}_{name}": "" for name in ("name", "phone", "product", "total", "qty", "price")}
    emptied |= {f"{key}_date": today(), f"{key}_due": None, f"{key}_customer": None}  # the next sale: choose again
    with st.form(key):
        if new_customer:
            name = st.text_input(t("Customer name"), key=f"{key}_name")
            phone = st.text_input(t("Customer phone (optional)"), placeholder="07XX XXX XXX", key=f"{key}_phone")
        product = st.text_input(t("Product"), placeholder=t("e.g. Sugar 2kg"), key=f"{key}_product")
        total = st.text_input(
            in_currency(N_("Total ({currency})"), currency), placeholder=t("e.g. 1,250"), key=f"{key}_total"
        )
        st.caption(t("…or quantity × unit price:"))
        left, right = st.columns(2)
        quantity = left.text_input(t("Quantity"), placeholder=t("e.g. 1.5"), key=f"{key}_qty")
        unit_price = right.text_input(in_currency(N_("Unit price ({currency})"), currency), key=f"{key}_price")
        day = st.date_input(t("Date of sale"), value=today(), max_value=today(), key=f"{key}_date")
        due = st.date_input(t("Due date (optional)"), value=None, key=f"{key}_due")
        problems = st.container()
        # "Record sale" comes first: Enter in a field presses a form's first button, and must never choose an
        # existing customer. The look-alike choice holds only while the name typed is the one it was for.
        saved = st.form_submit_button(t("Record sale"), type="primary", width="stretch")
        same_name = new_customer and st.session_state.get(f"{key}_look_alike_name") == name
        use, anyway = _look_alike_buttons(key, currency) if same_name else (None, False)
        # The owner's answer to "past their limit?" holds only for the sale it was asked about: the same customer
        # and amounts (a changed sale is checked, and asked about, again).
        typed = (customer_id, total, quantity, unit_price)
        asked = st.session_state.get(f"{key}_over_limit")
        asked = asked if asked and not new_customer and asked["typed"][0] == customer_id else None
        past_limit = bool(asked) and st.form_submit_button(t("Record it anyway"), key=f"{key}_over_limit_ok")
        over_limit_ok = past_limit and asked["typed"] == typed
    if not (saved or use or anyway or past_limit):
        if same_name:
            problems.warning(plain(st.session_state[f"{key}_look_alike_message"]), icon=":material/group:")
        if asked:
            problems.warning(plain(asked["question"]), icon=":material/warning:")
        return
    st.session_state.pop(f"{key}_over_limit", None)
    if not new_customer and customer_id is None:
        problems.error(t("Choose the customer first: type a name or phone in the box above."))
        return
    with problems, shown_errors():
        try:
            if use:
                book.record_sale(actor, use, product, total, quantity, unit_price, day, due)
                customer_id = use
            elif new_customer:
                customer_id, _ = book.record_sale_to_new_customer(
                    actor, name, phone, product, total, quantity, unit_price, day, due, look_alike_ok=anyway
                )
            else:
                book.record_sale(
                    actor, customer_id, product, total, quantity, unit_price, day, due, over_limit_ok=over_limit_ok
                )
        except LookAlike as same:
            st.session_state[f"{key}_look_alikes"] = same.matches
            st.session_state[f"{key}_look_alike_message"] = str(same)
            st.session_state[f"{key}_look_alike_name"] = name
            st.rerun()
        except OverLimit as over:
            if st.session_state.get("role") != "owner":
                raise  # a clerk reads the refusal, which names the limit and the balance
            if use:  # the look-alike chosen is an existing customer: the form now sells to them, and asks
                clear_fields({f"{key}_who": EXISTING, f"{key}_customer": use})
                for leftover in ("look_alikes", "look_alike_message", "look_alike_name"):
                    st.session_state.pop(f"{key}_{leftover}", None)
                typed = (use, total, quantity, unit_price)
            question = over_limit_question(over, currency)
            st.session_state[f"{key}_over_limit"] = {"typed": typed, "question": question}
            st.rerun()
        owed = customers.customer(actor, customer_id)
        st.session_state["customer_id"] = customer_id
        for leftover in ("look_alikes", "look_alike_message", "look_alike_name"):
            st.session_state.pop(f"{key}_{leftover}", None)
        clear_fields(emptied)
        flash(t("Sale recorded. {name} now owes {amount}.", name=owed["name"], amount=money(owed["balance"], currency)))


def payment_form(
    actor: Actor, currency: str, customer_id: int, key: str = "payment", picker: str | None = None
) -> None:
    """Record a payment against the customer's total (oldest sales first) or against one sale; after a save
    the `picker` (if given) chooses nobody again."""
    debts = book.open_debts(actor, customer_id)
    if debts.empty:
        st.info(t("This customer owes nothing."))
        return
    owed = debts["balance"].sum()
    st.markdown(
        tn(
            "Balance: {amount} across 1 unpaid sale.",
            "Balance: {amount} across {n} unpaid sales.",
            len(debts),
            amount=f"**{plain(money(owed, currency))}**",
        )
    )
    target = st.radio(
        t("Apply the payment to"),
        [OLDEST_FIRST, ONE_SALE],
        format_func=shown_as((OLDEST_FIRST, ONE_SALE)),
        horizontal=True,
        key=f"{key}_target",
    )
    emptied = {f"{key}_amount": "", f"{key}_reference": "", f"{key}_method": book.METHODS[0], f"{key}_date": today()}
    if picker:
        emptied[picker] = None
    with st.form(key):
        debt_id = None
        if target == ONE_SALE:
            labels = {
                r.debt_id: " · ".join(
                    (written_day(r.debt_date), r.product, t("owes {amount}", amount=money(r.balance, currency)))
                )
                for r in debts.itertuples()
            }
            debt_id = fresh_select(t("Sale"), labels, f"{key}_debt", t("Choose the sale…"))
        amount = st.text_input(
            in_currency(N_("Amount ({currency})"), currency), placeholder=t("e.g. 500"), key=f"{key}_amount"
        )
        method = st.selectbox(t("Method"), book.METHODS, format_func=shown_as(book.METHODS), key=f"{key}_method")
        reference = st.text_input(
            t("Reference (optional)"), placeholder=t("M-Pesa code, e.g. QK12AB34CD"), key=f"{key}_reference"
        )
        day = st.date_input(t("Date"), value=today(), max_value=today(), key=f"{key}_date")
        problems = st.container()
        saved = st.form_submit_button(t("Record payment"), type="primary", width="stretch")
    if not saved:
        return
    if target == ONE_SALE and debt_id is None:
        problems.error(t("Choose the sale this payment is for, or apply it to the oldest sales first."))
        return
    with problems, shown_errors():
        if debt_id is None:
            book.pay_customer(actor, customer_id, amount, method, reference, day)
        else:
            book.record_payment(actor, debt_id, amount, method, reference, day)
        left = customers.customer(actor, customer_id)
        clear_fields(emptied)
        if left["balance"] == 0:
            flash(t("Payment recorded. {name} has paid everything and leaves the debtors list.", name=left["name"]))
        else:
            flash(
                t(
                    "Payment recorded. {name} still owes {amount}.",
                    name=left["name"],
                    amount=money(left["balance"], currency),
                )
            )
