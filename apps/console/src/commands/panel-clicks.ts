/**
 * Clicks and forms in the panels: a queue row selects its incident, a unit chip shows its unit, the
 * detail card's buttons (`data-cmd`) run their command, its "Assign unit" form assigns by hand.
 */
import { unlinkCall } from '../api';
import { setUpCallRecord } from '../call-record';
import { toast } from '../dom';
import { setUpHistory } from '../history';
import { setUpHospitals } from '../hospitals';
import { t } from '../i18n';
import type { Command } from '../keys';
import { runLocationCommand } from '../location-actions';
import { focusIncident } from '../map/incidents';
import { focusUnit } from '../map/units';
import { isLocationCommand } from '../positions';
import { readOnly } from '../state/console-state';
import { setUpUnitMessages } from '../unit-messages';
import { runCommand, type CommandTargets } from './keyboard';

/** Wires the queues, the unit board and the detail card. */
export function setUpPanelClicks(c: CommandTargets): void {
  const { state, view, incidents } = c;
  const { detailEl } = view;
  const renderSelected = (): void => view.renderSelected();
  view.queuesEl.addEventListener('click', (e) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('.incident-row');
    if (row?.dataset.incidentId) {
      view.select(row.dataset.incidentId);
      focusIncident(state.ctx, row.dataset.incidentId);
    }
  });
  view.unitListEl.addEventListener('click', (e) => {
    const back = (e.target as HTMLElement).closest<HTMLElement>('button[data-cmd="back-in-service"]');
    if (back?.dataset.unitId) {
      void incidents.backInService(back.dataset.unitId);
      return;
    }
    const chip = (e.target as HTMLElement).closest<HTMLElement>('.unit-chip');
    if (chip?.dataset.unitId) focusUnit(state.ctx, chip.dataset.unitId);
  });
  detailEl.addEventListener('click', (e) => {
    const btn = (e.target as HTMLElement).closest<HTMLElement>('[data-cmd]');
    if (!btn) return;
    const cmd = btn.dataset.cmd!;
    const selectedId = state.selectedId;
    if (cmd === 'deselect') view.select(null);
    else if (cmd === 'unlink' && btn.dataset.callId) {
      unlinkCall(btn.dataset.callId)
        .then(() => toast(t('newCall.unlinked')))
        .catch((err) => toast((err as Error).message, true));
    } else if (cmd === 'override' && selectedId && btn.dataset.capability) {
      void incidents.overrideSlot(selectedId, btn.dataset.capability);
    } else if (cmd === 'record-status' && btn.dataset.assignmentId && btn.dataset.status) {
      void incidents.recordStatus(btn.dataset.assignmentId, btn.dataset.status);
    } else if (isLocationCommand(cmd) && selectedId && state.store.incidents.has(selectedId)) {
      void runLocationCommand(cmd, state.store.incidents.get(selectedId)!, toast);
    } else runCommand(cmd as Command, c);
  });
  setUpCallRecord(detailEl, renderSelected, toast);
  setUpUnitMessages(detailEl, renderSelected, toast);
  setUpHospitals(detailEl, renderSelected, toast);
  setUpHistory(document.querySelector<HTMLElement>('.toolbar')!, detailEl, {
    toast,
    show: (inc, mark) => {
      incidents.adopt(inc, mark);
      view.select(inc.id);
    },
    markOf: (id) => state.store.markOf(`i:${id}`),
    units: () => state.store.units,
    readOnly,
  });
  detailEl.addEventListener('submit', (e) => {
    const form = (e.target as HTMLElement).closest<HTMLFormElement>('.assign-form');
    if (!form) return;
    e.preventDefault();
    const input = form.querySelector<HTMLInputElement>('input');
    if (form.dataset.incidentId && input) void incidents.assignByHand(form.dataset.incidentId, input);
  });
  detailEl.addEventListener('keydown', (e) => {
    // Esc in the unit field leaves it (the console's keys work again); a second Esc clears the selection.
    if (e.key === 'Escape' && (e.target as HTMLElement).id === 'assign-unit') {
      e.preventDefault();
      e.stopPropagation();
      (e.target as HTMLInputElement).blur();
    }
  });
}
