// The newcomer's layout complaints, measured in Chromium against the scripted fake cluster (no
// nodes needed): 7 nodes at 1024×700 do not overlap, long IDs and long sentences stay inside the
// window, badges stay on one line, the Logs view keeps room for entries with 7 nodes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildPreview, startPreviewServer, type PreviewServer } from '../renderer/preview/serve.js';
import { launchBrowser, screenshot } from './console-harness.js';

let server: PreviewServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  await buildPreview();
  server = await startPreviewServer();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1024, height: 700 }, colorScheme: 'dark' });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Nothing sticks out sideways: the page never needs a horizontal scroll bar. */
async function noHorizontalOverflow(): Promise<void> {
  // Page code as text: this file is type-checked without the DOM library.
  const { scroll, client } = await page.evaluate<{ scroll: number; client: number }>('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })');
  expect(scroll).toBeLessThanOrEqual(client);
}

describe('newcomer layout at 1024×700', () => {
  it('a 200-character ID and its sentence stay inside the window', async () => {
    await page.goto(`${server.url}?nodes=7`);
    await page.getByTestId('setup-id-0').fill('X'.repeat(200));
    await page.getByTestId('issue-nodes[0].id').waitFor();
    await screenshot(page, 'newcomer-long-id-setup');
    await noHorizontalOverflow();
    const issue = await page.getByTestId('issue-nodes[0].id').evaluate((el) => ({ right: el.getBoundingClientRect().right, scroll: el.scrollWidth, client: el.clientWidth }));
    expect(issue.right).toBeLessThanOrEqual(1024);
    expect(issue.scroll).toBeLessThanOrEqual(issue.client);
  });

  it('seven cards do not overlap, long IDs are cut on one line, badges never wrap', async () => {
    await page.getByTestId('setup-id-0').fill('a'.repeat(200));
    await page.getByTestId('start-cluster').click();
    await page.getByTestId('leader-badge').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1500);
    await screenshot(page, 'newcomer-seven-1024');
    const boxes = await page.locator('[data-testid^="node-card-"]').evaluateAll((cards) =>
      cards.map((c) => {
        const r = c.getBoundingClientRect();
        return { id: c.getAttribute('data-testid'), x: r.x, y: r.y, w: r.width, h: r.height };
      }),
    );
    expect(boxes).toHaveLength(7);
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1)) {
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
        expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
      }
    const long = await page.locator('[data-testid^="node-card-aaaa"] .id').evaluate((el) => ({
      cut: el.scrollWidth > el.clientWidth,
      card: el.closest('[data-testid^="node-card-"]')!.getBoundingClientRect().width,
    }));
    expect(long.cut).toBe(true);
    expect(long.card).toBeLessThan(200);
    const badges = (await page.evaluate(
      `[...document.querySelectorAll('[data-testid^="node-card-"] .badge')].map((el) => ({ wrap: getComputedStyle(el).whiteSpace, height: el.getBoundingClientRect().height }))`,
    )) as { wrap: string; height: number }[];
    expect(badges.length).toBeGreaterThan(0);
    for (const b of badges) {
      expect(b.wrap).toBe('nowrap');
      expect(b.height).toBeLessThan(24);
    }
    await noHorizontalOverflow();
  });

  it('the Logs view with seven nodes keeps room for each entry', async () => {
    await page.keyboard.press('/');
    await page.keyboard.type('color=blue');
    await page.keyboard.press('Enter');
    await page.getByTestId('submit-result').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('3');
    await page.getByTestId('log-table').waitFor();
    await page.waitForTimeout(1000);
    await screenshot(page, 'newcomer-logs-seven');
    const widths = await page.locator('[data-testid="log-table"] td.present').evaluateAll((tds) => tds.slice(0, 14).map((td) => td.getBoundingClientRect().width));
    expect(widths.length).toBeGreaterThan(0);
    for (const w of widths) expect(w).toBeGreaterThanOrEqual(140);
    // The table scrolls inside its panel; the page itself does not.
    await noHorizontalOverflow();
    const panel = await page.locator('section.logs').boundingBox();
    expect(panel!.x + panel!.width).toBeLessThanOrEqual(1024);
  });
});
