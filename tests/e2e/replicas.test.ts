import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackStandin, type StoredMessage, startSlackStandin } from '../../src/standin/server.js';
import { appDatabaseUrl, withPostgres } from '../support/postgres.js';
import { type AppProcess, spawnApp } from '../support/spawn.js';
import { Driver, isTopLevel } from './harness.js';

/** Question messages posted in a thread, by question id: one each unless something was posted twice. */
function questionPosts(standin: SlackStandin, channel: string, threadTs: string) {
  const counts: Record<string, number> = {};
  for (const m of standin.thread(channel, threadTs)) {
    const id = (m.blocks as { block_id?: string }[] | undefined)
      ?.find((b) => b.block_id?.startsWith('question:'))
      ?.block_id?.slice('question:'.length);
    if (id) counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

const outcomeOf = (m: StoredMessage | undefined) =>
  (m?.metadata as { event_payload?: { outcome?: string } } | undefined)?.event_payload?.outcome;

await withPostgres('the multi-replica end-to-end test', (schemaFor) => {
  let standin: SlackStandin;
  let replicas: AppProcess[] = [];
  const secret = randomBytes(16).toString('hex');
  let channel = 0;
  let env: Record<string, string> = {};
  const schema = schemaFor();
  beforeAll(async () => {
    standin = await startSlackStandin();
    standin.addUser({ id: 'U1', name: 'alex' });
    standin.addUser({ id: 'U2', name: 'sam' });
    env = {
      SLACK_BOT_TOKEN: 'xoxb-replicas',
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: standin.url,
      DATABASE_URL: appDatabaseUrl(schema),
    };
    // Started together, so both run migrations at once against the same fresh schema.
    replicas = await Promise.all([spawnApp(env), spawnApp(env)]);
  }, 60_000);

  afterAll(async () => {
    for (const r of replicas) r.child.kill('SIGKILL');
    await standin?.close();
  });

  const driver = () => {
    const [a] = replicas;
    return new Driver({ standin, secret, url: a?.url ?? '' }, 'U1', `CR${++channel}`);
  };
  const via = (d: Driver, i: number) => {
    d.target = replicas[i % replicas.length]?.url;
    return d;
  };

  describe('two replicas on one PostgreSQL database', () => {
    it('share one assessment, request by request, posting each step once', async () => {
      const d = driver();
      await via(d, 0).start();
      const answers = ['small', '3', '30', 'steady', 'with_controls', 'none', 'gke', 'high', 'strong', 'yes'];
      for (const [i, a] of answers.entries()) await via(d, i + 1).answer(a);
      expect(outcomeOf(await d.waitForCard())).toBe('managed_with_safeguards');
      expect(Object.values(questionPosts(standin, d.channel, d.threadTs))).toEqual(Array(10).fill(1));
    });

    it('apply a command, an event and a click delivered to both at once exactly once', async () => {
      const d = driver();
      await Promise.all([via(d, 0).command('', 'trigger-both'), via(d, 1).command('', 'trigger-both')]);
      const parent = await standin.waitFor(() => standin.messages(d.channel).find(isTopLevel));
      d.threadTs = parent.ts;
      await d.waitForQuestion('team');

      const event = d.replyPayload('1');
      await Promise.all([
        via(d, 0).send({ json: event }),
        via(d, 1).send({ json: event }, { 'x-slack-retry-num': '1' }),
      ]);
      const clusters = await d.waitForQuestion('clusters');
      const click = d.clickPayload(clusters, 'answer:clusters:3', '3', '1700000001.000001');
      await Promise.all([via(d, 0).send({ form: click }), via(d, 1).send({ form: click })]);
      await d.waitForQuestion('nodes');
      await new Promise((r) => setTimeout(r, 500));
      expect(standin.messages(d.channel).filter(isTopLevel)).toHaveLength(1);
      expect(questionPosts(standin, d.channel, d.threadTs)).toEqual({ team: 1, clusters: 1, nodes: 1 });
    });

    it('let one of two racing answers win and tell the other, keeping the state consistent', async () => {
      const d = driver();
      await via(d, 0).start();
      const team = d.current() as StoredMessage;
      await Promise.all([
        via(d, 0).send({ form: d.clickPayload(team, 'answer:team:small', 'small') }),
        via(d, 1).send({ form: d.clickPayload(team, 'answer:team:dedicated', 'dedicated') }),
      ]);
      await d.waitForQuestion('clusters');
      await standin.waitFor(() =>
        standin.messages(d.channel).some((m) => m.is_ephemeral && m.visible_to === 'U1'),
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(questionPosts(standin, d.channel, d.threadTs)).toEqual({ team: 1, clusters: 1 });
      const told = standin.messages(d.channel).filter((m) => m.is_ephemeral);
      expect(told).toHaveLength(1);
      expect(told[0]?.text).toContain('already answered');
    });

    it('ride out Slack faults: a 429 with Retry-After and 5xx answers are retried, posting once', async () => {
      const d = driver();
      await via(d, 0).start();
      standin.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
      await via(d, 1).answer('small');
      standin.failNext('chat.postMessage', { status: 503, times: 2 });
      await via(d, 0).answer('3');
      await d.waitForQuestion('nodes');
      expect(questionPosts(standin, d.channel, d.threadTs)).toEqual({ team: 1, clusters: 1, nodes: 1 });
    });

    it('deliver a question Slack refused at first once it takes calls again, exactly once', async () => {
      const d = driver();
      await via(d, 0).start();
      // Slack answers 500 twice: the outbox tries again after its backoff, whichever replica leases the item.
      standin.failNext('chat.postMessage', { status: 500, times: 2 });
      await via(d, 1).click('small');
      await d.waitForQuestion('clusters');
      await via(d, 0).answer('3');
      await d.waitForQuestion('nodes');
      expect(questionPosts(standin, d.channel, d.threadTs)).toEqual({ team: 1, clusters: 1, nodes: 1 });
    });

    it('carry on through the other replica when one is killed mid-assessment', async () => {
      const d = driver();
      await via(d, 1).start();
      await via(d, 1).answer('growing');
      await via(d, 1).answer('4');
      const victim = replicas[1] as AppProcess;
      victim.child.kill('SIGKILL');
      await victim.exited;
      for (const a of ['30', 'elastic', 'no', 'own_datacenter']) await via(d, 0).answer(a);
      expect(outcomeOf(await d.waitForCard())).toBe('self_hosted_required');
      // Bring a replica back for the tests that follow.
      replicas[1] = await spawnApp(env);
      // Up to a lease's lapse for what the killed replica held, on a machine that may be busy.
    }, 40_000);
  });
});
