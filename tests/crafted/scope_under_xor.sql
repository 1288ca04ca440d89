/* ---
title = "Scope under XOR"
description = "XOR with the scope lets other shops' rows through."
topic = "Crafted"
columns = ["customer"]
why = "other shops"
leaks = true
--- */
SELECT c.name AS customer FROM customers c WHERE c.shop_id = %(shop_id)s XOR c.id > 0
