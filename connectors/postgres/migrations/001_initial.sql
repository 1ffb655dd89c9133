-- newsbeam PostgreSQL schema, version 1.
--
-- Applied by connectors/postgres/migrate.py in one transaction under an advisory lock
-- (so concurrent workers never race), recorded in schema_migrations. Never edit an
-- applied migration: add NNN_next.sql instead (the runner checks checksums).
--
-- Every table keeps the full record as JSONB (`record`) plus typed columns for the
-- fields people query, so records with extra or missing optional keys always fit.
-- All writes are idempotent upserts keyed by the record's id (at-least-once delivery).
--
-- Mapping to GDELT 2.0:
--   event_mentions  ~ GDELT Mentions table: one row per mention of an event in an
--                     article. newsbeam's extracted Event records are mentions; the
--                     mention's event_id is the key (GDELT: GlobalEventID+MentionIdentifier).
--                     url = MentionIdentifier, domain = MentionSourceName,
--                     published_at = MentionTimeDate, sentence_index = SentenceID,
--                     trigger_start = ActionCharOffset, confidence = Confidence,
--                     location_name/location_country ~ ActionGeo_FullName/CountryCode.
--   events          ~ GDELT Events table: one row per unique event, keyed by event_key =
--                     actor1 code | actor2 code | CAMEO code | event date (GDELT:
--                     GlobalEventID), with NumMentions / NumSources / NumArticles
--                     recomputed from event_mentions on every write touching the key:
--                       num_mentions = mentions, num_sources = distinct domains,
--                       num_articles = distinct articles where near-duplicate copies
--                       flagged by cleaning count once: coalesce(duplicate_of, article_id).
--                     first_seen_at / last_seen_at ~ DATEADDED; goldstein ~ GoldsteinScale;
--                     quad_class ~ QuadClass; cameo/cameo_base/cameo_root ~
--                     EventCode/EventBaseCode/EventRootCode; avg_confidence has no GDELT twin.
--   articles        ~ GDELT GKG-ish document table (one row per cleaned article).
--   dead_letters    (no GDELT twin) inputs that could not be processed, for replay.

CREATE TABLE IF NOT EXISTS articles (
    article_id      text PRIMARY KEY,
    url             text,
    canonical_url   text,
    domain          text,
    title           text,
    language        text,
    site_name       text,
    published_at    timestamptz,
    fetched_at      timestamptz,
    word_count      integer,
    content_hash    text,
    simhash         text,
    duplicate_of    text,          -- article_id of the original when this is a copy
    duplicate_kind  text,          -- exact | near
    extractor       text,
    record          jsonb NOT NULL,
    first_seen_at   timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS articles_domain_idx ON articles (domain);
CREATE INDEX IF NOT EXISTS articles_published_at_idx ON articles (published_at);
CREATE INDEX IF NOT EXISTS articles_duplicate_of_idx ON articles (duplicate_of)
    WHERE duplicate_of IS NOT NULL;

CREATE TABLE IF NOT EXISTS event_mentions (
    event_id        text PRIMARY KEY,  -- the extracted Event's id (one mention)
    event_key       text NOT NULL,     -- groups mentions into one `events` row
    article_id      text,
    url             text,
    domain          text,              -- MentionSourceName
    language        text,
    published_at    timestamptz,       -- MentionTimeDate
    event_date      date,
    date_precision  text,
    actor1_code     text,
    actor1_name     text,
    actor1_country  text,
    actor2_code     text,
    actor2_name     text,
    actor2_country  text,
    cameo           text,              -- EventCode
    cameo_base      text,              -- EventBaseCode
    cameo_root      text,              -- EventRootCode
    quad_class      smallint,
    goldstein       real,
    plover          text,
    modality        text,
    sentence_index  integer,           -- SentenceID
    sentence        text,
    char_start      integer,           -- sentence offsets in the article text
    char_end        integer,
    trigger_start   integer,           -- ActionCharOffset
    trigger_end     integer,
    location_name   text,              -- ActionGeo_FullName
    location_country text,             -- ActionGeo_CountryCode
    confidence      real,              -- Confidence
    coder_name      text,
    coder_version   text,
    record          jsonb NOT NULL,
    first_seen_at   timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS event_mentions_event_key_idx ON event_mentions (event_key);
CREATE INDEX IF NOT EXISTS event_mentions_article_id_idx ON event_mentions (article_id);

CREATE TABLE IF NOT EXISTS events (
    event_key       text PRIMARY KEY,  -- GlobalEventID
    event_date      date,
    actor1_code     text,
    actor1_name     text,
    actor1_country  text,
    actor2_code     text,
    actor2_name     text,
    actor2_country  text,
    cameo           text,
    cameo_base      text,
    cameo_root      text,
    quad_class      smallint,
    goldstein       real,
    plover          text,
    num_mentions    integer NOT NULL,  -- NumMentions
    num_sources     integer NOT NULL,  -- NumSources (distinct domains)
    num_articles    integer NOT NULL,  -- NumArticles (near-duplicates count once)
    avg_confidence  real,
    languages       text[] NOT NULL DEFAULT '{}',
    first_published_at timestamptz,
    last_published_at  timestamptz,
    first_seen_at   timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS events_event_date_idx ON events (event_date);
CREATE INDEX IF NOT EXISTS events_cameo_root_idx ON events (cameo_root);

CREATE TABLE IF NOT EXISTS dead_letters (
    dead_letter_id      text PRIMARY KEY,
    stage               text,
    reason              text,
    detail              text,
    topic               text,
    kafka_partition     integer,
    kafka_offset        bigint,
    original_size       integer,
    record_timestamp_ms bigint,
    dead_lettered_at    timestamptz,
    record              jsonb NOT NULL,
    first_seen_at       timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS dead_letters_stage_reason_idx ON dead_letters (stage, reason);
