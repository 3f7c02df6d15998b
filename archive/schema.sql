-- The archive's current schema, in one place. A new archive is created from this text; an
-- older one reaches the same schema through the named migrations of archive/schema.py, and
-- tests/test_schema.py checks that both agree. Columns are in the order the migrations leave
-- them (ALTER TABLE appends), so that SELECT * gives the same columns in both.

-- The named migrations this archive has had; applied_at is NULL for those found already
-- applied in an archive from before migrations were recorded by name.
CREATE TABLE _migrations (
    name TEXT PRIMARY KEY,
    applied_at TEXT
);

-- One row per crawl run, with its figures and Scrapy's statistics.
CREATE TABLE crawls (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    mode TEXT NOT NULL,
    arguments TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'running',
    stats TEXT NOT NULL DEFAULT '{}',
    requests INTEGER,
    responses_by_status TEXT,
    documents_new INTEGER,
    documents_changed INTEGER,
    documents_unchanged INTEGER,
    documents_removed INTEGER,
    documents_restored INTEGER,
    failures INTEGER,
    bytes_fetched INTEGER,
    bytes_stored INTEGER,
    site TEXT NOT NULL DEFAULT 'default'  -- the registered site crawled (archive/sites.py); 'default' without --site
);

-- Distinct bodies as received, content-addressed; packed as zstd or a zstd delta against a
-- similar blob (archive/blobs.py).
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    compression TEXT NOT NULL,
    stored_size INTEGER NOT NULL,
    data BLOB NOT NULL,
    params TEXT,
    base_sha256 TEXT REFERENCES blobs(sha256),
    depth INTEGER NOT NULL DEFAULT 0
);

-- One row per opinion (its canonical article URL), as last parsed.
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    published_at TEXT,
    source TEXT,
    view_count INTEGER,
    body_text TEXT NOT NULL,
    paragraphs TEXT NOT NULL,
    prev_url TEXT,
    next_url TEXT,
    attachments TEXT NOT NULL DEFAULT '[]',
    column_name TEXT,
    list_title TEXT,
    capture_id INTEGER NOT NULL REFERENCES captures(id),
    first_seen_crawl INTEGER REFERENCES crawls(id),
    last_seen_crawl INTEGER REFERENCES crawls(id),
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    content_hash TEXT,
    revision INTEGER NOT NULL DEFAULT 1,
    removed_at TEXT,
    removed_capture_id INTEGER REFERENCES captures(id),
    issuer TEXT,
    addressee TEXT,
    subject TEXT,
    meeting TEXT,
    meeting_date TEXT,
    signed_date TEXT,
    report_deadline TEXT,
    report_due TEXT,
    view_count_url TEXT,
    images TEXT,  -- NULL on documents archived before images were recorded: unknown, not none
    view_count_source TEXT,  -- page, counter or list; NULL on counts observed before it was recorded
    view_count_includes_own_fetch INTEGER,  -- 1: the count includes the view our own fetch added
    column_kind TEXT,  -- opinions, reports or news: what the column it was listed in holds
    column_url TEXT,  -- the first list page of that column
    site TEXT NOT NULL DEFAULT 'default',  -- the site of the crawl that first archived it
    published_at_source TEXT,  -- page, meta (its PubDate, shown nowhere) or list (its list row's); NULL when undated or parsed before it was recorded
    parts TEXT,  -- JSON array: the URLs of its later pages, where the site pages it; [] for one page, NULL if parsed before it was recorded
    view_count_approximate INTEGER  -- 1: the page writes the count rounded (1.2万) or as a floor (10万+); NULL when not recorded
);
CREATE INDEX documents_published_at ON documents(published_at);

-- URLs that gave no document, and why.
CREATE TABLE failures (
    id INTEGER PRIMARY KEY,
    crawl_id INTEGER REFERENCES crawls(id),
    url TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT,
    attempts INTEGER NOT NULL DEFAULT 1,
    capture_id INTEGER REFERENCES captures(id),
    failed_at TEXT NOT NULL,
    page_kind TEXT,
    column_kind TEXT,  -- the column of the page that failed (NULL before columns had kinds)
    column_url TEXT,
    site TEXT NOT NULL DEFAULT 'default'
);
CREATE INDEX failures_crawl ON failures(crawl_id);

-- Listed articles that answered 404/410 or a soft 404 before they were archived: a fact about
-- the site, recorded once with what the list showed, rechecked by refresh runs.
CREATE TABLE listed_gone (
    url TEXT PRIMARY KEY,
    list_title TEXT,
    listed_at TEXT,
    reason TEXT NOT NULL,
    capture_id INTEGER REFERENCES captures(id),
    crawl_id INTEGER REFERENCES crawls(id),
    first_seen_at TEXT NOT NULL,
    last_checked_at TEXT NOT NULL,
    column_kind TEXT,
    column_url TEXT,
    site TEXT NOT NULL DEFAULT 'default'
);

