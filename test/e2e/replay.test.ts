// A recorded run reopened after the console restarted, and scrubbed back to before a kill: the killed
// node is shown running again at that moment, with the kill not yet on the timeline; its messages
// are drawn as a spacetime diagram. Real console, real nodes, real Chromium. Asserts on what the page
// shows, never on timing.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDefinition } from '../../core/workspace/definition.js';
import { saveDefinition } from '../../core/workspace/workspace.js';
import { freePorts } from '../helpers/test-cluster.js';
import type { RunningConsole } from './console-harness.js';
import { cards, launchBrowser, screenshot, startConsole, until } from './console-harness.js';

const workspace = path.join(mkdtempSync(path.join(os.tmpdir(), 'raftdesk-e2e-replay-')), 'replay');
let server: RunningConsole | null = null;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  const ports = await freePorts(6);
  const definition = makeDefinition({ name: 'replay', nodes: 3, basePort: 7000 });
  definition.nodes.forEach((n, i) => Object.assign(n, { peerPort: ports[2 * i], clientPort: ports[2 * i + 1] }));
  await saveDefinition(workspace, definition);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(path.dirname(workspace), { recursive: true, force: true });
});

async function openPage(url: string): Promise<void> {
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(url);
}

async function leaderId(): Promise<string | null> {
  const leaders = (await cards(page)).filter((c) => c.state === 'running' && c.role === 'leader');
  return leaders.length === 1 ? leaders[0]!.id : null;
}

const stateOf = async (id: string) => (await cards(page)).find((c) => c.id === id)?.state ?? '';

let killed = '';

describe('replay of a recorded run', () => {
  it('records a run with a kill in it', async () => {
    server = await startConsole(workspace);
    await openPage(server.url);
    await page.getByTestId('start-cluster').click();
    const leader = await until('a leader on the node cards', leaderId, 90_000);
    killed = (await cards(page)).map((c) => c.id).find((id) => id !== leader)!;
    await page.getByTestId(`fault-kill-${killed}`).click();
    await until(`${killed} to be shown killed`, async () => (await stateOf(killed)) === 'killed');
    // Stopping the console stops its cluster, which closes the run's recording.
    await page.close();
    await server.stop();
    server = null;
  });

  it('lists the run after a console restart, reopens it, and scrubs back to before the kill', async () => {
    server = await startConsole(workspace);
    await openPage(server.url);
    await page.getByTestId('view-runs').click();
    const run = page.getByTestId('run-item');
    await until('the recorded run to be listed', async () => (await run.count()) === 1);
    expect(await page.getByTestId('runs-bound').textContent()).toContain('oldest records are pruned first');
    await screenshot(page, 'replay-1-runs');
    await run.getByTestId('run-open').click();

    // Opened at its end: the cluster as it stopped, shown as the past.
    const bar = page.getByTestId('replay-bar');
    await bar.waitFor();
    expect(await bar.textContent()).toContain('Past');
    expect(await page.getByTestId('view-cluster').getAttribute('aria-current')).toBe('page');
    const slider = page.getByTestId('replay-slider');
    await slider.focus();
    await page.keyboard.press('End');
    await screenshot(page, 'replay-2-end');
    // (the console's Ctrl-C takes its nodes down with it)
    await until('every node down at the end of the run', async () => (await cards(page)).every((c) => c.state !== 'running'), 10_000).catch(async (e: Error) => {
      throw new Error(`${e.message}; the cards show ${JSON.stringify(await cards(page))}`);
    });

    // Step back, change by change, until the kill is no longer on the timeline: the moment before it.
    const killOnTimeline = async () => new RegExp(`Killed ${killed}|${killed} was killed`).test((await page.getByTestId('timeline-event').allTextContents()).join('\n'));
    let steps = 0;
    while (await killOnTimeline()) {
      await page.keyboard.press('ArrowLeft');
      if (++steps > 400) throw new Error(`The kill of ${killed} stayed on the timeline while stepping back through the run`);
    }
    // The killed node is shown up again, with the others.
    expect(await cards(page)).toSatisfy((all: { state: string }[]) => all.length === 3 && all.every((c) => c.state === 'running'));
    expect(await page.getByTestId(`node-card-${killed}`).getAttribute('data-role')).not.toBe('unknown');
    await screenshot(page, 'replay-3-before-kill');

    // One step forward at a time, the kill comes back.
    let forward = 0;
    while ((await stateOf(killed)) !== 'killed') {
      await page.keyboard.press('ArrowRight');
      if (++forward > 50) throw new Error(`${killed} was not shown killed stepping forward again`);
    }
    expect(await stateOf(killed)).toBe('killed');
    // The past is looked at, not acted on: the faults of the (stopped) live cluster cannot be applied from here.
    const other = (await cards(page)).find((c) => c.state === 'running')!.id;
    expect(await page.getByTestId(`fault-kill-${other}`).isDisabled()).toBe(true);
    await screenshot(page, 'replay-4-at-kill');

    // Its messages around that moment, as a spacetime diagram, downloadable as SVG.
    await page.getByTestId('view-runs').click();
    await until('messages drawn in the spacetime diagram', async () => (await page.getByTestId('spacetime-arrow').count()) > 0);
    await screenshot(page, 'replay-5-spacetime');
    const download = page.waitForEvent('download');
    await page.getByTestId('spacetime-download').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^spacetime-.*\.svg$/);

    // One click back to live.
    await page.getByTestId('replay-live').click();
    expect(await page.getByTestId('replay-bar').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
