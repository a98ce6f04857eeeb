/** Keyboard shortcuts of the dispatcher console: one table drives both the handler and the `?` help. */

/** Console commands reachable from the keyboard. */
export type Command =
  | 'new-call'
  | 'next'
  | 'previous'
  | 'focus'
  | 'accept'
  | 'escalate'
  | 'deescalate'
  | 'request-units'
  | 'close'
  | 'cancel-incident'
  | 'undo-cancel'
  | 'merge'
  | 'assign-unit'
  | 'closure'
  | 'filter'
  | 'help'
  | 'escape';

/** One shortcut: the keys (KeyboardEvent.key values) and what it does. */
export interface Shortcut {
  keys: string[];
  command: Command;
  help: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['n'], command: 'new-call', help: 'New call for service (form; Enter creates, Esc cancels)' },
  { keys: ['j', 'ArrowDown'], command: 'next', help: 'Select the next incident (pending queue, then active, then resolved)' },
  { keys: ['k', 'ArrowUp'], command: 'previous', help: 'Select the previous incident' },
  { keys: ['Enter'], command: 'focus', help: 'Show the selected incident on the map' },
  { keys: ['a'], command: 'accept', help: 'Accept the recommended units for the selected incident' },
  { keys: ['e'], command: 'escalate', help: 'Escalate the selected incident to the next tier (asks a reason)' },
  { keys: ['d'], command: 'deescalate', help: 'De-escalate the selected incident (asks a reason)' },
  { keys: ['m'], command: 'request-units', help: 'Request more units from the tier above, keeping command (asks which and why)' },
  { keys: ['c'], command: 'close', help: 'Close the selected incident (asks a disposition)' },
  { keys: ['x'], command: 'cancel-incident', help: 'Cancel the selected incident (asks a reason)' },
  { keys: ['z'], command: 'undo-cancel', help: 'Reopen the incident you cancelled last (a cancel made by mistake): it is dispatched afresh' },
  { keys: ['g'], command: 'merge', help: 'Merge the selected incident into another one, the same emergency (asks which and why)' },
  { keys: ['u'], command: 'assign-unit', help: 'Assign a unit by hand to the selected incident (type its id, e.g. E08, then Enter; Esc leaves the field)' },
  { keys: ['r'], command: 'closure', help: 'Draw a road closure on the map' },
  { keys: ['f', '/'], command: 'filter', help: 'Go to the filters (tier, jurisdiction)' },
  { keys: ['?'], command: 'help', help: 'Show this list' },
  { keys: ['Escape'], command: 'escape', help: 'Close a form, stop drawing, or clear the selection' },
];

/** The command for a key press, or null. Keys are compared case-insensitively for letters. */
export function commandFor(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): Command | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return SHORTCUTS.find((s) => s.keys.includes(key))?.command ?? null;
}

const KEY_LABEL: Record<string, string> = { ArrowDown: '↓', ArrowUp: '↑', Escape: 'Esc' };

/** HTML rows of the help table. */
export function helpRows(esc: (s: string) => string): string {
  return SHORTCUTS.map(
    (s) =>
      `<tr><td>${s.keys.map((k) => `<kbd>${esc(KEY_LABEL[k] ?? (k.length === 1 ? k.toUpperCase() : k))}</kbd>`).join(' ')}</td><td>${esc(
        s.help,
      )}</td></tr>`,
  ).join('');
}
