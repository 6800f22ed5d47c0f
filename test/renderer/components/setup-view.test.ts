import '../dom-stubs.js';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ClusterDefinition } from '../../../core/api/index.js';
import SetupView from '../../../renderer/components/SetupView.svelte';
import { SetupStore } from '../../../renderer/lib/setup.svelte.js';
import { FakeApi } from '../fake-api.js';

async function renderSetup(api = new FakeApi(), running = false) {
  const setup = new SetupStore(api, 0);
  let started = 0;
  render(SetupView, { setup, running, onstart: () => void setup.start().then((ok) => ok && started++) });
  await setup.load();
  await screen.findByTestId('setup-id-0');
  return { api, setup, started: () => started };
}

const lastValidated = (api: FakeApi) => api.callsTo('validateDefinition').at(-1)?.[0] as ClusterDefinition;

describe('SetupView', () => {
  it('shows one row per node with the defaults row above', async () => {
    await renderSetup();
    expect((screen.getByTestId('setup-id-2') as HTMLInputElement).value).toBe('n3');
    expect((screen.getByTestId('setup-peerPort-1') as HTMLInputElement).value).toBe('7002');
    expect((screen.getByTestId('setup-default-electionTimeoutMs') as HTMLInputElement).value).toBe('1000');
    expect((screen.getByTestId('setup-heartbeatMs-0') as HTMLInputElement).placeholder).toBe('100 (default)');
    expect(screen.queryByTestId('setup-id-3')).toBeNull();
  });

  it('sends edits to the validator and shows its sentence at the cell it names', async () => {
    const api = new FakeApi();
    api.respond('validateDefinition', (definition) =>
      definition.nodes[1].peerPort === definition.nodes[0].peerPort
        ? [{ path: 'nodes[1].peerPort', severity: 'error', message: 'Peer port 7001 is already used by n1; give each node its own port.' }]
        : [],
    );
    await renderSetup(api);
    const port = screen.getByTestId('setup-peerPort-1');
    await fireEvent.input(port, { target: { value: '7001' } });
    const issue = await screen.findByTestId('issue-nodes[1].peerPort');
    expect(issue.textContent).toContain('Peer port 7001 is already used by n1; give each node its own port.');
    expect(port.getAttribute('aria-invalid')).toBe('true');
    expect(port.getAttribute('aria-describedby')).toBe(issue.id);
    expect((screen.getByTestId('start-cluster') as HTMLButtonElement).disabled).toBe(true);

    await fireEvent.input(port, { target: { value: '7002' } });
    await waitFor(() => expect(screen.queryByTestId('issue-nodes[1].peerPort')).toBeNull());
    expect(lastValidated(api).nodes[1].peerPort).toBe(7002);
  });

  it('sends an override only when a node sets one', async () => {
    const api = new FakeApi();
    await renderSetup(api);
    await fireEvent.input(screen.getByTestId('setup-electionTimeoutMs-2'), { target: { value: '3000' } });
    await fireEvent.change(screen.getByTestId('setup-storage-0'), { target: { value: 'memory' } });
    await waitFor(() => expect(lastValidated(api)?.nodes[2].electionTimeoutMs).toBe(3000));
    await waitFor(() => expect(lastValidated(api).nodes[0].storage).toBe('memory'));
    expect(lastValidated(api).nodes[1]).not.toHaveProperty('electionTimeoutMs');
  });

  it('shows issues that belong to no cell above the table', async () => {
    const api = new FakeApi();
    api.respond('validateDefinition', () => [{ path: 'nodes', severity: 'error', message: 'A cluster needs an odd number of nodes to tolerate failures well.' }]);
    await renderSetup(api);
    await fireEvent.input(screen.getByTestId('setup-host-0'), { target: { value: 'localhost' } });
    const general = await screen.findByTestId('setup-general-issues');
    expect(general.textContent).toContain('A cluster needs an odd number of nodes to tolerate failures well.');
  });

  it('applies presets and adds and removes rows', async () => {
    await renderSetup();
    await fireEvent.click(screen.getByTestId('preset-7'));
    expect((screen.getByTestId('setup-id-6') as HTMLInputElement).value).toBe('n7');
    expect((screen.getByTestId('setup-peerPort-6') as HTMLInputElement).value).toBe('8010');
    expect((screen.getByTestId('setup-clientPort-6') as HTMLInputElement).value).toBe('8011');
    await fireEvent.click(screen.getByTestId('preset-5'));
    expect(screen.queryByTestId('setup-id-5')).toBeNull();
    await fireEvent.click(screen.getByTestId('setup-remove-0'));
    expect((screen.getByTestId('setup-id-0') as HTMLInputElement).value).toBe('n2');
    await fireEvent.click(screen.getByTestId('setup-add'));
    expect((screen.getByTestId('setup-id-4') as HTMLInputElement).value).toBe('n6');
  });

  it('keeps custom IDs and timeouts through a preset, and undoes a preset that dropped rows', async () => {
    await renderSetup();
    await fireEvent.input(screen.getByTestId('setup-id-0'), { target: { value: 'alpha' } });
    await fireEvent.input(screen.getByTestId('setup-electionTimeoutMs-2'), { target: { value: '3000' } });
    await fireEvent.click(screen.getByTestId('preset-5'));
    expect((screen.getByTestId('setup-id-0') as HTMLInputElement).value).toBe('alpha');
    expect((screen.getByTestId('setup-electionTimeoutMs-2') as HTMLInputElement).value).toBe('3000');
    await fireEvent.click(screen.getByTestId('preset-3'));
    await fireEvent.click(screen.getByTestId('preset-3'));
    expect(screen.queryByTestId('setup-id-3')).toBeNull();
    expect(screen.getByTestId('setup-undo').textContent).toContain('Undo 3-node preset');
    await fireEvent.click(screen.getByTestId('setup-undo'));
    expect((screen.getByTestId('setup-id-4') as HTMLInputElement).value).toBe('n5');
    expect(screen.queryByTestId('setup-undo')).toBeNull();
    await fireEvent.click(screen.getByTestId('setup-remove-1'));
    expect(screen.getByTestId('setup-undo').textContent).toContain('Undo Removed n2');
  });

  it('saves and then starts', async () => {
    const { api, started } = await renderSetup();
    await fireEvent.click(screen.getByTestId('start-cluster'));
    await waitFor(() => expect(started()).toBe(1));
    const order = api.calls.map((c) => c.method).filter((m) => m === 'saveDefinition' || m === 'startCluster');
    expect(order).toEqual(['saveDefinition', 'startCluster']);
  });

  it('explains each advanced knob in one line and edits it', async () => {
    const api = new FakeApi();
    await renderSetup(api);
    const advanced = screen.getByTestId('setup-advanced');
    expect(within(advanced).getByText(/stops hearing from a majority/)).toBeTruthy();
    await fireEvent.click(screen.getByTestId('setup-default-preVote'));
    await fireEvent.input(screen.getByTestId('setup-default-snapshotEntries'), { target: { value: '500' } });
    await waitFor(() => expect(lastValidated(api)?.defaults).toMatchObject({ preVote: false, snapshotEntries: 500 }));
  });

  it('offers lease reads with the clock assumption beside the switch, and keeps the setting', async () => {
    const api = new FakeApi();
    const withLease = await api.currentDefinition();
    withLease.definition.defaults = { ...withLease.definition.defaults, leaseReads: true };
    api.respond('currentDefinition', () => withLease);
    await renderSetup(api);
    const box = screen.getByTestId('setup-default-leaseReads') as HTMLInputElement;
    expect(box.checked).toBe(true);
    expect(screen.getByTestId('lease-reads-hint').textContent).toMatch(/clock runs within 11 % of the leader's/);
    // Editing anything else keeps it; switching it off sends it off.
    await fireEvent.input(screen.getByTestId('setup-default-snapshotEntries'), { target: { value: '500' } });
    await waitFor(() => expect(lastValidated(api)?.defaults).toMatchObject({ leaseReads: true, snapshotEntries: 500 }));
    await fireEvent.input(screen.getByTestId('setup-default-electionTimeoutMs'), { target: { value: '500' } });
    expect(screen.getByTestId('lease-reads-hint').textContent).toMatch(/within 25 %/);
    await fireEvent.click(box);
    await waitFor(() => expect(lastValidated(api)?.defaults.leaseReads ?? false).toBe(false));
    await fireEvent.click(screen.getByTestId('start-cluster'));
    await waitFor(() => expect(api.callsTo('saveDefinition')).toHaveLength(1));
    expect((api.callsTo('saveDefinition')[0]![0] as ClusterDefinition).defaults.leaseReads ?? false).toBe(false);
  });

  it('opens the advanced settings to show a problem and keeps them open once it is fixed', async () => {
    const api = new FakeApi();
    await renderSetup(api);
    const advanced = screen.getByTestId('setup-advanced') as HTMLDetailsElement;
    expect(advanced.open).toBe(false);
    api.respond('validateDefinition', () => [{ path: 'defaults.leaseReads', severity: 'error', message: 'Lease reads need checkQuorum.' }]);
    await fireEvent.click(screen.getByTestId('setup-default-checkQuorum'));
    await waitFor(() => expect(advanced.open).toBe(true));
    expect(screen.getByTestId('issue-defaults.leaseReads').textContent).toContain('Lease reads need checkQuorum.');
    api.respond('validateDefinition', () => []);
    await fireEvent.click(screen.getByTestId('setup-default-checkQuorum'));
    await waitFor(() => expect(screen.queryByTestId('issue-defaults.leaseReads')).toBeNull());
    expect(advanced.open).toBe(true);
  });

  it('locks the table while the cluster runs', async () => {
    await renderSetup(new FakeApi(), true);
    expect((screen.getByTestId('setup-peerPort-0') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByTestId('start-cluster') as HTMLButtonElement).disabled).toBe(true);
  });
});
