import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
} from '@slack/bolt';
import { echo } from '../../advisor/echo.js';
import type { EvidenceService } from '../../advisor/evidence-service.js';
import type { InstallationStore } from '../../advisor/ports/installations.js';
import type { OutboxStore } from '../../advisor/ports/outbox.js';
import type { AdvisorService } from '../../advisor/service.js';
import type { UserDataService } from '../../advisor/user-data.js';
import type { DigestService } from '../../digest/service.js';
import { COMMAND, usage } from '../blocks/help.js';
import { ephemeral } from '../ephemeral.js';
import type { Sender } from '../outbox-sender.js';

export type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
export type EventArgs<E extends EventType> = SlackEventMiddlewareArgs<E> & AllMiddlewareArgs;
type EventType = 'message' | 'app_home_opened' | 'app_uninstalled' | 'tokens_revoked';

/** A subcommand of `/k8s-advisor`: gets the words after its name. It must ack (with a body to answer at once). */
export type Subcommand = (args: CommandArgs, words: string[]) => Promise<void>;
export type ActionHandler = (args: ActionArgs) => Promise<unknown>;

/** What listeners work with. Features the app was built without are absent. */
export interface ListenerDeps {
  service: AdvisorService;
  /** Told when a listener has committed outbox calls, so they leave now rather than at its next poll. */
  sender: Pick<Sender, 'wake'>;
  /** Where queued calls wait: for listeners that queue calls outside an assessment's change (Home, digests). */
  outbox: Pick<OutboxStore, 'enqueue'>;
  /** Channel digests: `/k8s-advisor digest …`. */
  digests?: DigestService;
  /** A person's own data: App Home, `adr`, `export` and `forget-me`. */
  userData?: UserDataService;
  /** Evidence files uploaded into an assessment's thread. */
  evidence?: EvidenceService;
  /** OAuth mode: installations, removed with their workspaces' data when the app is uninstalled. */
  installations?: InstallationStore;
  /** An assessment in progress idle this long has expired. */
  idleMs: number;
  now?: () => number;
}

/** The one way a listener module joins the app: it says which words, buttons and events it answers. */
export type Register = (on: Registry, deps: ListenerDeps) => void;

export interface Registry {
  command(word: string, handler: Subcommand): this;
  /** `id` is an action_id, or `{ prefix }` for every action_id that starts with it. */
  action(id: string | { prefix: string }, handler: ActionHandler): this;
  event<E extends EventType>(type: E, handler: (args: EventArgs<E>) => Promise<void>): this;
}

/**
 * Every listener of the app, behind one Bolt listener per kind. Bolt runs each registered listener's middleware
 * chain on every request, so a dozen listeners would cost every message and command a dozen chains (the
 * benchmark's profile showed it); one that routes by command word or action_id costs one.
 */
export class Listeners implements Registry {
  private readonly words = new Map<string, Subcommand>();
  private readonly exact = new Map<string, ActionHandler>();
  private readonly prefixes: [string, ActionHandler][] = [];
  private readonly events = new Map<EventType, ((args: never) => Promise<void>)[]>();

  command(word: string, handler: Subcommand): this {
    this.words.set(word, handler);
    return this;
  }

  action(id: string | { prefix: string }, handler: ActionHandler): this {
    if (typeof id === 'string') this.exact.set(id, handler);
    else this.prefixes.push([id.prefix, handler]);
    return this;
  }

  event<E extends EventType>(type: E, handler: (args: EventArgs<E>) => Promise<void>): this {
    this.events.set(type, [...(this.events.get(type) ?? []), handler]);
    return this;
  }

  actionFor(actionId: string): ActionHandler | undefined {
    return this.exact.get(actionId) ?? this.prefixes.find(([p]) => actionId.startsWith(p))?.[1];
  }

  /** `/k8s-advisor <word> …` routes on its first word; no word means `start`. */
  async runCommand(args: CommandArgs): Promise<void> {
    const [word = 'start', ...rest] = args.command.text.trim().split(/\s+/).filter(Boolean);
    const sub = word.toLowerCase();
    if (sub === 'help') return args.ack(ephemeral(usage()));
    const handler = this.words.get(sub);
    if (!handler) return unknownCommand(args);
    const tracked = trackAck(args);
    try {
      await handler(tracked.args, rest);
    } catch (error) {
      // Slack does not retry a command, so its person is told that nothing was done, in the ack.
      if (tracked.acked()) throw error;
      args.logger.error(`command ${sub} failed before it was acknowledged: ${(error as Error).message}`);
      await args.ack(ephemeral(NOT_SAVED));
    }
  }

  async runAction(args: ActionArgs): Promise<void> {
    const actionId = (args.action as { action_id?: string }).action_id ?? '';
    const handler = this.actionFor(actionId);
    // Not ours to act on (a link button, say): acknowledge, so Slack shows no error.
    if (!handler) return args.ack();
    const tracked = trackAck(args);
    await unacknowledged(() => handler(tracked.args), tracked.acked);
  }

  async runEvent<E extends EventType>(type: E, args: EventArgs<E>): Promise<void> {
    for (const handler of this.events.get(type) ?? []) {
      await unacknowledged(
        () => handler(args as never),
        () => false,
      );
    }
  }

  attach(app: App): void {
    app.command(COMMAND, (args) => this.runCommand(args));
    app.action<BlockAction>({ type: 'block_actions' }, (args) => this.runAction(args));
    for (const type of this.events.keys()) app.event(type, (args) => this.runEvent(type, args as never));
  }
}

/** What a command answers when its change could not be committed: nothing was done, so it can be run again. */
export const NOT_SAVED = `:warning: I could not save that just now, so nothing changed. Try \`${COMMAND}\` again in a moment.`;

/**
 * A listener failed before its request was acknowledged: nothing was committed. Thrown on to the receiver, which
 * answers with an error status, so Slack retries an event and shows the person an error for a click.
 */
export const NOT_ACKNOWLEDGED = 'k8s_advisor_not_acknowledged';

export class NotAcknowledged extends Error {
  readonly code = NOT_ACKNOWLEDGED;
  constructor(cause: unknown) {
    super(`failed before the acknowledgement: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'NotAcknowledged';
  }
}

/** Runs a listener, turning a failure before its ack into NotAcknowledged; one after it is logged by Bolt as usual. */
async function unacknowledged(run: () => Promise<unknown>, acked: () => boolean): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (acked()) throw error;
    throw new NotAcknowledged(error);
  }
}

/** The same arguments with an ack that remembers having been called. */
function trackAck<A extends { ack: (...a: never[]) => Promise<void> }>(args: A) {
  let acked = false;
  const ack = ((...a: never[]) => {
    acked = true;
    return args.ack(...a);
  }) as A['ack'];
  return { args: { ...args, ack } as A, acked: () => acked };
}

/** Usage, for words no subcommand knows. */
export const unknownCommand = ({ ack, command }: CommandArgs) =>
  ack(ephemeral(usage(`I do not know \`${COMMAND} ${echo(command.text)}\`.`)));
