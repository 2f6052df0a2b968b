/// The schema, as numbered migrations. Never edit a released migration: add the next number.
public enum Schema {
    public static let migrations: [Migration] = [
        Migration(
            number: 1, name: "newspaper",
            statements: [
                """
                CREATE TABLE media (
                    id {{id}},
                    file TEXT NOT NULL,
                    mime_type TEXT NOT NULL,
                    width INTEGER NOT NULL,
                    height INTEGER NOT NULL,
                    caption TEXT,
                    credit TEXT,
                    credit_url TEXT,
                    alt TEXT NOT NULL DEFAULT '',
                    source_url TEXT,
                    created_at {{bigint}} NOT NULL
                )
                """,
                """
                CREATE TABLE rubrics (
                    id {{id}},
                    slug TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    position INTEGER NOT NULL DEFAULT 0
                )
                """,
                """
                CREATE TABLE tags (
                    id {{id}},
                    slug TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE authors (
                    id {{id}},
                    slug TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    bio TEXT,
                    photo_media_id {{bigint}} REFERENCES media(id) ON DELETE SET NULL,
                    login TEXT UNIQUE
                )
                """,
                """
                CREATE TABLE articles (
                    id {{id}},
                    slug TEXT NOT NULL UNIQUE,
                    title TEXT NOT NULL,
                    seo_title TEXT,
                    seo_description TEXT,
                    lede TEXT NOT NULL DEFAULT '',
                    teaser TEXT,
                    body TEXT NOT NULL DEFAULT '[]',
                    rubric_id {{bigint}} REFERENCES rubrics(id) ON DELETE SET NULL,
                    cover_media_id {{bigint}} REFERENCES media(id) ON DELETE SET NULL,
                    status TEXT NOT NULL,
                    published_at {{bigint}},
                    updated_at {{bigint}} NOT NULL,
                    created_at {{bigint}} NOT NULL,
                    featured {{bool}} NOT NULL DEFAULT FALSE,
                    breaking {{bool}} NOT NULL DEFAULT FALSE,
                    editorial_note TEXT,
                    source_id TEXT UNIQUE
                )
                """,
                "CREATE INDEX media_file ON media (file)",
                "CREATE INDEX articles_feed ON articles (status, published_at DESC, id DESC)",
                "CREATE INDEX articles_rubric_feed ON articles (rubric_id, status, published_at DESC, id DESC)",
                "CREATE INDEX articles_featured ON articles (featured, status, published_at DESC, id DESC)",
                """
                CREATE TABLE article_tags (
                    article_id {{bigint}} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                    tag_id {{bigint}} NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (article_id, tag_id)
                )
                """,
                "CREATE INDEX article_tags_tag ON article_tags (tag_id, article_id)",
                """
                CREATE TABLE article_authors (
                    article_id {{bigint}} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                    author_id {{bigint}} NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (article_id, author_id)
                )
                """,
                "CREATE INDEX article_authors_author ON article_authors (author_id, article_id)",
                """
                CREATE TABLE settings (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                )
                """,
            ]
        ),
        Migration(
            number: 2, name: "newsroom accounts",
            statements: [
                """
                CREATE TABLE users (
                    id {{id}},
                    email TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    disabled {{bool}} NOT NULL DEFAULT FALSE,
                    author_id {{bigint}} REFERENCES authors(id) ON DELETE SET NULL,
                    created_at {{bigint}} NOT NULL
                )
                """,
                """
                CREATE TABLE sessions (
                    token_hash TEXT PRIMARY KEY,
                    user_id {{bigint}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    csrf_token TEXT NOT NULL,
                    created_at {{bigint}} NOT NULL,
                    expires_at {{bigint}} NOT NULL,
                    address TEXT
                )
                """,
                "CREATE INDEX sessions_user ON sessions (user_id)",
                """
                CREATE TABLE login_attempts (
                    id {{id}},
                    email TEXT NOT NULL,
                    address TEXT NOT NULL,
                    at {{bigint}} NOT NULL,
                    succeeded {{bool}} NOT NULL
                )
                """,
                "CREATE INDEX login_attempts_email ON login_attempts (email, at)",
                "CREATE INDEX login_attempts_address ON login_attempts (address, at)",
                """
                CREATE TABLE audit_log (
                    id {{id}},
                    at {{bigint}} NOT NULL,
                    user_id {{bigint}} REFERENCES users(id) ON DELETE SET NULL,
                    action TEXT NOT NULL,
                    subject TEXT,
                    address TEXT
                )
                """,
                "CREATE INDEX audit_log_at ON audit_log (at)",
                "ALTER TABLE articles ADD COLUMN created_by {{bigint}} REFERENCES users(id) ON DELETE SET NULL",
            ]
        ),
        Migration(
            number: 3, name: "editing workflow",
            statements: [
                "ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
                """
                CREATE TABLE revisions (
                    id {{id}},
                    article_id {{bigint}} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    user_id {{bigint}} REFERENCES users(id) ON DELETE SET NULL,
                    saved_at {{bigint}} NOT NULL,
                    snapshot TEXT NOT NULL
                )
                """,
                "CREATE INDEX revisions_article ON revisions (article_id, saved_at DESC, id DESC)",
                """
                CREATE TABLE article_locks (
                    article_id {{bigint}} PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
                    user_id {{bigint}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    token TEXT NOT NULL,
                    acquired_at {{bigint}} NOT NULL,
                    seen_at {{bigint}} NOT NULL,
                    taken_from {{bigint}} REFERENCES users(id) ON DELETE SET NULL
                )
                """,
                """
                CREATE TABLE transitions (
                    id {{id}},
                    article_id {{bigint}} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                    from_status TEXT NOT NULL,
                    to_status TEXT NOT NULL,
                    user_id {{bigint}} REFERENCES users(id) ON DELETE SET NULL,
                    at {{bigint}} NOT NULL
                )
                """,
                "CREATE INDEX transitions_article ON transitions (article_id, at)",
                """
                CREATE TABLE slug_redirects (
                    slug TEXT PRIMARY KEY,
                    article_id {{bigint}} NOT NULL REFERENCES articles(id) ON DELETE CASCADE
                )
                """,
                "CREATE INDEX articles_due ON articles (status, published_at)",
            ]
        ),
        Migration(
            number: 4, name: "editors limited to rubrics",
            statements: [
                """
                CREATE TABLE editor_rubrics (
                    user_id {{bigint}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    rubric_id {{bigint}} NOT NULL REFERENCES rubrics(id) ON DELETE CASCADE,
                    PRIMARY KEY (user_id, rubric_id)
                )
                """
            ]
        ),
        Migration(
            number: 5, name: "full-text search",
            statements: [
                "CREATE TABLE search_terms (term TEXT PRIMARY KEY)"
            ],
            sqliteOnly: [
                """
                CREATE VIRTUAL TABLE search_index USING fts5(
                    title, lede, body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0')
                """
            ],
            postgresOnly: [
                "ALTER TABLE articles ADD COLUMN search_vector tsvector",
                "CREATE INDEX articles_search ON articles USING GIN (search_vector)",
            ]
        ),
        Migration(
            number: 6, name: "search ranks by headline and lede",
            statements: [],
            postgresOnly: [
                // The headline's and lede's terms only (weights A and B), small enough to stay in the row: ranking
                // thousands of matches reads these instead of every match's whole vector from TOAST storage.
                """
                ALTER TABLE articles ADD COLUMN search_head tsvector
                    GENERATED ALWAYS AS (ts_filter(search_vector, '{a,b}')) STORED
                """
            ]
        ),
        Migration(
            number: 7, name: "sign-in hardening",
            statements: [
                // Sessions end after a while without use, not only at their fixed expiry.
                "ALTER TABLE sessions ADD COLUMN last_seen_at {{bigint}} NOT NULL DEFAULT 0",
                "UPDATE sessions SET last_seen_at = created_at",
                // Sign-in attempts are counted per account-and-address pair and per address, one row each, raised
                // atomically before the password is checked (the log of attempts it replaces could be raced).
                "DROP TABLE login_attempts",
                """
                CREATE TABLE login_counters (
                    key TEXT PRIMARY KEY,
                    window_start {{bigint}} NOT NULL,
                    attempts INTEGER NOT NULL,
                    refused INTEGER NOT NULL DEFAULT 0
                )
                """,
                "CREATE INDEX login_counters_window ON login_counters (window_start)",
            ]
        ),
        Migration(
            number: 8, name: "autosaves keep typed names",
            statements: [
                // The tag and byline names of an autosave as typed (JSON): an autosave adds no tags or bylines.
                "ALTER TABLE revisions ADD COLUMN typed_names TEXT"
            ]
        ),
        Migration(
            number: 9, name: "change events",
            statements: [
                // The outbox: one row per write of content, in the write's transaction; the payload is the
                // event as JSON (ChangeEvent).
                """
                CREATE TABLE change_events (
                    id {{id}},
                    at {{bigint}} NOT NULL,
                    action TEXT NOT NULL,
                    source TEXT NOT NULL,
                    user_id {{bigint}},
                    article_id {{bigint}},
                    payload TEXT NOT NULL
                )
                """,
                // Each subscriber's position in the outbox.
                """
                CREATE TABLE event_cursors (
                    subscriber TEXT PRIMARY KEY,
                    last_id {{bigint}} NOT NULL
                )
                """,
            ]
        ),
        Migration(
            number: 10, name: "CDN purges",
            statements: [
                // Purges waiting to reach the CDN: the surrogate keys of one dispatcher pass, sent and retried by
                // the server in the background, so that a slow CDN never slows a publish.
                """
                CREATE TABLE cdn_purges (
                    id {{id}},
                    keys TEXT NOT NULL,
                    created_at {{bigint}} NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at {{bigint}} NOT NULL,
                    last_error TEXT
                )
                """,
                "CREATE INDEX cdn_purges_due ON cdn_purges (next_attempt_at)",
            ]
        ),
        Migration(
            number: 11, name: "API keys",
            statements: [
                // Keys to the Content API (and later tokens to the Admin API): only a hash of each secret is kept,
                // so the secret is shown once, when it is made.
                """
                CREATE TABLE api_keys (
                    id {{id}},
                    kind TEXT NOT NULL,
                    name TEXT NOT NULL,
                    secret_hash TEXT NOT NULL UNIQUE,
                    prefix TEXT NOT NULL,
                    user_id {{bigint}} REFERENCES users (id),
                    created_by {{bigint}} REFERENCES users (id),
                    created_at {{bigint}} NOT NULL,
                    expires_at {{bigint}},
                    revoked_at {{bigint}}
                )
                """
            ]
        ),
        Migration(
            number: 12, name: "Webhooks",
            statements: [
                // Addresses to tell of changes, and their secret (kept: every delivery is signed with it). A webhook
                // hears of the changes after `since_change_id`, the outbox's last when it was added.
                """
                CREATE TABLE webhooks (
                    id {{id}},
                    url TEXT NOT NULL,
                    events TEXT NOT NULL,
                    secret TEXT NOT NULL,
                    since_change_id {{bigint}} NOT NULL,
                    created_by {{bigint}} REFERENCES users (id),
                    created_at {{bigint}} NOT NULL,
                    removed_at {{bigint}}
                )
                """,
                // The outbox of deliveries: one row per change and webhook, written in the dispatcher's transaction
                // and sent by the server in the background. `next_attempt_at` is NULL once delivered or given up.
                """
                CREATE TABLE webhook_deliveries (
                    id {{id}},
                    webhook_id {{bigint}} NOT NULL REFERENCES webhooks (id),
                    change_id {{bigint}} NOT NULL,
                    event TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    created_at {{bigint}} NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at {{bigint}},
                    delivered_at {{bigint}},
                    last_status INTEGER,
                    last_error TEXT,
                    UNIQUE (webhook_id, change_id)
                )
                """,
                "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)",
            ]
        ),
        Migration(
            number: 13, name: "Idempotency keys",
            statements: [
                // An Admin API create sent with an Idempotency-Key: which story it made, for a day, so that a retry
                // is answered with that story instead of a second one.
                """
                CREATE TABLE idempotency_keys (
                    api_key_id {{bigint}} NOT NULL,
                    idempotency_key TEXT NOT NULL,
                    request_hash TEXT NOT NULL,
                    article_id {{bigint}},
                    created_at {{bigint}} NOT NULL,
                    PRIMARY KEY (api_key_id, idempotency_key)
                )
                """
            ]
        ),
        Migration(
            number: 14, name: "photo renditions",
            statements: [
                // Where the subject is (crops are cut around it), which renditions libvips has made (null: not yet;
                // empty with an error: the original could not be read), and the photo's average colour.
                "ALTER TABLE media ADD COLUMN focal_x {{real}} NOT NULL DEFAULT 0.5",
                "ALTER TABLE media ADD COLUMN focal_y {{real}} NOT NULL DEFAULT 0.5",
                "ALTER TABLE media ADD COLUMN renditions TEXT",
                "ALTER TABLE media ADD COLUMN rendition_error TEXT",
                "ALTER TABLE media ADD COLUMN colour TEXT",
                "CREATE INDEX media_awaiting_renditions ON media (id) WHERE renditions IS NULL",
            ]
        ),
        Migration(
            number: 15, name: "media library search",
            statements: [
                // The photo's caption, credit, alt text and file name, lower-cased as Swift does it (SQLite's lower()
                // knows only ASCII), for the library's search; rows from before are filled by housekeeping.
                "ALTER TABLE media ADD COLUMN search_text TEXT"
            ]
        ),
        Migration(
            number: 16, name: "rendition claims",
            statements: [
                // Until when (ms) one node makes a photo's renditions: nodes that share the database and the media
                // directory do not cut the same photo twice, and a node that dies lets go when the time passes.
                "ALTER TABLE media ADD COLUMN rendition_claim {{bigint}}"
            ]
        ),
        Migration(
            number: 17, name: "the stories that show each photo",
            statements: [
                // Which stories show which photos (the cover, or a photo block in the body): written with the story,
                // read by the media library's "where used" and when a photo's change must reach public pages.
                """
                CREATE TABLE article_media (
                    article_id {{bigint}} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                    media_id {{bigint}} NOT NULL,
                    PRIMARY KEY (article_id, media_id)
                )
                """,
                "CREATE INDEX article_media_media ON article_media (media_id, article_id)",
                """
                INSERT INTO article_media (article_id, media_id)
                SELECT id, cover_media_id FROM articles WHERE cover_media_id IS NOT NULL
                """,
            ],
            sqliteOnly: [
                """
                INSERT INTO article_media (article_id, media_id)
                SELECT DISTINCT a.id, json_extract(b.value, '$.image.mediaID') FROM articles a, json_each(a.body) b
                WHERE json_valid(a.body) AND json_extract(b.value, '$.image.mediaID') IS NOT NULL
                ON CONFLICT DO NOTHING
                """
            ],
            postgresOnly: [
                """
                INSERT INTO article_media (article_id, media_id)
                SELECT DISTINCT a.id, (b.value -> 'image' ->> 'mediaID')::bigint
                FROM articles a CROSS JOIN LATERAL jsonb_array_elements(a.body::jsonb) AS b(value)
                WHERE jsonb_typeof(b.value -> 'image') = 'object' AND (b.value -> 'image' ->> 'mediaID') IS NOT NULL
                ON CONFLICT DO NOTHING
                """
            ]
        ),
        Migration(
            number: 18, name: "addresses from the old site",
            statements: [
                // The addresses an imported story had on the site the paper came from (WordPress permalinks, "?p=12",
                // its category, tag and author archives), normalised by LegacyURL, each answered with a permanent
                // redirect: to a story (by id, so a later change of address is followed) or to a page of ours.
                """
                CREATE TABLE legacy_urls (
                    path TEXT PRIMARY KEY,
                    article_id {{bigint}} REFERENCES articles(id) ON DELETE CASCADE,
                    target TEXT
                )
                """,
                "CREATE INDEX legacy_urls_article ON legacy_urls (article_id)",
            ]
        ),
        Migration(
            number: 19, name: "rubrics under rubrics",
            statements: [
                // A rubric may sit under another (WordPress's category hierarchy, "Новини" › "Львів"). Rubrics are
                // never deleted, so the reference needs no action on delete.
                "ALTER TABLE rubrics ADD COLUMN parent_id {{bigint}} REFERENCES rubrics(id)",
                "CREATE INDEX rubrics_parent ON rubrics (parent_id)",
            ]
        ),
        Migration(
            number: 20, name: "search analyser version",
            statements: [
                // Which version of the analyser (`TextAnalyzer.version`) made the search index; the server rebuilds
                // an index made by another one when it starts. Indexes made before this migration are version 1.
                "CREATE TABLE search_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                "INSERT INTO search_state (key, value) SELECT 'analyzer', '1' WHERE EXISTS (SELECT 1 FROM articles)",
            ]
        ),
        Migration(
            number: 21, name: "search index with positions, ordered by time",
            statements: [
                // Indexes made before this migration are of layout 1 and are rebuilt when the server starts
                // (`SearchIndex.layout`): positions now hold every term of a word, so phrases are index questions.
                "INSERT INTO search_state (key, value) SELECT 'layout', '1' WHERE EXISTS (SELECT 1 FROM articles) ON CONFLICT (key) DO NOTHING"
            ],
            sqliteOnly: [
                // The rowid of each article's entry in the FTS5 index (`SQLiteSearchEngine.key`): the index is read
                // newest first. Its tokenizer (`SearchTokenizer`) reads positions of colocated terms.
                "ALTER TABLE articles ADD COLUMN search_key INTEGER",
                "CREATE INDEX articles_search_key ON articles (search_key)",
                "DROP TABLE search_index",
                """
                CREATE VIRTUAL TABLE search_index USING fts5(
                    title, lede, body, content = '', contentless_delete = 1, tokenize = 'shpalta')
                """,
            ]
        ),
        Migration(
            number: 22, name: "headline and lede terms indexed on PostgreSQL",
            statements: [],
            postgresOnly: [
                // The tiers of a search by relevance and the suggestions ask the headline's terms and the headline's
                // and lede's terms alone (`PostgresSearchEngine`): a short list of articles for each word, however
                // common in bodies, and statistics of their own, from which the planner judges how many match.
                "ALTER TABLE articles ADD COLUMN search_title tsvector GENERATED ALWAYS AS (ts_filter(search_vector, '{a}')) STORED",
                "CREATE INDEX articles_search_title ON articles USING gin (search_title)",
                "CREATE INDEX articles_search_head ON articles USING gin (search_head)",
            ]
        ),
        Migration(
            number: 23, name: "large values compressed with LZ4 on PostgreSQL",
            statements: [],
            postgresOnly: [
                // Bodies, search vectors, revisions and event payloads are kilobytes each and compressed as they are
                // stored; LZ4 does it about three times as fast as the default (a revision of 5,000 stories: 0.3 s
                // instead of 1.1 s) at about the same size. A server built without LZ4 keeps the default.
                """
                DO $$ BEGIN
                    ALTER TABLE articles ALTER COLUMN body SET COMPRESSION lz4,
                        ALTER COLUMN search_vector SET COMPRESSION lz4,
                        ALTER COLUMN search_head SET COMPRESSION lz4,
                        ALTER COLUMN search_title SET COMPRESSION lz4;
                    ALTER TABLE revisions ALTER COLUMN snapshot SET COMPRESSION lz4;
                    ALTER TABLE change_events ALTER COLUMN payload SET COMPRESSION lz4;
                EXCEPTION WHEN feature_not_supported THEN
                    NULL;
                END $$
                """
            ]
        ),
        Migration(
            number: 24, name: "rubric descriptions",
            statements: [
                // A sentence or two on what a rubric covers: its page's meta description (issue #16).
                "ALTER TABLE rubrics ADD COLUMN description TEXT NOT NULL DEFAULT ''"
            ]
        ),
        Migration(
            number: 25, name: "corrections",
            statements: [
                // Corrections added to a published story (`Correction`), a JSON list, oldest first.
                "ALTER TABLE articles ADD COLUMN corrections TEXT NOT NULL DEFAULT '[]'"
            ]
        ),
        Migration(
            number: 26, name: "page views",
            statements: [
                // Readers' views of each story per hour (`ArticleViews`), for "Найпопулярніше": counts only, with no
                // address, cookie or other trace of who read what. Rows older than two days are pruned.
                """
                CREATE TABLE article_views (
                    hour {{bigint}} NOT NULL,
                    article_id {{bigint}} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                    views {{bigint}} NOT NULL,
                    PRIMARY KEY (hour, article_id)
                )
                """,
                "CREATE INDEX article_views_article ON article_views (article_id)",
            ]
        ),
        Migration(
            number: 27, name: "pinned related stories",
            statements: [
                // The stories an editor pinned to the top of a story's "Читайте також" (ids, a JSON list, in order).
                "ALTER TABLE articles ADD COLUMN related_pins TEXT NOT NULL DEFAULT '[]'"
            ]
        ),
        Migration(
            number: 28, name: "search filters read from the index",
            statements: [],
            sqliteOnly: [
                // A search's hits are found through this index (`SQLiteSearchEngine`); with the readers' filters
                // in it (status, time, rubric) a hit is checked without reading the story's row, which holds its
                // body in overflow pages before those columns.
                "DROP INDEX articles_search_key",
                "CREATE INDEX articles_search_key ON articles (search_key, status, published_at, rubric_id)",
            ]
        ),
        Migration(
            number: 29, name: "a story's visibility read from an index",
            statements: [],
            sqliteOnly: [
                // Whether a story readers can see is found by id without reading its row (whose status and time come
                // after its body, in overflow pages): a tag's or author's count reads it for each of their stories.
                "CREATE INDEX articles_visible ON articles (id, status, published_at)"
            ]
        ),
        Migration(
            number: 30, name: "common-word pairs indexed apart on PostgreSQL",
            statements: [],
            postgresOnly: [
                // The pairs of a common word and the next word (`CommonWords`), without positions: a phrase with a
                // common word takes its few candidates from this index, then checks the phrase in their vectors.
                // Kept out of `search_vector`, whose size every row check of a search pays for.
                "ALTER TABLE articles ADD COLUMN search_pairs tsvector",
                "CREATE INDEX articles_search_pairs ON articles USING gin (search_pairs)",
                """
                DO $$ BEGIN
                    ALTER TABLE articles ALTER COLUMN search_pairs SET COMPRESSION lz4;
                EXCEPTION WHEN feature_not_supported THEN
                    NULL;
                END $$
                """,
            ]
        ),
        Migration(
            number: 31, name: "words and tag addresses found by their start on PostgreSQL",
            statements: [],
            postgresOnly: [
                // "Did you mean" and the search box's tags read a range of words or addresses compared byte by
                // byte (`COLLATE "C"`, as SQLite compares them); an index in the database's own collation cannot
                // serve that range, so each lookup read every word or every tag.
                #"CREATE INDEX search_terms_bytes ON search_terms (term COLLATE "C")"#,
                #"CREATE INDEX tags_slug_bytes ON tags (slug COLLATE "C")"#,
            ]
        ),
        Migration(
            number: 32, name: "stories readers cannot see listed by their place in the search index",
            statements: [],
            sqliteOnly: [
                // Drafts, stories in review, scheduled and withdrawn ones: a count of readers' search results takes
                // its matches from the index alone and sets these few apart (`SQLiteSearchEngine.publishedCount`),
                // instead of reading every match's story in `articles_search_key`.
                "CREATE INDEX articles_hidden ON articles (search_key) WHERE status <> 'published'"
            ]
        ),
    ]
}
