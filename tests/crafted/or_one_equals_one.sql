/* ---
title = "Scope OR 1=1"
description = "The scope is OR-ed with a condition that is always true."
topic = "Crafted"
columns = ["customer"]
why = "other shops"
leaks = true
--- */
SELECT c.name AS customer FROM customers c WHERE c.shop_id = %(shop_id)s OR 1=1
