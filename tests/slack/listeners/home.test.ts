import { describe, expect, it } from 'vitest';
import { createUserDataService } from '../../../src/advisor/user-data.js';
import { registerHome } from '../../../src/slack/listeners/home.js';
import { type EventArgs, Listeners } from '../../../src/slack/listeners/registry.js';
import { listenerDeps } from '../../support/outbox.js';
import { questionnaire } from '../../support/questionnaire.js';
import { finishAssessment } from '../../support/service.js';
import { clickArgs, silentLogger, useFakeSlack } from '../../support/slack.js';

const slack = useFakeSlack('http://slack.home.test', ({ method, body }) => {
  if (method === 'conversations.open')
    return body.users === 'UGONE'
      ? { ok: false, error: 'user_not_found' }
      : { ok: true, channel: { id: `D${body.users}` } };
  if (method === 'chat.getPermalink')
    return { ok: true, permalink: `https://slack.test/archives/${body.channel}/p${body.message_ts}` };
  if (method === 'views.publish') return { ok: true, view: { id: 'V1' } };
  return undefined;
});

function setup() {
  const { deps, service, store, drain } = listenerDeps(slack.client, (store) => ({
    userData: createUserDataService({ store, questionnaire, pageSize: 2 }),
  }));
  const on = new Listeners();
  registerHome(on, deps);
  const opened = async (tab = 'home', eventId = `Ev${Math.random()}`) => {
    await on.runEvent('app_home_opened', {
      event: { type: 'app_home_opened', user: 'U1', tab },
      body: { team_id: 'T1', event_id: eventId },
      context: { teamId: 'T1' },
      client: slack.client,
      logger: silentLogger,
    } as unknown as EventArgs<'app_home_opened'>);
    await drain();
  };
  const click = async (args: ReturnType<typeof clickArgs>) => {
    await on.runAction(args as never);
    await drain();
  };
  return { service, store, on, opened, click };
}

const published = () => {
  const call = slack.posted('views.publish').at(-1);
  return { user: call?.body.user_id, view: JSON.parse(call?.body.view ?? '{}') as { blocks: unknown[] } };
};
const at = (n: number) => ({ teamId: 'T1', channelId: 'C1', threadTs: `1700000000.00000${n}`, userId: 'U1' });

describe('App Home', () => {
  it('is drawn when its tab opens: the person’s assessments with links to their threads', async () => {
    const { service, opened } = setup();
    await finishAssessment(service, at(1));
    await opened();
    const { user, view } = published();
    expect(user).toBe('U1');
    expect(JSON.stringify(view.blocks)).toContain('https://slack.test/archives/C1/p1700000000.000001');
    expect(JSON.stringify(view.blocks)).toContain('home:start');
  });

  it('is left alone when another tab opens', async () => {
    const { opened } = setup();
    await opened('messages');
    expect(slack.calls).toEqual([]);
  });

  it('is published once for an event Slack delivers twice', async () => {
    const { opened } = setup();
    await opened('home', 'EvTWICE');
    await opened('home', 'EvTWICE');
    expect(slack.posted('views.publish')).toHaveLength(1);
  });

  it('pages through the assessments with its page buttons', async () => {
    const { service, click } = setup();
    for (const n of [1, 2, 3]) await service.start(at(n));
    const args = clickArgs(slack.client, 'home:page:next', '2');
    await click(args);
    expect(args.ack).toHaveBeenCalledOnce();
    const { view } = published();
    expect(JSON.stringify(view.blocks)).toContain('home:page:prev');
    expect(JSON.stringify(view.blocks)).not.toContain('home:page:next');
  });

  it('starts an assessment in a direct message, once per click, and draws the Home again with it', async () => {
    const { click, store } = setup();
    const first = clickArgs(slack.client, 'home:start', 'start', { actionTs: '5.5' });
    await click(first);
    await click(clickArgs(slack.client, 'home:start', 'start', { actionTs: '5.5' }));
    expect(first.ack).toHaveBeenCalledOnce();
    // Looked up each time (a lookup changes nothing); the start and the Home are committed once.
    expect(slack.posted('conversations.open')).toHaveLength(2);
    const [parent, question] = slack.posted('chat.postMessage');
    expect(slack.posted('chat.postMessage')).toHaveLength(2);
    expect(parent?.body.channel).toBe('DU1');
    expect(question?.body).toMatchObject({
      channel: 'DU1',
      thread_ts: parent?.body.thread_ts ?? expect.any(String),
    });
    expect(slack.posted('views.publish')).toHaveLength(1);
    expect(slack.posted('views.publish')[0]?.body.view).toContain('In progress');
    const mine = await store.listByUser('T1', 'U1', { limit: 10, offset: 0 });
    expect(mine.sessions.map((s) => s.channelId)).toEqual(['DU1']);
  });

  it('fails the click, committing nothing, when Slack will not open the direct message', async () => {
    const { click, store } = setup();
    const args = clickArgs(slack.client, 'home:start', 'start', { user: 'UGONE' });
    await expect(click(args)).rejects.toThrow();
    expect(args.ack).not.toHaveBeenCalled();
    expect((await store.stats()).depth).toBe(0);
    expect(slack.posted('chat.postMessage')).toHaveLength(0);
  });
});
