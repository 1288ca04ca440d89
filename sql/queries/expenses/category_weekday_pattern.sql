/* ---
title = "A category's days of the week"
description = "On which weekdays one category's money goes out, Monday first: for each weekday, how many of them the period has up to today, the expenses and the total on them, and the average per such day, which is that total divided by that number of days (0 when none has come yet)."
topic = "Expenses"
columns = ["weekday", "days", "expenses", "spent", "average_per_day"]
money = ["spent", "average_per_day"]
chart = { type = "bar", x = "weekday", y = "average_per_day" }

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
SELECT w.weekday, w.days, CAST(COALESCE(SUM(d.expenses), 0) AS SIGNED) AS expenses, COALESCE(SUM(d.amount), 0) AS spent,
       COALESCE(ROUND(SUM(d.amount) / NULLIF(w.days, 0), 2), 0) AS average_per_day
  FROM (SELECT k.n, k.weekday,
               -- the weekday's days among the period's first p.n days: none before its first, then one a week
               (p.n - MOD(k.n - p.first_weekday + 7, 7) + 6) DIV 7 AS days
          FROM (SELECT 0 AS n, 'Monday' AS weekday UNION ALL SELECT 1, 'Tuesday' UNION ALL SELECT 2, 'Wednesday'
                UNION ALL SELECT 3, 'Thursday' UNION ALL SELECT 4, 'Friday' UNION ALL SELECT 5, 'Saturday'
                UNION ALL SELECT 6, 'Sunday') AS k
         CROSS JOIN (SELECT GREATEST(DATEDIFF(LEAST(CAST(%(period_end)s AS DATE), %(today)s), %(period_start)s) + 1, 0) AS n,
                            WEEKDAY(%(period_start)s) AS first_weekday) AS p) AS w
  LEFT JOIN expense_days d ON d.shop_id = %(shop_id)s AND d.category_id = %(category)s AND WEEKDAY(d.spent_on) = w.n
        AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY w.n, w.weekday, w.days ORDER BY w.n
