-- M-Pesa statement import (duka/mpesa_import.py): the shop's categorisation rules and the receipts imported.

-- name: mpesa_rules_locked
-- The shop's rules inside a write, locked until it ends (two first uses seed the defaults once).
SELECT id AS rule_id, position, pattern, category
  FROM mpesa_rules WHERE shop_id = %(shop_id)s ORDER BY position, id FOR UPDATE;

-- name: insert_mpesa_rule
-- One rule: Details text matching the pattern goes to the category.
INSERT INTO mpesa_rules (shop_id, position, pattern, category)
VALUES (%(shop_id)s, %(position)s, %(pattern)s, %(category)s);

-- name: delete_mpesa_rules
-- Every rule of the shop (the owner saves the whole list at once).
DELETE FROM mpesa_rules WHERE shop_id = %(shop_id)s;

-- name: lock_shop_for_mpesa_import
-- Statement imports into one shop take turns: the shop's row is locked until the import ends.
SELECT id FROM shops WHERE id = %(shop_id)s FOR UPDATE;

-- name: mpesa_receipts_between
-- Receipt numbers the shop already has with a completion time in the range (for the preview): imported from a statement, or received by C2B (a day either side: one receipt, however it came, is recorded once).
SELECT r.receipt_no FROM mpesa_receipts r
 WHERE r.shop_id = %(shop_id)s AND r.completed_at BETWEEN %(start)s AND %(end)s
UNION
SELECT c.trans_id FROM mpesa_c2b c
 WHERE c.shop_id = %(shop_id)s AND c.trans_time BETWEEN %(start)s - INTERVAL 1 DAY AND %(end)s + INTERVAL 1 DAY;

-- name: mpesa_receipts_locked
-- The same receipts inside the import, read as committed (a locking read) while the shop's row is held.
SELECT r.receipt_no FROM mpesa_receipts r
 WHERE r.shop_id = %(shop_id)s AND r.completed_at BETWEEN %(start)s AND %(end)s LOCK IN SHARE MODE;

-- name: mpesa_c2b_receipts_locked
-- The receipts C2B already received in the range (a day either side), read as committed inside the import.
SELECT c.trans_id AS receipt_no FROM mpesa_c2b c
 WHERE c.shop_id = %(shop_id)s AND c.trans_time BETWEEN %(start)s - INTERVAL 1 DAY AND %(end)s + INTERVAL 1 DAY
  LOCK IN SHARE MODE;

-- name: insert_mpesa_receipt
-- A receipt imported, with the expense or the customer's payment it became.
INSERT INTO mpesa_receipts (shop_id, receipt_no, completed_at, amount, expense_id, customer_id, imported_by)
VALUES (%(shop_id)s, %(receipt_no)s, %(completed_at)s, %(amount)s, %(expense_id)s, %(customer_id)s, %(user_id)s);

-- name: owner_of_shop
-- The shop's first owner, for whom the command line acts.
SELECT user_id FROM shop_members
 WHERE shop_id = %(shop_id)s AND role = 'owner' ORDER BY user_id LIMIT 1;
