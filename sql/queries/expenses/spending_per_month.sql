/* ---
title = "Spending per month"
description = "Total spent, cashback earned and how many expenses in each month of the period (month: its first day), a row for every month (0 when nothing was spent), for the chosen categories (all when none is chosen). Spending analytics' 'Monthly trend' and 'Cashback per month' are this question."
topic = "Expenses"
columns = ["month", "spent", "cashback", "expenses"]
money = ["spent", "cashback"]
chart = { type = "line", x = "month", y = "spent" }

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
WITH RECURSIVE months (month) AS (
       SELECT CAST(%(period_start)s - INTERVAL (DAYOFMONTH(%(period_start)s) - 1) DAY AS DATE)
       UNION ALL
       SELECT m.month + INTERVAL 1 MONTH FROM months m WHERE m.month + INTERVAL 1 MONTH <= %(period_end)s),
     spent AS (
       SELECT d.spent_on - INTERVAL (DAYOFMONTH(d.spent_on) - 1) DAY AS month,
              SUM(d.amount) AS spent, SUM(d.cashback) AS cashback, SUM(d.expenses) AS expenses
         FROM expense_days d
        WHERE d.shop_id = %(shop_id)s AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
          AND (%(categories)s = '' OR FIND_IN_SET(d.category_id, %(categories)s))
        GROUP BY 1)
SELECT m.month, COALESCE(s.spent, 0) AS spent, COALESCE(s.cashback, 0) AS cashback,
       CAST(COALESCE(s.expenses, 0) AS SIGNED) AS expenses
  FROM months m
  LEFT JOIN spent s ON s.month = m.month
 ORDER BY m.month
