import {
  type App,
  type ReceiverEvent,
  SocketModeReceiver,
  type SocketModeReceiverOptions,
} from '@slack/bolt';

/** What the Socket Mode client hands over with each envelope. */
interface SocketEnvelope {
  body: Record<string, unknown>;
  ack: (response?: Record<string, unknown>) => Promise<void>;
  retry_num?: number;
  retry_reason?: string;
}

/**
 * Socket Mode, acknowledging an envelope once its listener has finished (committed), as HTTP mode does with
 * processBeforeResponse, instead of as Bolt receives it. A listener that throws (the commit failed) acknowledges
 * nothing, and Slack delivers the envelope again, as it retries an event answered with a 500.
 */
export class CommitFirstSocketReceiver extends SocketModeReceiver {
  private bolt: App | undefined;

  constructor(options: SocketModeReceiverOptions) {
    super(options);
    const log = options.logger;
    // Bolt's own handler acks at once; this one in its place holds the ack until processEvent has resolved.
    this.client.removeAllListeners('slack_event');
    this.client.on('slack_event', async (envelope: SocketEnvelope) => {
      let answer: { response?: Record<string, unknown> } | undefined;
      const event: ReceiverEvent = {
        body: envelope.body,
        ack: async (response?: Record<string, unknown>) => {
          answer ??= response === undefined ? {} : { response };
        },
        ...(envelope.retry_num !== undefined && { retryNum: envelope.retry_num }),
        ...(envelope.retry_reason !== undefined && { retryReason: envelope.retry_reason }),
        customProperties: {},
      };
      try {
        await this.bolt?.processEvent(event);
      } catch (error) {
        log?.error(
          'a Socket Mode envelope failed before it was acknowledged; Slack will send it again',
          error,
        );
        return;
      }
      if (answer) await envelope.ack(answer.response).catch(() => {});
    });
  }

  override init(app: App): void {
    super.init(app);
    this.bolt = app;
  }
}
