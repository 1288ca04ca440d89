/* ---
title = "Lowest and highest month"
description = "The month of the period that spent the least and the one that spent the most; a month without spending counts, as 0. When months tie, the earliest is shown."
topic = "Expenses"
columns = ["extreme", "month", "spent"]
money = ["spent"]
chart = { type = "bar", x = "extreme", y = "spent" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
[[params]]
name = "categories"
type = "multichoice"
label = "Categories (all when empty)"
default = "all"
source = "SELECT c.id AS value, c.name AS label FROM categories c WHERE c.shop_id = %(shop_id)s ORDER BY c.name"
--- */
WITH RECURSIVE months AS (
       SELECT CAST(%(period_start)s AS DATE) - INTERVAL (DAYOFMONTH(%(period_start)s) - 1) DAY AS month_start
       UNION ALL
       SELECT m.month_start + INTERVAL 1 MONTH FROM months m WHERE m.month_start + INTERVAL 1 MONTH <= %(period_end)s),
     monthly AS (
       SELECT m.month_start, COALESCE(SUM(d.amount), 0) AS spent
         FROM months m
         LEFT JOIN expense_days d ON d.shop_id = %(shop_id)s
               AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
               AND d.spent_on BETWEEN m.month_start AND LAST_DAY(m.month_start)
               AND (%(categories)s = '' OR FIND_IN_SET(d.category_id, %(categories)s))
        GROUP BY m.month_start),
     ranked AS (
       SELECT x.month_start, x.spent,
              ROW_NUMBER() OVER (ORDER BY x.spent, x.month_start) AS from_lowest,
              ROW_NUMBER() OVER (ORDER BY x.spent DESC, x.month_start) AS from_highest
         FROM monthly x)
SELECT 'Lowest' AS extreme, DATE_FORMAT(r.month_start, '%Y-%m') AS month, r.spent FROM ranked r WHERE r.from_lowest = 1
UNION ALL
SELECT 'Highest', DATE_FORMAT(r.month_start, '%Y-%m'), r.spent FROM ranked r WHERE r.from_highest = 1
