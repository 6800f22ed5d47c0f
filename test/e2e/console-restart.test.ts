// A tab left open while its console restarts: the new console has a new token, so the old page can
// never reconnect. It must say so and what to do, show the cluster's status as unknown and offer no
// action — not "reconnecting…" forever over a cluster drawn as running. Real console, real Chromium.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../helpers/test-cluster.js';
import type { RunningConsole } from './console-harness.js';
import { launchBrowser, screenshot, startConsole, until } from './console-harness.js';

const workspace = path.join(mkdtempSync(path.join(os.tmpdir(), 'raftdesk-e2e-restart-')), 'lab');
let first: RunningConsole | null = null;
let second: RunningConsole | null = null;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await first?.stop();
  await second?.stop();
  rmSync(path.dirname(workspace), { recursive: true, force: true });
});

describe('a tab whose console restarted', () => {
  it('says the link expired, shows the status as unknown and disables the actions', async () => {
    const [port] = await freePorts(1);
    first = await startConsole(workspace, port);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(first.url);
    await page.getByTestId('setup-id-0').waitFor();
    expect(await page.getByTestId('connection-banner').count()).toBe(0);

    await first.stop();
    first = null;
    await until('the page to notice', async () => ['reconnecting', 'unreachable'].includes((await page.getByTestId('connection-banner').getAttribute('data-state').catch(() => null)) ?? ''), 30_000);

    second = await startConsole(workspace, port!);
    expect(second.url).not.toBe(page.url());
    const banner = page.getByTestId('connection-banner');
    await until('the expired link to be told', async () => (await banner.getAttribute('data-state')) === 'expired', 60_000);
    await screenshot(page, 'restart-expired-link');
    expect(await banner.textContent()).toContain('This console was restarted and printed a new link');
    expect(await page.getByTestId('cluster-status').textContent()).toContain('status unknown');
    expect(await page.getByTestId('header-start').isDisabled()).toBe(true);
    expect(await page.getByTestId('heal-all').isDisabled()).toBe(true);

    // The new link works.
    await page.goto(second.url);
    await page.getByTestId('setup-id-0').waitFor();
    expect(await page.getByTestId('connection-banner').count()).toBe(0);
  });
});
