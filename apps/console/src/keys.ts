/** Keyboard shortcuts of the dispatcher console: one table drives both the handler and the `?` help. */
import { t } from './i18n';

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

/** One shortcut: the keys (KeyboardEvent.key values) and what it does (its help text is the message `help.<command>`). */
export interface Shortcut {
  keys: string[];
  command: Command;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['n'], command: 'new-call' },
  { keys: ['j', 'ArrowDown'], command: 'next' },
  { keys: ['k', 'ArrowUp'], command: 'previous' },
  { keys: ['Enter'], command: 'focus' },
  { keys: ['a'], command: 'accept' },
  { keys: ['e'], command: 'escalate' },
  { keys: ['d'], command: 'deescalate' },
  { keys: ['m'], command: 'request-units' },
  { keys: ['c'], command: 'close' },
  { keys: ['x'], command: 'cancel-incident' },
  { keys: ['z'], command: 'undo-cancel' },
  { keys: ['g'], command: 'merge' },
  { keys: ['u'], command: 'assign-unit' },
  { keys: ['r'], command: 'closure' },
  { keys: ['f', '/'], command: 'filter' },
  { keys: ['?'], command: 'help' },
  { keys: ['Escape'], command: 'escape' },
];

/** The command for a key press, or null. Keys are compared case-insensitively for letters. */
export function commandFor(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): Command | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return SHORTCUTS.find((s) => s.keys.includes(key))?.command ?? null;
}

const KEY_LABEL: Record<string, string> = { ArrowDown: '↓', ArrowUp: '↑', Escape: 'Esc' };

/** HTML rows of the help table, in the locale shown. */
export function helpRows(esc: (s: string) => string): string {
  return SHORTCUTS.map(
    (s) =>
      `<tr><td>${s.keys.map((k) => `<kbd>${esc(KEY_LABEL[k] ?? (k.length === 1 ? k.toUpperCase() : k))}</kbd>`).join(' ')}</td><td>${esc(
        t(`help.${s.command}`),
      )}</td></tr>`,
  ).join('');
}
