// The peer wire format. Every frame is
//   u32 payload length | u32 CRC-32C of the payload | payload      (little-endian, like the codec)
// and a connection carries, in order: the dialer's hello, the acceptor's hello in reply (the only
// frame an acceptor ever sends), then message frames from the dialer only. A message frame's payload
// is a varuint count followed by that many messages in the Raft codec (core/codec/raft-codec.ts).

import { BinaryReader, BinaryWriter, CodecError } from '../codec/binary.js';
import { crc32c } from '../codec/crc32c.js';
import { readMessage } from '../codec/raft-codec.js';
import type { Message } from '../raft/types.js';

export const FRAME_HEADER_BYTES = 8;
export const PROTOCOL_NAME = 'raftdesk-peer';
/** 2: messages carry a read context (ReadIndex, heartbeat read rounds). */
export const PROTOCOL_VERSION = 2;
/** A hello is tiny: anything larger before the hello is not a raftdesk peer. */
export const MAX_HELLO_BYTES = 1024;
/** A varuint count takes at most this many bytes (counts are far below 2^35). */
export const MAX_COUNT_BYTES = 5;
/** The smallest encoded message: type, two empty IDs, four varuints, flags, rejectHint, context, entry count (11 bytes). */
const MIN_MESSAGE_BYTES = 11;

export interface Hello {
  version: number;
  /** The sender's node ID, which its certificate must name. */
  from: string;
  /** The node ID the sender meant to reach. */
  to: string;
}

export function encodeHelloFrame(hello: Hello): Uint8Array {
  const w = beginFrame(64);
  w.string(PROTOCOL_NAME).varuint(hello.version).string(hello.from).string(hello.to);
  return endFrame(w);
}

/** Throws CodecError unless the payload is a hello of this protocol (of any version). */
export function decodeHello(payload: Uint8Array): Hello {
  const r = new BinaryReader(payload);
  if (r.string() !== PROTOCOL_NAME) throw new CodecError('not a raftdesk peer hello');
  const hello = { version: r.varuint(), from: r.string(), to: r.string() };
  r.expectEnd();
  return hello;
}

/**
 * One frame carrying already-encoded messages (encodeMessage output), copied once into the frame.
 * The caller keeps the payload within the receiver's maximum frame size.
 */
export function encodeMessagesFrame(encodedMessages: readonly Uint8Array[]): Uint8Array {
  let size = MAX_COUNT_BYTES;
  for (const m of encodedMessages) size += m.length;
  const w = beginFrame(size);
  w.varuint(encodedMessages.length);
  for (const m of encodedMessages) w.raw(m);
  return endFrame(w);
}

/** The payload size of a frame carrying messages of these sizes, at most (the count may take fewer bytes). */
export function messagesPayloadBound(messageBytes: number): number {
  return MAX_COUNT_BYTES + messageBytes;
}

/** The messages of a message frame's payload; throws CodecError on anything else. */
export function decodeMessagesPayload(payload: Uint8Array): Message[] {
  const r = new BinaryReader(payload);
  const count = r.varuint();
  // A count the remaining bytes cannot hold is garbage, not a reason to loop or allocate.
  if (count * MIN_MESSAGE_BYTES > r.remaining()) throw new CodecError(`message count ${count} exceeds the frame`);
  const messages: Message[] = [];
  for (let i = 0; i < count; i++) messages.push(readMessage(r));
  r.expectEnd();
  return messages;
}

function beginFrame(payloadCapacity: number): BinaryWriter {
  return new BinaryWriter(FRAME_HEADER_BYTES + payloadCapacity).u32(0).u32(0);
}

/** Fills in the header. The result views the writer's buffer, which nobody else holds. */
function endFrame(w: BinaryWriter): Uint8Array {
  const frame = w.written();
  w.u32At(0, frame.length - FRAME_HEADER_BYTES);
  w.u32At(4, crc32c(frame, FRAME_HEADER_BYTES, frame.length));
  return frame;
}
