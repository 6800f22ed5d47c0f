import { describe, expect, it } from 'vitest';
import { parseFault } from '../../core/cli/commands/fault.js';

const all = ['n1', 'n2', 'n3'];

describe('raftdesk fault arguments', () => {
  it('maps process faults to node actions', () => {
    expect(parseFault('kill', ['n2'], {}, all)).toEqual({ action: 'kill', node: 'n2' });
    expect(parseFault('resume', ['n1'], {}, all)).toEqual({ action: 'resume', node: 'n1' });
  });

  it('partitions the listed nodes from every other node by default', () => {
    expect(parseFault('partition', ['n1'], {}, all)).toEqual([{ kind: 'partition', groups: [['n1'], ['n2', 'n3']] }]);
    expect(parseFault('partition', ['n1,n2'], { from: 'n3' }, all)).toEqual([{ kind: 'partition', groups: [['n1', 'n2'], ['n3']] }]);
  });

  it('cuts one way with --one-way', () => {
    expect(parseFault('partition', ['n1'], { oneWay: true }, all)).toEqual([
      { kind: 'cut', from: 'n1', to: 'n2' },
      { kind: 'cut', from: 'n1', to: 'n3' },
    ]);
  });

  it('parses delay and loss values and refuses bad ones', () => {
    expect(parseFault('delay', ['n1', '200'], { jitter: '20' }, all)).toEqual([{ kind: 'delay', node: 'n1', ms: 200, jitterMs: 20 }]);
    expect(parseFault('loss', ['n3', '25'], {}, all)).toEqual([{ kind: 'loss', node: 'n3', percent: 25 }]);
    expect(() => parseFault('loss', ['n3', 'lots'], {}, all)).toThrow('--loss must be a whole number from 0 to 100, not "lots".');
    expect(() => parseFault('explode', ['n1'], {}, all)).toThrow(/Unknown fault "explode"/);
    expect(parseFault('heal', [], {}, all)).toBe('heal');
  });
});
