// A block_actions interaction on a view (an App Home button), as Slack sends it to the Request URL.

import { findElement, freshTs, triggerId } from './payloads.js';
import { STANDIN_DEFAULTS } from './types.js';

type Obj = Record<string, unknown>;

export interface ViewActionInput {
  teamId: string;
  userId: string;
  /** The view clicked on, e.g. `standin.views()` for the user: its id, hash and blocks. */
  view: { id: string; hash?: string; type?: string; blocks?: unknown[] };
  actionId: string;
  value?: string;
  actionTs?: string;
}

/** Form fields of a block_actions interaction on a view (an App Home button): no channel, no response_url. */
export function viewAction(p: ViewActionInput): { payload: string } {
  const el = findElement(p.view.blocks, p.actionId);
  const blockId = ((p.view.blocks ?? []) as Obj[]).find((b) => findElement([b], p.actionId))?.block_id ?? '';
  const payload = {
    type: 'block_actions',
    user: { id: p.userId, username: p.userId.toLowerCase(), name: p.userId.toLowerCase(), team_id: p.teamId },
    api_app_id: STANDIN_DEFAULTS.appId,
    token: STANDIN_DEFAULTS.verificationToken,
    container: { type: 'view', view_id: p.view.id },
    trigger_id: triggerId(),
    team: { id: p.teamId, domain: STANDIN_DEFAULTS.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    view: {
      id: p.view.id,
      team_id: p.teamId,
      type: p.view.type ?? 'home',
      blocks: p.view.blocks ?? [],
      private_metadata: '',
      callback_id: '',
      state: { values: {} },
      hash: p.view.hash ?? '',
      app_id: STANDIN_DEFAULTS.appId,
      bot_id: STANDIN_DEFAULTS.botId,
    },
    actions: [
      {
        type: (el?.type as string | undefined) ?? 'button',
        action_id: p.actionId,
        block_id: blockId,
        text: el?.text ?? { type: 'plain_text', text: p.actionId },
        ...((p.value ?? el?.value) !== undefined && { value: p.value ?? el?.value }),
        action_ts: p.actionTs ?? freshTs(),
      },
    ],
  };
  return { payload: JSON.stringify(payload) };
}