-- Every content revision of every document, never overwritten.
CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    number INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    record TEXT NOT NULL,
    capture_id INTEGER REFERENCES captures(id),
    crawl_id INTEGER REFERENCES crawls(id),
    observed_at TEXT NOT NULL,
    UNIQUE (document_id, number)
);

-- What each crawl found happening to documents.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    kind TEXT NOT NULL CHECK (kind IN ('new', 'changed', 'removed', 'restored')),
    revision INTEGER,
    capture_id INTEGER REFERENCES captures(id),
    crawl_id INTEGER REFERENCES crawls(id),
    observed_at TEXT NOT NULL
);
CREATE INDEX events_observed_at ON events(observed_at);

-- Every view count a crawl observed.
CREATE TABLE view_counts (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    observed_at TEXT NOT NULL,
    count INTEGER NOT NULL,
    crawl_id INTEGER REFERENCES crawls(id),
    capture_id INTEGER REFERENCES captures(id),
    source TEXT,  -- page, counter or list
    includes_own_fetch INTEGER,
    approximate INTEGER  -- 1: written rounded (1.2万) or as a floor (10万+); NULL on counts observed before it was recorded
);

-- Attachments and body images linked to their documents, each fetched once.
CREATE TABLE document_files (
    document_url TEXT NOT NULL,
    url TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('attachment', 'image')),
    name TEXT,
    capture_id INTEGER REFERENCES captures(id),
    crawl_id INTEGER REFERENCES crawls(id),
    PRIMARY KEY (document_url, url)
);
CREATE INDEX document_files_url ON document_files(url);

-- Distinct header lists: request headers as sent, response header templates with the
-- values that change on every response as null (archive/headers.py).
CREATE TABLE header_sets (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    headers TEXT NOT NULL,
    content_type TEXT
);

-- An opinion's body in order, one row per section, and the numbered points of a section.
CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    capture_id INTEGER NOT NULL REFERENCES captures(id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    heading TEXT,
    text TEXT NOT NULL,
    UNIQUE (document_id, position)
);
CREATE INDEX sections_kind ON sections(kind);
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    section_id INTEGER NOT NULL REFERENCES sections(id),
    document_id INTEGER NOT NULL REFERENCES documents(id),
    ordinal INTEGER NOT NULL,
    heading TEXT,
    text TEXT NOT NULL,
    UNIQUE (section_id, ordinal)
);
CREATE INDEX items_document ON items(document_id);

-- Tokens from archive/tokens.py, split at spaces; prefix index for one-character queries.
CREATE VIRTUAL TABLE search_index USING fts5(title, body, tokenize = 'ascii', prefix = '1');

-- Analysts' views.
CREATE VIEW documents_overview AS
    SELECT id, substr(published_at, 1, 4) AS year, substr(published_at, 1, 10) AS published_on, title, source,
           view_count, length(body_text) AS characters, url
    FROM documents;
CREATE VIEW documents_by_year AS
    SELECT substr(published_at, 1, 4) AS year, count(*) AS documents, sum(view_count) AS views,
           sum(length(body_text)) AS characters
    FROM documents GROUP BY year ORDER BY year;
CREATE VIEW documents_by_source AS
    SELECT source, count(*) AS documents, min(published_at) AS first_published, max(published_at) AS last_published
    FROM documents GROUP BY source ORDER BY documents DESC;

-- Fixity audits (npc-archive verify).
CREATE TABLE audits (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    checked INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    missing INTEGER NOT NULL,
    problems TEXT NOT NULL DEFAULT '[]'
);

-- Each address fetched, once.
CREATE TABLE urls (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE
);

