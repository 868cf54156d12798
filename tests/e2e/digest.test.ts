import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { type RunningApp, startApp } from '../../src/main.js';
import { slashCommand } from '../../src/standin/payloads.js';
import { type SlackStandin, type StoredMessage, startSlackStandin } from '../../src/standin/server.js';
import { postSigned } from '../../src/standin/sign.js';
import { appDatabaseUrl, pgUrl, withPostgres } from '../support/postgres.js';
import { type AppProcess, spawnApp } from '../support/spawn.js';
import { Driver, TEAM, WAIT_MS } from './harness.js';

const DAY = 86_400_000;

interface DigestPayload {
  trigger: string;
  period_start: string;
  period_end: string;
  timezone: string;
  started: number;
  completed: number;
  in_progress: number;
  restarted: number;
  abandoned: number;
  outcomes: Record<string, number>;
}
const digestOf = (m: StoredMessage) => {
  const meta = m.metadata as { event_type?: string; event_payload?: DigestPayload } | undefined;
  return meta?.event_type === 'k8s_advisor_digest' ? meta.event_payload : undefined;
};
const digests = (standin: SlackStandin, channel: string, trigger?: string) =>
  standin
    .messages(channel)
    .filter((m) => !m.is_ephemeral && digestOf(m) && (!trigger || digestOf(m)?.trigger === trigger));

/** The hour in Berlin twelve hours from now: its latest tick was about half a day ago, far from this test. */
const berlinHourAhead = () =>
  (Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: 'numeric', hourCycle: 'h23' }).format(
      Date.now(),
    ),
  ) +
    12) %
  24;

