// The transport follows membership changes at runtime: a node added later is dialed and heard, a
// removed one is hung up on and its messages are no longer accepted.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST, freePort, indexesFrom, makeNode, makePki, message, waitFor, type TestNode, type TestPki } from './fixtures.js';

let pki: TestPki;
const nodes: TestNode[] = [];

beforeAll(async () => {
  pki = await makePki(['n1', 'n2', 'n3']);
});

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.transport.close()));
  await pki?.remove();
});

describe('PeerTransport.setPeers', () => {
  it('dials a node added at runtime and hangs up on a removed one', async () => {
    const [p1, p2, p3] = await Promise.all([freePort(), freePort(), freePort()]);
    const founders = [
      { id: 'n1', port: p1 },
      { id: 'n2', port: p2 },
    ];
    const n1 = makeNode('n1', p1, founders, await pki.node('n1'));
    const n2 = makeNode('n2', p2, founders, await pki.node('n2'));
    nodes.push(n1, n2);
    await Promise.all([n1.transport.start(), n2.transport.start()]);

    // n3 joins: it knows everyone, and the others learn of it.
    const all = [...founders, { id: 'n3', port: p3 }];
    const n3 = makeNode('n3', p3, all, await pki.node('n3'));
    nodes.push(n3);
    await n3.transport.start();
    await Promise.all([n1, n2].map((n) => n.transport.setPeers(all.map((p) => ({ id: p.id, host: HOST, port: p.port })))));
    n1.transport.send([message('n1', 'n3', 1)]);
    n3.transport.send([message('n3', 'n2', 2)]);
    await waitFor('n3 heard and heard from', () => indexesFrom(n3, 'n1').includes(1) && indexesFrom(n2, 'n3').includes(2));
    expect(n1.transport.stats().map((s) => s.peer).sort()).toEqual(['n2', 'n3']);

    // n2 is removed: n1 stops talking to it and no longer accepts it.
    await n1.transport.setPeers(all.filter((p) => p.id !== 'n2').map((p) => ({ id: p.id, host: HOST, port: p.port })));
    expect(n1.transport.stats().map((s) => s.peer)).toEqual(['n3']);
    n2.transport.send([message('n2', 'n1', 3)]);
    n1.transport.send([message('n1', 'n3', 4)]);
    await waitFor('n3 still served', () => indexesFrom(n3, 'n1').includes(4));
    await new Promise((r) => setTimeout(r, 300));
    expect(indexesFrom(n1, 'n2')).not.toContain(3);
  });
});
