-- name: insert_customer
-- A new customer of a shop.
INSERT INTO customers (shop_id, name, phone, created_by)
VALUES (%(shop_id)s, %(name)s, %(phone)s, %(user_id)s);

-- name: customer_by_phone
-- A customer of this shop with this phone, if any.
SELECT id, name FROM customers WHERE shop_id = %(shop_id)s AND phone = %(phone)s;

-- name: customer_in_shop
-- One customer of this shop, with the open balance.
SELECT c.id AS customer_id, c.name, c.phone, c.created_at, COALESCE(a.balance, 0.00) AS balance
  FROM customers c
  LEFT JOIN active_debtors a ON a.shop_id = c.shop_id AND a.customer_id = c.id
 WHERE c.shop_id = %(shop_id)s AND c.id = %(customer_id)s;

-- name: update_customer
-- Rename a customer or change their phone.
UPDATE customers SET name = %(name)s, phone = %(phone)s
 WHERE shop_id = %(shop_id)s AND id = %(customer_id)s;

-- name: customer_choices
-- Customers to pick from, by name, with what each owes.
SELECT c.id AS customer_id, c.name, c.phone, COALESCE(a.balance, 0.00) AS balance
  FROM customers c
  LEFT JOIN active_debtors a ON a.shop_id = c.shop_id AND a.customer_id = c.id
 WHERE c.shop_id = %(shop_id)s
 ORDER BY c.name, c.id
 LIMIT %(limit)s;

-- name: debtors_for_shop
-- Customers who owe (or everyone, with include_cleared), biggest balance first, with the age of the oldest open sale.
SELECT c.id AS customer_id, c.name, c.phone,
       COALESCE(a.balance, 0.00) AS balance,
       o.oldest_open,
       DATEDIFF(%(today)s, o.oldest_open) AS days_owed,
       o.next_due
  FROM customers c
  LEFT JOIN active_debtors a ON a.shop_id = c.shop_id AND a.customer_id = c.id
  LEFT JOIN (SELECT customer_id, MIN(debt_date) AS oldest_open, MIN(due_date) AS next_due
               FROM debts
              WHERE shop_id = %(shop_id)s AND voided_at IS NULL AND balance > 0
              GROUP BY customer_id) o ON o.customer_id = c.id
 WHERE c.shop_id = %(shop_id)s
   AND (a.customer_id IS NOT NULL OR %(include_cleared)s)
   AND (%(pattern)s = '' OR c.name LIKE %(pattern)s OR c.phone LIKE %(pattern)s)
 ORDER BY balance DESC, c.name
 LIMIT %(limit)s;
