import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSession } from '../../src/advisor/session.js';
import { validateView } from '../../src/slack/blocks/limits.js';
import { appHomeOpened } from '../../src/standin/payloads.js';
import type { StoredView } from '../../src/standin/server.js';
import { viewAction } from '../../src/standin/view-action.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { questionnaire } from '../support/questionnaire.js';
import { Driver, type Harness, isTopLevel, startHarness, TEAM } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const SELF_HOSTED_REQUIRED = ['small', '3', '30', 'elastic', 'no', 'own_datacenter'];
const text = (v: StoredView | undefined) => JSON.stringify(v?.blocks ?? []);
const viewOf = (user: string) => h.standin.views().find((v) => v.user === user);

/** Opens the user's Home tab as Slack does, and waits for a view published after it. */
async function openHome(user: string) {
  const before = viewOf(user)?.hash;
  const res = await new Driver(h, user).send({ json: appHomeOpened({ teamId: TEAM, userId: user }) });
  expect(res.status).toBe(200);
  return h.standin.waitFor(() => {
    const v = viewOf(user);
    return v && v.hash !== before ? v : undefined;
  });
}

/** Clicks a button on the user's Home view, and waits for the view to change. */
async function clickHome(user: string, actionId: string) {
  const view = viewOf(user) as StoredView;
  const res = await new Driver(h, user).send({
    form: viewAction({ teamId: TEAM, userId: user, view, actionId }),
  });
  expect(res.status).toBe(200);
  return h.standin.waitFor(() => {
    const v = viewOf(user);
    return v && v.hash !== view.hash ? v : undefined;
  });
}

describe('App Home', () => {
  it('lists the user’s assessments, newest first, with verdicts, dates and links to their threads', async () => {
    const done = new Driver(h, 'U1', 'CHOME1');
    await done.start();
    for (const a of SELF_HOSTED_REQUIRED) await done.answer(a);
    await done.waitForCard();
    const going = new Driver(h, 'U1', 'CHOME2');
    await going.start();

    const view = await openHome('U1');
    expect(validateView(view.view as never)).toEqual([]);
    const shown = text(view);
    expect(shown).toContain('Start a new assessment');
    const inProgress = shown.indexOf('In progress — question 1 of');
    const finished = shown.indexOf(questionnaire.outcomes.self_hosted_required.title);
    expect(inProgress).toBeGreaterThan(0);
    expect(finished).toBeGreaterThan(inProgress);
    // Links are the threads' permalinks from chat.getPermalink.
    expect(shown).toContain(`/archives/CHOME2/p${going.threadTs.replace('.', '')}`);
    expect(shown).toContain(`/archives/CHOME1/p${done.threadTs.replace('.', '')}`);
    expect(shown).toMatch(/<!date\^\d+\^\{date_short_pretty\}\|\d{4}-\d{2}-\d{2}>/);
  });

  it('starts an assessment in a direct-message thread, answered by replies there', async () => {
    h.standin.addUser({ id: 'U5', name: 'robin' });
    await openHome('U5');
    expect(text(viewOf('U5'))).toContain('You have no assessments yet');
    const republished = clickHome('U5', 'home:start');

    const dm = new Driver(h, 'U5', 'D5');
    const parent = await h.standin.waitFor(() =>
      h.standin.messages('D5').find((m) => isTopLevel(m) && m.text.includes('<@U5>')),
    );
    dm.threadTs = parent.ts;
    const first = await dm.waitForQuestion('team');
    expect(h.standin.calls('conversations.open')).toMatchObject([{ ok: true, args: { users: 'U5' } }]);

    // A reply in the DM thread arrives as a message.im event.
    const reply = dm.replyPayload('1');
    (reply.event as Record<string, unknown>).channel_type = 'im';
    expect((await dm.send({ json: reply })).status).toBe(200);
    const second = await dm.waitForQuestion(undefined, first.ts);
    expect(second.ts > first.ts).toBe(true);

    // Published after the start, so at question 1, or 2 when it lost the race with the reply.
    const view = await republished;
    expect(text(view)).toMatch(/In progress — question [12] of \d+/);
    expect(text(view)).toContain('in our direct messages');
  });

  it('pages through more assessments than fit on one page, within the view limits', async () => {
    h.standin.addUser({ id: 'U6', name: 'kim' });
    // Seeded straight into the app's database: 23 assessments, an hour apart.
    const store = openSqliteStore(h.dbPath);
    const base = Date.now() - 30 * 3_600_000;
    for (let i = 0; i < 23; i++) {
      const key = { teamId: TEAM, channelId: `CPAGE${i}`, threadTs: `1750000000.${1000 + i}`, userId: 'U6' };
      await store.insert(newSession(key, questionnaire, `page-${i}`, base + i * 3_600_000));
    }
    await store.close();

    const first = await openHome('U6');
    expect(validateView(first.view as never)).toEqual([]);
    expect(text(first)).toContain('23 assessments · 1–20 shown');
    expect(text(first)).toContain('CPAGE22');
    expect(text(first)).not.toContain('CPAGE2>');
    expect(text(first)).toContain('home:page:next');

    const second = await clickHome('U6', 'home:page:next');
    expect(validateView(second.view as never)).toEqual([]);
    expect(text(second)).toContain('21–23 shown');
    for (const c of ['CPAGE2>', 'CPAGE1>', 'CPAGE0>']) expect(text(second)).toContain(c);
    expect(text(second)).toContain('home:page:prev');
    expect(text(second)).not.toContain('home:page:next');

    const back = await clickHome('U6', 'home:page:prev');
    expect(text(back)).toContain('1–20 shown');
  });

  it('never had a view or a call refused', () => {
    expect(h.standin.calls().filter((c) => !c.ok && c.method !== 'chat.getPermalink')).toEqual([]);
  });
});
