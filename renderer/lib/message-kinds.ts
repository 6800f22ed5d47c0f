// What each Raft message looks like in the console: one table of kind → label, colour and mark, read
// by the live view's dots and legend (and by anything else drawing messages, such as a spacetime
// diagram), so that a vote request looks the same everywhere. Colours are plain hex so an exported
// SVG carries them without the page's stylesheet; each reads on the light and the dark theme.

export type MessageKind =
  | 'vote'
  | 'vote-grant'
  | 'vote-reject'
  | 'pre-vote'
  | 'pre-vote-grant'
  | 'pre-vote-reject'
  | 'append'
  | 'append-ok'
  | 'append-reject'
  | 'heartbeat'
  | 'heartbeat-resp'
  | 'snapshot'
  | 'timeout-now'
  | 'other';

export type Mark = 'circle' | 'square' | 'diamond';

export interface KindStyle {
  label: string;
  colour: string;
  mark: Mark;
  /** Drawn as an outline (responses and pre-votes), else filled. */
  hollow: boolean;
  /** Radius in px at the ring's full scale. */
  size: number;
}

const VIOLET = '#8b5cf6';
const GREEN = '#22a06b';
const RED = '#e5484d';
const BLUE = '#3b82f6';
const GREY = '#8b95a3';
const ORANGE = '#f97316';
const AMBER = '#d4a017';

export const KIND_STYLES: Readonly<Record<MessageKind, KindStyle>> = {
  vote: { label: 'vote request', colour: VIOLET, mark: 'circle', hollow: false, size: 5 },
  'vote-grant': { label: 'vote granted', colour: GREEN, mark: 'circle', hollow: false, size: 5 },
  'vote-reject': { label: 'vote rejected', colour: RED, mark: 'circle', hollow: false, size: 5 },
  'pre-vote': { label: 'pre-vote request', colour: VIOLET, mark: 'circle', hollow: true, size: 5 },
  'pre-vote-grant': { label: 'pre-vote granted', colour: GREEN, mark: 'circle', hollow: true, size: 5 },
  'pre-vote-reject': { label: 'pre-vote rejected', colour: RED, mark: 'circle', hollow: true, size: 5 },
  append: { label: 'append (entries)', colour: BLUE, mark: 'square', hollow: false, size: 5 },
  'append-ok': { label: 'append accepted', colour: BLUE, mark: 'square', hollow: true, size: 4 },
  'append-reject': { label: 'append rejected', colour: RED, mark: 'square', hollow: true, size: 4 },
  heartbeat: { label: 'heartbeat', colour: GREY, mark: 'circle', hollow: false, size: 3 },
  'heartbeat-resp': { label: 'heartbeat reply', colour: GREY, mark: 'circle', hollow: true, size: 3 },
  snapshot: { label: 'snapshot', colour: ORANGE, mark: 'square', hollow: false, size: 7 },
  'timeout-now': { label: 'timeout now (transfer)', colour: AMBER, mark: 'diamond', hollow: false, size: 6 },
  other: { label: 'other', colour: GREY, mark: 'diamond', hollow: true, size: 3 },
};

/** The legend, in the order an election and its aftermath unfold. */
export const LEGEND_KINDS: readonly MessageKind[] = [
  'pre-vote',
  'pre-vote-grant',
  'vote',
  'vote-grant',
  'vote-reject',
  'append',
  'append-ok',
  'append-reject',
  'heartbeat',
  'heartbeat-resp',
  'snapshot',
  'timeout-now',
];

/** The kind of a message from its type name (as the nodes log it) and its reject flag. */
export function messageKind(m: { type: string; reject: boolean }): MessageKind {
  switch (m.type) {
    case 'Vote':
      return 'vote';
    case 'VoteResp':
      return m.reject ? 'vote-reject' : 'vote-grant';
    case 'PreVote':
      return 'pre-vote';
    case 'PreVoteResp':
      return m.reject ? 'pre-vote-reject' : 'pre-vote-grant';
    case 'App':
      return 'append';
    case 'AppResp':
      return m.reject ? 'append-reject' : 'append-ok';
    case 'Heartbeat':
      return 'heartbeat';
    case 'HeartbeatResp':
      return 'heartbeat-resp';
    case 'Snap':
      return 'snapshot';
    case 'TimeoutNow':
      return 'timeout-now';
    default:
      return 'other';
  }
}
