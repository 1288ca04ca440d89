-- Essential or discretionary: each category carries a flag the owner sets, so an analyst can split spending
-- into what the household or shop must pay (rent, food, transport…) and what it chooses to. The default
-- categories start with a sensible flag; a category the owner adds starts discretionary until marked.

ALTER TABLE categories ADD COLUMN essential TINYINT(1) NOT NULL DEFAULT 0 AFTER monthly_budget;

UPDATE categories SET essential = 1
 WHERE name IN ('Groceries', 'Rent', 'Food', 'Transport', 'Utilities', 'Bills', 'Health', 'Education');

DELIMITER $$
DROP TRIGGER IF EXISTS shops_after_insert $$
CREATE TRIGGER shops_after_insert AFTER INSERT ON shops FOR EACH ROW
BEGIN
  INSERT INTO categories (shop_id, name, essential) VALUES
    (NEW.id, 'Groceries', 1), (NEW.id, 'Rent', 1), (NEW.id, 'Food', 1), (NEW.id, 'Transport', 1),
    (NEW.id, 'Utilities', 1), (NEW.id, 'Bills', 1), (NEW.id, 'Health', 1), (NEW.id, 'Education', 1),
    (NEW.id, 'Entertainment', 0), (NEW.id, 'Shopping', 0), (NEW.id, 'Subscriptions', 0), (NEW.id, 'Other', 0);
END $$

-- A change of the flag is a correction like a change of the budget: the old value is kept in the log.
DROP TRIGGER IF EXISTS categories_audit_update $$
CREATE TRIGGER categories_audit_update AFTER UPDATE ON categories FOR EACH ROW
BEGIN
  IF NOT (OLD.name <=> NEW.name AND OLD.description <=> NEW.description
          AND OLD.monthly_budget <=> NEW.monthly_budget AND OLD.essential <=> NEW.essential) THEN
    INSERT INTO audit_log (shop_id, table_name, row_id, action, changed_by, old_values, new_values)
    VALUES (OLD.shop_id, 'categories', OLD.id, 'update', @daftari_user,
            JSON_OBJECT('name', OLD.name, 'description', OLD.description, 'monthly_budget', OLD.monthly_budget,
                        'essential', OLD.essential),
            JSON_OBJECT('name', NEW.name, 'description', NEW.description, 'monthly_budget', NEW.monthly_budget,
                        'essential', NEW.essential));
  END IF;
END $$

DROP TRIGGER IF EXISTS categories_audit_delete $$
CREATE TRIGGER categories_audit_delete AFTER DELETE ON categories FOR EACH ROW
BEGIN
  INSERT INTO audit_log (shop_id, table_name, row_id, action, changed_by, old_values, new_values)
  VALUES (OLD.shop_id, 'categories', OLD.id, 'delete', @daftari_user,
          JSON_OBJECT('name', OLD.name, 'description', OLD.description, 'monthly_budget', OLD.monthly_budget,
                      'essential', OLD.essential),
          NULL);
END $$
DELIMITER ;
