// The playground end to end in headless Debian Chromium, driven by playwright-core: no browser download, no
// network beyond 127.0.0.1. One launch; the steps share the page and run in order.

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/playground/server.js';
import { type Browser, openBrowser, startTestPlayground, tempDatabase } from './support.js';

const SCREENSHOT = join('test-results', 'playground-card.png');
const CARD_TITLE = 'Self-hosted Kubernetes (required)';

let playground: Playground;
let browser: Browser;
let page: Page;
const database = tempDatabase();
let alexThread = '';

const channel = () => page.locator('#pg-channel-messages');
const thread = () => page.locator('#pg-thread-messages');
const parentOf = (name: string) =>
  channel().locator('article.msg', { hasText: `@${name} is running a Kubernetes hosting assessment` });
const finishedParentOf = (name: string) =>
  channel().locator('article.msg', { hasText: `@${name}'s Kubernetes hosting assessment` });
const asUser = (id: string) => page.selectOption('#pg-user', id);

async function answer(button: string) {
  await thread().getByRole('button', { name: button, exact: true }).click();
}

async function reply(text: string, nextPrompt: string | RegExp) {
  const input = page.locator('#pg-thread-input');
  await input.fill(text);
  await input.press('Enter');
  await expect.poll(() => input.inputValue()).toBe('');
  await thread().locator('article.msg', { hasText: nextPrompt }).last().waitFor();
}

const cardIn = (where: Locator) =>
  where.locator('article.msg', { has: page.locator('.bk-header', { hasText: CARD_TITLE }) });

beforeAll(async () => {
  playground = await startTestPlayground(database);
  browser = await openBrowser();
  page = browser.page;
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await playground?.stop();
  rmSync(join(database, '..'), { recursive: true, force: true });
});

describe('playground in a browser', { timeout: 30_000 }, () => {
  it('opens on an empty channel that says to type /k8s-advisor', async () => {
    await page.goto(playground.url);
    await expect.poll(() => page.title()).toContain('k8s-advisor playground');
    await expect.poll(() => channel().locator('.pg-empty').textContent()).toContain('/k8s-advisor');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('pg-channel-input');
  });

  it('runs an assessment by clicking, with the keyboard where it counts', async () => {
    await asUser('U0ALEX');
    const input = page.locator('#pg-channel-input');
    await input.fill('/k8s-advisor');
    await input.press('Enter');
    const parent = parentOf('Alex');
    await parent.locator('.msg-thread-link').click();
    alexThread = (await parent.getAttribute('data-ts')) ?? '';
    expect(alexThread).toMatch(/^\d+\.\d{6}$/);

    // Shift+Tab from the reply box lands on the question's buttons.
    await page.locator('#pg-thread-input').focus();
    await page.keyboard.press('Shift+Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Skip');

    await answer('Small or new to Kubernetes operations');
    // The answered question loses its buttons; focus moves to the next question's first one, so Enter answers.
    await thread().getByRole('button', { name: '1', exact: true }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('1');
    await page.keyboard.press('Enter');
    await answer('Under 10');
    await answer('Steady, it barely changes');
    await answer('No');
    await answer('In our own data centre');

    const card = cardIn(thread());
    await card.waitFor();
    for (const name of ['Share to channel', 'Change an answer', 'Restart']) {
      await expect.poll(() => card.getByRole('button', { name }).isEnabled()).toBe(true);
    }
    // The parent in the channel now shows the verdict and counts the thread's replies.
    await expect
      .poll(() => finishedParentOf('Alex').locator('.msg-reply-count').textContent())
      .toBe('7 replies');

    // The README's screenshot: the finished card, header first, at 1280×800.
    await card.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
  });

  it('keeps the assessment to its owner: another user is told so, privately', async () => {
    await asUser('U0SAM');
    await cardIn(thread()).getByRole('button', { name: 'Change an answer' }).click();
    const whisper = thread().locator('article.msg-ephemeral', {
      hasText: 'This assessment belongs to @Alex',
    });
    await whisper.waitFor();
    expect(await whisper.textContent()).toContain('Only visible to you');

    await asUser('U0ALEX');
    await expect.poll(() => thread().locator('article.msg-ephemeral').count()).toBe(0);
    expect(await cardIn(thread()).count()).toBe(1);
  });

  it('runs an assessment by typing replies in the thread', async () => {
    await asUser('U0JO');
    await page.locator('#pg-thread-close').click();
    const input = page.locator('#pg-channel-input');
    await input.fill('/k8s-advisor');
    await input.press('Enter');
    await parentOf('Jo').locator('.msg-thread-link').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('pg-thread-input');
    await thread().locator('article.msg', { hasText: 'How big is the team' }).waitFor();

    await reply('2', 'How many clusters');
    await reply('3', 'How many nodes');
    await reply('30', 'How much does the size');
    await reply('steady', 'privileged access to your clusters');
    await reply('no', 'where would the clusters run');
    await reply('own_datacenter', CARD_TITLE);
    await cardIn(thread()).waitFor();
    await finishedParentOf('Jo').waitFor();
    // Jo's typed replies are in the thread, as Jo's.
    expect(await thread().locator('article.msg:not(.msg-bot)').count()).toBe(6);
  });

  it('shows what Slack refuses instead of hiding it', async () => {
    const res = await fetch(`${playground.standin.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-playground', 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'C0PLATFORM',
        text: 'too long',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }],
      }),
    });
    expect(await res.json()).toMatchObject({ ok: false, error: 'invalid_blocks' });
    const refused = channel().locator('.pg-refused');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/invalid_blocks[\s\S]*3001 characters, Slack allows 3000/);
    await expect.poll(() => page.locator('#pg-notice').textContent()).toContain('invalid_blocks');
  });

  it('restores the channel and its threads after a reload and a restart, and carries on', async () => {
    await page.reload();
    await finishedParentOf('Alex').waitFor();
    await finishedParentOf('Jo').waitFor();
    await cardIn(thread()).waitFor(); // Jo's thread was open, and still is

    await asUser('U0ALEX');
    await finishedParentOf('Alex').locator('.msg-thread-link').click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#platform/${alexThread}`);

    // A restart on the same port, with the page left open: it reconnects, sees a new run, and reloads its state.
    await playground.stop();
    await expect.poll(() => page.locator('#pg-notice').textContent()).toContain('reconnecting');
    playground = await startTestPlayground(database, playground.port);
    await expect.poll(() => page.locator('#pg-notice').isHidden()).toBe(true);
    await expect.poll(() => channel().locator('article.msg .msg-thread-link').count()).toBe(2);
    const card = cardIn(thread());
    await card.waitFor();

    // Change one answer through the card's select: the assessment continues in the same thread.
    await card.getByRole('button', { name: 'Change an answer' }).click();
    const picker = thread().locator('select.bk-select');
    await picker.selectOption({ label: 'How much does the size of your clusters change?' });
    await answer('Large and unpredictable swings');
    await expect.poll(() => cardIn(thread()).count()).toBe(2);
    // Posts after the restart get later ts than the restored ones, so they sort below them.
    const rows = await thread()
      .locator('article.msg')
      .evaluateAll((els) => els.map((el) => (el.querySelector('.bk-header') ? 'card' : 'other')));
    expect(rows.indexOf('card')).toBeLessThan(rows.length - 1);
    expect(rows.at(-1)).toBe('card');
  });

  it('stays readable in a narrow window, works offline and logs no errors', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await thread().getByRole('button', { name: 'Restart' }).last().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.locator('#pg-thread-close').click();
    expect(await page.locator('#pg-channel-input').isVisible()).toBe(true);
    expect(browser.foreignRequests).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  });
});