-- One row per HTTP response stored: its URL and header template by id, the header values
-- that change on every response in header_values (a JSON list), the body's SHA-256 as 32
-- bytes (as text only in captures of old archives that named their body otherwise).
CREATE TABLE captures (
    id INTEGER PRIMARY KEY,
    crawl_id INTEGER REFERENCES crawls(id),
    url_id INTEGER NOT NULL REFERENCES urls(id),
    method TEXT NOT NULL DEFAULT 'GET',
    fetched_at TEXT NOT NULL,
    protocol TEXT,
    status INTEGER NOT NULL,
    header_set INTEGER NOT NULL REFERENCES header_sets(id),
    header_values TEXT,
    request_header_set INTEGER REFERENCES header_sets(id),
    sha256 BLOB NOT NULL,
    size INTEGER NOT NULL,
    request_body BLOB,  -- a request's body where it had one: a POST's form (Hanweb's dataproxy.jsp)
    site TEXT NOT NULL DEFAULT 'default'
);
CREATE INDEX captures_url ON captures(url_id);
CREATE INDEX view_counts_document ON view_counts(document_id);

-- The shape captures had as the snapshots table (up to schema 6), with the headers rebuilt as
-- received, for analysts' queries and the readers of single columns.
CREATE VIEW snapshots AS
    SELECT c.id, c.crawl_id, u.url, c.method, c.fetched_at, c.protocol, c.status,
           (SELECT json_group_array(json_array(t.value ->> 0, coalesce(t.value ->> 1, c.header_values ->> (
                        SELECT count(*) FROM json_each(h.headers) p WHERE p.key < t.key AND p.value ->> 1 IS NULL))))
            FROM json_each(h.headers) t) AS headers,
           coalesce(r.headers, '[]') AS request_headers, h.content_type,
           CASE typeof(c.sha256) WHEN 'blob' THEN lower(hex(c.sha256)) ELSE c.sha256 END AS sha256,
           c.size, c.request_header_set
    FROM captures c JOIN urls u ON u.id = c.url_id JOIN header_sets h ON h.id = c.header_set
    LEFT JOIN header_sets r ON r.id = c.request_header_set;

-- Follow-ups (archive/followups.py): each opinion linked to the reports on it and the meetings
-- that heard them, with the evidence and a score; analysts' links and rejections (kept across
-- crawls and reparses, by URL); each opinion's deadline and the date it is counted from; the
-- changes of its status a crawl saw; and its status as of today.
CREATE TABLE followups (
    id INTEGER PRIMARY KEY,
    opinion_id INTEGER NOT NULL REFERENCES documents(id),
    followup_id INTEGER NOT NULL REFERENCES documents(id),
    kind TEXT NOT NULL,
    score REAL NOT NULL,
    evidence TEXT NOT NULL DEFAULT '[]',
    ambiguous INTEGER NOT NULL DEFAULT 0,
    decision TEXT,
    vote TEXT,
    round INTEGER NOT NULL DEFAULT 1,
    UNIQUE (opinion_id, followup_id)
);
CREATE TABLE followup_decisions (
    opinion_url TEXT NOT NULL,
    followup_url TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('link', 'reject')),
    decided_at TEXT NOT NULL,
    PRIMARY KEY (opinion_url, followup_url)
);
CREATE TABLE followup_deadlines (
    opinion_id INTEGER PRIMARY KEY REFERENCES documents(id),
    phrase TEXT NOT NULL,
    counted_from TEXT NOT NULL,
    start TEXT,
    start_stated INTEGER NOT NULL,
    due TEXT
);
CREATE TABLE followup_events (
    id INTEGER PRIMARY KEY,
    opinion_id INTEGER NOT NULL REFERENCES documents(id),
    status TEXT NOT NULL,
    days INTEGER,
    previous_status TEXT,
    crawl_id INTEGER REFERENCES crawls(id),
    observed_at TEXT NOT NULL
);
CREATE VIEW followup_status AS
    SELECT o.id AS opinion_id, o.site, o.url, o.title, o.signed_date, d.phrase AS deadline, d.counted_from, d.start, d.due,
           f.first_followup,
           CASE WHEN d.due IS NULL THEN 'unknown'
                WHEN f.first_followup IS NOT NULL AND f.first_followup <= d.due THEN 'met'
                WHEN f.first_followup IS NOT NULL THEN 'late'
                WHEN date('now') <= d.due THEN 'pending' ELSE 'missing' END AS status,
           CASE WHEN d.due IS NULL THEN NULL
                WHEN f.first_followup IS NOT NULL AND f.first_followup > d.due
                    THEN CAST(julianday(f.first_followup) - julianday(d.due) AS INTEGER)
                WHEN f.first_followup IS NULL AND date('now') > d.due THEN CAST(julianday(date('now')) - julianday(d.due) AS INTEGER)
                END AS days,
           f.followups
    FROM documents o LEFT JOIN followup_deadlines d ON d.opinion_id = o.id
    LEFT JOIN (SELECT l.opinion_id, min(substr(r.published_at, 1, 10)) AS first_followup, count(*) AS followups
               FROM followups l JOIN documents r ON r.id = l.followup_id
               WHERE coalesce(l.decision, CASE WHEN l.ambiguous THEN 'reject' ELSE 'link' END) = 'link'
               GROUP BY l.opinion_id) f ON f.opinion_id = o.id
    WHERE coalesce(o.column_kind, 'opinions') = 'opinions' AND o.removed_at IS NULL;
-- The registered sites (`npc-archive sites add`): each crawled with its own politeness, when
-- its cadence makes it due. Removing a site removes these rows only: its archived rows stay.
CREATE TABLE sites (
    name TEXT PRIMARY KEY,
    home_url TEXT NOT NULL,
    family TEXT,  -- the CMS family discover saw on the home page (NULL: not recognised, or columns given by hand)
    delay REAL NOT NULL,  -- seconds between two requests to the site
    concurrency INTEGER NOT NULL,  -- requests to the site at once
    cadence_hours REAL NOT NULL,  -- a site is due when its last ended crawl started this long ago
    added_at TEXT NOT NULL
);
-- The columns crawled of each site, in the order they are walked.
CREATE TABLE site_columns (
    site TEXT NOT NULL REFERENCES sites(name) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (site, position)
);
CREATE INDEX crawls_site ON crawls(site);
CREATE INDEX documents_site ON documents(site);
