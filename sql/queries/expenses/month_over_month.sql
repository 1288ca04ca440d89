/* ---
title = "Month-over-month change"
description = "Each month's spending and its change from the month before, in percent."
topic = "Expenses"
columns = ["month", "spent", "change_percent"]
money = ["spent"]
chart = { type = "bar", x = "month", y = "change_percent" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_12_months"
[[params]]
name = "categories"
type = "multichoice"
label = "Categories (all when empty)"
default = "all"
source = "SELECT id AS value, name AS label FROM categories WHERE shop_id = %(shop_id)s ORDER BY name"
--- */
SELECT month, spent,
       ROUND(100 * (spent - LAG(spent) OVER (ORDER BY month)) / LAG(spent) OVER (ORDER BY month), 1) AS change_percent
  FROM (SELECT DATE_FORMAT(spent_on, '%Y-%m') AS month, SUM(amount) AS spent
          FROM expense_days
         WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(period_start)s AND %(period_end)s AND (%(categories)s = '' OR FIND_IN_SET(category_id, %(categories)s))
         GROUP BY 1) AS m
 ORDER BY month
