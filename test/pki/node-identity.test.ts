import { describe, expect, it } from 'vitest';
import { isValidNodeId, nodeIdFromSubjectAltName } from '../../core/pki/node-identity.js';
import { parseSubjectAltNames } from '../../core/pki/subject-alt-names.js';

describe('parseSubjectAltNames', () => {
  it("reads Node's printed list, including JSON-quoted values", () => {
    expect(parseSubjectAltNames('DNS:a.example, IP Address:127.0.0.1, URI:"urn:x,y", DNS:b')).toEqual([
      { type: 'DNS', value: 'a.example' },
      { type: 'IP Address', value: '127.0.0.1' },
      { type: 'URI', value: 'urn:x,y' },
      { type: 'DNS', value: 'b' },
    ]);
  });

  it('returns null for text that is not a SAN list', () => {
    expect(parseSubjectAltNames('no colon here')).toBeNull();
    expect(parseSubjectAltNames('URI:"unterminated')).toBeNull();
    expect(parseSubjectAltNames('URI:"a"junk')).toBeNull();
  });
});

describe('isValidNodeId', () => {
  it('accepts portable file names, and every ID the cluster definition accepts', () => {
    for (const id of ['n1', 'node_3', '-x', '_', 'a.b', 'A'.repeat(63)]) expect(isValidNodeId(id), id).toBe(true);
  });

  it('refuses what could escape or break a path', () => {
    for (const id of ['', '.', '..', '../x', 'a/b', 'a\\b', 'a b', 'é', 'A'.repeat(64)]) expect(isValidNodeId(id), id).toBe(false);
  });
});

describe('nodeIdFromSubjectAltName', () => {
  it('reads the node ID from the node URI', () => {
    expect(nodeIdFromSubjectAltName('IP Address:127.0.0.1, URI:urn:raftdesk:node:n1')).toBe('n1');
  });

  it('returns null without exactly one valid node URI', () => {
    expect(nodeIdFromSubjectAltName(undefined)).toBeNull();
    expect(nodeIdFromSubjectAltName('URI:urn:raftdesk:client')).toBeNull();
    expect(nodeIdFromSubjectAltName('URI:urn:raftdesk:node:n1, URI:urn:raftdesk:node:n2')).toBeNull();
    expect(nodeIdFromSubjectAltName('URI:urn:raftdesk:node:%E0%A4%A')).toBeNull();
    expect(nodeIdFromSubjectAltName('URI:urn:raftdesk:node:..%2Fx')).toBeNull();
    expect(nodeIdFromSubjectAltName('DNS:urn:raftdesk:node:n1')).toBeNull();
  });
});
