-- One cache for many processes (issue 13): every shop has a version number that changes in the same transaction as
-- every write to its data. The triggers bump it, so the app, the API, the simulator and raw SQL all count; a process
-- serves a cached read only while the version it was cached under is still the shop's (one primary-key read).
-- A version starts from the clock in microseconds and never goes back, so a shop id used again after a demo
-- wipe cannot meet an entry cached for the shop that had it before. A bulk-loading session sets
-- @daftari_skip_versions and bumps every shop once when it is done (db/bulk.py), as it does for the roll-ups.

CREATE TABLE IF NOT EXISTS shop_versions (
  shop_id  INT UNSIGNED NOT NULL PRIMARY KEY,
  version  BIGINT UNSIGNED NOT NULL,
  CONSTRAINT fk_shop_versions_shop FOREIGN KEY (shop_id) REFERENCES shops (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT IGNORE INTO shop_versions (shop_id, version)
SELECT id, CAST(UNIX_TIMESTAMP(SYSDATE(6)) * 1000000 AS UNSIGNED) FROM shops;

DELIMITER $$
DROP PROCEDURE IF EXISTS bump_shop_version $$
CREATE PROCEDURE bump_shop_version(IN p_shop INT UNSIGNED)
BEGIN
  -- SYSDATE, not NOW: a bulk load fixes NOW() with SET TIMESTAMP, and the version must still move forward.
  IF p_shop IS NOT NULL AND @daftari_skip_versions IS NULL THEN
    UPDATE shop_versions SET version = GREATEST(version + 1, CAST(UNIX_TIMESTAMP(SYSDATE(6)) * 1000000 AS UNSIGNED))
     WHERE shop_id = p_shop;
  END IF;
END $$

DROP TRIGGER IF EXISTS shops_version_insert $$
CREATE TRIGGER shops_version_insert AFTER INSERT ON shops FOR EACH ROW
BEGIN
  INSERT INTO shop_versions (shop_id, version) VALUES (NEW.id, CAST(UNIX_TIMESTAMP(SYSDATE(6)) * 1000000 AS UNSIGNED))
      ON DUPLICATE KEY UPDATE version = GREATEST(version + 1, VALUES(version));
END $$

DROP TRIGGER IF EXISTS shops_version_update $$
CREATE TRIGGER shops_version_update AFTER UPDATE ON shops FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.id);
END $$

DROP TRIGGER IF EXISTS customers_version_insert $$
CREATE TRIGGER customers_version_insert AFTER INSERT ON customers FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
END $$

DROP TRIGGER IF EXISTS customers_version_update $$
CREATE TRIGGER customers_version_update AFTER UPDATE ON customers FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
  IF NOT (OLD.shop_id <=> NEW.shop_id) THEN
    CALL bump_shop_version(OLD.shop_id);
  END IF;
END $$

DROP TRIGGER IF EXISTS customers_version_delete $$
CREATE TRIGGER customers_version_delete AFTER DELETE ON customers FOR EACH ROW
BEGIN
  CALL bump_shop_version(OLD.shop_id);
END $$

DROP TRIGGER IF EXISTS debts_version_insert $$
CREATE TRIGGER debts_version_insert AFTER INSERT ON debts FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
END $$

DROP TRIGGER IF EXISTS debts_version_update $$
CREATE TRIGGER debts_version_update AFTER UPDATE ON debts FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
  IF NOT (OLD.shop_id <=> NEW.shop_id) THEN
    CALL bump_shop_version(OLD.shop_id);
  END IF;
END $$

DROP TRIGGER IF EXISTS debts_version_delete $$
CREATE TRIGGER debts_version_delete AFTER DELETE ON debts FOR EACH ROW
BEGIN
  CALL bump_shop_version(OLD.shop_id);
END $$

DROP TRIGGER IF EXISTS payments_version_insert $$
CREATE TRIGGER payments_version_insert AFTER INSERT ON payments FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
END $$

DROP TRIGGER IF EXISTS payments_version_update $$
CREATE TRIGGER payments_version_update AFTER UPDATE ON payments FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
  IF NOT (OLD.shop_id <=> NEW.shop_id) THEN
    CALL bump_shop_version(OLD.shop_id);
  END IF;
END $$

DROP TRIGGER IF EXISTS payments_version_delete $$
CREATE TRIGGER payments_version_delete AFTER DELETE ON payments FOR EACH ROW
BEGIN
  CALL bump_shop_version(OLD.shop_id);
END $$

DROP TRIGGER IF EXISTS expenses_version_insert $$
CREATE TRIGGER expenses_version_insert AFTER INSERT ON expenses FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
END $$

DROP TRIGGER IF EXISTS expenses_version_update $$
CREATE TRIGGER expenses_version_update AFTER UPDATE ON expenses FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
  IF NOT (OLD.shop_id <=> NEW.shop_id) THEN
    CALL bump_shop_version(OLD.shop_id);
  END IF;
END $$

DROP TRIGGER IF EXISTS expenses_version_delete $$
CREATE TRIGGER expenses_version_delete AFTER DELETE ON expenses FOR EACH ROW
BEGIN
  CALL bump_shop_version(OLD.shop_id);
END $$

DROP TRIGGER IF EXISTS categories_version_insert $$
CREATE TRIGGER categories_version_insert AFTER INSERT ON categories FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
END $$

DROP TRIGGER IF EXISTS categories_version_update $$
CREATE TRIGGER categories_version_update AFTER UPDATE ON categories FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
  IF NOT (OLD.shop_id <=> NEW.shop_id) THEN
    CALL bump_shop_version(OLD.shop_id);
  END IF;
END $$

DROP TRIGGER IF EXISTS categories_version_delete $$
CREATE TRIGGER categories_version_delete AFTER DELETE ON categories FOR EACH ROW
BEGIN
  CALL bump_shop_version(OLD.shop_id);
END $$

DROP TRIGGER IF EXISTS shop_members_version_insert $$
CREATE TRIGGER shop_members_version_insert AFTER INSERT ON shop_members FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
END $$

DROP TRIGGER IF EXISTS shop_members_version_update $$
CREATE TRIGGER shop_members_version_update AFTER UPDATE ON shop_members FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
  IF NOT (OLD.shop_id <=> NEW.shop_id) THEN
    CALL bump_shop_version(OLD.shop_id);
  END IF;
END $$

DROP TRIGGER IF EXISTS shop_members_version_delete $$
CREATE TRIGGER shop_members_version_delete AFTER DELETE ON shop_members FOR EACH ROW
BEGIN
  CALL bump_shop_version(OLD.shop_id);
END $$

DROP TRIGGER IF EXISTS invitations_version_insert $$
CREATE TRIGGER invitations_version_insert AFTER INSERT ON invitations FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
END $$

DROP TRIGGER IF EXISTS invitations_version_update $$
CREATE TRIGGER invitations_version_update AFTER UPDATE ON invitations FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
  IF NOT (OLD.shop_id <=> NEW.shop_id) THEN
    CALL bump_shop_version(OLD.shop_id);
  END IF;
END $$

DROP TRIGGER IF EXISTS invitations_version_delete $$
CREATE TRIGGER invitations_version_delete AFTER DELETE ON invitations FOR EACH ROW
BEGIN
  CALL bump_shop_version(OLD.shop_id);
END $$

DROP TRIGGER IF EXISTS api_tokens_version_insert $$
CREATE TRIGGER api_tokens_version_insert AFTER INSERT ON api_tokens FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
END $$

DROP TRIGGER IF EXISTS api_tokens_version_update $$
CREATE TRIGGER api_tokens_version_update AFTER UPDATE ON api_tokens FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
  IF NOT (OLD.shop_id <=> NEW.shop_id) THEN
    CALL bump_shop_version(OLD.shop_id);
  END IF;
END $$

DROP TRIGGER IF EXISTS api_tokens_version_delete $$
CREATE TRIGGER api_tokens_version_delete AFTER DELETE ON api_tokens FOR EACH ROW
BEGIN
  CALL bump_shop_version(OLD.shop_id);
END $$

DROP TRIGGER IF EXISTS mpesa_settings_version_insert $$
CREATE TRIGGER mpesa_settings_version_insert AFTER INSERT ON mpesa_settings FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
END $$

DROP TRIGGER IF EXISTS mpesa_settings_version_update $$
CREATE TRIGGER mpesa_settings_version_update AFTER UPDATE ON mpesa_settings FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
  IF NOT (OLD.shop_id <=> NEW.shop_id) THEN
    CALL bump_shop_version(OLD.shop_id);
  END IF;
END $$

DROP TRIGGER IF EXISTS mpesa_settings_version_delete $$
CREATE TRIGGER mpesa_settings_version_delete AFTER DELETE ON mpesa_settings FOR EACH ROW
BEGIN
  CALL bump_shop_version(OLD.shop_id);
END $$

DROP TRIGGER IF EXISTS mpesa_rules_version_insert $$
CREATE TRIGGER mpesa_rules_version_insert AFTER INSERT ON mpesa_rules FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
END $$

DROP TRIGGER IF EXISTS mpesa_rules_version_update $$
CREATE TRIGGER mpesa_rules_version_update AFTER UPDATE ON mpesa_rules FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
  IF NOT (OLD.shop_id <=> NEW.shop_id) THEN
    CALL bump_shop_version(OLD.shop_id);
  END IF;
END $$

DROP TRIGGER IF EXISTS mpesa_rules_version_delete $$
CREATE TRIGGER mpesa_rules_version_delete AFTER DELETE ON mpesa_rules FOR EACH ROW
BEGIN
  CALL bump_shop_version(OLD.shop_id);
END $$

DROP TRIGGER IF EXISTS mpesa_c2b_version_insert $$
CREATE TRIGGER mpesa_c2b_version_insert AFTER INSERT ON mpesa_c2b FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
END $$

DROP TRIGGER IF EXISTS mpesa_c2b_version_update $$
CREATE TRIGGER mpesa_c2b_version_update AFTER UPDATE ON mpesa_c2b FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
  IF NOT (OLD.shop_id <=> NEW.shop_id) THEN
    CALL bump_shop_version(OLD.shop_id);
  END IF;
END $$

DROP TRIGGER IF EXISTS mpesa_c2b_version_delete $$
CREATE TRIGGER mpesa_c2b_version_delete AFTER DELETE ON mpesa_c2b FOR EACH ROW
BEGIN
  CALL bump_shop_version(OLD.shop_id);
END $$

DROP TRIGGER IF EXISTS mpesa_receipts_version_insert $$
CREATE TRIGGER mpesa_receipts_version_insert AFTER INSERT ON mpesa_receipts FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
END $$

DROP TRIGGER IF EXISTS mpesa_receipts_version_update $$
CREATE TRIGGER mpesa_receipts_version_update AFTER UPDATE ON mpesa_receipts FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
  IF NOT (OLD.shop_id <=> NEW.shop_id) THEN
    CALL bump_shop_version(OLD.shop_id);
  END IF;
END $$

DROP TRIGGER IF EXISTS mpesa_receipts_version_delete $$
CREATE TRIGGER mpesa_receipts_version_delete AFTER DELETE ON mpesa_receipts FOR EACH ROW
BEGIN
  CALL bump_shop_version(OLD.shop_id);
END $$

DELIMITER ;
