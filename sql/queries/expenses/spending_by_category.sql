/* ---
title = "Spending by category"
description = "Each category's spending and its share of the total in percent."
topic = "Expenses"
columns = ["category", "spent", "share"]
money = ["spent"]
chart = { type = "bar", x = "category", y = "spent" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT c.name AS category, x.spent, ROUND(100 * x.spent / SUM(x.spent) OVER (), 1) AS share
  FROM (SELECT category_id, SUM(amount) AS spent FROM expense_days
         WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(period_start)s AND %(period_end)s
         GROUP BY category_id) AS x
  JOIN categories c ON c.shop_id = %(shop_id)s AND c.id = x.category_id
 ORDER BY x.spent DESC, c.name
