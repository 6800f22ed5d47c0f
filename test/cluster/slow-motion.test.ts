// Slow motion, the nodes' clocks and one-shot drops on a real 3-node cluster: the supervisor tells
// every node to stretch its tick, the nodes report their election/heartbeat clocks with the tick's
// length, and "drop the next N messages" drops exactly N on that link, then is used up (or is
// cancelled when the receiver stops).

import { describe, expect, it } from 'vitest';
import type { LinkMessage } from '../../core/api/messages.js';
import { useTestCluster, waitFor } from '../helpers/test-cluster.js';

const cluster = useTestCluster({ nodes: 3 });

const running = () => cluster().state().nodes.filter((n) => n.state === 'running');

describe('slow motion and one-shot drops', () => {
  it('stretches every node’s tick and back, and says so in the state', async () => {
    const base = await waitFor('clocks reported', () => {
      const t = running().map((n) => n.timers?.tickMs);
      return t.length === 3 && t.every((x) => x !== undefined && x > 0) ? t[0]! : null;
    });
    const leader = await cluster().leader();
    const follower = running().find((n) => n.id !== leader)!;
    expect(follower.timers!.electionTimeout).toBeGreaterThanOrEqual(follower.timers!.heartbeatInterval);

    await cluster().supervisor.setSlowMotion(10);
    expect(cluster().state().slowMotion).toBe(10);
    await waitFor('every node ticks 10× slower', () => running().every((n) => n.timers?.tickMs === base * 10));
    await expect(cluster().supervisor.setSlowMotion(0)).rejects.toThrow(/whole factor from 1/);

    await cluster().supervisor.setSlowMotion(1);
    expect(cluster().state().slowMotion).toBe(1);
    await waitFor('every node back to normal speed', () => running().every((n) => n.timers?.tickMs === base));
  }, 30_000);

  it('drops exactly the next N messages of one link, shows what is left, then is used up', async () => {
    const leader = await cluster().leader();
    const follower = running().find((n) => n.id !== leader)!.id;
    const drops: LinkMessage[] = [];
    const off = cluster().supervisor.onMessages((batch) => drops.push(...batch.messages.filter((m) => m.dropped?.reason === 'one-shot')));
    try {
      // Let the stream read the nodes' present first.
      await new Promise((r) => setTimeout(r, 300));
      // In slow motion the leader's heartbeats are rare, so what is left can be seen before it is used.
      await cluster().supervisor.setSlowMotion(20);
      await cluster().supervisor.dropMessages(leader, follower, 3);
      await waitFor('three dropped', () => drops.length >= 3, 20_000);
      await waitFor('the one-shot fault used up', () => Object.keys(running().find((n) => n.id === leader)!.dropNext ?? {}).length === 0);
      await cluster().supervisor.setSlowMotion(1);
      await new Promise((r) => setTimeout(r, 500));
      expect(drops).toHaveLength(3);
      for (const m of drops) expect(m).toMatchObject({ from: leader, to: follower, sentAt: null, receivedAt: null, dropped: { reason: 'one-shot', direction: 'out' } });
      await expect(cluster().supervisor.dropMessages(leader, leader, 1)).rejects.toThrow(/itself/);
      await expect(cluster().supervisor.dropMessages(leader, 'zz', 1)).rejects.toThrow(/no node "zz"/);
    } finally {
      off();
      await cluster().supervisor.setSlowMotion(1);
    }
  }, 40_000);

  it('cancels a drop toward a node that stops, and refuses one toward a stopped node', async () => {
    const leader = await cluster().leader();
    const [sender, receiver] = running().filter((n) => n.id !== leader).map((n) => n.id) as [string, string];
    const left = () => cluster().state().nodes.find((n) => n.id === sender)!.dropNext?.[receiver] ?? 0;
    // A follower sends nothing to another follower: without the cancel this drop would stay armed forever.
    await cluster().supervisor.dropMessages(sender, receiver, 5);
    await waitFor('the armed drop shows on the sender', () => left() === 5);
    await cluster().supervisor.nodeAction(receiver, 'stop');
    await waitFor('the drop toward the stopped node cancelled', () => left() === 0);
    expect(cluster().supervisor.recentEvents(50).map((e) => e.message)).toContain(`${sender} no longer drops messages to ${receiver}: ${receiver} stopped`);
    await expect(cluster().supervisor.dropMessages(sender, receiver, 2)).rejects.toThrow(`${receiver} is not running, so every message to it is lost anyway; start it first.`);
    await cluster().supervisor.nodeAction(receiver, 'start');
    await waitFor('the receiver back', () => running().some((n) => n.id === receiver));
  }, 40_000);
});

describe('slowmo argument', () => {
  it('takes a factor or off, and refuses anything else with a sentence', async () => {
    const { parseSlowMotion } = await import('../../core/cli/commands/slowmo.js');
    expect(parseSlowMotion('10')).toBe(10);
    expect(parseSlowMotion('4x')).toBe(4);
    expect(parseSlowMotion('off')).toBe(1);
    expect(() => parseSlowMotion('0.5')).toThrow(/whole factor from 1 to 100/);
  });
});
