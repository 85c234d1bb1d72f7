-- Keyed records (Store.getRecord, putRecord, putRecordIfAbsent, updateRecord): the messaging
-- channels' indexes, shared by every node. The primary key is what makes putRecordIfAbsent
-- (INSERT … ON CONFLICT DO NOTHING) store a key once across nodes; `value` is json, as `data` is
-- in 001_init.sql, so a record reads back exactly as written.

CREATE TABLE records (
  namespace text COLLATE "C" NOT NULL,
  key text COLLATE "C" NOT NULL,
  value json NOT NULL,
  PRIMARY KEY (namespace, key)
);
