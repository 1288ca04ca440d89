/* ---
title = "Overdue debts"
description = "Sales that were past their due date and not paid in full on a given day, as the book stood that day: sales made on or before it, less the payments dated on or before it (voided sales and payments left out). The longest overdue first."
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
SELECT c.name AS customer, d.product, d.debt_date AS sale_date, d.total - COALESCE(SUM(p.amount), 0) AS balance,
       d.due_date, DATEDIFF(%(on_day)s, d.due_date) AS days_overdue
  FROM debts d
  JOIN customers c ON c.shop_id = %(shop_id)s AND c.id = d.customer_id
  LEFT JOIN payments p ON p.shop_id = %(shop_id)s AND p.debt_id = d.id AND p.voided_at IS NULL
        AND p.paid_at <= %(on_day)s
 WHERE d.shop_id = %(shop_id)s AND d.voided_at IS NULL AND d.debt_date <= %(on_day)s AND d.due_date < %(on_day)s
 GROUP BY d.id, c.name, d.product, d.debt_date, d.total, d.due_date
HAVING balance > 0
 ORDER BY days_overdue DESC, c.name, d.id
