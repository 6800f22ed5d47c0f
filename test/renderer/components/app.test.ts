import '../dom-stubs.js';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../../../renderer/App.svelte';
import { ALWAYS_OPEN, type ConnectionSource, type ConnectionStatus } from '../../../renderer/lib/connection.js';
import { FakeApi, immediate } from '../fake-api.js';
import { makeEvent, makeLogView, makeState, makeWorkspace } from '../fixtures.js';

async function renderApp(api = new FakeApi(), connection: ConnectionSource = ALWAYS_OPEN) {
  render(App, { api, connection, schedule: immediate });
  await screen.findByTestId('setup-id-0');
  return api;
}

const key = (k: string, target: Element = document.body) => fireEvent.keyDown(target, { key: k });

describe('App', () => {
  it('opens on setup for a stopped workspace and on the cluster for a running one', async () => {
    await renderApp();
    expect(screen.getByTestId('view-setup').getAttribute('aria-current')).toBe('page');

    const api = new FakeApi();
    api.respond('currentDefinition', async () => ({ workspace: makeWorkspace({ running: true }), definition: (await new FakeApi().currentDefinition()).definition }));
    render(App, { api, connection: ALWAYS_OPEN, schedule: immediate });
    await waitFor(() => expect(screen.getAllByTestId('view-cluster').some((b) => b.getAttribute('aria-current') === 'page')).toBe(true));
  });

  it('shows the live leader and term in the header', async () => {
    const api = await renderApp();
    api.pushState(makeState({ leader: 'n2', term: 5 }));
    expect((await screen.findByTestId('cluster-leader')).textContent).toBe('n2');
    expect(screen.getByTestId('cluster-status').textContent).toContain('term 5');
  });

  it('heals all from the button and from the h key, but not while typing', async () => {
    const api = await renderApp();
    api.pushState(makeState());
    await fireEvent.click(await screen.findByTestId('heal-all'));
    await waitFor(() => expect(api.callsTo('healAll')).toHaveLength(1));
    await key('h');
    await waitFor(() => expect(api.callsTo('healAll')).toHaveLength(2));
    await key('h', screen.getByTestId('setup-host-0'));
    expect(api.callsTo('healAll')).toHaveLength(2);
    expect((await screen.findAllByTestId('notice'))[0].textContent).toContain('Healed every partition');
  });

  it('lists the shortcuts on ? and closes them on Escape', async () => {
    await renderApp();
    await key('?');
    const dialog = await screen.findByTestId('shortcuts');
    expect(within(dialog).getByText('Heal all faults')).toBeTruthy();
    await key('Escape', dialog);
    await waitFor(() => expect(screen.queryByTestId('shortcuts')).toBeNull());
  });

  it('focuses the submit box on /, from any view', async () => {
    const api = await renderApp();
    api.pushState(makeState());
    await key('/');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('submit-input')));
  });

  it('switches views with number keys and kills the selected node with k', async () => {
    const api = await renderApp();
    api.pushState(makeState());
    await key('2');
    await fireEvent.click(await screen.findByTestId('node-card-n3'));
    await key('k');
    await waitFor(() => expect(api.callsTo('nodeAction')).toEqual([['n3', 'kill']]));
    await key(']');
    await key('p');
    await waitFor(() => expect(api.callsTo('nodeAction')).toContainEqual(['n1', 'pause']));
  });

  it('shows an event’s details when it is clicked on the timeline', async () => {
    const api = new FakeApi();
    api.respond('recentEvents', () => [makeEvent(1, { kind: 'fault', node: 'n2', message: 'n2 killed', details: { signal: 'SIGKILL', pid: 4242 } })]);
    await renderApp(api);
    api.pushState(makeState());
    await key('2');
    const event = await screen.findByTestId('timeline-event');
    await fireEvent.click(within(event).getByRole('button'));
    const details = screen.getByTestId('timeline-details');
    expect(details.textContent).toContain('SIGKILL');
    expect(details.textContent).toContain('4242');
  });

  it('shows logs aligned by index and each node’s output', async () => {
    const api = new FakeApi();
    api.respond('readLogs', () => [
      makeLogView('n1', { lastIndex: 2, commitIndex: 2, appliedIndex: 2, entries: [
        { index: 1, term: 1, kind: 'empty', preview: '' },
        { index: 2, term: 1, kind: 'put', preview: 'x = 4' },
      ] }),
      makeLogView('n2', { lastIndex: 1, commitIndex: 1, appliedIndex: 1, entries: [{ index: 1, term: 1, kind: 'empty', preview: '' }] }),
    ]);
    api.respond('readNodeOutput', (node) => [`${node} listening on 127.0.0.1`]);
    await renderApp(api);
    api.pushState(makeState({ ids: ['n1', 'n2'] }));
    await key('3');
    const cell = await screen.findByTestId('log-cell-n1-2');
    expect(cell.textContent).toContain('x = 4');
    expect(screen.getByTestId('log-cell-n2-2').className).toContain('absent');
    await waitFor(() => expect(screen.getByTestId('node-output').textContent).toContain('n1 listening on 127.0.0.1'));
    api.pushNodeOutput('n1', ['became follower in term 2']);
    await waitFor(() => expect(screen.getByTestId('node-output').textContent).toContain('became follower in term 2'));

    await fireEvent.input(screen.getByLabelText('Show from index'), { target: { value: '5' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Show' }));
    await waitFor(() => expect(api.callsTo('readLogs').at(-1)).toEqual([40, 5]));
    expect(screen.getByText('from index 5')).toBeTruthy();
  });

  it('creates and opens workspaces from the header switcher', async () => {
    const api = await renderApp();
    await fireEvent.click(screen.getByTestId('workspace-switcher'));
    await fireEvent.input(screen.getByTestId('workspace-new-name'), { target: { value: 'five-nodes' } });
    await fireEvent.click(screen.getByTestId('workspace-create'));
    await waitFor(() => expect(api.callsTo('createWorkspace')).toEqual([['five-nodes']]));
    await waitFor(() => expect(screen.queryByTestId('workspace-new-name')).toBeNull());
    expect(screen.getByTestId('workspace-switcher').textContent).toContain('five-nodes');
    await fireEvent.click(screen.getByTestId('workspace-switcher'));
    await fireEvent.click(await screen.findByTestId('workspace-item'));
    await waitFor(() => expect(api.callsTo('openWorkspace')).toEqual([['/tmp/ws/demo']]));
  });

  it('shows a calm banner while the console server is unreachable', async () => {
    const listeners = new Set<(s: ConnectionStatus) => void>();
    const connection: ConnectionSource = {
      current: () => ({ state: 'open', retryAt: null }),
      subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    };
    await renderApp(new FakeApi(), connection);
    expect(screen.queryByTestId('connection-banner')).toBeNull();
    for (const l of listeners) l({ state: 'reconnecting', retryAt: 1 });
    expect((await screen.findByTestId('connection-banner')).textContent).toContain('reconnecting');
    for (const l of listeners) l({ state: 'open', retryAt: null });
    await waitFor(() => expect(screen.queryByTestId('connection-banner')).toBeNull());
  });

  it('says the link expired after a console restart, shows the status as unknown and disables every action', async () => {
    const listeners = new Set<(s: ConnectionStatus) => void>();
    const connection: ConnectionSource = {
      current: () => ({ state: 'open', retryAt: null }),
      subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    };
    const api = await renderApp(new FakeApi(), connection);
    api.pushState(makeState({ leader: 'n1', term: 3 }));
    await screen.findByTestId('cluster-leader');
    for (const l of listeners) l({ state: 'expired', retryAt: null });
    const banner = await screen.findByTestId('connection-banner');
    expect(banner.textContent).toContain('This console was restarted and printed a new link');
    expect(screen.getByTestId('cluster-status').textContent).toContain('status unknown');
    expect(screen.queryByTestId('cluster-leader')).toBeNull();
    expect((screen.getByTestId('heal-all') as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId('stop-cluster') as HTMLButtonElement).disabled).toBe(true);
    const main = document.querySelector('main')!;
    expect(main.hasAttribute('inert') || (main as HTMLElement & { inert?: boolean }).inert === true).toBe(true);
    await key('h');
    expect(api.callsTo('healAll')).toHaveLength(0);
  });

  it('header Start with errors in the form opens Setup, says why and focuses the first problem', async () => {
    const api = new FakeApi();
    api.respond('validateDefinition', () => [{ path: 'nodes[1].peerPort', severity: 'error', message: 'Port 7001 is used twice.' }]);
    await renderApp(api);
    await fireEvent.click(screen.getByTestId('view-logs'));
    await screen.findByTestId('header-start');
    await waitFor(() => expect(api.callsTo('validateDefinition').length).toBeGreaterThan(0));
    api.respond('saveDefinition', () => [{ path: 'nodes[1].peerPort', severity: 'error', message: 'Port 7001 is used twice.' }]);
    await fireEvent.click(screen.getByTestId('header-start'));
    await waitFor(() => expect(screen.getByTestId('view-setup').getAttribute('aria-current')).toBe('page'));
    expect((await screen.findAllByTestId('notice')).map((n) => n.textContent).join(' ')).toContain('the setup has 1 problem to fix');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('setup-peerPort-1')));
    expect(api.callsTo('startCluster')).toHaveLength(0);
  });

  it('shows an amber dot, not a green one, next to "no leader"', async () => {
    const api = await renderApp();
    api.pushState(makeState({ leader: null }));
    await waitFor(() => expect(screen.getByTestId('cluster-status').textContent).toContain('no leader'));
    const dot = screen.getByTestId('cluster-status').querySelector('.dot')!;
    expect(dot.classList.contains('on')).toBe(false);
    expect(dot.classList.contains('warn')).toBe(true);
  });

  it('leaves the submit box on Escape, so that shortcuts work again', async () => {
    const api = await renderApp();
    api.pushState(makeState());
    await key('/');
    const input = screen.getByTestId('submit-input');
    await waitFor(() => expect(document.activeElement).toBe(input));
    await key('Escape', input);
    expect(document.activeElement).not.toBe(input);
    await key('h');
    await waitFor(() => expect(api.callsTo('healAll')).toHaveLength(1));
  });
});
