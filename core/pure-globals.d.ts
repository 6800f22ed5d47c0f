// The few host globals that pure layers may use: every runtime raftdesk targets (Node, Electron,
// browsers) provides them, and they do no I/O. Declared here so pure code needs neither DOM nor Node typings.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
