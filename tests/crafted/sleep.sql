/* ---
title = "SLEEP"
description = "A timing oracle, and it holds a connection."
topic = "Crafted"
columns = ["customer"]
why = "SLEEP"
leaks = false
--- */
SELECT c.name AS customer FROM customers c WHERE c.shop_id = %(shop_id)s AND SLEEP(5) = 0
