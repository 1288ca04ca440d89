/* ---
title = "Executable comment"
description = "MariaDB runs /*!50000 … */ as code: here an INTO OUTFILE."
topic = "Crafted"
columns = ["customer"]
why = "comment"
leaks = false
--- */
SELECT c.name AS customer FROM customers c WHERE c.shop_id = %(shop_id)s /*!50000 INTO OUTFILE '/tmp/daftari-leak.txt' */
