import type { Logger } from '@slack/bolt';
import type { EvidenceService } from '../advisor/evidence-service.js';
import type { OutboxStore } from '../advisor/ports/outbox.js';
import type { AdvisorService } from '../advisor/service.js';
import type { UserDataService } from '../advisor/user-data.js';
import type { DigestService } from '../digest/service.js';
import { adrTask } from './adr.js';
import type { ApiCall } from './chat-client.js';
import { evidenceTask } from './evidence.js';
import { exportTask } from './export.js';
import { homeTask } from './home.js';
import type { Task } from './outbox-handler.js';
import { type ClientFor, digestTask } from './publish-digest.js';
import { respondTask } from './response-url.js';
import { shareTasks } from './share.js';
import { startTasks } from './start.js';

/** What the tasks work with; features the app was built without are absent, and so are their tasks. */
export interface TaskDeps {
  service: AdvisorService;
  /** Web API methods by name, as the bot of the item's workspace (the sender runs each item in its scope). */
  call: ApiCall;
  outbox: Pick<OutboxStore, 'recorded'>;
  /** A Web API client as the bot of a workspace, for what `call` cannot do (file uploads and downloads). */
  clientFor: ClientFor;
  /** Tells the sender that a task committed new items. */
  wake: () => void;
  logger: Logger;
  idleMs: number;
  now?: () => number;
  userData?: UserDataService;
  digests?: DigestService;
  evidence?: EvidenceService;
}

/** Every kind of outbox item that is more than one Web API call, by kind. */
export function outboxTasks(d: TaskDeps): Record<string, Task> {
  return {
    ...startTasks(d.service, d.call, d.outbox.recorded, d.wake),
    adr: adrTask(d.service.questionnaire, d.service.find, d.clientFor, d.logger),
    respond: respondTask,
    ...shareTasks(d.service.questionnaire, d.service.find, d.call, d.outbox.recorded),
    ...(d.userData && {
      home: homeTask(d.userData, d.call, { idleMs: d.idleMs, ...(d.now && { now: d.now }) }),
      export: exportTask(d.userData, d.clientFor, d.logger),
    }),
    ...(d.digests && { digest: digestTask(d.digests, d.clientFor, d.logger) }),
    ...(d.evidence && {
      evidence: evidenceTask(d.service, d.evidence, d.clientFor, {
        logger: d.logger,
        wake: d.wake,
        ...(d.now && { now: d.now }),
      }),
    }),
  };
}
