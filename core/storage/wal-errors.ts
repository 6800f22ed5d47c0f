// The two ways opening a WAL directory can fail that an operator must act on. Both say, in one
// sentence, what is wrong and what to do; neither is ever thrown after data was silently dropped.

/** A record that cannot be trusted sits where valid data was promised (mid-log, or in a segment
 *  that is not the last): recovering would lose acknowledged writes, so the node refuses to start. */
export class WalCorruptionError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(
      `${file} is corrupt at byte offset ${offset} (${reason}): this node's log cannot be recovered without ` +
        'losing data, so restore its data directory from a backup or replace the node.',
    );
    this.name = 'WalCorruptionError';
  }
}

/** The directory holds something other than a raftdesk WAL of this format version. */
export class WalDirectoryError extends Error {
  constructor(
    readonly dir: string,
    readonly reason: string,
  ) {
    super(`${dir} is not a raftdesk WAL directory this version can open (${reason}): point the node at its own data directory, or move the unexpected files away.`);
    this.name = 'WalDirectoryError';
  }
}
