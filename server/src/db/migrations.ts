import type Database from 'better-sqlite3';
import { CertificateSearchIndex } from '../store/certificate-search.js';

/** SQL, or a function for what SQL cannot compute (it runs in the same transaction). */
export type Migration = string | ((db: Database.Database) => void);

/**
 * Versioned schema. Each entry runs once, in order, inside a transaction; PRAGMA user_version records
 * the last one applied. Never edit a released entry: append a new one.
 */
export const migrations: readonly Migration[] = [
  // 1: accounts, sessions, tokens, audit, key/CSR/certificate store, HTTPS settings
  `
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,            -- sha256 of the cookie value; the raw id is never stored
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,         -- epoch ms
    last_seen_at INTEGER NOT NULL,
    ip TEXT,
    user_agent TEXT
  );
  CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT
  );
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    target TEXT,
    ip TEXT,
    details TEXT
  );
  CREATE INDEX audit_log_action ON audit_log(action);
  CREATE TABLE kv (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  -- Private keys, sealed with AES-256-GCM under the key-encryption key file (never in this database).
  CREATE TABLE private_keys (
    id INTEGER PRIMARY KEY,
    key_type TEXT NOT NULL,              -- 'rsa' | 'ec'
    key_size INTEGER,                    -- RSA modulus bits
    curve TEXT,                          -- 'P-256' | 'P-384'
    spki_sha256 TEXT NOT NULL,           -- hex sha256 of the public key (SPKI DER): pairs keys with certificates
    sealed BLOB NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX private_keys_spki ON private_keys(spki_sha256);
  CREATE TABLE csrs (
    id INTEGER PRIMARY KEY,
    key_id INTEGER NOT NULL REFERENCES private_keys(id),
    csr_pem TEXT NOT NULL,
    subject_json TEXT NOT NULL,          -- { commonName, organization, ... }
    common_name TEXT NOT NULL,
    subject_alt_names TEXT NOT NULL,     -- JSON array of strings
    status TEXT NOT NULL DEFAULT 'pending',  -- 'pending' | 'completed'
    certificate_id INTEGER REFERENCES certificates(id) ON DELETE SET NULL,
    renews_certificate_id INTEGER REFERENCES certificates(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE certificates (
    id INTEGER PRIMARY KEY,
    name TEXT,
    key_id INTEGER REFERENCES private_keys(id),
    cert_der BLOB NOT NULL,
    chain_pem TEXT NOT NULL DEFAULT '[]',    -- JSON array of PEM intermediates, leaf-side first, no root
    root_pem TEXT,                           -- the trust anchor the chain verified to, if any
    subject TEXT NOT NULL,
    common_name TEXT,
    issuer TEXT NOT NULL,
    serial_number TEXT NOT NULL,
    subject_alt_names TEXT NOT NULL DEFAULT '[]',
    san_text TEXT NOT NULL DEFAULT '',       -- SANs joined with spaces, for search
    not_before TEXT NOT NULL,                -- ISO 8601
    not_after TEXT NOT NULL,
    key_type TEXT NOT NULL,
    key_size INTEGER,
    curve TEXT,
    thumbprint_sha1 TEXT NOT NULL,           -- upper-case hex, as Windows shows it
    fingerprint_sha256 TEXT NOT NULL UNIQUE,
    self_signed INTEGER NOT NULL DEFAULT 0,
    report_json TEXT,
    previous_version_id INTEGER REFERENCES certificates(id) ON DELETE SET NULL,
    superseded_by_id INTEGER REFERENCES certificates(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX certificates_common_name ON certificates(common_name);
  CREATE INDEX certificates_not_after ON certificates(not_after);
  CREATE INDEX certificates_thumbprint ON certificates(thumbprint_sha1);
  CREATE INDEX certificates_serial ON certificates(serial_number);
  -- Intermediates learned from imports, offered to later automatic chain builds.
  CREATE TABLE intermediates (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    fingerprint_sha256 TEXT NOT NULL UNIQUE,
    cert_der BLOB NOT NULL,
    created_at TEXT NOT NULL
  );
  -- Enterprise roots added to Node's bundled Mozilla roots.
  CREATE TABLE trust_anchors (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    fingerprint_sha256 TEXT NOT NULL UNIQUE,
    cert_der BLOB NOT NULL,
    created_at TEXT NOT NULL
  );
  -- SNI bindings on the HTTPS port; hostname NULL is never stored (the default is settings.activeCertificateId).
  CREATE TABLE bindings (
    id INTEGER PRIMARY KEY,
    hostname TEXT NOT NULL UNIQUE,
    certificate_id INTEGER NOT NULL REFERENCES certificates(id),
    created_at TEXT NOT NULL
  );
  `,
  // inventory (issue 5): status is computed per row from bindings and version links; these keep the
  // list, the detail page's version links and delete's "is the key still used" checks off full scans.
  `
  CREATE INDEX IF NOT EXISTS bindings_certificate ON bindings(certificate_id);
  CREATE INDEX IF NOT EXISTS certificates_previous_version ON certificates(previous_version_id);
  CREATE INDEX IF NOT EXISTS certificates_superseded_by ON certificates(superseded_by_id);
  CREATE INDEX IF NOT EXISTS certificates_key ON certificates(key_id);
  CREATE INDEX IF NOT EXISTS csrs_key ON csrs(key_id);
  -- Covering index for the inventory list: every column it filters, sorts or computes status from, so
  -- search/sort/count scan this narrow index instead of rows that carry the DER, chain and report.
  CREATE INDEX IF NOT EXISTS certificates_inventory ON certificates(
    not_after, id, superseded_by_id, key_id, common_name, san_text, issuer, serial_number, thumbprint_sha1,
    not_before, key_type, key_size, curve
  );
  `,
  // sign-in throttling (issue 16): addresses a user has signed in from; the per-user back-off that an
  // attacker can trigger from anywhere never applies there, so it cannot lock the real admin out.
  `
  CREATE TABLE IF NOT EXISTS known_sign_in_addresses (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    ip TEXT NOT NULL,
    last_success_at TEXT NOT NULL,
    PRIMARY KEY (user_id, ip)
  ) WITHOUT ROWID;
  `,
  // issue 16: a session remembers whether its cookie was Secure (set over HTTPS), so the switch to HTTPS
  // can end the sessions whose cookie travelled in clear; password change and "sign out everywhere" end
  // a user's sessions. API tokens expire: tokens made before this get 90 days from their creation.
  `
  ALTER TABLE sessions ADD COLUMN secure INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);
  ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
  UPDATE api_tokens SET expires_at = COALESCE(
    strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+90 days'),
    strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+90 days')
  ) WHERE expires_at IS NULL;
  `,
  // inventory at 100,000 certificates (issue 15): a search index instead of LIKE '%q%' scans, status
  // filters and counts as index ranges, an index per sort, and a generation number that changes with
  // anything the list and its counts depend on (so counts can be kept between pages).
  `
  CREATE TABLE certificate_search (
    term TEXT NOT NULL,                  -- cert/search-terms.ts: a word-to-end suffix of a name, or a hex id
    certificate_id INTEGER NOT NULL,
    lcp INTEGER NOT NULL,                -- prefix shared with the certificate's previous term: counts without DISTINCT
    not_after_ms INTEGER NOT NULL,       -- copies of the status inputs, kept by the triggers below
    live INTEGER NOT NULL,               -- 1 when not superseded
    has_key INTEGER NOT NULL,
    PRIMARY KEY (term, certificate_id)
  ) WITHOUT ROWID;
  CREATE INDEX certificate_search_certificate ON certificate_search(certificate_id);
  CREATE TRIGGER certificate_search_flags AFTER UPDATE OF key_id, superseded_by_id ON certificates
  BEGIN
    UPDATE certificate_search SET live = (NEW.superseded_by_id IS NULL), has_key = (NEW.key_id IS NOT NULL)
    WHERE certificate_id = NEW.id;
  END;
  CREATE TRIGGER certificate_search_delete AFTER DELETE ON certificates
  BEGIN
    DELETE FROM certificate_search WHERE certificate_id = OLD.id;
  END;

  -- Status filters and counts: expired / not yet expired among the certificates not superseded, those
  -- without a key, and the superseded ones. The full indexes on superseded_by_id and key_id go: almost
  -- every row is NULL there, and without statistics SQLite took "IS NULL" on them for a selective lookup
  -- (a walk over nearly the whole table). Partial ones serve the lookups by value (foreign keys, "is this
  -- key still used") just as well.
  -- The wide covering index of migration 2 served LIKE scans over every row; searches read
  -- certificate_search now, and each filter and sort has a narrow index of its own.
  DROP INDEX IF EXISTS certificates_inventory;
  DROP INDEX IF EXISTS certificates_superseded_by;
  DROP INDEX IF EXISTS certificates_key;
  CREATE INDEX certificates_superseded ON certificates(superseded_by_id) WHERE superseded_by_id IS NOT NULL;
  CREATE INDEX certificates_keyed ON certificates(key_id) WHERE key_id IS NOT NULL;
  CREATE INDEX certificates_live_not_after ON certificates(not_after) WHERE superseded_by_id IS NULL;
  CREATE INDEX certificates_live_keyless ON certificates(not_after)
    WHERE superseded_by_id IS NULL AND key_id IS NULL;
  -- One index per sort order of the list, each carrying the status columns (not_after, superseded_by_id,
  -- key_id), so a page filtered by status is read from the index alone: a certificate row holds the DER,
  -- the chain and the report, and its later columns sit in overflow pages. The id, the tie-breaker of
  -- every sort, comes right after the sort columns (with many equal values, an index ordered otherwise
  -- leaves SQLite to sort them all). They replace the single-column indexes of migration 1.
  DROP INDEX IF EXISTS certificates_common_name;
  DROP INDEX IF EXISTS certificates_not_after;
  DROP INDEX IF EXISTS certificates_thumbprint;
  DROP INDEX IF EXISTS certificates_serial;
  CREATE INDEX certificates_by_id ON certificates(id, not_after, superseded_by_id, key_id);
  CREATE INDEX certificates_by_not_after ON certificates(not_after, id, superseded_by_id, key_id);
  CREATE INDEX certificates_by_common_name
    ON certificates(common_name COLLATE NOCASE, id, not_after, superseded_by_id, key_id);
  CREATE INDEX certificates_by_issuer ON certificates(issuer COLLATE NOCASE, id, not_after, superseded_by_id, key_id);
  CREATE INDEX certificates_by_not_before ON certificates(not_before, id, not_after, superseded_by_id, key_id);
  CREATE INDEX certificates_by_serial ON certificates(serial_number, id, not_after, superseded_by_id, key_id);
  CREATE INDEX certificates_by_thumbprint ON certificates(thumbprint_sha1, id, not_after, superseded_by_id, key_id);
  CREATE INDEX certificates_by_key_kind
    ON certificates(key_type, key_size, curve, id, not_after, superseded_by_id, key_id);

  CREATE TABLE inventory_generation (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
  INSERT INTO inventory_generation (id, n) VALUES (1, 0);
  CREATE TRIGGER inventory_generation_certificate_insert AFTER INSERT ON certificates
  BEGIN UPDATE inventory_generation SET n = n + 1 WHERE id = 1; END;
  CREATE TRIGGER inventory_generation_certificate_update AFTER UPDATE ON certificates
  BEGIN UPDATE inventory_generation SET n = n + 1 WHERE id = 1; END;
  CREATE TRIGGER inventory_generation_certificate_delete AFTER DELETE ON certificates
  BEGIN UPDATE inventory_generation SET n = n + 1 WHERE id = 1; END;
  CREATE TRIGGER inventory_generation_binding_insert AFTER INSERT ON bindings
  BEGIN UPDATE inventory_generation SET n = n + 1 WHERE id = 1; END;
  CREATE TRIGGER inventory_generation_binding_update AFTER UPDATE ON bindings
  BEGIN UPDATE inventory_generation SET n = n + 1 WHERE id = 1; END;
  CREATE TRIGGER inventory_generation_binding_delete AFTER DELETE ON bindings
  BEGIN UPDATE inventory_generation SET n = n + 1 WHERE id = 1; END;
  -- The active certificate is part of the server settings row.
  CREATE TRIGGER inventory_generation_settings_insert AFTER INSERT ON kv WHEN NEW.key = 'server_settings'
  BEGIN UPDATE inventory_generation SET n = n + 1 WHERE id = 1; END;
  CREATE TRIGGER inventory_generation_settings_update AFTER UPDATE ON kv WHEN NEW.key = 'server_settings'
  BEGIN UPDATE inventory_generation SET n = n + 1 WHERE id = 1; END;
  CREATE TRIGGER inventory_generation_settings_delete AFTER DELETE ON kv WHEN OLD.key = 'server_settings'
  BEGIN UPDATE inventory_generation SET n = n + 1 WHERE id = 1; END;
  `,
  // the search terms of the certificates stored before the search index above existed.
  (db) => CertificateSearchIndex.rebuild(db),
  // deployment targets (issue 12): where a certificate is delivered, and the history of each delivery.
  // The SSH private key and the PFX password are sealed like private keys (store/key-encryption.ts).
  `
  CREATE TABLE deploy_targets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    certificate_id INTEGER NOT NULL REFERENCES certificates(id),
    kind TEXT NOT NULL,                  -- 'local' | 'ssh'
    files_json TEXT NOT NULL,            -- [{ path, content, mode, owner, group }]
    hook TEXT,                           -- a name from CERTDESK_DEPLOY_HOOKS
    verify_json TEXT,                    -- { host, port, serverName?, starttls? }
    ssh_json TEXT,                       -- { host, port, username, hostKeySha256 }; never the key
    ssh_key_sealed BLOB,
    pfx_password_sealed BLOB,
    drift INTEGER NOT NULL DEFAULT 0,
    drift_message TEXT,
    last_check_at TEXT,
    last_check_probe_json TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX deploy_targets_certificate ON deploy_targets(certificate_id);
  CREATE TABLE deployments (
    id INTEGER PRIMARY KEY,
    target_id INTEGER NOT NULL REFERENCES deploy_targets(id) ON DELETE CASCADE,
    certificate_id INTEGER REFERENCES certificates(id) ON DELETE SET NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL,                -- 'deployed' | 'failed' | 'rolled-back'
    fingerprint_sha256 TEXT,
    message TEXT NOT NULL,
    step TEXT,                           -- the step that failed
    hook_output_tail TEXT,
    probe_json TEXT,
    steps_json TEXT NOT NULL,
    trigger TEXT NOT NULL                -- 'manual' | 'cli' | 'promote' | 'restore' | 'renew'
  );
  CREATE INDEX deployments_target ON deployments(target_id, id);
  CREATE INDEX deployments_certificate ON deployments(certificate_id);
  `,
  // notifications (issue 13): the outbox every delivery goes through, and the reminders already sent.
  `
  CREATE TABLE notification_outbox (
    id INTEGER PRIMARY KEY,
    event TEXT NOT NULL,                 -- expiring, expired, renewal-failed, deploy-failed, drift, test
    subject TEXT NOT NULL,
    channel TEXT NOT NULL,               -- 'email' | 'webhook'
    webhook_url TEXT,
    webhook_format TEXT,
    message_json TEXT NOT NULL,          -- the message as composed when the event happened; never a secret
    status TEXT NOT NULL,                -- pending | sent | failed
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt_at INTEGER,             -- epoch ms; null once sent or given up
    created_at TEXT NOT NULL,
    sent_at TEXT
  );
  CREATE INDEX notification_outbox_due ON notification_outbox(next_attempt_at) WHERE status = 'pending';
  -- One row per (certificate, threshold) notified, so a restart never sends a reminder twice.
  CREATE TABLE reminders_sent (
    certificate_id INTEGER NOT NULL REFERENCES certificates(id) ON DELETE CASCADE,
    threshold TEXT NOT NULL,             -- e.g. '10%+14d', or 'expired'
    crossed_at TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (certificate_id, threshold)
  ) WITHOUT ROWID;
  `,
  // Several administrators (issue 17): roles, disabled accounts, one-time passwords; the accounts made
  // before roles existed are administrators. An API token may carry a narrower role than its account
  // (NULL: the account's). The audit log names the token used, and is filtered by actor.
  `
  ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'admin'
    CHECK (role IN ('admin', 'operator', 'auditor'));
  ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE api_tokens ADD COLUMN role TEXT CHECK (role IS NULL OR role IN ('admin', 'operator', 'auditor'));
  ALTER TABLE audit_log ADD COLUMN token_id INTEGER;
  ALTER TABLE audit_log ADD COLUMN token_name TEXT;
  CREATE INDEX audit_log_actor ON audit_log(actor, id);
  `,
  // two-factor sign-in (TOTP, issue 17): one row per enrolled or enrolling account. The secret is sealed
  // like a private key (store/key-encryption.ts); recovery codes are kept as SHA-256 hashes (JSON array).
  `
  CREATE TABLE user_totp (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    sealed_secret BLOB NOT NULL,
    enabled_at TEXT,                     -- NULL while the set-up waits for its confirmation code
    last_time_step INTEGER,              -- the last accepted 30 s step: a code is good once
    recovery_hashes TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
  );
  `,
  // ACME (issue 13): accounts (key and EAB HMAC sealed like certificate keys), orders with their stage
  // so a restart resumes them, HTTP-01 answers, and the certificates certdesk renews by itself.
  `
  CREATE TABLE acme_accounts (
    id INTEGER PRIMARY KEY,
    directory_url TEXT NOT NULL,
    email TEXT NOT NULL,
    account_url TEXT NOT NULL,
    status TEXT NOT NULL,
    key_sealed BLOB NOT NULL,
    eab_kid TEXT,
    eab_hmac_sealed BLOB,
    ca_pem TEXT,
    created_at TEXT NOT NULL
  );
  CREATE TABLE acme_orders (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES acme_accounts(id),
    status TEXT NOT NULL,
    stage TEXT NOT NULL,
    names TEXT NOT NULL,
    key_spec TEXT NOT NULL,
    challenge TEXT NOT NULL,
    dns_hook TEXT,
    renews_certificate_id INTEGER REFERENCES certificates(id) ON DELETE SET NULL,
    replaces TEXT,
    csr_id INTEGER REFERENCES csrs(id),
    order_url TEXT,
    dns_records TEXT NOT NULL DEFAULT '[]',
    certificate_id INTEGER REFERENCES certificates(id) ON DELETE SET NULL,
    error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  -- The lock: never two running orders for the same certificate, whoever starts them.
  CREATE UNIQUE INDEX acme_orders_one_running ON acme_orders(renews_certificate_id)
    WHERE status IN ('pending', 'processing') AND renews_certificate_id IS NOT NULL;
  CREATE INDEX acme_orders_running ON acme_orders(status) WHERE status IN ('pending', 'processing');
  CREATE TABLE acme_challenges (
    token TEXT PRIMARY KEY,
    key_authorization TEXT NOT NULL,
    order_id INTEGER NOT NULL REFERENCES acme_orders(id) ON DELETE CASCADE
  );
  CREATE TABLE acme_certificates (
    certificate_id INTEGER PRIMARY KEY REFERENCES certificates(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES acme_accounts(id),
    order_id INTEGER NOT NULL,
    names TEXT NOT NULL,
    key_spec TEXT NOT NULL,
    challenge TEXT NOT NULL,
    dns_hook TEXT,
    next_check_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    ari_start TEXT,
    ari_end TEXT,
    ari_pick TEXT
  );
  CREATE INDEX acme_certificates_due ON acme_certificates(next_check_at);
  `,
  `
  -- Who is deploying to a target right now, across processes: the server and \`certdesk deploy\` from cron
  -- share the data directory, and two deployments of one target would interleave files, reloads and rollbacks.
  CREATE TABLE deploy_leases (
    target_id INTEGER PRIMARY KEY REFERENCES deploy_targets(id) ON DELETE CASCADE,
    holder TEXT NOT NULL,
    pid INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  `,
  // inventory at 100,000 certificates (issue 15): the matches of one search term in expiry order, so a
  // deep page of a broad search ("example.com", a third of the inventory) walks this index instead of
  // sorting every match after each write (store/certificate-search-order.ts). The term and the id (the
  // table's key) complete each entry; not_after_ms never changes for a stored certificate.
  `
  CREATE INDEX certificate_search_by_expiry ON certificate_search(term, not_after_ms);
  `,
  // inventory at 100,000 certificates (issue 15): which certificates changed, in order, so a large search
  // kept sorted in memory (store/certificate-search-order.ts) takes a few writes in instead of being sorted
  // again after each; the CLI writes from another process, so the database keeps the log. Only the last
  // 1,024 are kept: a reader further behind sorts again.
  `
  CREATE TABLE certificate_changes (seq INTEGER PRIMARY KEY, certificate_id INTEGER NOT NULL);
  CREATE TRIGGER certificate_changes_insert AFTER INSERT ON certificates
  BEGIN INSERT INTO certificate_changes (certificate_id) VALUES (NEW.id); END;
  CREATE TRIGGER certificate_changes_update AFTER UPDATE ON certificates
  BEGIN INSERT INTO certificate_changes (certificate_id) VALUES (NEW.id); END;
  CREATE TRIGGER certificate_changes_delete AFTER DELETE ON certificates
  BEGIN INSERT INTO certificate_changes (certificate_id) VALUES (OLD.id); END;
  CREATE TRIGGER certificate_changes_prune AFTER INSERT ON certificate_changes
  BEGIN DELETE FROM certificate_changes WHERE seq <= NEW.seq - 1024; END;
  `,
];
