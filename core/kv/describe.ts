// One-line previews of entry data for the console's log view. Never throws: garbage is 'unknown'.

import type { EntryKind } from '../api/cluster-state.js';
import type { Command } from './command.js';
import { decodeCommand } from './command-codec.js';
import { KvDecodeError } from './errors.js';

/** How the console's log view labels an entry (core/api's EntryKind). */
export type CommandKind = EntryKind;

export interface CommandDescription {
  kind: CommandKind;
  preview: string;
}

/** Longest shown form of one key, value or text, ellipsis included. */
const MAX_PART_CHARS = 40;
const HEX_PREVIEW_BYTES = 8;
/** Short runs of visible characters other than quotes and backslashes are shown as they are. */
const PLAIN = new RegExp(`^[^\\s"\\\\\\p{C}]{1,${MAX_PART_CHARS}}$`, 'u');

export function describeCommand(data: Uint8Array): CommandDescription {
  let command: Command;
  try {
    command = decodeCommand(data);
  } catch (error) {
    if (error instanceof KvDecodeError) return { kind: 'unknown', preview: hexPreview(data) };
    throw error;
  }
  switch (command.op) {
    case 'noop':
      return { kind: 'empty', preview: 'no-op' };
    case 'submit':
      return { kind: 'entry', preview: quoted(command.text) };
    case 'put':
      return { kind: 'put', preview: `${shown(command.key)} = ${shown(command.value)}` };
    case 'get':
      return { kind: 'get', preview: `get ${shown(command.key)}` };
    case 'delete':
      return { kind: 'delete', preview: `delete ${shown(command.key)}` };
    case 'cas': {
      const expected = command.expected === null ? '(absent)' : shown(command.expected);
      return { kind: 'cas', preview: `cas ${shown(command.key)}: ${expected} → ${shown(command.value)}` };
    }
    case 'append':
      return { kind: 'append', preview: `${shown(command.key)} += ${shown(command.suffix)}` };
  }
}

/** Plain when the text is a short run of visible non-space characters, otherwise JSON-quoted. */
function shown(text: string): string {
  return PLAIN.test(text) ? text : quoted(text);
}

/** JSON quoting shows empty strings, spaces and control characters unambiguously. */
function quoted(text: string): string {
  const json = JSON.stringify(text);
  if (json.length <= MAX_PART_CHARS) return json;
  // Cut by code point so a surrogate pair is never split; the quote stays open to mark the cut.
  return Array.from(json).slice(0, MAX_PART_CHARS - 1).join('') + '…';
}

function hexPreview(data: Uint8Array): string {
  const head = Array.from(data.subarray(0, HEX_PREVIEW_BYTES), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `${data.length} bytes: ${head}${data.length > HEX_PREVIEW_BYTES ? ' …' : ''}`;
}
