/* ---
title = "Scope of the left table in a LEFT JOIN's ON"
description = "An ON condition of a LEFT JOIN never removes a row of the left table."
topic = "Crafted"
columns = ["customer"]
why = "other shops"
leaks = true
--- */
SELECT c.name AS customer FROM customers c LEFT JOIN debts d ON d.shop_id = c.shop_id AND c.shop_id = %(shop_id)s
