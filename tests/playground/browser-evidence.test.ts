// Evidence from a cluster in the playground, in headless Chromium: the thread's "Try the sample evidence" shares
// docs/sample-evidence.json, "Attach a file" shares one from disk, and the app answers as it would in Slack (the
// stand-in stores the file, the app hears file_share, fetches it with files.info and its download URL). Controls
// are found by role and name.

import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/playground/server.js';
import { type Browser, openBrowser, startTestPlayground, tempDatabase } from './support.js';

let playground: Playground;
let browser: Browser;
let page: Page;
const database = tempDatabase();

const channel = () => page.locator('#pg-channel-messages');
const thread = () => page.locator('#pg-thread-messages');
const tools = () => page.getByRole('group', { name: 'Share a file in this thread' });
const asUser = (id: string) => page.getByLabel('You are').selectOption(id);
const cardTitled = (title: string) =>
  thread().locator('article.msg', { has: page.locator('.bk-header', { hasText: title }) });

async function answer(where: Locator, button: string) {
  await where.getByRole('button', { name: button, exact: true }).click();
}

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

describe('evidence in the playground', { timeout: 40_000 }, () => {
  it('shares the sample evidence in the thread and the card comes back recomputed, from evidence', async () => {
    await page.goto(playground.url);
    await asUser('U0ALEX');
    const input = page.getByRole('textbox', { name: 'Message the channel' });
    await input.fill('/k8s-advisor');
    await input.press('Enter');
    await channel()
      .getByRole('button', { name: /view thread|Reply in thread/i })
      .first()
      .click();
    for (const button of [
      'Small or new to Kubernetes operations',
      '1',
      'Under 10',
      'Steady, it barely changes',
      'Yes',
      'None beyond our own policies',
      'Amazon EKS',
      'High, we already trust it with our cloud',
      'Strong controls we have checked',
      'Yes',
    ])
      await answer(thread(), button);
    await cardTitled('Managed Kubernetes').first().waitFor();

    await tools().getByRole('button', { name: 'Try the sample evidence' }).click();
    // The file shows in the thread as Alex's, then the app's answer and the recomputed card.
    await thread().getByRole('link', { name: 'sample-evidence.json' }).waitFor();
    await thread().locator('article.msg', { hasText: 'is now part of this assessment' }).waitFor();
    const card = cardTitled('Managed Kubernetes, with safeguards');
    await card.waitFor();
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('Evidence from your cluster');
    expect(text).toContain('eks:addon-manager');
    expect(text).toContain('from evidence, pilot, 2026-12-03 09:00 UTC');
    // For people to look at: the card's Evidence section under the judgments.
    await card.locator('.bk-section', { hasText: 'Evidence from your cluster' }).scrollIntoViewIfNeeded();
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: join('test-results', 'playground-evidence.png') });
  });

  it('attaches a file from disk; one that is not evidence is refused in the thread', async () => {
    const chooser = page.waitForEvent('filechooser');
    await tools().getByRole('button', { name: 'Attach a file' }).click();
    await (await chooser).setFiles({
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from('cluster-admin: everyone'),
    });
    const refusal = thread().locator('article.msg', { hasText: 'I could not use' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Nothing in this assessment changed');
    expect(await cardTitled('Managed Kubernetes, with safeguards').count()).toBe(1);
  });

  it('tells someone else privately that their file changes nothing', async () => {
    await asUser('U0SAM');
    const chooser = page.waitForEvent('filechooser');
    await tools().getByRole('button', { name: 'Attach a file' }).click();
    await (await chooser).setFiles({
      name: 'evidence.json',
      mimeType: 'application/json',
      buffer: readFileSync('docs/sample-evidence.json'),
    });
    const note = thread().locator('article.msg-ephemeral', { hasText: 'changes nothing' });
    await note.waitFor();
    expect(await note.textContent()).toContain('Only visible to you');
    expect(browser.pageErrors).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
  });
});
