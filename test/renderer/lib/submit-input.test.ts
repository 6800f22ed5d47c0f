import { describe, expect, it } from 'vitest';
import { describeSubmitCommand, parseSubmitInput } from '../../../renderer/lib/submit-input.js';

describe('parseSubmitInput', () => {
  it.each([
    ['', { kind: 'empty' }],
    ['   ', { kind: 'empty' }],
    ['x=4', { kind: 'put', key: 'x', value: '4' }],
    ['  x = 4  ', { kind: 'put', key: 'x', value: '4' }],
    ['user:1=alice smith', { kind: 'put', key: 'user:1', value: 'alice smith' }],
    ['x=', { kind: 'put', key: 'x', value: '' }],
    ['x=a=b', { kind: 'put', key: 'x', value: 'a=b' }],
    ['get x', { kind: 'get', key: 'x' }],
    ['GET  config/a', { kind: 'get', key: 'config/a' }],
    ['hello world', { kind: 'entry', text: 'hello world' }],
    ['get', { kind: 'entry', text: 'get' }],
    ['get two keys', { kind: 'entry', text: 'get two keys' }],
    ['hello world = 3', { kind: 'entry', text: 'hello world = 3' }],
    ['=value', { kind: 'entry', text: '=value' }],
    ['"x=4"', { kind: 'entry', text: 'x=4' }],
    ['"get x"', { kind: 'entry', text: 'get x' }],
  ])('reads %j as %j', (input, expected) => {
    expect(parseSubmitInput(input)).toEqual(expected);
  });

  it('describes what Enter will do', () => {
    expect(describeSubmitCommand(parseSubmitInput('x=4'))).toBe('Put x = "4".');
    expect(describeSubmitCommand(parseSubmitInput('get x'))).toBe('Read x: the leader confirms it still leads (ReadIndex); no log entry.');
    expect(describeSubmitCommand(parseSubmitInput('get x'), 'local')).toBe("Read x: from one node's own state, possibly stale.");
    expect(describeSubmitCommand(parseSubmitInput('hi'))).toBe('Append a free-text entry.');
  });
});
