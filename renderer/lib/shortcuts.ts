// Keyboard shortcuts: one table for the handler and the `?` overlay.

export type ShortcutAction =
  | 'focus-submit'
  | 'heal-all'
  | 'toggle-help'
  | 'close'
  | 'view-setup'
  | 'view-cluster'
  | 'view-logs'
  | 'view-experiments'
  | 'view-runs'
  | 'select-previous'
  | 'select-next'
  | 'kill-selected'
  | 'pause-selected'
  | 'restart-selected'
  | 'isolate-selected';

export interface Shortcut {
  key: string;
  /** What the overlay shows for the key, when it differs from the key itself. */
  label?: string;
  action: ShortcutAction;
  description: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { key: '/', action: 'focus-submit', description: 'Focus the submit box' },
  { key: 'h', action: 'heal-all', description: 'Heal all faults' },
  { key: '1', action: 'view-setup', description: 'Setup' },
  { key: '2', action: 'view-cluster', description: 'Live cluster' },
  { key: '3', action: 'view-logs', description: 'Logs and node output' },
  { key: '4', action: 'view-experiments', description: 'Experiments' },
  { key: '5', action: 'view-runs', description: 'Recorded runs (replay)' },
  { key: '[', action: 'select-previous', description: 'Select the previous node' },
  { key: ']', action: 'select-next', description: 'Select the next node' },
  { key: 'k', action: 'kill-selected', description: 'Kill the selected node' },
  { key: 'p', action: 'pause-selected', description: 'Pause or resume the selected node' },
  { key: 'r', action: 'restart-selected', description: 'Restart the selected node' },
  { key: 'i', action: 'isolate-selected', description: 'Isolate the selected node' },
  { key: '?', action: 'toggle-help', description: 'Show or hide this list' },
  { key: 'Escape', label: 'Esc', action: 'close', description: 'Close this list, clear the selection' },
];

interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
}

function isEditable(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const element = target as HTMLElement;
  return element.isContentEditable || element.closest('input, textarea, select') !== null;
}

/** The action a key press means, or null. Typing in a field is never a shortcut, except Escape. */
export function shortcutFor(event: KeyLike): ShortcutAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (event.key !== 'Escape' && isEditable(event.target)) return null;
  return SHORTCUTS.find((s) => s.key === event.key)?.action ?? null;
}
