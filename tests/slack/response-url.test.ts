import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { classify } from '../../src/slack/outbox-sender.js';
import { postResponse, respondCall, respondTask } from '../../src/slack/response-url.js';

const HOST = 'http://hooks.response.test';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

/** Answers POST /r with `status` and `body`, recording what was posted. */
function hook(status: number, body: string) {
  const posted: unknown[] = [];
  nock(HOST)
    .post('/r')
    // nock 15 hands a one-argument reply function the fetch Request itself (see tests/support/slack.ts).
    .reply((async (req: Request) => {
      posted.push(JSON.parse(await req.text()));
      return [status, body];
    }) as never);
  return posted;
}

const failure = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('answering through a response_url', () => {
  it('posts the message as JSON, as an outbox item of its own kind', async () => {
    const posted = hook(200, 'ok');
    const call = respondCall('T1', 'privacy:T1:U1', `${HOST}/r`, { text: 'done', replace_original: true });
    expect(call).toMatchObject({ teamId: 'T1', lane: 'privacy:T1:U1', kind: 'respond' });
    await respondTask({ ...call, id: '1', attempts: 0, createdAt: 0 });
    expect(posted).toEqual([{ text: 'done', replace_original: true }]);
  });

  it('gives up on a URL Slack refuses for good, with its reason', async () => {
    hook(404, 'expired_url');
    expect(classify(await failure(postResponse(`${HOST}/r`, { text: 'x' })))).toEqual({
      retry: false,
      reason: 'expired_url',
    });
    hook(400, '{"ok":false,"error":"invalid_blocks"}');
    expect(classify(await failure(postResponse(`${HOST}/r`, { text: 'x' })))).toEqual({
      retry: false,
      reason: 'invalid_blocks',
    });
  });

  it('tries again after a 5xx, a 429 or a failed connection', async () => {
    hook(503, 'unavailable');
    expect(classify(await failure(postResponse(`${HOST}/r`, { text: 'x' })))).toMatchObject({ retry: true });
    hook(429, 'slow down');
    expect(classify(await failure(postResponse(`${HOST}/r`, { text: 'x' })))).toMatchObject({ retry: true });
    nock(HOST).post('/r').replyWithError('socket hang up');
    expect(classify(await failure(postResponse(`${HOST}/r`, { text: 'x' })))).toEqual({
      retry: true,
      reason: 'network',
    });
  });
});
