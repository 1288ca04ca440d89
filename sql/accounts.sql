-- The private server's accounts (db/accounts.py): the app's own least-privileged account, and grants cleaned
-- when a database goes. GRANT and REVOKE name databases and tables, which cannot be bound: db/accounts.py
-- builds those from a checked name.

-- name: create_app_account
-- The app's own account on the private server (its password lives in <private folder>/app.cnf).
CREATE USER IF NOT EXISTS 'daftari_app'@'localhost' IDENTIFIED BY %(password)s;

-- name: set_app_password
-- Keep the app account's password equal to the one on disk.
ALTER USER 'daftari_app'@'localhost' IDENTIFIED BY %(password)s;

-- name: grants_on_database
-- What the app and reader accounts hold on one database: whole-database grants (table NULL) and table grants.
SELECT GRANTEE AS grantee, NULL AS table_name
  FROM information_schema.SCHEMA_PRIVILEGES
 WHERE TABLE_SCHEMA = %(database)s AND GRANTEE IN (%(app)s, %(reader)s)
 UNION
SELECT GRANTEE, TABLE_NAME
  FROM information_schema.TABLE_PRIVILEGES
 WHERE TABLE_SCHEMA = %(database)s AND GRANTEE IN (%(app)s, %(reader)s);

-- name: granted_test_databases_gone
-- Test databases (daftari_test_<pid>) that no longer exist but on which the app or reader account still holds grants.
SELECT DISTINCT g.TABLE_SCHEMA AS name
  FROM (SELECT TABLE_SCHEMA, GRANTEE FROM information_schema.SCHEMA_PRIVILEGES
        UNION ALL
        SELECT TABLE_SCHEMA, GRANTEE FROM information_schema.TABLE_PRIVILEGES) AS g
 WHERE g.GRANTEE IN (%(app)s, %(reader)s)
   AND g.TABLE_SCHEMA LIKE 'daftari\_test\_%'
   AND g.TABLE_SCHEMA NOT IN (SELECT SCHEMA_NAME FROM information_schema.SCHEMATA);
