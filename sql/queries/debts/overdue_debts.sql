/* ---
title = "Overdue debts"
description = "Sales that were past their due date and not paid in full on a given day, as the book stood that day: sales made on or before it, less the payments dated on or before it and the write-offs standing that day (voided sales and payments left out). A sale without a due date is due the shop's credit period after it (30 days unless the owner changed it). The longest overdue first."
topic = "Debts"
columns = ["customer", "product", "sale_date", "balance", "due_date", "days_overdue"]
money = ["balance"]
chart = { type = "table" }

[[params]]
name = "on_day"
type = "date"
label = "On"
default = "today"
--- */
SELECT c.name AS customer, d.product, d.debt_date AS sale_date,
       d.total - COALESCE(SUM(p.amount), 0) - COALESCE(MAX(w.written_off), 0) AS balance,
       COALESCE(d.due_date, d.debt_date + INTERVAL s.credit_days DAY) AS due_date,
       DATEDIFF(%(on_day)s, COALESCE(d.due_date, d.debt_date + INTERVAL s.credit_days DAY)) AS days_overdue
  FROM debts d
  JOIN shops s ON s.id = %(shop_id)s
  JOIN customers c ON c.shop_id = %(shop_id)s AND c.id = d.customer_id
  LEFT JOIN payments p ON p.shop_id = %(shop_id)s AND p.debt_id = d.id AND p.voided_at IS NULL
        AND p.paid_at <= %(on_day)s
  LEFT JOIN (SELECT x.debt_id, SUM(x.amount) AS written_off
               FROM write_offs x
              WHERE x.shop_id = %(shop_id)s AND x.written_at < %(on_day)s + INTERVAL 1 DAY
                AND (x.reversed_at IS NULL OR x.reversed_at >= %(on_day)s + INTERVAL 1 DAY)
              GROUP BY x.debt_id) w ON w.debt_id = d.id
 WHERE d.shop_id = %(shop_id)s AND d.voided_at IS NULL AND d.debt_date <= %(on_day)s
   AND COALESCE(d.due_date, d.debt_date + INTERVAL s.credit_days DAY) < %(on_day)s
 GROUP BY d.id, c.name, d.product, d.debt_date, d.total, d.due_date, s.credit_days
HAVING balance > 0
 ORDER BY days_overdue DESC, c.name, d.id
