// The binary form of a command: the data of one log entry, which crosses the wire and the WAL.
//
// Layout (varints are unsigned LEB128, strings are a varint byte length then UTF-8):
//   empty                      the no-op
//   u8 tag                     low 7 bits: the op code below; bit 7 set: a session follows
//   [string clientId, varint seq]   only when bit 7 is set
//   operands                   put: key value | get: key | delete: key
//                              cas: key, u8 hasExpected (0/1), [expected], value
//                              append: key suffix | submit: text
// The encoding is canonical: decodeCommand accepts exactly what encodeCommand produces.

import { ByteReader, ByteWriter } from './bytes.js';
import type { ClientSession, Command, NoopCommand } from './command.js';
import { KvEncodeError } from './errors.js';

const OP_CODE = { put: 1, get: 2, delete: 3, cas: 4, append: 5, submit: 6 } as const;
const HAS_SESSION = 0x80;

export function encodeCommand(command: Command): Uint8Array {
  if (command.op === 'noop') return new Uint8Array(0);
  const out = new ByteWriter();
  const session = command.session;
  out.u8(OP_CODE[command.op] | (session ? HAS_SESSION : 0));
  if (session) {
    if (!Number.isSafeInteger(session.seq) || session.seq < 0) {
      throw new KvEncodeError(`session seq ${session.seq} is not a non-negative safe integer`);
    }
    out.string(session.clientId);
    out.uvarint(session.seq);
  }
  switch (command.op) {
    case 'put':
      out.string(command.key);
      out.string(command.value);
      break;
    case 'get':
    case 'delete':
      out.string(command.key);
      break;
    case 'cas':
      out.string(command.key);
      out.u8(command.expected === null ? 0 : 1);
      if (command.expected !== null) out.string(command.expected);
      out.string(command.value);
      break;
    case 'append':
      out.string(command.key);
      out.string(command.suffix);
      break;
    case 'submit':
      out.string(command.text);
      break;
  }
  return out.finish();
}

type SessionCommand = Exclude<Command, NoopCommand>;

/** Reads the operands that follow the tag (and session) of each op code. */
const OPERAND_READERS: Readonly<Partial<Record<number, (input: ByteReader) => SessionCommand>>> = {
  [OP_CODE.put]: (input) => ({ op: 'put', key: input.string(), value: input.string() }),
  [OP_CODE.get]: (input) => ({ op: 'get', key: input.string() }),
  [OP_CODE.delete]: (input) => ({ op: 'delete', key: input.string() }),
  [OP_CODE.cas]: (input) => {
    const key = input.string();
    const expected = input.flag() ? input.string() : null;
    return { op: 'cas', key, expected, value: input.string() };
  },
  [OP_CODE.append]: (input) => ({ op: 'append', key: input.string(), suffix: input.string() }),
  [OP_CODE.submit]: (input) => ({ op: 'submit', text: input.string() }),
};

/** Decodes entry data. Throws KvDecodeError (and nothing else) when the bytes are not a command. */
export function decodeCommand(bytes: Uint8Array): Command {
  if (bytes.length === 0) return { op: 'noop' };
  const input = new ByteReader(bytes, 'command');
  const tag = input.u8();
  const readOperands = OPERAND_READERS[tag & ~HAS_SESSION];
  if (!readOperands) return input.fail(`unknown command tag 0x${tag.toString(16).padStart(2, '0')}`, 0);
  const session: ClientSession | null = tag & HAS_SESSION ? { clientId: input.string(), seq: input.uvarint() } : null;
  const command = readOperands(input);
  input.end();
  return session ? { ...command, session } : command;
}
