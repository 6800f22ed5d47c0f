// How the live view marks each Raft message: its shape, whether it is drawn hollow (responses, as the
// spacetime diagram dashes them), its size and a ✗ for a rejection. The colours are not here: they
// come from the one colour table every drawing of messages shares (core/trace/message-colors.ts), so
// a vote looks the same in the live ring, the spacetime diagram and its SVG export.

import { messageKind as colourKind } from '../../core/trace/message-colors.js';

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
  /** Drawn as an outline (responses, as the spacetime diagram dashes them), else filled. */
  hollow: boolean;
  /** Radius in px at the ring's full scale. */
  size: number;
  /** A rejected response: marked with a ✗. */
  rejected: boolean;
}

const colour = (family: string) => colourKind(family).color;
const PRE_VOTE = colour('PreVote');
const VOTE = colour('Vote');
const APPEND = colour('App');
const HEARTBEAT = colour('Heartbeat');
const SNAPSHOT = colour('Snap');
const TRANSFER = colour('TimeoutNow');
const OTHER = colour('other');

export const KIND_STYLES: Readonly<Record<MessageKind, KindStyle>> = {
  vote: { label: 'vote request', colour: VOTE, mark: 'circle', hollow: false, size: 5, rejected: false },
  'vote-grant': { label: 'vote granted', colour: VOTE, mark: 'circle', hollow: true, size: 5, rejected: false },
  'vote-reject': { label: 'vote rejected ✗', colour: VOTE, mark: 'circle', hollow: true, size: 5, rejected: true },
  'pre-vote': { label: 'pre-vote request', colour: PRE_VOTE, mark: 'diamond', hollow: false, size: 5, rejected: false },
  'pre-vote-grant': { label: 'pre-vote granted', colour: PRE_VOTE, mark: 'diamond', hollow: true, size: 5, rejected: false },
  'pre-vote-reject': { label: 'pre-vote rejected ✗', colour: PRE_VOTE, mark: 'diamond', hollow: true, size: 5, rejected: true },
  append: { label: 'append (entries)', colour: APPEND, mark: 'square', hollow: false, size: 5, rejected: false },
  'append-ok': { label: 'append accepted', colour: APPEND, mark: 'square', hollow: true, size: 4, rejected: false },
  'append-reject': { label: 'append rejected ✗', colour: APPEND, mark: 'square', hollow: true, size: 4, rejected: true },
  heartbeat: { label: 'heartbeat', colour: HEARTBEAT, mark: 'circle', hollow: false, size: 3, rejected: false },
  'heartbeat-resp': { label: 'heartbeat reply', colour: HEARTBEAT, mark: 'circle', hollow: true, size: 3, rejected: false },
  snapshot: { label: 'snapshot', colour: SNAPSHOT, mark: 'square', hollow: false, size: 7, rejected: false },
  'timeout-now': { label: 'timeout now (transfer)', colour: TRANSFER, mark: 'diamond', hollow: false, size: 7, rejected: false },
  other: { label: 'other', colour: OTHER, mark: 'circle', hollow: true, size: 2, rejected: false },
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
