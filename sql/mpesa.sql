-- M-Pesa payments that record themselves: Daraja C2B callbacks and the owner's inbox (duka/mpesa.py).

-- name: shop_by_secret_hash
-- The shop whose callback URLs carry the secret with this SHA-256 (no row: unknown secret).
SELECT shop_id FROM mpesa_settings WHERE secret_hash = %(secret_hash)s;

-- name: first_owner_of_shop
-- The shop's first owner (added earliest): the member a C2B payment is recorded as.
SELECT user_id FROM shop_members
 WHERE shop_id = %(shop_id)s AND role = 'owner'
 ORDER BY added_at, user_id
 LIMIT 1;

-- name: mpesa_settings_of_shop
-- The shop's Paybill number and whether (and when) callback URLs were made.
SELECT short_code, secret_hash IS NOT NULL AS enabled, secret_set_at
  FROM mpesa_settings WHERE shop_id = %(shop_id)s;

-- name: save_short_code
-- The shop's Paybill number (the row is made the first time).
INSERT INTO mpesa_settings (shop_id, short_code) VALUES (%(shop_id)s, %(short_code)s)
ON DUPLICATE KEY UPDATE short_code = VALUES(short_code);

-- name: save_secret_hash
-- A new secret for the callback URLs (the old one stops working at once).
INSERT INTO mpesa_settings (shop_id, secret_hash, secret_set_at, secret_set_by)
VALUES (%(shop_id)s, %(secret_hash)s, NOW(), %(user_id)s)
ON DUPLICATE KEY UPDATE secret_hash = VALUES(secret_hash), secret_set_at = VALUES(secret_set_at),
                        secret_set_by = VALUES(secret_set_by);

-- name: customer_by_account
-- The customer paying to this account number (a merged one's payment goes to whom they were merged into).
SELECT COALESCE(merged_into, id) AS customer_id
  FROM customers WHERE shop_id = %(shop_id)s AND account_no = %(account_no)s;

-- name: customer_accounts
-- Every customer not archived with the account number they pay to and what they owe.
SELECT c.account_no, c.id AS customer_id, c.name, c.phone, COALESCE(a.balance, 0.00) AS balance
  FROM customers c
  LEFT JOIN active_debtors a ON a.shop_id = c.shop_id AND a.customer_id = c.id
 WHERE c.shop_id = %(shop_id)s AND c.archived_at IS NULL
 ORDER BY c.account_no;

-- name: insert_c2b
-- A confirmation as received; the unique (shop_id, trans_id) refuses a second one of the same TransID.
INSERT INTO mpesa_c2b (shop_id, trans_id, trans_type, trans_time, amount, business_short_code, bill_ref_number,
                       invoice_number, org_account_balance, third_party_trans_id, msisdn, payer_name, state, reason)
VALUES (%(shop_id)s, %(trans_id)s, %(trans_type)s, %(trans_time)s, %(amount)s, %(business_short_code)s,
        %(bill_ref_number)s, %(invoice_number)s, %(org_account_balance)s, %(third_party_trans_id)s, %(msisdn)s,
        %(payer_name)s, 'inbox', %(reason)s);

-- name: settle_c2b
-- What became of a confirmation: recorded or assigned (with the payments), or left in the inbox with why.
UPDATE mpesa_c2b
   SET state = %(state)s, reason = %(reason)s, customer_id = %(customer_id)s, allocations = %(allocations)s,
       note = %(note)s, decided_at = IF(%(decided_by)s IS NULL, decided_at, NOW()), decided_by = %(decided_by)s
 WHERE shop_id = %(shop_id)s AND id = %(c2b_id)s;

-- name: c2b_by_trans_id
-- One confirmation of this shop by its TransID.
SELECT id AS c2b_id, trans_id, state, reason, customer_id, amount
  FROM mpesa_c2b WHERE shop_id = %(shop_id)s AND trans_id = %(trans_id)s;

-- name: c2b_for_update
-- One confirmation of this shop, locked while the owner decides what it is.
SELECT id AS c2b_id, trans_id, trans_time, amount, state
  FROM mpesa_c2b WHERE shop_id = %(shop_id)s AND id = %(c2b_id)s FOR UPDATE;

-- name: c2b_transactions
-- The shop's C2B payments, newest first: the inbox alone, or everything.
SELECT m.id AS c2b_id, m.trans_id, m.trans_time, m.amount, m.bill_ref_number, m.payer_name, m.state, m.reason,
       m.customer_id, c.name AS customer, m.note, m.received_at
  FROM mpesa_c2b m
  LEFT JOIN customers c ON c.shop_id = m.shop_id AND c.id = m.customer_id
 WHERE m.shop_id = %(shop_id)s AND (m.state = 'inbox' OR NOT %(inbox_only)s)
 ORDER BY m.trans_time DESC, m.id DESC
 LIMIT %(limit)s;

-- name: statement_receipt
-- The receipt, if an M-Pesa statement import recorded it already (a C2B confirmation of it then pays nothing).
SELECT r.receipt_no, r.customer_id, r.expense_id FROM mpesa_receipts r
 WHERE r.shop_id = %(shop_id)s AND r.receipt_no = %(receipt_no)s;
