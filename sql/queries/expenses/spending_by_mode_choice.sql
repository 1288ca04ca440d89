/* ---
title = "Spending paid one way"
description = "Expenses paid with one payment mode, per category."
topic = "Expenses"
columns = ["category", "spent", "expenses"]
money = ["spent"]
chart = { type = "bar", x = "category", y = "spent" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
[[params]]
name = "mode"
type = "choice"
label = "Payment mode"
options = ["Cash", "M-Pesa", "Credit Card", "Debit Card", "Bank transfer", "Online"]
default = "M-Pesa"
--- */
SELECT c.name AS category, SUM(e.amount) AS spent, COUNT(*) AS expenses
  FROM expenses e
  JOIN categories c ON c.shop_id = %(shop_id)s AND c.id = e.category_id
 WHERE e.shop_id = %(shop_id)s AND e.spent_on BETWEEN %(period_start)s AND %(period_end)s AND e.payment_mode = %(mode)s
 GROUP BY c.id, c.name ORDER BY spent DESC, c.name
