import { describe, expect, it, vi } from 'vitest';
import { Listeners } from '../../../src/slack/listeners/registry.js';
import { commandArgs, firstArg, silentLogger } from '../../support/slack.js';

const client = {} as never;

describe('the listener registry', () => {
  const a = vi.fn(async () => {});
  const b = vi.fn(async () => {});
  const c = vi.fn(async () => {});
  const on = new Listeners()
    .action('card:share', a)
    .action({ prefix: 'answer:' }, b)
    .action({ prefix: 'card:' }, c);

  it('finds an action handler by exact action_id first, then by prefix', () => {
    expect(on.actionFor('card:share')).toBe(a);
    expect(on.actionFor('answer:team:small')).toBe(b);
    expect(on.actionFor('card:other')).toBe(c);
    expect(on.actionFor('answers:team')).toBeUndefined();
    expect(on.actionFor('')).toBeUndefined();
  });

  it('attaches one Bolt listener per kind: the command, block actions, and each event', () => {
    const app = { command: vi.fn(), action: vi.fn(), event: vi.fn() };
    const opened = vi.fn(async () => {});
    new Listeners().event('app_home_opened', opened).attach(app as never);
    expect(app.command).toHaveBeenCalledTimes(1);
    expect(app.command.mock.calls[0]?.[0]).toBe('/k8s-advisor');
    expect(app.action).toHaveBeenCalledTimes(1);
    expect(app.action.mock.calls[0]?.[0]).toEqual({ type: 'block_actions' });
    expect(app.event.mock.calls.map(([type]) => type)).toEqual(['app_home_opened']);
  });

  it('runs every handler registered for an event, in order', async () => {
    const seen: string[] = [];
    const events = new Listeners()
      .event('message', async () => void seen.push('first'))
      .event('message', async () => void seen.push('second'));
    await events.runEvent('message', {} as never);
    expect(seen).toEqual(['first', 'second']);
  });

  it('runs the action handler, and acknowledges actions it has none for', async () => {
    const ack = vi.fn(async () => {});
    await on.runAction({ action: { action_id: 'answer:team:small' }, ack } as never);
    expect(b).toHaveBeenCalledTimes(1);
    expect(ack).not.toHaveBeenCalled();
    await on.runAction({ action: { action_id: 'docs:link' }, ack } as never);
    expect(ack).toHaveBeenCalledTimes(1);
  });

  it('routes a command by its first word, in any case, with the words after it; none means start', async () => {
    const start = vi.fn(async (_args: unknown, _words: string[]) => {});
    const digest = vi.fn(async (_args: unknown, _words: string[]) => {});
    const commands = new Listeners().command('start', start).command('digest', digest);
    await commands.runCommand(commandArgs(client, '  ') as never);
    expect(start.mock.calls[0]?.[1]).toEqual([]);
    await commands.runCommand(commandArgs(client, 'DIGEST  daily 09:00') as never);
    expect(digest.mock.calls[0]?.[1]).toEqual(['daily', '09:00']);
  });

  it('answers help and unknown words with usage in the ack, and calls no subcommand', async () => {
    const start = vi.fn(async () => {});
    const commands = new Listeners().command('start', start);
    const help = commandArgs(client, 'help');
    await commands.runCommand({ ...help, logger: silentLogger } as never);
    expect(firstArg(help.ack)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('/k8s-advisor start'),
    });
    const unknown = commandArgs(client, 'frobnicate  now');
    await commands.runCommand(unknown as never);
    expect(firstArg(unknown.ack)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('I do not know `/k8s-advisor frobnicate  now`'),
    });
    expect(start).not.toHaveBeenCalled();
  });
});
