/* ---
title = "Debt ageing"
description = "What is owed, by the age of the sale on a given day."
topic = "Debts"
columns = ["bucket", "owed", "sales"]
money = ["owed"]
chart = { type = "bar", x = "bucket", y = "owed" }

[[params]]
name = "on_day"
type = "date"
label = "On"
default = "today"
--- */
SELECT CASE WHEN age <= 30 THEN '0-30 days' WHEN age <= 60 THEN '31-60 days' WHEN age <= 90 THEN '61-90 days'
            ELSE 'over 90 days' END AS bucket, SUM(balance) AS owed, COUNT(*) AS sales
  FROM (SELECT balance, DATEDIFF(%(on_day)s, debt_date) AS age FROM debts
         WHERE shop_id = %(shop_id)s AND voided_at IS NULL AND balance > 0) AS open_debts
 GROUP BY 1 ORDER BY MIN(age)
