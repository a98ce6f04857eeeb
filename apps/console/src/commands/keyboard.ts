/**
 * The console's commands by key (see keys.ts for the bindings) and by the detail card's buttons: one
 * `runCommand` for both, refusing the commands that change something on an observer's console.
 */
import { unlockAudio } from '../alert';
import { $, toast } from '../dom';
import { esc } from '../format';
import type { CallForm } from '../forms/call-form';
import { onLocaleChange, t } from '../i18n';
import { commandFor, helpRows, type Command } from '../keys';
import { isDrawing, undoDraftPoint } from '../map/closures';
import { focusIncident } from '../map/incidents';
import type { ConsoleView } from '../panel/console-view';
import { readOnly, type ConsoleState } from '../state/console-state';
import type { IncidentCommands } from './incident-commands';
import type { RoadClosures } from './road-closures';

/** Commands that change something: an observer's console hides them, and its keys do nothing. */
const WRITE_COMMANDS: readonly Command[] = ['new-call', 'accept', 'escalate', 'deescalate', 'request-units', 'close', 'cancel-incident', 'undo-cancel', 'merge', 'closure', 'assign-unit'];

/** What the commands act on. */
export interface CommandTargets {
  state: ConsoleState;
  view: ConsoleView;
  callForm: CallForm;
  closures: RoadClosures;
  incidents: IncidentCommands;
}

/** Runs one console command (a key or a button's `data-cmd`). */
export function runCommand(cmd: Command, c: CommandTargets): void {
  if (readOnly() && WRITE_COMMANDS.includes(cmd)) {
    toast(t('auth.observer'), true);
    return;
  }
  switch (cmd) {
    case 'new-call':
      c.callForm.open();
      break;
    case 'next':
      c.view.move(1);
      break;
    case 'previous':
      c.view.move(-1);
      break;
    case 'focus':
      if (isDrawing()) void c.closures.save();
      else if (c.state.selectedId) focusIncident(c.state.ctx, c.state.selectedId);
      break;
    case 'accept':
      void c.incidents.acceptSelected();
      break;
    case 'escalate':
      void c.incidents.runIncidentAction('escalate');
      break;
    case 'deescalate':
      void c.incidents.runIncidentAction('deescalate');
      break;
    case 'request-units':
      void c.incidents.requestUnits();
      break;
    case 'close':
      void c.incidents.runIncidentAction('close');
      break;
    case 'cancel-incident':
      void c.incidents.runIncidentAction('cancel');
      break;
    case 'undo-cancel':
      void c.incidents.undoCancel();
      break;
    case 'merge':
      void c.incidents.mergeSelected();
      break;
    case 'closure':
      c.closures.toggleDrawing();
      break;
    case 'assign-unit':
      c.incidents.focusAssignField();
      break;
    case 'filter':
      $('filter-tier').focus();
      break;
    case 'help':
      $<HTMLDialogElement>('help-dialog').showModal();
      break;
    case 'escape':
      if (isDrawing()) c.closures.toggleDrawing();
      else if (c.callForm.isOpen) c.callForm.close();
      else c.view.select(null);
      break;
  }
}

/** Wires the help dialog and the console's keys (ignored while typing or in a modal dialog). */
export function setUpKeyboard(c: CommandTargets): void {
  $('help-table').innerHTML = helpRows(esc);
  onLocaleChange(() => ($('help-table').innerHTML = helpRows(esc)));
  const helpDlg = $<HTMLDialogElement>('help-dialog');
  $('help-btn').addEventListener('click', () => helpDlg.showModal());
  $('help-close').addEventListener('click', () => helpDlg.close());

  document.addEventListener('keydown', (e) => {
    unlockAudio();
    if (e.key === 'Escape' && c.callForm.isOpen) {
      e.preventDefault();
      c.callForm.close();
      return;
    }
    if (isDrawing() && e.key === 'Backspace') {
      e.preventDefault();
      undoDraftPoint();
      return;
    }
    const target = e.target as HTMLElement;
    if (target.closest('input, textarea, select, dialog[open]') || document.querySelector('dialog[open]:modal')) return;
    if (target.tagName === 'BUTTON' && e.key === 'Enter') return;
    const cmd = commandFor(e);
    if (!cmd) return;
    e.preventDefault();
    runCommand(cmd, c);
  });
  document.addEventListener('pointerdown', unlockAudio, { once: true });
}
