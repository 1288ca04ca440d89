/* ---
title = "A system variable"
description = "@@datadir tells where the server keeps its files."
topic = "Crafted"
columns = ["customer"]
why = "system variable"
leaks = false
--- */
SELECT @@datadir AS folder FROM shops s WHERE s.id = %(shop_id)s
