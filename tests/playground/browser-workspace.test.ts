// The playground as a Slack workspace in headless Chromium: files in their thread, direct messages kept to their
// person, the app's Home tab, emoji, the app's probes on the playground's port, and message layout at two widths
// (screenshots under test-results/ for people to look at). Controls are found by role and name, as a person would.

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/playground/server.js';
import { type Browser, openBrowser, startTestPlayground, tempDatabase } from './support.js';

const RESULTS = 'test-results';
const CARD_TITLE = 'Self-hosted Kubernetes (required)';

let playground: Playground;
let browser: Browser;
let page: Page;
const database = tempDatabase();
let adrLink = '';

const channel = () => page.locator('#pg-channel-messages');
const thread = () => page.locator('#pg-thread-messages');
const sidebar = () => page.getByRole('navigation', { name: 'Workspace' });
const dms = () => sidebar().getByRole('region', { name: 'Direct messages' });
const home = () => page.getByRole('region', { name: /Home tab/ });
const asUser = (id: string) => page.getByLabel('You are').selectOption(id);
const cardIn = (where: Locator) =>
  where.locator('article.msg', { has: page.locator('.bk-header', { hasText: CARD_TITLE }) });

async function command(text: string) {
  const input = page.getByRole('textbox', { name: 'Message the channel' });
  await input.fill(text);
  await input.press('Enter');
  await expect.poll(() => input.inputValue()).toBe('');
}

async function answer(where: Locator, button: string) {
  await where.getByRole('button', { name: button, exact: true }).click();
}

/** Text a person reads in the open panes, without code spans (where a shortcode is meant literally). */
const readableText = () =>
  page.evaluate(() => {
    const panes = Array.from(
      document.querySelectorAll('#pg-channel-messages, #pg-thread-messages, #pg-home-view'),
    );
    return panes
      .map((pane) => {
        const copy = pane.cloneNode(true) as HTMLElement;
        for (const code of Array.from(copy.querySelectorAll('code, pre'))) code.remove();
        return copy.textContent ?? '';
      })
      .join('\n');
  });

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

