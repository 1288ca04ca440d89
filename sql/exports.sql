-- The shop's own data, table by table, for the owner's archive (duka/exports.py). Every query reads one shop.

-- name: archive_shop
-- The shop itself.
SELECT id AS shop_id, name, currency, credit_days, reminder_days, remind_every_days, created_at
  FROM shops WHERE id = %(shop_id)s;

-- name: archive_members
-- Who works in the shop, with the role; never a password hash or anything else of the account.
SELECT m.user_id, u.first_name, u.last_name, u.phone, m.role, m.added_at
  FROM shop_members m JOIN users u ON u.id = m.user_id
 WHERE m.shop_id = %(shop_id)s
 ORDER BY m.user_id;

-- name: archive_invitations
-- Phone numbers invited to the shop, whatever became of the invitation.
SELECT id, shop_id, phone, role, status, invited_by, created_at, expires_at, decided_at, decided_by
  FROM invitations WHERE shop_id = %(shop_id)s ORDER BY id;

-- name: archive_customers
-- Every customer, archived and merged ones included.
SELECT id, shop_id, name, phone, account_no, credit_limit, note, created_at, created_by, archived_at, archived_by,
       merged_into
  FROM customers WHERE shop_id = %(shop_id)s ORDER BY id;

-- name: archive_debts
-- Every credit sale, voided ones included.
SELECT id, shop_id, customer_id, product, quantity, unit_price, total, paid, written_off, balance, debt_date, due_date,
       created_by, created_at, edited_at, edited_by, voided_at, voided_by, void_reason
  FROM debts WHERE shop_id = %(shop_id)s ORDER BY id;

-- name: archive_payments
-- Every payment, voided ones included.
SELECT id, shop_id, debt_id, amount, method, reference, paid_at, recorded_by, created_at,
       edited_at, edited_by, voided_at, voided_by, void_reason
  FROM payments WHERE shop_id = %(shop_id)s ORDER BY id;

-- name: archive_active_debtors
-- Who owes now, as the triggers keep it.
SELECT shop_id, customer_id, balance, updated_at
  FROM active_debtors WHERE shop_id = %(shop_id)s ORDER BY customer_id;

-- name: archive_categories
-- The expense categories, their monthly budgets and whether each is essential.
SELECT id, shop_id, name, description, monthly_budget, essential, created_at
  FROM categories WHERE shop_id = %(shop_id)s ORDER BY id;

-- name: archive_expenses
-- Every expense.
SELECT id, shop_id, category_id, spent_on, amount, payment_mode, cashback, description, recorded_by, created_at,
       edited_at, edited_by
  FROM expenses WHERE shop_id = %(shop_id)s ORDER BY id;

-- name: archive_expense_days
-- The daily roll-up of expenses per category, as the triggers keep it.
SELECT shop_id, spent_on, category_id, amount, cashback, expenses
  FROM expense_days WHERE shop_id = %(shop_id)s ORDER BY spent_on, category_id;

-- name: archive_expense_day_modes
-- The daily roll-up of expenses per payment mode, as the triggers keep it.
SELECT shop_id, spent_on, payment_mode, amount, cashback, expenses
  FROM expense_day_modes WHERE shop_id = %(shop_id)s ORDER BY spent_on, payment_mode;

-- name: archive_book_days
-- The book's daily roll-up (credit given and collected per day), as the triggers keep it.
SELECT shop_id, book_day, credit_given, sales, collected, payments
  FROM book_days WHERE shop_id = %(shop_id)s ORDER BY book_day;

-- name: archive_audit_log
-- The shop's history: every change, void and deletion, and the shop's account events.
SELECT id, shop_id, table_name, row_id, action, changed_by, changed_at, old_values, new_values, client_address
  FROM audit_log WHERE shop_id = %(shop_id)s ORDER BY id;

-- name: archive_mpesa_settings
-- The Paybill number and the SHA-256 of the callback URLs' secret (the secret itself is never stored).
SELECT shop_id, short_code, secret_hash, secret_set_at, secret_set_by
  FROM mpesa_settings WHERE shop_id = %(shop_id)s;

-- name: archive_mpesa_c2b
-- Every M-Pesa C2B payment Safaricom confirmed, recorded or in the inbox.
SELECT id, shop_id, trans_id, trans_type, trans_time, amount, business_short_code, bill_ref_number,
       invoice_number, org_account_balance, third_party_trans_id, msisdn, payer_name, state, reason, customer_id,
       allocations, note, received_at, decided_at, decided_by
  FROM mpesa_c2b WHERE shop_id = %(shop_id)s ORDER BY id;

-- name: archive_mpesa_rules
-- The shop's rules for categorising M-Pesa statement lines, in the order they are tried.
SELECT id, shop_id, position, pattern, category FROM mpesa_rules WHERE shop_id = %(shop_id)s ORDER BY position, id;

-- name: archive_mpesa_receipts
-- The M-Pesa statement receipts imported, and the expense or customer each became.
SELECT shop_id, receipt_no, completed_at, amount, expense_id, customer_id, imported_by, imported_at
  FROM mpesa_receipts WHERE shop_id = %(shop_id)s ORDER BY completed_at, receipt_no;

-- name: archive_write_offs
-- Every bad debt written off, reversed ones included (with who, when and why).
SELECT id, shop_id, debt_id, amount, reason, written_at, written_by, reversed_at, reversed_by, reverse_reason
  FROM write_offs WHERE shop_id = %(shop_id)s ORDER BY id;

-- name: archive_reminders
-- Every reminder sent: to whom, when, by whom, on which channel, in which language, its text and the balance then.
SELECT id, shop_id, customer_id, sent_at, sent_by, channel, language, text, balance
  FROM reminders WHERE shop_id = %(shop_id)s ORDER BY id;

-- name: archive_reminder_templates
-- The shop's own reminder templates, per language.
SELECT shop_id, language, body FROM reminder_templates WHERE shop_id = %(shop_id)s ORDER BY language;
