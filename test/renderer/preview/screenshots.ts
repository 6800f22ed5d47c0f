// Dev-only: walks the console through a scripted session against the fake cluster in Debian's
// Chromium and saves screenshots under artifacts/screens/, at 1440×900 and 1024×700, dark and light.
//   npx tsx test/renderer/preview/screenshots.ts [--only=1440-dark]
// Never downloads a browser: it uses /usr/bin/chromium.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { buildPreview, startPreviewServer } from './serve.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const outDir = path.join(repo, 'artifacts/screens');

const SIZES = [
  { name: '1440', width: 1440, height: 900 },
  { name: '1024', width: 1024, height: 700 },
];
const SCHEMES = ['dark', 'light'] as const;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function leaderId(page: Page): Promise<string> {
  const card = page.locator('[data-testid^="node-card-"][data-role="leader"]').filter({ has: page.getByTestId('leader-badge') });
  await card.first().waitFor({ timeout: 10_000 });
  return ((await card.first().getAttribute('data-testid')) ?? '').replace('node-card-', '');
}

async function followers(page: Page, leader: string): Promise<string[]> {
  const ids = await page.locator('[data-testid^="node-card-"]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-testid')?.replace('node-card-', '') ?? ''));
  return ids.filter((id) => id !== leader);
}

async function tour(page: Page, base: string, shot: (name: string) => Promise<void>): Promise<void> {
  await page.goto(`${base}?nodes=5`);
  await page.getByTestId('setup-peerPort-1').waitFor();
  await page.getByTestId('setup-peerPort-1').fill('7101');
  await page.getByTestId('issue-nodes[1].peerPort').waitFor();
  await shot('01-setup-with-issue');
  await page.getByTestId('setup-peerPort-1').fill('7102');
  await page.getByTestId('setup-advanced').locator('summary').click();
  await pause(500);
  await shot('02-setup-advanced');

  await page.getByTestId('start-cluster').click();
  await leaderId(page);
  await page.keyboard.press('/');
  await page.keyboard.type('color=blue');
  await page.keyboard.press('Enter');
  await page.getByTestId('submit-result').waitFor();
  await pause(3500);
  await shot('03-cluster-healthy');

  const leader = await leaderId(page);
  const [f1, f2, f3] = await followers(page, leader);
  if (!f3) throw new Error('The tour needs at least four nodes.');
  await page.getByTestId(`fault-kill-${leader}`).click();
  await page.getByTestId(`fault-pause-${f1}`).click();
  await pause(2500);
  await page.getByTestId(`node-card-${f2}`).click();
  await page.getByTestId(`fault-cut-${f2}-${f3}`).click();
  await page.getByTestId(`fault-delay-${f2}`).fill('300');
  await pause(1500);
  await shot('04-cluster-faults');

  await page.keyboard.press('Escape');
  await page.keyboard.press('h');
  await page.getByTestId(`fault-resume-${f1}`).click();
  await page.getByTestId(`fault-start-${leader}`).click();
  await pause(1500);
  const isolated = await leaderId(page);
  const commitBefore = Number(await page.getByTestId(`node-card-${isolated}`).getAttribute('data-commit'));
  await page.getByTestId(`fault-isolate-${isolated}`).click();
  await pause(2500);
  await shot('05-cluster-isolated');

  await page.keyboard.press('3');
  await pause(1000);
  await shot('06-logs-tail');
  // The isolated leader kept taking writes it could not commit: show where the logs diverge.
  await page.getByLabel('Show from index').fill(String(Math.max(1, commitBefore - 4)));
  await page.getByRole('button', { name: 'Show' }).click();
  await pause(1500);
  await shot('06-logs-divergence');

  await page.keyboard.press('h');
  await page.keyboard.press('4');
  await page.getByTestId('experiment-durationSec').fill('6');
  await page.getByTestId('experiment-intervalSec').fill('2');
  await page.getByTestId('experiment-seed').fill('3');
  await page.getByTestId('experiment-run').click();
  await pause(3000);
  await shot('07-experiment-running');
  await page.getByTestId('experiment-verdict').waitFor({ timeout: 20_000 });
  await pause(300);
  await shot('08-experiment-verdict');

  await page.keyboard.press('?');
  await page.getByTestId('shortcuts').waitFor();
  await shot('09-shortcuts');
  await page.keyboard.press('Escape');

  await page.goto(`${base}?nodes=7&running=1`);
  await page.keyboard.press('2');
  await leaderId(page);
  await pause(4000);
  await shot('10-seven-nodes');
}

const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

await mkdir(outDir, { recursive: true });
await buildPreview();
const server = await startPreviewServer();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  for (const size of SIZES) {
    for (const scheme of SCHEMES) {
      const tag = `${size.name}-${scheme}`;
      if (only && only !== tag) continue;
      const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, colorScheme: scheme });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await tour(page, server.url, async (name) => {
        await page.screenshot({ path: path.join(outDir, `${tag}-${name}.png`) });
      });
      await context.close();
      console.log(`${tag}: done${errors.length ? `, page errors: ${errors.join(' | ')}` : ''}`);
    }
  }
} finally {
  await browser.close();
  await server.close();
}