describe('playground workspace in a browser', { timeout: 40_000 }, () => {
  it('shows a decision record in its thread at once, as a link named after the file, on its own port', async () => {
    await page.goto(playground.url);
    await asUser('U0ALEX');
    await command('/k8s-advisor');
    await channel()
      .getByRole('button', { name: /view thread|Reply in thread/i })
      .first()
      .click();
    await answer(thread(), 'Small or new to Kubernetes operations');
    await answer(thread(), '1');
    await answer(thread(), 'Under 10');
    await answer(thread(), 'Steady, it barely changes');
    await answer(thread(), 'No');
    await answer(thread(), 'In our own data centre');
    const card = cardIn(thread());
    await card.waitFor();
    await card.getByRole('button', { name: 'Decision record (ADR)' }).click();

    // No reload: the upload arrives on the stream as a file card.
    const link = thread().getByRole('link', { name: /^adr-kubernetes-hosting-\d{4}-\d{2}-\d{2}\.md$/ });
    await link.waitFor();
    adrLink = (await link.getAttribute('href')) ?? '';
    expect(new URL(adrLink).origin).toBe(new URL(playground.url).origin);
    const record = await fetch(adrLink);
    expect(record.status).toBe(200);
    expect(await record.text()).toMatch(/^# Self-hosted Kubernetes \(required\)/);

    // A restart on the same port: the thread and its file come back, and the link still works.
    await playground.stop();
    playground = await startTestPlayground(database, playground.port);
    await page.reload();
    await thread()
      .getByRole('link', { name: /^adr-kubernetes-hosting-/ })
      .waitFor();
    expect(await (await fetch(adrLink)).text()).toMatch(/^# Self-hosted Kubernetes \(required\)/);
  });

  it('delivers /k8s-advisor export to a direct message that only its person sees', async () => {
    await expect.poll(() => dms().getByRole('button').count()).toBe(0);
    await command('/k8s-advisor export');
    // The DM appears as it arrives, under its heading, named after the app.
    const dm = dms().getByRole('button', { name: 'k8s-advisor' });
    await dm.waitFor();
    await dm.click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('k8s-advisor');
    const files = channel().getByRole('link', { name: /^k8s-advisor-export-.*\.(json|md)$/ });
    await expect.poll(() => files.count()).toBe(2);
    const json = await fetch((await files.first().getAttribute('href')) ?? '');
    expect(JSON.parse(await json.text())).toMatchObject({ assessments: [expect.anything()] });

    // Sam sees no DM of Alex's: not in the page, and not in what the server sends Sam's page.
    await asUser('U0SAM');
    await expect.poll(() => dms().getByRole('button').count()).toBe(0);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('# platform');
    expect(await page.locator('body').textContent()).not.toMatch(/k8s-advisor-export-/);
    const asSam = await page.evaluate(async () => (await fetch('/api/state?user=U0SAM')).text());
    expect(asSam).not.toContain('D0ALEX');
    expect(asSam).not.toContain('k8s-advisor-export-');
    await asUser('U0ALEX');
    await dms().getByRole('button', { name: 'k8s-advisor' }).waitFor();
  });

  it("opens the app's Home tab, whose buttons and links work", async () => {
    await page.getByRole('button', { name: 'Home', exact: true }).click();
    const start = home().getByRole('button', { name: 'Start a new assessment' });
    await start.waitFor();
    expect(await home().textContent()).toContain(CARD_TITLE);
    await start.click();

    // The app starts one in a DM thread and republishes Home with it in progress, linked to its thread.
    const inProgress = home().getByRole('link', { name: /In progress — question 1 of \d+/ });
    await inProgress.waitFor();
    await inProgress.click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('k8s-advisor');
    const question = thread().getByRole('button', { name: 'Small or new to Kubernetes operations' });
    await question.waitFor();
    await question.click();
    await thread().getByRole('button', { name: '1', exact: true }).waitFor();
  });

  it('renders the emoji shortcodes the app uses as emoji', async () => {
    await sidebar()
      .getByRole('button', { name: /platform/ })
      .click();
    await command('/k8s-advisor digest daily');
    await channel().getByRole('img', { name: 'white check mark' }).last().waitFor();
    await command('/k8s-advisor digest status');
    await channel().getByRole('img', { name: 'calendar' }).last().waitFor();
    await command('/k8s-advisor digest off');
    const bell = channel().getByRole('img', { name: 'no bell' });
    await bell.waitFor();
    expect(await bell.textContent()).toBe('🔕');
    await channel()
      .getByRole('button', { name: /view thread/ })
      .first()
      .click();
    // The verdict's emoji comes from the questionnaire (outcomes' `emoji: ":lock:"`).
    expect(await cardIn(thread()).getByRole('heading').getByRole('img', { name: 'lock' }).textContent()).toBe(
      '🔒',
    );
    expect(await readableText()).not.toMatch(/:[a-z0-9_+-]+:/);
  });

  it('answers the app’s probes and metrics on the playground’s port', async () => {
    const tab = await browser.context.newPage();
    try {
      for (const [path, text] of [
        ['healthz', 'ok'],
        ['readyz', 'ready'],
        ['metrics', 'k8s_advisor_slack_requests_total'],
      ] as const) {
        const res = await tab.goto(`${playground.url}${path}`);
        expect(res?.status()).toBe(200);
        expect(await tab.locator('body').textContent()).toContain(text);
      }
    } finally {
      await tab.close();
    }
  });

  it('lays messages out like Slack at 1024 and 1920 pixels: text beside accessories, never squeezed', async () => {
    // The card's "Change an answer" asks with a long select as the section's accessory.
    await cardIn(thread()).getByRole('button', { name: 'Change an answer' }).click();
    const picker = thread().getByRole('combobox', { name: 'Pick a question' });
    await picker.waitFor();
    mkdirSync(RESULTS, { recursive: true });
    for (const width of [1024, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      await picker.scrollIntoViewIfNeeded();
      const sections = await page.evaluate(() =>
        Array.from(document.querySelectorAll('.bk-section'))
          .filter((s) => s.querySelector(':scope > .bk-accessory') && (s as HTMLElement).offsetParent)
          .map((s) => {
            const box = (el: Element | null) => el?.getBoundingClientRect() as DOMRect;
            return {
              section: box(s).width,
              text: box(s.querySelector(':scope > .bk-section-body')),
              accessory: box(s.querySelector(':scope > .bk-accessory')),
              message: box(s.closest('article.msg')),
            };
          }),
      );
      expect(sections.length).toBeGreaterThan(0);
      for (const { section, text, accessory, message } of sections) {
        expect(text.width).toBeGreaterThanOrEqual(150);
        expect(text.width).toBeGreaterThanOrEqual(section * 0.5);
        expect(accessory.left).toBeGreaterThanOrEqual(text.right); // beside the text, not over it
        expect(accessory.right).toBeLessThanOrEqual(message.right + 0.5);
        expect(accessory.top).toBeLessThan(text.bottom); // level with the text, not pushed below it
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
      await page.screenshot({ path: join(RESULTS, `playground-layout-${width}.png`) });
    }
    expect(browser.foreignRequests).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  });
});
