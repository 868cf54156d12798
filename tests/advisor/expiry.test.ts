import { describe, expect, it } from 'vitest';
import { createAdvisorService } from '../../src/advisor/service.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { questionnaire } from '../support/questionnaire.js';

const DAY = 86_400_000;
const at = { teamId: 'T1', channelId: 'C1', threadTs: '1.1', userId: 'U1' };

function setup() {
  let clock = 1_000_000;
  const events: string[] = [];
  const service = createAdvisorService({
    store: openSqliteStore(':memory:'),
    questionnaire,
    now: () => clock,
    idleMs: 14 * DAY,
    observer: { started: () => events.push('started'), completed: (o) => events.push(`completed:${o}`) },
  });
  // As the Slack layer does after each post: the question reached the user.
  const seen = async <T extends { kind: string }>(step: Promise<T>) => {
    const s = await step;
    if ('session' in s && (s.kind === 'ask' || s.kind === 'done'))
      await service.delivered(s.session as never, 'shown');
    return s;
  };
  return { service, events, seen, advance: (ms: number) => (clock += ms) };
}

describe('idle assessments', () => {
  it('expire after the idle period; the owner is told and can restart, changing nothing else', async () => {
    const { service, seen, advance } = setup();
    await seen(service.start(at));
    await seen(service.reply(at, '1'));
    advance(14 * DAY + 1);
    const step = await service.reply(at, '3');
    expect(step).toMatchObject({ kind: 'expired', idleDays: 14 });
    const restarted = await service.reply(at, 'restart');
    expect(restarted).toMatchObject({ kind: 'ask', question: { id: 'team' } });
    expect(restarted.kind === 'ask' && restarted.session.restarts).toBe(1);
  });

  it('do not expire while answers keep coming', async () => {
    const { service, seen, advance } = setup();
    await seen(service.start(at));
    for (const answer of ['1', '3', '20']) {
      advance(13 * DAY);
      expect((await seen(service.reply(at, answer))).kind).toBe('ask');
    }
  });

  it('never touch a finished assessment, whose card stays usable', async () => {
    const { service, seen, advance } = setup();
    await seen(service.start(at));
    for (const answer of ['1', '3', '20', 'steady', 'no', 'own_datacenter'])
      await seen(service.reply(at, answer));
    advance(100 * DAY);
    expect((await service.view(at)).kind).toBe('done');
  });
});

describe('the observer', () => {
  it('hears each start and each completion with its outcome, once', async () => {
    const { service, events } = setup();
    await service.start(at, 'trigger-1');
    await service.start(at, 'trigger-1');
    for (const answer of ['1', '3', '20', 'steady', 'no', 'own_datacenter'])
      await service.reply(at, answer, `ev-${answer}`);
    await service.reply(at, 'own_datacenter', 'ev-own_datacenter');
    expect(events).toEqual(['started', 'completed:self_hosted_required']);
  });
});

describe('a question Slack never delivered', () => {
  it('is shown again at the next interaction, which is not taken as an answer', async () => {
    const { service, seen } = setup();
    await seen(service.start(at));
    const asked = await service.reply(at, '1');
    if (asked.kind !== 'ask') throw new Error(asked.kind);
    await service.delivered(asked.session, 'failed');
    const again = await service.reply(at, '3');
    expect(again).toMatchObject({
      kind: 'ask',
      question: { id: 'clusters' },
      note: expect.stringContaining('did not deliver'),
    });
    if (again.kind !== 'ask') throw new Error(again.kind);
    await service.delivered(again.session, 'shown');
    expect(await service.reply(at, '3')).toMatchObject({ kind: 'ask', question: { id: 'nodes' } });
  });

  it('is not posted twice while its first post may still be on its way', async () => {
    const { service, seen } = setup();
    await seen(service.start(at));
    await service.reply(at, '1'); // its question is still being posted
    expect(await service.reply(at, '3')).toMatchObject({ kind: 'ask', question: { id: 'nodes' } });
  });

  it('is shown again when nothing was heard of it for a minute (the replica posting it died)', async () => {
    const { service, seen, advance } = setup();
    await seen(service.start(at));
    await service.reply(at, '1');
    advance(61_000);
    expect(await service.reply(at, '3')).toMatchObject({ kind: 'ask', question: { id: 'clusters' } });
  });
});
