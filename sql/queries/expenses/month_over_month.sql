/* ---
title = "Month-over-month change"
description = "Each month's spending beside the month before it in the period: the change in money and in percent of the month before. Every month has a row (0 when nothing was spent); the first month has no month before it, and a percent of a month that spent nothing is left empty."
topic = "Expenses"
columns = ["month", "spent", "difference", "change_percent"]
money = ["spent", "difference"]
chart = { type = "bar", x = "month", y = "difference" }

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
        GROUP BY m.month_start)
SELECT DATE_FORMAT(x.month_start, '%Y-%m') AS month, x.spent,
       x.spent - LAG(x.spent) OVER (ORDER BY x.month_start) AS difference,
       ROUND(100 * (x.spent - LAG(x.spent) OVER (ORDER BY x.month_start))
             / NULLIF(LAG(x.spent) OVER (ORDER BY x.month_start), 0), 1) AS change_percent
  FROM monthly x
 ORDER BY x.month_start
