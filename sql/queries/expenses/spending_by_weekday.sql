/* ---
title = "Spending by day of the week"
description = "Which weekdays the money goes out, Monday first; every weekday has a row (0 when nothing was spent on it), for the chosen categories (all when none is chosen). Spending analytics' 'By day of the week' is this question."
topic = "Expenses"
columns = ["weekday", "spent", "expenses"]
money = ["spent"]
chart = { type = "bar", x = "weekday", y = "spent" }

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
SELECT w.weekday, COALESCE(x.spent, 0) AS spent, CAST(COALESCE(x.expenses, 0) AS SIGNED) AS expenses
  FROM (SELECT 0 AS n, 'Monday' AS weekday UNION ALL SELECT 1, 'Tuesday' UNION ALL SELECT 2, 'Wednesday'
        UNION ALL SELECT 3, 'Thursday' UNION ALL SELECT 4, 'Friday' UNION ALL SELECT 5, 'Saturday'
        UNION ALL SELECT 6, 'Sunday') AS w
  LEFT JOIN (SELECT WEEKDAY(d.spent_on) AS n, SUM(d.amount) AS spent, SUM(d.expenses) AS expenses
               FROM expense_days d
              WHERE d.shop_id = %(shop_id)s AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
                AND (%(categories)s = '' OR FIND_IN_SET(d.category_id, %(categories)s))
              GROUP BY 1) AS x ON x.n = w.n
 ORDER BY w.n
