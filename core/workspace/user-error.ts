// A problem the user caused and can fix: its message is the one sentence every front door shows
// (the CLI prints it as its one line, the console next to the field), never a stack.

import type { ValidationIssue } from '../api/cluster-definition.js';

/** A problem the user can fix; the CLI prints its message as the one line it shows. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly issues: ValidationIssue[] = [],
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export function describeIssues(issues: ValidationIssue[]): string {
  const errors = issues.filter((i) => i.severity === 'error');
  const first = errors[0] ?? issues[0];
  if (!first) return '';
  return errors.length > 1 ? `${first.message} (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : first.message;
}
