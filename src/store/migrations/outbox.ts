/**
 * The transactional outbox (ports/outbox.ts): Slack calls waiting to be sent, in order per lane; calls given up
 * on, kept for inspection; and the `ts` of posted messages that later calls update. Self-contained, so it can take
 * whatever number comes next on each engine. The lane index serves both "the head of each lane" and ordering.
 */
export const outboxMigration = (engine: 'sqlite' | 'postgres') => {
  const time = engine === 'sqlite' ? 'INTEGER' : 'BIGINT';
  const id = engine === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY';
  return `CREATE TABLE outbox (
     id ${id},
     team_id TEXT NOT NULL,
     lane TEXT NOT NULL,
     kind TEXT NOT NULL,
     payload TEXT NOT NULL,
     record TEXT,
     max_attempts INTEGER,
     attempts INTEGER NOT NULL DEFAULT 0,
     due_at ${time} NOT NULL,
     lease_owner TEXT,
     lease_until ${time} NOT NULL DEFAULT 0,
     last_error TEXT,
     created_at ${time} NOT NULL
   );
   CREATE INDEX outbox_lane ON outbox (lane, id);
   CREATE INDEX outbox_team ON outbox (team_id);
   CREATE TABLE outbox_dead (
     id ${time} PRIMARY KEY,
     team_id TEXT NOT NULL,
     lane TEXT NOT NULL,
     kind TEXT NOT NULL,
     attempts INTEGER NOT NULL,
     last_error TEXT,
     created_at ${time} NOT NULL,
     died_at ${time} NOT NULL
   );
   CREATE INDEX outbox_dead_team ON outbox_dead (team_id);
   CREATE TABLE message_refs (
     team_id TEXT NOT NULL,
     name TEXT NOT NULL,
     ts TEXT NOT NULL,
     created_at ${time} NOT NULL,
     PRIMARY KEY (team_id, name)
   );`;
};
