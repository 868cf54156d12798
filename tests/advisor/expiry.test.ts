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
  return { service, events, advance: (ms: number) => (clock += ms) };
}

describe('idle assessments', () => {
  it('expire after the idle period; the owner is told and can restart, changing nothing else', async () => {
    const { service, advance } = setup();
    await service.start(at);
    await service.reply(at, '1');
    advance(14 * DAY + 1);
    const step = await service.reply(at, '3');
    expect(step).toMatchObject({ kind: 'expired', idleDays: 14 });
    const restarted = await service.reply(at, 'restart');
    expect(restarted).toMatchObject({ kind: 'ask', question: { id: 'team' } });
    expect(restarted.kind === 'ask' && restarted.session.restarts).toBe(1);
  });

  it('do not expire while answers keep coming', async () => {
    const { service, advance } = setup();
    await service.start(at);
    for (const answer of ['1', '3', '20']) {
      advance(13 * DAY);
      expect((await service.reply(at, answer)).kind).toBe('ask');
    }
  });

  it('never touch a finished assessment, whose card stays usable', async () => {
    const { service, advance } = setup();
    await service.start(at);
    for (const answer of ['1', '3', '20', 'steady', 'no', 'own_datacenter']) await service.reply(at, answer);
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
