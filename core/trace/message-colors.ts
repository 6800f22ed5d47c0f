// One colour per kind of Raft message, shared by every drawing of messages (the spacetime diagram,
// its SVG export and the CLI's), so that a vote looks the same wherever it is drawn. Responses use
// their request's colour and are drawn dashed.

export interface MessageKind {
  /** The request type naming the family (Vote covers Vote and VoteResp). */
  family: string;
  label: string;
  color: string;
}

export const MESSAGE_KINDS: readonly MessageKind[] = [
  { family: 'PreVote', label: 'pre-vote', color: '#b45309' },
  { family: 'Vote', label: 'vote', color: '#d97706' },
  { family: 'App', label: 'append', color: '#2563eb' },
  { family: 'Heartbeat', label: 'heartbeat', color: '#6b7280' },
  { family: 'Snap', label: 'snapshot', color: '#9333ea' },
  { family: 'TimeoutNow', label: 'transfer', color: '#dc2626' },
  { family: 'ReadIndex', label: 'read index', color: '#0d9488' },
];

const OTHER: MessageKind = { family: 'other', label: 'other', color: '#64748b' };

/** The family of a message type name (AppResp → App). */
export function messageFamily(type: string): string {
  return type.endsWith('Resp') ? type.slice(0, -'Resp'.length) : type;
}

export function isResponse(type: string): boolean {
  return type.endsWith('Resp');
}

export function messageKind(type: string): MessageKind {
  const family = messageFamily(type);
  return MESSAGE_KINDS.find((k) => k.family === family) ?? OTHER;
}
