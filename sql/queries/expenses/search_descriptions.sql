/* ---
title = "Expenses by description"
description = "Expenses whose description contains a word, with their total."
topic = "Expenses"
columns = ["spent_on", "description", "amount", "running_total"]
money = ["amount", "running_total"]
chart = { type = "table" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
[[params]]
name = "words"
type = "text"
label = "Description contains"
default = "Groceries"
--- */
SELECT spent_on, description, amount, SUM(amount) OVER (ORDER BY spent_on, id ROWS UNBOUNDED PRECEDING) AS running_total
  FROM expenses
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(period_start)s AND %(period_end)s
   AND description LIKE CONCAT('%', %(words)s, '%')
 ORDER BY spent_on, id
