// Dev-only benchmark: how much the console costs the browser with a 7-node cluster pushing 20
// states a second under load. Prints figures per view; asserts nothing.
//   npx tsx test/renderer/preview/measure.ts [--seconds=10] [--reduced-motion]

import { chromium, type Page } from 'playwright-core';
import { buildPreview, startPreviewServer } from './serve.js';

const seconds = Number(process.argv.find((a) => a.startsWith('--seconds='))?.slice('--seconds='.length) ?? 10);
const reducedMotion = process.argv.includes('--reduced-motion');

// Runs in the page. A string, because tsx would decorate a function's source with helpers the
// page does not have.
const WATCH_SCRIPT = `(ms) => new Promise((resolve) => {
  let frames = 0, longTasks = 0, longestMs = 0, done = false;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) { longTasks++; longestMs = Math.max(longestMs, entry.duration); }
  });
  observer.observe({ type: 'longtask', buffered: false });
  const count = () => { frames++; if (!done) requestAnimationFrame(count); };
  requestAnimationFrame(count);
  setTimeout(() => { done = true; observer.disconnect(); resolve({ frames, longTasks, longestMs: Math.round(longestMs) }); }, ms);
})`;

/** Frames drawn and long tasks (> 50 ms) seen by the page over `ms`. */
function watchPage(page: Page, ms: number): Promise<{ frames: number; longTasks: number; longestMs: number }> {
  return page.evaluate(`(${WATCH_SCRIPT})(${ms})`);
}

async function measure(page: Page, label: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metric = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
  };
  const before = await metric();
  const seen = await watchPage(page, seconds * 1000);
  const after = await metric();
  const perSec = (name: string) => (((after[name] ?? 0) - (before[name] ?? 0)) * 1000) / seconds;
  console.log(
    `${label.padEnd(22)} ${(seen.frames / seconds).toFixed(1).padStart(5)} frames/s  ` +
      `script ${perSec('ScriptDuration').toFixed(0).padStart(4)} ms/s  layout ${perSec('LayoutDuration').toFixed(0).padStart(3)} ms/s  ` +
      `style ${perSec('RecalcStyleDuration').toFixed(0).padStart(3)} ms/s  long tasks ${seen.longTasks} (longest ${seen.longestMs} ms)  ` +
      `heap ${((after.JSHeapUsedSize ?? 0) / 1e6).toFixed(1)} MB`,
  );
  await cdp.detach();
}

await buildPreview();
const server = await startPreviewServer();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark', reducedMotion: reducedMotion ? 'reduce' : 'no-preference' })).newPage();
  await page.goto(`${server.url}?nodes=7&running=1&hz=20`);
  await page.keyboard.press('2');
  await page.getByTestId('leader-badge').waitFor({ timeout: 15_000 });
  await new Promise((resolve) => setTimeout(resolve, 3000));
  console.log(`7 nodes, 20 states/s, ${seconds} s per view, software rendering (--disable-gpu)${reducedMotion ? ', reduced motion' : ''}:`);
  await measure(page, 'cluster view');
  await page.keyboard.press('3');
  await measure(page, 'logs + output view');
  await page.keyboard.press('4');
  await measure(page, 'experiments view');
} finally {
  await browser.close();
  await server.close();
}
