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
source = "SELECT id AS value, name AS label FROM categories WHERE shop_id = %(shop_id)s ORDER BY name"
--- */
SELECT spent_on, description, amount, payment_mode, cashback
  FROM expenses
 WHERE shop_id = %(shop_id)s AND category_id = %(category)s AND spent_on BETWEEN %(period_start)s AND %(period_end)s
 ORDER BY spent_on DESC, id DESC
