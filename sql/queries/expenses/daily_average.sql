/* ---
title = "Daily average expense"
description = "Total spent divided by the days of the period up to today (days still to come are not counted; 0 when none has begun)."
topic = "Expenses"
columns = ["daily_average", "days", "total"]
money = ["daily_average", "total"]
chart = { type = "metric", value = "daily_average" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_month"
[[params]]
name = "categories"
type = "multichoice"
label = "Categories (all when empty)"
default = "all"
source = "SELECT c.id AS value, c.name AS label FROM categories c WHERE c.shop_id = %(shop_id)s ORDER BY c.name"
--- */
SELECT COALESCE(ROUND(x.total / NULLIF(x.days, 0), 2), 0) AS daily_average, x.days, x.total
  FROM (SELECT GREATEST(DATEDIFF(LEAST(CAST(%(period_end)s AS DATE), %(today)s), %(period_start)s) + 1, 0) AS days,
               COALESCE(SUM(d.amount), 0) AS total
          FROM expense_days d
         WHERE d.shop_id = %(shop_id)s AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
           AND (%(categories)s = '' OR FIND_IN_SET(d.category_id, %(categories)s))) AS x
