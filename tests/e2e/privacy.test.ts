import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { validateMessage } from '../../src/slack/blocks/limits.js';
import { appHomeOpened, blockAction, slashCommand } from '../../src/standin/payloads.js';
import { postSigned } from '../../src/standin/sign.js';
import { Keyring } from '../../src/store/cipher.js';
import { openStore } from '../../src/store/open.js';
import { appDatabaseUrl, withPostgres } from '../support/postgres.js';
import { questionnaire as q } from '../support/questionnaire.js';
import { Driver, type Harness, startHarness, TEAM } from './harness.js';

const SELF_HOSTED_REQUIRED = ['small', '3', '30', 'elastic', 'no', 'own_datacenter'];

/** adr, export and forget-me as a user meets them, over signed HTTP against the Slack stand-in. */
function dataRightsSuite(name: string, config: () => Partial<Config>) {
  describe(`data rights end to end: ${name}`, () => {
    let h: Harness;
    let database: Config['database'];
    beforeAll(async () => {
      const c = config();
      h = await startHarness({ config: c });
      database = c.database ?? { engine: 'sqlite', path: h.dbPath };
    });
    afterAll(async () => {
      await h?.stop();
    });

    /** What the store holds for a user, read through the app's own adapter (and keyring). */
    const stored = async (user: string) => {
      const store = await openStore(database, config().encryption);
      try {
        return await store.listByUser(TEAM, user, { limit: 50, offset: 0 });
      } finally {
        await store.close();
      }
    };

    /** Runs `/k8s-advisor <text>`; the ack's body, if it had one. */
    async function command(user: string, channel: string, text: string) {
      const responseUrl = h.standin.responseUrl({ channel, user });
      const form = slashCommand({ teamId: TEAM, channelId: channel, userId: user, text, responseUrl });
      const res = await postSigned(h.url, h.secret, { form });
      expect(res.status).toBe(200);
      return res.text
        ? (JSON.parse(res.text) as { text: string; blocks?: unknown[]; response_type: string })
        : undefined;
    }

    /** The next ephemeral answer to `user` in `channel` containing `fragment`. */
    const whisper = (user: string, channel: string, fragment: string) =>
      h.standin.waitFor(() =>
        h.standin
          .messages(channel)
          .find((m) => m.is_ephemeral && m.visible_to === user && m.text.includes(fragment)),
      );

    async function completed(user: string, channel: string) {
      const d = new Driver(h, user, channel);
      await d.start();
      for (const a of SELF_HOSTED_REQUIRED) await d.answer(a);
      await d.waitForCard();
      return d;
    }

    it('`adr` uploads the decision record of the latest completed assessment to its thread', async () => {
      const none = await command('U1', 'CADR', 'adr');
      expect(none).toMatchObject({ response_type: 'ephemeral' });
      expect(none?.text).toContain('You have no completed assessment in this channel yet');
      expect(h.standin.files()).toEqual([]);

      const d = await completed('U1', 'CADR');
      const ack = await command('U1', 'CADR', 'adr');
      expect(ack?.text).toContain('Uploading the decision record');
      const file = await h.standin.waitFor(() => h.standin.files().find((f) => f.channel === 'CADR'));
      expect(file.thread_ts).toBe(d.threadTs);
      expect(file.name).toMatch(/^adr-kubernetes-hosting-\d{4}-\d{2}-\d{2}\.md$/);
      const md = file.content.toString();
      for (const heading of [
        '## Context and problem statement',
        '## Decision drivers',
        '## Decision outcome',
      ]) {
        expect(md).toContain(heading);
      }
      expect(md).toContain(`Chosen option: "${q.outcomes.self_hosted_required.title}"`);
      expect(md).toContain('Deciders: alex');
      // Someone without a completed assessment here gets their own clear answer.
      expect((await command('U2', 'CADR', 'adr'))?.text).toContain('no completed assessment');
    });

    it('`export` sends all of the user’s assessments as JSON and Markdown in a direct message', async () => {
      expect((await command('U2', 'CEXPORT', 'export'))?.text).toContain('Nothing to export');

      const going = new Driver(h, 'U1', 'CEXPORT');
      await going.start();
      expect((await command('U1', 'CEXPORT', 'export'))?.text).toContain('Preparing your export');
      await whisper('U1', 'CEXPORT', 'Sent: 2 assessments as JSON and Markdown');
      const files = h.standin.files().filter((f) => f.channel === 'D1');
      expect(files.map((f) => f.name.replace(/\d{4}-\d{2}-\d{2}/, 'DATE')).sort()).toEqual([
        'k8s-advisor-export-DATE.json',
        'k8s-advisor-export-DATE.md',
      ]);
      const json = JSON.parse(files.find((f) => f.name.endsWith('.json'))?.content.toString() ?? '');
      expect(json).toMatchObject({ workspace: TEAM, user: 'U1' });
      expect(json.assessments.map((a: { status: string }) => a.status)).toEqual(['in_progress', 'completed']);
      const [, done] = json.assessments;
      expect(done.outcome.id).toBe('self_hosted_required');
      expect(done.link).toContain('/archives/CADR/');
      expect(done.answers[0]).toEqual({
        questionId: 'team',
        question: q.questions[0]?.prompt,
        answer: expect.any(String),
        value: 'small',
      });
      expect(done.openRisks.length).toBeGreaterThan(0);
      const md = files.find((f) => f.name.endsWith('.md'))?.content.toString() ?? '';
      expect(md).toContain('# Assessment in progress: question 1 of');
      expect(md).toContain('## Decision outcome');
    });

    it('`forget-me` asks first, lets only the user confirm, then deletes everything and says what', async () => {
      expect((await command('U1', 'CADR', 'digest daily 09:00'))?.text).toBeDefined();
      const ask = await command('U1', 'CFORGET', 'forget-me');
      expect(ask).toMatchObject({ response_type: 'ephemeral' });
      expect(validateMessage(ask as never)).toEqual([]);
      expect(JSON.stringify(ask?.blocks)).toContain('"style":"danger"');
      const click = (user: string, actionId: string) =>
        postSigned(h.url, h.secret, {
          form: blockAction({
            teamId: TEAM,
            channelId: 'CFORGET',
            userId: user,
            message: { ts: '1750000000.000001', blocks: ask?.blocks ?? [], is_ephemeral: true },
            actionId,
            blockId: 'privacy:forget',
            responseUrl: h.standin.responseUrl({ channel: 'CFORGET', user }),
          }),
        });

      await click('U1', 'privacy:forget:cancel');
      await whisper('U1', 'CFORGET', 'Cancelled: nothing was deleted.');
      await click('U2', 'privacy:forget:confirm');
      await whisper('U2', 'CFORGET', 'Only the person who asked');
      expect((await stored('U1')).total).toBe(2);

      await click('U1', 'privacy:forget:confirm');
      const done = await whisper('U1', 'CFORGET', 'Deleted 2 assessments');
      expect(done.text).toContain('Stopped the digest schedule you set in <#CADR>');
      expect(await stored('U1')).toEqual({ sessions: [], total: 0 });
      expect((await command('U1', 'CADR', 'digest status'))?.text).toContain('no digest yet');
      // Their Home tab no longer lists them.
      const home = await new Driver(h, 'U1').send({ json: appHomeOpened({ teamId: TEAM, userId: 'U1' }) });
      expect(home.status).toBe(200);
      await h.standin.waitFor(() =>
        JSON.stringify(h.standin.views().find((v) => v.user === 'U1')?.blocks).includes('no assessments yet'),
      );
    });
  });
}

// SQLite with answers encrypted at rest, PostgreSQL without: the whole app works either way.
const key = new Keyring(randomBytes(32));
dataRightsSuite('sqlite, encrypted', () => ({ encryption: key }));

await withPostgres('the data rights end-to-end test', (schemaFor) => {
  const schema = schemaFor();
  dataRightsSuite('postgres', () => ({ database: { engine: 'postgres', url: appDatabaseUrl(schema) } }));
});
