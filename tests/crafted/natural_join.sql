/* ---
title = "NATURAL JOIN"
description = "NATURAL JOIN joins on whatever columns share a name."
topic = "Crafted"
columns = ["customer"]
why = "NATURAL"
leaks = false
--- */
SELECT c.name AS customer FROM customers c NATURAL JOIN debts d WHERE c.shop_id = %(shop_id)s
