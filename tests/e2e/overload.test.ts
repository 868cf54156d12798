import { type ClientRequest, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_PER_SLOT } from '../../src/slack/admission.js';
import { Driver, type Harness, isTopLevel, startHarness, WAIT_MS } from './harness.js';

const MAX_IN_FLIGHT = 1;
const LINE = QUEUE_PER_SLOT * MAX_IN_FLIGHT;
const FLOOD = 60;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ config: { maxInFlight: MAX_IN_FLIGHT, metricsPort: 0 } });
});
afterAll(async () => {
  await h?.stop();
});

async function metrics() {
  return (await fetch(`http://127.0.0.1:${h.app.metricsPort}/metrics`)).text();
}

/** A counter or gauge in Prometheus text, summed over the series whose labels contain `labels`; 0 when absent. */
function metric(text: string, name: string, labels = ''): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => line.includes(labels))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

async function until(cond: () => boolean | Promise<boolean>) {
  const deadline = Date.now() + WAIT_MS;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A request admitted that then sends its body slowly, so it keeps the one slot while the flood arrives (until the
 * gate cuts it, 3 s on): the flood finds the app busy however fast the machine is.
 */
function slowRequest(url: string): ClientRequest {
  const req = request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': '1000' },
  });
  req.on('error', () => {}); // destroyed on purpose below
  req.write('{');
  return req;
}

/**
 * Every command answered 200 was committed: its parent message and first question reach Slack. Every command
 * answered 503 was turned away before anything was done: nothing posted, nothing left queued.
 */
async function checkOutcomes(drivers: Driver[], statuses: number[]) {
  expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
  const taken = drivers.filter((_, i) => statuses[i] === 200);
  const refused = drivers.filter((_, i) => statuses[i] === 503);
  await Promise.all(
    taken.map(async (d) => {
      const parent = await h.standin.waitFor(
        () => h.standin.messages(d.channel).find((m) => isTopLevel(m) && m.text.includes('<@U1>')),
        WAIT_MS,
      );
      d.threadTs = parent.ts;
      await d.waitForQuestion();
    }),
  );
  await h.app.settled();
  for (const d of refused) expect(h.standin.messages(d.channel), d.channel).toEqual([]);
  return { taken, refused };
}

describe('overload', () => {
  it('answers a flood of slash commands beyond its bound with 200 or 503, and loses none it took', async () => {
    const holder = slowRequest(h.url);
    await until(async () => metric(await metrics(), 'k8s_advisor_slack_requests_in_process') === 1);

    const drivers = Array.from({ length: FLOOD }, (_, i) => new Driver(h, 'U1', `COVERLOAD${i}`));
    let answered = 0;
    // All at once, each from its own channel, as many people typing the command in the same moment.
    const pending = drivers.map((d) =>
      d.command('').then((a) => {
        answered++;
        return a;
      }),
    );
    // The line is full and everyone else has been turned away; the slot frees and the line moves.
    await until(() => answered >= FLOOD - LINE);
    holder.destroy();
    const statuses = (await Promise.all(pending)).map((a) => a.status);

    const { taken, refused } = await checkOutcomes(drivers, statuses);
    // Typically FLOOD - LINE; fewer only if the holder was cut before the flood had all been answered.
    expect(refused.length).toBeGreaterThan(0);

    const text = await metrics();
    expect(metric(text, 'k8s_advisor_slack_requests_shed_total')).toBe(refused.length);
    expect(metric(text, 'k8s_advisor_slack_requests_shed_total', 'reason="queue_full"')).toBeGreaterThan(0);
    // The flood's commands taken, and the slow request.
    expect(metric(text, 'k8s_advisor_slack_requests_admitted_total')).toBe(taken.length + 1);
    expect(metric(text, 'k8s_advisor_slack_requests_in_process')).toBe(0);
    expect(metric(text, 'k8s_advisor_slack_requests_waiting')).toBe(0);

    // Once the flood has passed, a command is served as usual.
    const after = new Driver(h, 'U1', 'COVERLOAD-AFTER');
    await after.start();
    expect(after.current()).toBeDefined();
  });

  it('serves a flood from many channels at full speed without losing any command, whatever it had to shed', async () => {
    const before = await metrics();
    const drivers = Array.from({ length: FLOOD }, (_, i) => new Driver(h, 'U1', `CFLOOD${i}`));
    const statuses = (await Promise.all(drivers.map((d) => d.command('')))).map((a) => a.status);
    const { taken, refused } = await checkOutcomes(drivers, statuses);
    const text = await metrics();
    const delta = (name: string) => metric(text, name) - metric(before, name);
    expect(delta('k8s_advisor_slack_requests_shed_total')).toBe(refused.length);
    expect(delta('k8s_advisor_slack_requests_admitted_total')).toBe(taken.length);
    expect(metric(text, 'k8s_advisor_slack_requests_in_process')).toBe(0);
  });
});
