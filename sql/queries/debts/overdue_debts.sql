/* ---
title = "Overdue debts"
description = "Unpaid sales past their due date on a given day, the longest overdue first."
topic = "Debts"
columns = ["customer", "product", "balance", "due_date", "days_overdue"]
money = ["balance"]
chart = { type = "table" }

[[params]]
name = "on_day"
type = "date"
label = "On"
default = "today"
--- */
SELECT c.name AS customer, d.product, d.balance, d.due_date, DATEDIFF(%(on_day)s, d.due_date) AS days_overdue
  FROM debts d JOIN customers c ON c.shop_id = d.shop_id AND c.id = d.customer_id
 WHERE d.shop_id = %(shop_id)s AND d.voided_at IS NULL AND d.balance > 0 AND d.due_date < %(on_day)s
 ORDER BY days_overdue DESC, c.name
