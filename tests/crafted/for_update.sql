/* ---
title = "Locks rows"
description = "FOR UPDATE takes locks that block the shop's writes."
topic = "Crafted"
columns = ["customer"]
why = "locking"
leaks = false
--- */
SELECT c.name AS customer FROM customers c WHERE c.shop_id = %(shop_id)s FOR UPDATE