await withPostgres('the channel digest end-to-end test', (schemaFor) => {
  let standin: SlackStandin;
  let apps: RunningApp[] = [];
  let processes: AppProcess[] = [];
  const secret = randomBytes(16).toString('hex');
  const schema = schemaFor();
  const url = (app: RunningApp | AppProcess | undefined) => `http://127.0.0.1:${app?.port}/slack/events`;
  const config = (): Config => ({
    mode: 'http',
    slack: { botToken: 'xoxb-test', signingSecret: secret, apiUrl: standin.url },
    port: 0,
    host: '127.0.0.1',
    database: { engine: 'postgres', url: appDatabaseUrl(schema) },
    logLevel: 'silent',
    conversationsDir: 'conversations',
  });
  const env = () => ({
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: secret,
    SLACK_API_URL: standin.url,
    DATABASE_URL: appDatabaseUrl(schema),
    LOG_LEVEL: 'info',
  });

  /**
   * Runs `/k8s-advisor <text>` against one app; the ephemeral answer, from the ack or, when the app acked first
   * and answered later, the response_url. `silent` when no answer is expected (a successful `digest now`).
   */
  async function command(target: string, channel: string, user: string, text: string, silent = false) {
    const responseUrl = standin.responseUrl({ channel, user });
    const before = standin.messages(channel).length;
    const form = slashCommand({ teamId: TEAM, channelId: channel, userId: user, text, responseUrl });
    const res = await postSigned(target, secret, { form });
    expect(res.status).toBe(200);
    if (res.text) return (JSON.parse(res.text) as { text?: string }).text ?? '';
    if (silent) return '';
    const late = await standin.waitFor(() =>
      standin
        .messages(channel)
        .slice(before)
        .find((m) => m.is_ephemeral && m.visible_to === user),
    );
    return late.text;
  }

  async function sql(text: string) {
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    try {
      await client.query(`SET search_path TO "${schema}"`);
      return (await client.query(text)).rows;
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    standin = await startSlackStandin();
    standin.addUser({ id: 'UALICE', name: 'alice', tz: 'Europe/Berlin' });
    standin.addUser({ id: 'UBOB', name: 'bob', tz: 'America/New_York' });
    standin.addUser({ id: 'UCARO', name: 'caro', tz: 'Asia/Kolkata' });
    standin.addUser({ id: 'UDANA', name: 'dana', tz: 'UTC' });
    standin.addUser({ id: 'UADMIN', name: 'admin', tz: 'UTC', is_admin: true });
    apps = await Promise.all([startApp(config()), startApp(config())]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    for (const p of processes) p.child.kill('SIGKILL');
    await standin?.close();
  });

  describe('channel digests on two app instances sharing PostgreSQL', () => {
    it('subscribe a channel, refuse others, and post `digest now` for that channel only', async () => {
      const [a, b] = apps.map(url) as [string, string];
      const run = async (user: string, channel: string, answers: string[], target: string) => {
        const d = new Driver({ standin, secret, url: target }, user, channel);
        await d.start();
        for (const answer of answers) await d.answer(answer);
        return d;
      };
      await run(
        'UALICE',
        'C1',
        ['small', '3', '30', 'steady', 'yes', 'none', 'eks', 'high', 'strong', 'yes'],
        a,
      );
      await run('UBOB', 'C1', ['dedicated', '1', '5', 'steady', 'no', 'own_datacenter'], b);
      // Caro answers two questions, restarts, and leaves it in progress.
      const caro = await run('UCARO', 'C1', ['growing', '8'], a);
      await caro.reply('restart');
      await caro.waitForQuestion('team', standin.thread('C1', caro.threadTs).at(-2)?.ts);
      await run(
        'UDANA',
        'C2',
        ['small', '20', '500', 'elastic', 'yes', 'none', 'gke', 'high', 'strong', 'yes'],
        b,
      );

      const hour = berlinHourAhead();
      const subscribed = await command(a, 'C1', 'UALICE', `digest daily ${hour}:00`);
      expect(subscribed).toContain(`every day at ${String(hour).padStart(2, '0')}:00 (Europe/Berlin)`);
      expect(await command(b, 'C1', 'UBOB', 'digest off')).toContain('Only <@UALICE>');
      expect(await command(b, 'C1', 'UBOB', 'digest weekly 25:00')).toContain('not a time of day');
      expect(await command(a, 'C1', 'UBOB', 'digest status')).toContain('set up by <@UALICE>');

      expect(await command(b, 'C1', 'UALICE', 'digest now', true)).toBe('');
      const [posted] = await standin.waitFor(() => {
        const found = digests(standin, 'C1', 'manual');
        return found.length > 0 && found;
      });
      expect(digestOf(posted as StoredMessage)).toMatchObject({
        started: 3,
        completed: 2,
        in_progress: 1,
        restarted: 1,
        abandoned: 0,
        timezone: 'Europe/Berlin',
        outcomes: { managed: 1, self_hosted_required: 1, managed_with_safeguards: 0, self_hosted: 0 },
      });
      const blocks = JSON.stringify(posted?.blocks);
      expect(blocks).toContain(`${standin.origin}/archives/C1/p`);
      expect(blocks).toContain('Managed Kubernetes');
      expect(posted?.text).toContain('3 started, 2 completed');
      expect(digests(standin, 'C2')).toEqual([]);
      // Four whole assessments over two apps on PostgreSQL: slow on a loaded machine, not stuck.
    }, 60_000);

    it('post a missed scheduled digest once when two app processes start on the same database', async () => {
      await Promise.all(apps.map((app) => app.stop()));
      apps = [];
      // As if it all happened a day ago and no app was running at the digest's time since.
      await sql(`UPDATE assessments SET created_at = created_at - ${DAY}, updated_at = updated_at - ${DAY},
                 completed_at = completed_at - ${DAY}`);
      await sql(
        `UPDATE digest_subscriptions SET created_at = created_at - ${DAY}, scheduled_at = scheduled_at - ${DAY}`,
      );

      processes = await Promise.all([spawnApp(env()), spawnApp(env())]);
      // Each process queues what it owes before it listens, so both have tried by now; the one whose claim won
      // queued the digest with it, and a sender posts it.
      await standin.waitFor(() => digests(standin, 'C1', 'scheduled').length > 0, WAIT_MS);
      // The run is recorded once the post is through.
      for (let i = 0; i < 100 && (await sql('SELECT status FROM digest_runs'))[0]?.status !== 'posted'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const scheduled = digests(standin, 'C1', 'scheduled');
      expect(scheduled).toHaveLength(1);
      const payload = digestOf(scheduled[0] as StoredMessage) as DigestPayload;
      expect(Date.parse(payload.period_end) - Date.parse(payload.period_start)).toBe(DAY);
      expect(Date.parse(payload.period_end)).toBeLessThan(Date.now() - 10 * 3_600_000);
      expect(payload).toMatchObject({ started: 3, completed: 2, in_progress: 1, restarted: 1 });
      expect(digests(standin, 'C2')).toEqual([]);
      expect(await sql('SELECT status FROM digest_runs')).toEqual([{ status: 'posted' }]);
      expect(await command(url(processes[1]), 'C1', 'UDANA', 'digest status')).toContain(
        'Last digest: posted',
      );

      // And across a restart.
      for (const p of processes) p.child.kill('SIGTERM');
      await Promise.all(processes.map((p) => p.exited));
      processes = [await spawnApp(env())];
      expect(digests(standin, 'C1', 'scheduled')).toHaveLength(1);
    }, 60_000);
  });
});
