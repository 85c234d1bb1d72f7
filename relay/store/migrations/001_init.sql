-- Parley's store tables (relay/store/pg-store.ts). Applied at init() under an advisory lock, with
-- search_path set to the store's schema, so no name here is schema-qualified.
--
-- `data` is each record exactly as the relay serialised it (JSON.stringify, like the lowdb files):
-- the `json` type keeps that text as given, so a record reads back as it was written (absent and
-- null optional fields stay apart) and a shopper's U+0000 is stored, which `jsonb` refuses. The other
-- columns are copies of the fields that are filtered, sorted or unique, written in the same
-- statement. Times are the relay's ISO strings; ids and times sort byte-wise (COLLATE "C"), as the
-- lowdb store compares them.

CREATE TABLE sites (
  id text COLLATE "C" PRIMARY KEY,
  -- First insertion order, which listSites keeps (as the lowdb store's Map does).
  position bigint GENERATED ALWAYS AS IDENTITY,
  data json NOT NULL
);

CREATE TABLE agents (
  id text COLLATE "C" PRIMARY KEY,
  position bigint GENERATED ALWAYS AS IDENTITY,
  -- JavaScript's toLowerCase() of the email: login looks agents up by it, so two may not share one.
  email_lower text NOT NULL UNIQUE,
  data json NOT NULL
);

CREATE TABLE sessions (
  id text COLLATE "C" PRIMARY KEY,
  agent_id text NOT NULL,
  data json NOT NULL
);

CREATE TABLE contacts (
  id text COLLATE "C" PRIMARY KEY,
  site_id text NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  -- Search copies: the lowercased name and email, the phone digits.
  name_lower text,
  email_lower text,
  phone text,
  merged_into text,
  data json NOT NULL
);
CREATE INDEX contacts_by_site ON contacts (site_id, created_at DESC, id DESC);
CREATE INDEX contacts_by_merged_into ON contacts (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE conversations (
  id text COLLATE "C" PRIMARY KEY,
  site_id text NOT NULL,
  contact_id text NOT NULL,
  status text NOT NULL,
  updated_at text COLLATE "C" NOT NULL,
  data json NOT NULL
);
CREATE INDEX conversations_by_site ON conversations (site_id, updated_at DESC, id DESC);
CREATE INDEX conversations_by_contact ON conversations (contact_id);

CREATE TABLE messages (
  conversation_id text COLLATE "C" NOT NULL REFERENCES conversations (id),
  seq integer NOT NULL,
  client_id text,
  data json NOT NULL,
  PRIMARY KEY (conversation_id, seq),
  -- Retries of one client message are stored once (NULL client ids never collide).
  UNIQUE (conversation_id, client_id)
);

CREATE TABLE events (
  -- Appends to one conversation are serialised by its row lock, so this is their order.
  position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  conversation_id text COLLATE "C" NOT NULL REFERENCES conversations (id),
  data json NOT NULL
);
CREATE INDEX events_by_conversation ON events (conversation_id, position);

CREATE TABLE articles (
  site_id text NOT NULL,
  slug text COLLATE "C" NOT NULL,
  data json NOT NULL,
  PRIMARY KEY (site_id, slug)
);

CREATE TABLE actions (
  id text COLLATE "C" PRIMARY KEY,
  conversation_id text COLLATE "C" NOT NULL REFERENCES conversations (id),
  site_id text NOT NULL,
  status text NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  data json NOT NULL
);
CREATE INDEX actions_by_site ON actions (site_id, created_at DESC, id DESC);
CREATE INDEX actions_by_conversation ON actions (conversation_id);
