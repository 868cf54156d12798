import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, scrub } from '../../src/ops/logger.js';
import { Driver, type Harness, startHarness } from '../e2e/harness.js';

let h: Harness;
const base = () => `http://127.0.0.1:${h.app.port}`;
const metricsBase = () => `http://127.0.0.1:${h.app.metricsPort}`;

beforeAll(async () => {
  h = await startHarness({ config: { metricsPort: 0 } });
});
afterAll(async () => {
  await h?.stop();
});

describe('probes', () => {
  it('/healthz says the process is alive and /readyz that it can work, on both ports', async () => {
    for (const at of [base(), metricsBase()]) {
      expect((await fetch(`${at}/healthz`)).status, at).toBe(200);
      const ready = await fetch(`${at}/readyz`);
      expect(ready.status, at).toBe(200);
      expect(await ready.text()).toContain('ready');
    }
  });
});

describe('the metrics port', () => {
  it('is a port of its own: the Slack port does not serve /metrics', async () => {
    expect(h.app.metricsPort).toBeGreaterThan(0);
    expect(h.app.metricsPort).not.toBe(h.app.port);
    const onSlackPort = await fetch(`${base()}/metrics`);
    expect(onSlackPort.status).toBe(404);
    expect(await onSlackPort.text()).not.toContain('k8s_advisor_');
    const onMetricsPort = await fetch(`${metricsBase()}/metrics`);
    expect(onMetricsPort.status).toBe(200);
    expect(onMetricsPort.headers.get('content-type')).toContain('text/plain');
  });

  it('serves nothing else: Slack requests there get a 404', async () => {
    const r = await fetch(`${metricsBase()}/slack/events`, { method: 'POST', body: '{}' });
    expect(r.status).toBe(404);
  });
});

describe('/metrics', () => {
  it('counts requests by kind, ack latency, assessments by outcome, Slack errors and store latency', async () => {
    const d = new Driver(h, 'U1', 'CMETRICS');
    await d.start();
    h.standin.failNext('chat.postEphemeral', { error: 'channel_not_found' });
    await d.reply('1', 'U2'); // someone else: an ephemeral note, which the stand-in refuses once
    await h.standin.waitFor(() => h.standin.calls('chat.postEphemeral').length > 0);
    for (const a of ['small', '1', '5', 'steady', 'no', 'own_datacenter']) await d.answer(a);
    await d.waitForCard();
    const text = await (await fetch(`${metricsBase()}/metrics`)).text();
    expect(text).toMatch(/k8s_advisor_slack_requests_total\{kind="command"\} [1-9]/);
    expect(text).toMatch(/k8s_advisor_slack_requests_total\{kind="action"\} [1-9]/);
    expect(text).toMatch(/k8s_advisor_slack_requests_total\{kind="event"\} [1-9]/);
    expect(text).toMatch(/k8s_advisor_ack_latency_seconds_count\{kind="command"\} [1-9]/);
    expect(text).toMatch(/k8s_advisor_assessments_started_total [1-9]/);
    expect(text).toMatch(/k8s_advisor_assessments_completed_total\{outcome="self_hosted_required"\} 1/);
    expect(text).toMatch(
      /k8s_advisor_slack_api_errors_total\{method="chat.postEphemeral",error="channel_not_found"\} 1/,
    );
    expect(text).toMatch(/k8s_advisor_store_latency_seconds_count\{op="save"\} [1-9]/);
  });

  it('show the outbox: its depth, its oldest call, delivery latency, retries and calls given up on', async () => {
    const d = new Driver(h, 'U1', 'COUTBOX');
    await d.start();
    // Slack refuses the next question twice with a 500: the sender retries it, then it goes through.
    h.standin.failNext('chat.postMessage', { status: 500, times: 1 });
    await d.answer('small');
    await d.waitForQuestion('clusters');
    h.standin.failNext('chat.postEphemeral', { error: 'channel_not_found' });
    await d.reply('1', 'U2');
    await h.app.settled();
    const text = await (await fetch(`${metricsBase()}/metrics`)).text();
    expect(text).toMatch(/k8s_advisor_outbox_depth 0/);
    expect(text).toMatch(/k8s_advisor_outbox_oldest_age_seconds 0/);
    expect(text).toMatch(/k8s_advisor_outbox_delivery_seconds_count\{kind="chat.postMessage"\} [1-9]/);
    expect(text).toMatch(/k8s_advisor_outbox_retries_total\{kind="chat.postMessage",reason="http"\} [1-9]/);
    expect(text).toMatch(
      /k8s_advisor_outbox_dead_total\{kind="chat.postEphemeral",reason="channel_not_found"\} [1-9]/,
    );
    expect(text).toMatch(/k8s_advisor_outbox_dead [1-9]/);
  });
});

describe('logs', () => {
  function capture() {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    return { log: createLogger('debug', sink), lines };
  }

  it('are JSON and never carry a token or signing secret, in fields or in text', async () => {
    const { log, lines } = capture();
    log.info(
      { token: 'xoxb-1234-secret', config: { signingSecret: 'abc' }, headers: { authorization: 'Bearer x' } },
      'hi',
    );
    // Token-shaped strings are built here at run time, so none sits in the repository.
    const bot = ['xoxb', '123456', 'abcdef'].join('-');
    const app = ['xapp', '1', 'A1', '2', 'ff'].join('-');
    log.error(`failed with ${bot} in the message and ${app}`);
    await new Promise((r) => setImmediate(r));
    const all = JSON.stringify(lines);
    expect(all).not.toMatch(/xoxb-1234|xoxb-123456|xapp-1-A1|"abc"|Bearer x/);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'hi', token: '[redacted]' });
    expect(scrub('token xoxp-1-2-3 here')).toBe('token [redacted] here');
  });
});
