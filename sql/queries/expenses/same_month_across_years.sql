/* ---
title = "The same month across the years"
description = "One calendar month (say every March) in each year from the shop's first recorded expense to its last: what was spent and how many expenses; a year without spending in that month shows 0."
topic = "Expenses"
columns = ["year", "spent", "expenses"]
money = ["spent"]
chart = { type = "bar", x = "year", y = "spent" }
cache = 600

[[params]]
name = "month_of_year"
type = "choice"
label = "Month"
options = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
default = "January"
--- */
WITH RECURSIVE years AS (
       SELECT YEAR(MIN(d.spent_on)) AS year, YEAR(MAX(d.spent_on)) AS last_year
         FROM expense_days d
        WHERE d.shop_id = %(shop_id)s
       UNION ALL
       SELECT y.year + 1, y.last_year FROM years y WHERE y.year < y.last_year),
     chosen AS (
       SELECT y.year, MAKEDATE(y.year, 1)
                      + INTERVAL (FIELD(%(month_of_year)s, 'January', 'February', 'March', 'April', 'May', 'June', 'July',
                                        'August', 'September', 'October', 'November', 'December') - 1) MONTH AS month_start
         FROM years y
        WHERE y.year IS NOT NULL)
SELECT x.year, COALESCE(SUM(d.amount), 0) AS spent, CAST(COALESCE(SUM(d.expenses), 0) AS SIGNED) AS expenses
  FROM chosen x
  LEFT JOIN expense_days d ON d.shop_id = %(shop_id)s AND d.spent_on BETWEEN x.month_start AND LAST_DAY(x.month_start)
 GROUP BY x.year ORDER BY x.year
