-- The analyst's questions from the command line (duka/ask.py).

-- name: shop_exists
-- Whether a shop of that number exists (the command line names a shop; a question's answer would just be empty).
SELECT s.id FROM shops s WHERE s.id = %(shop_id)s;
