import type { App, BlockAction } from '@slack/bolt';
import type { ActionArgs } from './actions.js';

type Handler = (args: ActionArgs) => Promise<unknown>;

/**
 * Every button and menu of the app behind one Bolt listener. Bolt runs each registered listener's middleware
 * chain on every request, so a dozen action listeners cost every message and command a dozen chains (the
 * benchmark's profile showed it); one listener that routes by action_id costs one.
 */
export class ActionRoutes {
  private readonly exact = new Map<string, Handler>();
  private readonly prefixes: [string, Handler][] = [];

  /** `id` is an action_id, or a prefix ending in ':' when given as `{ prefix }`. */
  on(id: string | { prefix: string }, handler: Handler): this {
    if (typeof id === 'string') this.exact.set(id, handler);
    else this.prefixes.push([id.prefix, handler]);
    return this;
  }

  handlerFor(actionId: string): Handler | undefined {
    return this.exact.get(actionId) ?? this.prefixes.find(([p]) => actionId.startsWith(p))?.[1];
  }

  register(app: App) {
    app.action<BlockAction>({ type: 'block_actions' }, async (args) => {
      const actionId = (args.action as { action_id?: string }).action_id ?? '';
      const handler = this.handlerFor(actionId);
      if (handler) return void (await handler(args));
      // Not ours to act on (a link button, say): acknowledge, so Slack shows no error.
      await args.ack();
    });
  }
}
