/* ---
title = "WITH query named debts"
description = "Inside a non-recursive WITH query, debts is still the real table."
topic = "Crafted"
columns = ["customer"]
why = "like a table"
leaks = false
--- */
WITH debts AS (SELECT * FROM debts) SELECT d.total FROM debts d
