// A node that starts normally, says it is ready, and exits 200 ms later with code 7 — as a node did
// whose disk was full (issue 12) — when its ID is in RAFTDESK_TEST_CRASH_AFTER_READY. Forked instead
// of core/node/main.ts by tests that call useNodeEntryForTests; nothing shipped contains this code.

const crashing = (process.env.RAFTDESK_TEST_CRASH_AFTER_READY ?? '').split(',');
const id = process.argv[process.argv.indexOf('--id') + 1];
if (id && crashing.includes(id) && process.send) {
  const send = process.send.bind(process) as (message: unknown) => boolean;
  process.send = ((message: { type?: string }) => {
    const sent = send(message);
    if (message?.type === 'ready') setTimeout(() => process.exit(7), 200);
    return sent;
  }) as typeof process.send;
}
await import('../../core/node/main.js');
