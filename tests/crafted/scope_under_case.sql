/* ---
title = "Scope under CASE"
description = "The scope is only one branch of a CASE."
topic = "Crafted"
columns = ["customer"]
why = "other shops"
leaks = true
--- */
SELECT c.name AS customer FROM customers c WHERE CASE WHEN c.id > 0 THEN 1 ELSE c.shop_id = %(shop_id)s END
