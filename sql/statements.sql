-- The customer statement (duka/statements.py): who it is from and for, what was owed before, what happened since.

-- name: statement_parties
-- The shop (name, currency, the phone of its first owner, its Paybill) and one of its customers (with the account number they pay to), with the day of their first entry.
SELECT s.name AS shop_name, s.currency,
       (SELECT ms.short_code FROM mpesa_settings ms WHERE ms.shop_id = %(shop_id)s) AS paybill,
       c.account_no,
       (SELECT u.phone
          FROM shop_members m JOIN users u ON u.id = m.user_id
         WHERE m.shop_id = %(shop_id)s AND m.role = 'owner'
         ORDER BY m.added_at, m.user_id
         LIMIT 1) AS shop_phone,
       c.name AS customer_name, c.phone AS customer_phone,
       (SELECT MIN(e.day)
          FROM (SELECT d.debt_date AS day
                  FROM debts d
                 WHERE d.shop_id = %(shop_id)s AND d.customer_id = %(customer_id)s
                UNION ALL
                SELECT p.paid_at
                  FROM payments p JOIN debts d ON d.shop_id = p.shop_id AND d.id = p.debt_id
                 WHERE p.shop_id = %(shop_id)s AND d.customer_id = %(customer_id)s) AS e) AS first_day
  FROM customers c JOIN shops s ON s.id = c.shop_id
 WHERE c.shop_id = %(shop_id)s AND c.id = %(customer_id)s;

-- name: statement_opening_balance
-- What a customer owed before a day: sales less payments and write-offs dated earlier, voided ones (reversed
-- write-offs) counting zero.
SELECT (SELECT COALESCE(SUM(d.total), 0.00)
          FROM debts d
         WHERE d.shop_id = %(shop_id)s AND d.customer_id = %(customer_id)s
           AND d.voided_at IS NULL AND d.debt_date < %(start)s)
     - (SELECT COALESCE(SUM(p.amount), 0.00)
          FROM payments p JOIN debts d ON d.shop_id = p.shop_id AND d.id = p.debt_id
         WHERE p.shop_id = %(shop_id)s AND d.customer_id = %(customer_id)s
           AND p.voided_at IS NULL AND p.paid_at < %(start)s)
     - (SELECT COALESCE(SUM(w.amount), 0.00)
          FROM write_offs w JOIN debts d ON d.shop_id = w.shop_id AND d.id = w.debt_id
         WHERE w.shop_id = %(shop_id)s AND d.customer_id = %(customer_id)s
           AND w.reversed_at IS NULL AND w.written_at < %(start)s) AS opening_balance;

-- name: statement_entries
-- A customer's sales, payments and write-offs dated within a period, oldest first (in the ledger's order, a
-- write-off's time moved to the server's clock as there), voided ones and reversed write-offs flagged. A write-off is
-- its own line, never paid: what is written off is not money received.
SELECT entry_date, kind, product, method, reference, charge, paid, written_off, voided, void_reason
  FROM (
        SELECT d.debt_date AS entry_date, 'Sale' AS kind, 0 AS kind_order, d.id AS entry_id, d.created_at,
               d.product, NULL AS method, NULL AS reference,
               d.total AS charge, CAST(0 AS DECIMAL(12,2)) AS paid, CAST(0 AS DECIMAL(12,2)) AS written_off,
               d.voided_at IS NOT NULL AS voided, d.void_reason
          FROM debts d
         WHERE d.shop_id = %(shop_id)s AND d.customer_id = %(customer_id)s
           AND d.debt_date BETWEEN %(start)s AND %(end)s
        UNION ALL
        SELECT p.paid_at, 'Payment', 1, p.id, p.created_at,
               d.product, p.method, p.reference,
               CAST(0 AS DECIMAL(12,2)), p.amount, CAST(0 AS DECIMAL(12,2)),
               p.voided_at IS NOT NULL, p.void_reason
          FROM payments p JOIN debts d ON d.shop_id = p.shop_id AND d.id = p.debt_id
         WHERE p.shop_id = %(shop_id)s AND d.customer_id = %(customer_id)s
           AND p.paid_at BETWEEN %(start)s AND %(end)s
        UNION ALL
        SELECT DATE(w.written_at), 'Write-off', 2, w.id,
               w.written_at - INTERVAL %(offset_seconds)s SECOND
                 + INTERVAL TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW()) SECOND,
               d.product, NULL, NULL,
               CAST(0 AS DECIMAL(12,2)), CAST(0 AS DECIMAL(12,2)), w.amount,
               w.reversed_at IS NOT NULL, w.reverse_reason
          FROM write_offs w JOIN debts d ON d.shop_id = w.shop_id AND d.id = w.debt_id
         WHERE w.shop_id = %(shop_id)s AND d.customer_id = %(customer_id)s
           AND w.written_at >= %(start)s AND w.written_at < %(end)s + INTERVAL 1 DAY
       ) AS entries
 ORDER BY entry_date, created_at, kind_order, entry_id;
