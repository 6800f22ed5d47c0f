export type * from './cluster-definition.js';
export type * from './cluster-state.js';
export type * from './console-api.js';
export type * from './experiments.js';
export type * from './faults.js';
export type * from './results.js';
export type * from './ws-protocol.js';
export { CALL_METHODS } from './ws-protocol.js';
