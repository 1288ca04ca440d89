/* ---
title = "All expenses in a category"
description = "Every expense of one category in the period, newest first."
topic = "Expenses"
columns = ["spent_on", "description", "amount", "payment_mode", "cashback"]
money = ["amount", "cashback"]
chart = { type = "table" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
[[params]]
name = "category"
type = "choice"
label = "Category"
source = "SELECT c.id AS value, c.name AS label FROM categories c WHERE c.shop_id = %(shop_id)s ORDER BY c.name"
--- */
SELECT e.spent_on, e.description, e.amount, e.payment_mode, e.cashback
  FROM expenses e
 WHERE e.shop_id = %(shop_id)s AND e.category_id = %(category)s AND e.spent_on BETWEEN %(period_start)s AND %(period_end)s
 ORDER BY e.spent_on DESC, e.id DESC
