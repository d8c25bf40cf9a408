-- The schema `db.create_all` made before Alembic (commit d9bc1b4), sqlite dialect.
-- Used by tests/server/test_migrations.py to prove an existing database is adopted.
CREATE TABLE departments (
	id VARCHAR(32) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	office_code VARCHAR(64) NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE changes (
	seq INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	dossier_id VARCHAR(36) NOT NULL, 
	department_id VARCHAR(32), 
	assignee_id INTEGER, 
	prev_department_id VARCHAR(32), 
	prev_assignee_id INTEGER, 
	at DATETIME NOT NULL
);

CREATE INDEX ix_changes_prev_department ON changes (prev_department_id, seq);

CREATE INDEX ix_changes_prev_assignee ON changes (prev_assignee_id, seq);

CREATE TABLE server_meta (
	"key" VARCHAR(64) NOT NULL, 
	value VARCHAR(200) NOT NULL, 
	PRIMARY KEY ("key")
);

CREATE TABLE idempotency (
	user_id INTEGER NOT NULL, 
	"key" VARCHAR(128) NOT NULL, 
	fingerprint VARCHAR(64) NOT NULL, 
	status_code INTEGER NOT NULL, 
	body BLOB NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (user_id, "key")
);

CREATE TABLE calendar_overrides (
	day DATE NOT NULL, 
	working BOOLEAN NOT NULL, 
	note VARCHAR(200) NOT NULL, 
	PRIMARY KEY (day)
);

CREATE TABLE events (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	at DATETIME NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	audience_user_id INTEGER, 
	audience_department_id VARCHAR(32), 
	audience_role VARCHAR(16), 
	payload JSON NOT NULL
);

CREATE INDEX ix_events_department ON events (audience_department_id, id);

CREATE INDEX ix_events_user ON events (audience_user_id, id);

CREATE TABLE users (
	id INTEGER NOT NULL, 
	username VARCHAR(64) NOT NULL, 
	full_name VARCHAR(200) NOT NULL, 
	title VARCHAR(200) NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	department_id VARCHAR(32), 
	phone VARCHAR(32), 
	password_hash VARCHAR(200) NOT NULL, 
	disabled_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE (username), 
	FOREIGN KEY(department_id) REFERENCES departments (id)
);

CREATE TABLE procedures (
	code VARCHAR(64) NOT NULL, 
	name VARCHAR(300) NOT NULL, 
	field_code VARCHAR(32) NOT NULL, 
	field_name VARCHAR(200) NOT NULL, 
	department_id VARCHAR(32) NOT NULL, 
	working_hours INTEGER NOT NULL, 
	PRIMARY KEY (code), 
	FOREIGN KEY(department_id) REFERENCES departments (id)
);

CREATE TABLE devices (
	id INTEGER NOT NULL, 
	device_id VARCHAR(128) NOT NULL, 
	user_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	created_at DATETIME NOT NULL, 
	last_seen_at DATETIME, 
	revoked_at DATETIME, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_device_user UNIQUE (device_id, user_id), 
	FOREIGN KEY(user_id) REFERENCES users (id)
);

CREATE TABLE dossiers (
	id VARCHAR(36) NOT NULL, 
	code VARCHAR(64) NOT NULL, 
	department_id VARCHAR(32) NOT NULL, 
	assignee_id INTEGER, 
	procedure_code VARCHAR(64) NOT NULL, 
	status INTEGER NOT NULL, 
	step VARCHAR(32), 
	version INTEGER NOT NULL, 
	seq BIGINT NOT NULL, 
	received_at DATETIME NOT NULL, 
	due_at DATETIME, 
	finished_at DATETIME, 
	returned_at DATETIME, 
	clock_stopped_at DATETIME, 
	supplement_count INTEGER NOT NULL, 
	apology_count INTEGER NOT NULL, 
	data JSON NOT NULL, 
	payload TEXT NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (code), 
	FOREIGN KEY(department_id) REFERENCES departments (id), 
	FOREIGN KEY(assignee_id) REFERENCES users (id), 
	FOREIGN KEY(procedure_code) REFERENCES procedures (code)
);

CREATE INDEX ix_dossiers_department_seq ON dossiers (department_id, seq);

CREATE INDEX ix_dossiers_department_id ON dossiers (department_id, id);

CREATE INDEX ix_dossiers_assignee_seq ON dossiers (assignee_id, seq);

CREATE INDEX ix_dossiers_assignee_id ON dossiers (assignee_id, id);

CREATE TABLE oncall_policies (
	department_id VARCHAR(32) NOT NULL, 
	policy JSON NOT NULL, 
	version INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	updated_by INTEGER, 
	PRIMARY KEY (department_id), 
	FOREIGN KEY(department_id) REFERENCES departments (id), 
	FOREIGN KEY(updated_by) REFERENCES users (id)
);

CREATE TABLE checkins (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	department_id VARCHAR(32) NOT NULL, 
	client_id VARCHAR(128) NOT NULL, 
	client_time DATETIME, 
	received_at DATETIME NOT NULL, 
	effective_at DATETIME NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	reason TEXT, 
	offline BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_checkin_client UNIQUE (user_id, client_id), 
	FOREIGN KEY(user_id) REFERENCES users (id)
);

CREATE INDEX ix_checkins_department_at ON checkins (department_id, effective_at);

CREATE INDEX ix_checkins_user_at ON checkins (user_id, effective_at);

CREATE TABLE leaves (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	department_id VARCHAR(32) NOT NULL, 
	client_id VARCHAR(128), 
	starts_at DATETIME NOT NULL, 
	ends_at DATETIME NOT NULL, 
	reason TEXT NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	requested_at DATETIME NOT NULL, 
	decided_at DATETIME, 
	decided_by INTEGER, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_leave_client UNIQUE (user_id, client_id), 
	FOREIGN KEY(user_id) REFERENCES users (id), 
	FOREIGN KEY(decided_by) REFERENCES users (id)
);

CREATE INDEX ix_leaves_department ON leaves (department_id, state);

CREATE INDEX ix_leaves_user ON leaves (user_id, starts_at);

CREATE TABLE recalls (
	id INTEGER NOT NULL, 
	department_id VARCHAR(32) NOT NULL, 
	created_by INTEGER NOT NULL, 
	client_id VARCHAR(128), 
	created_at DATETIME NOT NULL, 
	message TEXT NOT NULL, 
	report_by DATETIME NOT NULL, 
	urgency VARCHAR(16) NOT NULL, 
	"plan" JSON NOT NULL, 
	closed_at DATETIME, 
	closed_by INTEGER, 
	next_due_at DATETIME, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_recall_client UNIQUE (created_by, client_id), 
	FOREIGN KEY(department_id) REFERENCES departments (id), 
	FOREIGN KEY(created_by) REFERENCES users (id), 
	FOREIGN KEY(closed_by) REFERENCES users (id)
);

CREATE INDEX ix_recalls_due ON recalls (closed_at, next_due_at);

CREATE INDEX ix_recalls_department ON recalls (department_id, id);

CREATE TABLE refresh_tokens (
	token_hash VARCHAR(64) NOT NULL, 
	family_id VARCHAR(64) NOT NULL, 
	device_pk INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	rotated_at DATETIME, 
	revoked_at DATETIME, 
	PRIMARY KEY (token_hash), 
	FOREIGN KEY(device_pk) REFERENCES devices (id), 
	FOREIGN KEY(user_id) REFERENCES users (id)
);

CREATE INDEX ix_refresh_tokens_family_id ON refresh_tokens (family_id);

CREATE TABLE access_tokens (
	token_hash VARCHAR(64) NOT NULL, 
	family_id VARCHAR(64) NOT NULL, 
	device_pk INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	expires_at DATETIME NOT NULL, 
	revoked_at DATETIME, 
	PRIMARY KEY (token_hash), 
	FOREIGN KEY(device_pk) REFERENCES devices (id), 
	FOREIGN KEY(user_id) REFERENCES users (id)
);

CREATE INDEX ix_access_tokens_family_id ON access_tokens (family_id);

CREATE TABLE documents (
	id INTEGER NOT NULL, 
	dossier_id VARCHAR(36) NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	mime VARCHAR(100) NOT NULL, 
	size BIGINT NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	uploaded_by INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(dossier_id) REFERENCES dossiers (id), 
	FOREIGN KEY(uploaded_by) REFERENCES users (id)
);

CREATE INDEX ix_documents_dossier_id ON documents (dossier_id);

CREATE TABLE notes (
	id INTEGER NOT NULL, 
	dossier_id VARCHAR(36) NOT NULL, 
	author_id INTEGER NOT NULL, 
	text TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	client_id VARCHAR(128), 
	PRIMARY KEY (id), 
	FOREIGN KEY(dossier_id) REFERENCES dossiers (id), 
	FOREIGN KEY(author_id) REFERENCES users (id)
);

CREATE INDEX ix_notes_dossier_id ON notes (dossier_id);

CREATE TABLE history (
	id INTEGER NOT NULL, 
	dossier_id VARCHAR(36) NOT NULL, 
	at DATETIME NOT NULL, 
	actor_id INTEGER, 
	action VARCHAR(32) NOT NULL, 
	from_status INTEGER, 
	to_status INTEGER, 
	from_step VARCHAR(32), 
	to_step VARCHAR(32), 
	handed_to_id INTEGER, 
	step_due_at DATETIME, 
	content TEXT NOT NULL, 
	details JSON, 
	PRIMARY KEY (id), 
	FOREIGN KEY(dossier_id) REFERENCES dossiers (id), 
	FOREIGN KEY(actor_id) REFERENCES users (id), 
	FOREIGN KEY(handed_to_id) REFERENCES users (id)
);

CREATE INDEX ix_history_dossier_id ON history (dossier_id);

CREATE TABLE recall_recipients (
	recall_id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	delivered_at DATETIME, 
	seen_at DATETIME, 
	acknowledged_at DATETIME, 
	arrival_at DATETIME, 
	declined_at DATETIME, 
	decline_reason TEXT, 
	renotify_count INTEGER NOT NULL, 
	next_renotify_at DATETIME, 
	escalated_at DATETIME, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (recall_id, user_id), 
	FOREIGN KEY(recall_id) REFERENCES recalls (id), 
	FOREIGN KEY(user_id) REFERENCES users (id)
);

CREATE INDEX ix_recall_recipients_user ON recall_recipients (user_id, recall_id);
