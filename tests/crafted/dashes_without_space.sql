/* ---
title = "--x is not a comment"
description = "Without a space MariaDB reads --1 as minus minus one, so OR 1=1 counts."
topic = "Crafted"
columns = ["customer"]
why = "minus"
leaks = true
--- */
SELECT c.name AS customer FROM customers c WHERE c.shop_id = %(shop_id)s --1 OR 1=1
