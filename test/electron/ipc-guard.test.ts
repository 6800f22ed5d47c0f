import { describe, expect, it } from 'vitest';
import { CALL_METHODS } from '../../core/api/ws-protocol.js';
import { checkSender, errorSentence, IpcRejection, isCallMethod, parseArguments, type FrameIdentity } from '../../electron/ipc-guard.js';
import { SAMPLE_DEFINITION } from './fake-service.js';

const PAGE = 'file:///opt/raftdesk/resources/app.asar/dist/renderer/index.html';
const main: FrameIdentity = { processId: 4, frameToken: 'token-main', url: PAGE };

describe('checkSender', () => {
  it('accepts the main frame showing our page, with or without query and fragment', () => {
    expect(() => checkSender(main, main, PAGE)).not.toThrow();
    expect(() => checkSender({ ...main, url: `${PAGE}?view=logs#n2` }, main, PAGE)).not.toThrow();
  });

  it.each([
    ['no sender frame (navigated away or destroyed)', null, main],
    ['no window any more', main, null],
    ['a sub-frame of the window', { ...main, frameToken: 'token-child' }, main],
    ['a frame in another renderer process', { ...main, processId: 9 }, main],
    ['our frame showing another file', { ...main, url: 'file:///tmp/evil.html' }, main],
    ['our frame showing a web page', { ...main, url: 'https://example.com/dist/renderer/index.html' }, main],
    ['our frame with an unparseable URL', { ...main, url: 'not a url' }, main],
  ] as const)('refuses %s', (_case, sender, mainFrame) => {
    expect(() => checkSender(sender, mainFrame, PAGE)).toThrow(IpcRejection);
  });
});

describe('isCallMethod', () => {
  it('knows exactly the ConsoleApi calls', () => {
    for (const method of CALL_METHODS) expect(isCallMethod(method)).toBe(true);
    for (const other of ['onState', 'close', 'constructor', '__proto__', 'toString', '']) expect(isCallMethod(other)).toBe(false);
  });
});

describe('parseArguments', () => {
  it('passes well-formed arguments through', () => {
    expect(parseArguments('putKey', ['k', 'v'])).toEqual(['k', 'v']);
    expect(parseArguments('readLogs', [50])).toEqual([50]);
    expect(parseArguments('readLogs', [50, 10])).toEqual([50, 10]);
    expect(parseArguments('createWorkspace', ['lab', undefined])).toEqual(['lab', undefined]);
    expect(parseArguments('saveDefinition', [SAMPLE_DEFINITION])).toEqual([SAMPLE_DEFINITION]);
    expect(parseArguments('applyFault', [{ kind: 'partition', groups: [['n1'], ['n2', 'n3']] }])).toEqual([
      { kind: 'partition', groups: [['n1'], ['n2', 'n3']] },
    ]);
  });

  it.each([
    ['putKey', ['k', 4], /the value must be text/],
    ['putKey', ['k'], /takes the key and the value/],
    ['healAll', ['extra'], /takes no arguments/],
    ['readLogs', [-1], /the number of entries must be at least 0/],
    ['readLogs', [1.5], /the number of entries must be a whole number/],
    ['readLogs', [Number.NaN], /the number of entries must be a number/],
    ['nodeAction', ['n1', 'explode'], /the action must be one of/],
    ['applyFault', [{ kind: 'meteor' }], /the kind in the fault/],
    ['applyFault', [{ kind: 'isolate', node: 'n1', extra: true }], /does not know: extra/],
    ['saveDefinition', [{ ...SAMPLE_DEFINITION, nodes: [{ id: 'n1' }] }], /the host of node 1 in the cluster definition is missing/],
    ['saveDefinition', [{ ...SAMPLE_DEFINITION, defaults: { ...SAMPLE_DEFINITION.defaults, heartbeatMs: Infinity } }], /heartbeatMs/],
    ['openWorkspace', [''], /the workspace folder must not be empty/],
    ['submitEntry', ['x'.repeat(1024 * 1024 + 1)], /the entry must be at most 1048576 characters long/],
  ] as const)('refuses %s %j with one sentence naming the argument', (method, args, where) => {
    let caught: unknown;
    try {
      parseArguments(method, [...args]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IpcRejection);
    const message = (caught as Error).message;
    expect(message).toMatch(where);
    expect(message).toMatch(new RegExp(`^The ${method} request was refused: .*\\.$`));
    expect(message).not.toContain('\n');
  });
});

describe('errorSentence', () => {
  it('keeps the first line of the message and never the stack', () => {
    const error = new Error('No leader is known; wait for an election and retry.\n    at Object.<anonymous> (/x.js:1:1)');
    expect(errorSentence(error)).toBe('No leader is known; wait for an election and retry.');
    expect(errorSentence(new Error('Port 7001 is in use.'))).toBe('Port 7001 is in use.');
  });

  it('gives a sentence for errors without a usable message', () => {
    expect(errorSentence(new Error(''))).toMatch(/\.$/);
    expect(errorSentence({ stack: 'at secret' })).not.toContain('secret');
    expect(errorSentence('plain text')).toBe('plain text');
  });

  it('bounds very long messages', () => {
    expect(errorSentence(new Error('x'.repeat(10_000))).length).toBe(500);
  });
});
