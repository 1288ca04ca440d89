/* ---
title = "The server's catalogue"
description = "A table of another database."
topic = "Crafted"
columns = ["customer"]
why = "another database"
leaks = false
--- */
SELECT t.table_name FROM information_schema.tables t WHERE %(shop_id)s > 0
