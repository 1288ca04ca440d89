/* ---
title = "Collections per month"
description = "Money collected from customers in each month of the period (voided payments left out), a row for every month (0 when nothing came in)."
topic = "Debts"
columns = ["month", "collected", "payments"]
money = ["collected"]
chart = { type = "bar", x = "month", y = "collected" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_12_months"
--- */
-- From the book's daily roll-up (migration 020): a day's payments that are not voided, summed and counted.
WITH RECURSIVE months AS (
       SELECT CAST(%(period_start)s AS DATE) - INTERVAL (DAYOFMONTH(%(period_start)s) - 1) DAY AS month_start
       UNION ALL
       SELECT m.month_start + INTERVAL 1 MONTH FROM months m WHERE m.month_start + INTERVAL 1 MONTH <= %(period_end)s),
     collected AS (
       SELECT b.book_day - INTERVAL (DAYOFMONTH(b.book_day) - 1) DAY AS month_start, SUM(b.collected) AS collected,
              CAST(SUM(b.payments) AS SIGNED) AS payments
         FROM book_days b
        WHERE b.shop_id = %(shop_id)s AND b.book_day BETWEEN %(period_start)s AND %(period_end)s
        GROUP BY 1)
SELECT DATE_FORMAT(m.month_start, '%Y-%m') AS month, COALESCE(k.collected, 0) AS collected,
       COALESCE(k.payments, 0) AS payments
  FROM months m
  LEFT JOIN collected k ON k.month_start = m.month_start
 ORDER BY m.month_start
