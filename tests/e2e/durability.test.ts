import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageEvent } from '../../src/standin/payloads.js';
import { Driver, type Harness, startHarness } from './harness.js';

/**
 * Acknowledged means committed: a change the database does not take is not acknowledged (HTTP 500, so Slack
 * retries the event), and Slack's retry, once the database is back, is applied once. The failure is real: the
 * idempotency keys' table is taken away under the running app and put back.
 */
describe('a change the database does not take', () => {
  let h: Harness;
  let db: Database.Database;
  let keysTable = '';
  const breakKeys = () => db.exec('ALTER TABLE processed_keys RENAME TO processed_keys_away');
  const mendKeys = () => db.exec('ALTER TABLE processed_keys_away RENAME TO processed_keys');

  beforeAll(async () => {
    h = await startHarness();
    db = new Database(h.dbPath);
    db.pragma('busy_timeout = 5000');
    keysTable = (
      db.prepare("SELECT sql FROM sqlite_master WHERE name = 'processed_keys'").get() as { sql: string }
    ).sql;
  });
  afterAll(async () => {
    db.close();
    await h.stop();
  });

  it('is not acknowledged; Slack’s retry after the outage is applied once', async () => {
    expect(keysTable).toContain('processed_keys');
    const d = new Driver(h);
    await d.start();
    const reply = messageEvent({
      teamId: d.team,
      channelId: d.channel,
      userId: d.user,
      text: '1',
      threadTs: d.threadTs,
      eventId: 'EvOutage1',
    });
    breakKeys();
    try {
      expect((await d.send({ json: reply })).status).toBe(500);
    } finally {
      mendKeys();
    }
    await h.app.settled();
    expect(d.current()?.blocks).toBeDefined();
    expect(JSON.stringify(d.current()?.blocks)).toContain('question:team');
    // Slack retries with the same event_id; this time the answer lands, and a second retry changes nothing.
    expect(
      (await d.send({ json: reply }, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_error' }))
        .status,
    ).toBe(200);
    await d.waitForQuestion('clusters');
    expect(
      (await d.send({ json: reply }, { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_error' }))
        .status,
    ).toBe(200);
    await h.app.settled();
    const asked = d.thread().filter((m) => JSON.stringify(m.blocks).includes('question:clusters'));
    expect(asked).toHaveLength(1);
  });

  it('answers a command with “nothing was saved”, starting nothing', async () => {
    const d = new Driver(h, 'U2', 'C2');
    breakKeys();
    let res: { status: number; text: string };
    try {
      res = await d.send({
        form: {
          team_id: d.team,
          channel_id: 'C2',
          user_id: 'U2',
          command: '/k8s-advisor',
          text: '',
          trigger_id: 'trigger-outage',
          response_url: `${h.standin.url}respond/outage`,
        },
      });
    } finally {
      mendKeys();
    }
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('nothing changed'),
    });
    await h.app.settled();
    expect(h.standin.messages('C2')).toEqual([]);
  });
});

describe('a reply that races ahead of its question', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('is not taken as an answer while the question has not reached Slack', async () => {
    const d = new Driver(h);
    await d.start();
    // Slack refuses the next question for a while: it waits in the outbox, retried.
    h.standin.failNext('chat.postMessage', { status: 503, times: 3 });
    await d.click('small');
    // Refused once: the question waits out its backoff in the outbox, not on its way to Slack.
    await h.standin.waitFor(() => h.standin.calls('chat.postMessage').some((c) => !c.ok), 5_000);
    await new Promise((r) => setTimeout(r, 100));
    const early = messageEvent({
      teamId: d.team,
      channelId: d.channel,
      userId: d.user,
      text: '3',
      threadTs: d.threadTs,
    });
    expect((await d.send({ json: early })).status).toBe(200);
    await d.waitForQuestion('clusters');
    await h.app.settled();
    const told = h.standin.calls('chat.postEphemeral').at(-1);
    expect(String(told?.args.text)).toContain('not taken as an answer');
    // The question is still waiting for its answer; the early reply changed nothing.
    expect(d.current()?.blocks && JSON.stringify(d.current()?.blocks)).toContain('question:clusters');
  });
});
