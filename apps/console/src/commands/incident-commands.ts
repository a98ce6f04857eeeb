/**
 * The dispatcher's commands on incidents and units: escalate, de-escalate, close, cancel and undo,
 * merge, request units, accept or override recommendations, assign a unit by hand, record a crew's
 * status given by radio, put a unit back in service. Each asks what it needs (a reason, a unit), sends
 * one request and says how it went in the status line.
 */
import { CAPABILITIES } from '@cad/domain/units';
import {
  acceptRecommendations,
  assignUnit,
  fetchIncident,
  incidentAction,
  mergeIncident,
  overrideRecommendation,
  patchAssignment,
  reopenIncident,
  requestResources,
  setUnitStatus,
  type IncidentAction,
} from '../api';
import { askDisposition, closeWithDisposition } from '../call-record';
import { $, toast } from '../dom';
import { askReason } from '../forms/reason-dialog';
import { capabilityLabel, isolateText, label, typeLabel } from '../format';
import { list, t } from '../i18n';
import type { ConsoleView } from '../panel/console-view';
import { canAssignTo, closeRefusal, recommendedUnitIds, tierMoveRefusal } from '../panel/detail';
import { readOnly, type ConsoleState } from '../state/console-state';
import type { SnapshotSync } from '../state/snapshot';
import type { Incident } from '../types';

/** Whether an incident command must give a reason (its texts are the messages `action.<name>.*`). */
const ACTION_REQUIRED: Record<IncidentAction, boolean> = { escalate: true, deescalate: true, close: false, cancel: true };

/** Commands on the selected incident and on units. */
export class IncidentCommands {
  constructor(
    private readonly state: ConsoleState,
    private readonly view: ConsoleView,
    private readonly sync: SnapshotSync,
  ) {}

  /** Escalates, de-escalates, closes (with a disposition) or cancels the selected incident. */
  async runIncidentAction(action: IncidentAction): Promise<void> {
    const { state } = this;
    const id = state.selectedId;
    const f = state.features;
    const on = { escalate: f.escalate, deescalate: f.deescalate, close: f.close, cancel: f.cancel }[action];
    if (!id || !on) return;
    if (action === 'escalate' || action === 'deescalate') {
      // The tier is known here: a move the command chain cannot make is refused before asking why.
      const refusal = tierMoveRefusal(action, state.store.incidents.get(id)?.commandingTier);
      if (refusal) {
        toast(refusal, true);
        return;
      }
    }
    const selected = state.store.incidents.get(id);
    if (action === 'close' && selected && closeRefusal(selected)) {
      // Units still on it: the server would refuse; say so before asking for a disposition.
      toast(t('action.cannotClose', { why: closeRefusal(selected) }), true);
      return;
    }
    // Closing asks for a disposition code from the server's list (required), the other commands for a reason.
    const disposition = action === 'close' ? await askDisposition() : undefined;
    if (disposition === null) return;
    const text = disposition ? '' : await askReason(t(`action.${action}.title`), t(`action.${action}.field`), ACTION_REQUIRED[action]);
    if (text === null) return;
    try {
      if (disposition) await closeWithDisposition(id, disposition.code, disposition.note);
      else await incidentAction(id, action, text);
      if (action === 'cancel') {
        state.lastCancelled = id;
        toast(t('action.cancel.doneUndo'));
      } else toast(t(`action.${action}.done`));
      this.sync.markStale(id);
    } catch (err) {
      toast((err as Error).message, true);
    }
  }

  /**
   * Merges the selected incident into another open one, named by its call number (or the start of
   * its id), after asking why; the survivor is selected.
   */
  async mergeSelected(): Promise<void> {
    const { state } = this;
    const id = state.selectedId;
    const self = id ? state.store.incidents.get(id) : undefined;
    if (!id || !self || !state.features.merge) return;
    if (!['received', 'dispatched', 'en_route'].includes(self.status)) {
      toast(t('merge.notOpen', { status: label(self.status) }), true);
      return;
    }
    // Candidates: other open incidents of the same kind of work (live with live, a drill's with its own).
    const open = [...state.store.incidents.values()].filter(
      (i) => i.id !== id && i.exercise === self.exercise && (i.drillId ?? null) === (self.drillId ?? null) && ['received', 'dispatched', 'en_route', 'on_scene'].includes(i.status),
    );
    const which = await askReason(t('merge.which'), t('merge.callNumber', { example: open[0]?.callNumber ?? open[0]?.id.slice(0, 8) ?? '…' }), true);
    if (which === null) return;
    const w = which.trim().toLowerCase();
    const into = open.find((i) => (i.callNumber ?? '').toLowerCase() === w) ?? open.find((i) => i.id.toLowerCase().startsWith(w));
    if (!into) {
      toast(t('merge.noSuch', { call: isolateText(which) }), true);
      return;
    }
    const reason = await askReason(t('merge.why', { call: into.callNumber ?? into.id.slice(0, 8), type: isolateText(typeLabel(into.type)) }), t('reason.reason'), true);
    if (reason === null) return;
    try {
      await mergeIncident(id, into.id, reason);
      toast(t('merge.done'));
      this.sync.markStale(id, into.id);
      this.view.select(into.id);
    } catch (err) {
      toast((err as Error).message, true);
    }
  }

  /** Asks which units (capabilities, comma-separated, e.g. `engine, engine, truck`) and why, then requests them. */
  async requestUnits(): Promise<void> {
    const id = this.state.selectedId;
    if (!id || !this.state.features.resourceRequests) return;
    const which = await askReason(t('request.title'), t('request.field'), true);
    if (which === null) return;
    // A capability by its code (`engine`) or its name in the language shown (`消防车`).
    const byName = new Map(CAPABILITIES.map((c) => [capabilityLabel(c).toLowerCase(), c as string]));
    const capabilities = which
      .split(/[,，、;；\s]+/)
      .map((c) => c.trim().toLowerCase())
      .filter(Boolean)
      .map((c) => byName.get(c) ?? c);
    const reason = await askReason(t('request.why'), t('reason.reason'), true);
    if (reason === null) return;
    try {
      const r = (await requestResources(id, capabilities, reason)) as { sent?: unknown[]; unfilled?: unknown[] } | null;
      toast(r?.unfilled?.length ? t('request.doneUnfilled', { count: r?.sent?.length ?? 0, unfilled: r.unfilled.length }) : t('request.done', { count: r?.sent?.length ?? 0 }));
    } catch (err) {
      toast((err as Error).message, true);
    }
  }

  /** Sends the units recommended for the selected incident. */
  async acceptSelected(): Promise<void> {
    const { state } = this;
    const id = state.selectedId;
    if (!id || !state.features.recommendations) return;
    // Only ever the units the card shows: none while the recommendation loads, or when it could not be read
    // (an empty request would send whatever the server recommends by then).
    const { recommendations } = state;
    if (recommendations === undefined || recommendations === null) {
      toast(t(recommendations === undefined ? 'accept.notLoaded' : 'accept.unreadable'), true);
      return;
    }
    // Every slot says "no unit": say so rather than ask the server to send nobody.
    if (!recommendedUnitIds(recommendations).length) {
      toast(t(recommendations.slots.length ? 'accept.noneAvailable' : 'accept.planFilled'), true);
      return;
    }
    try {
      // The units the card shows, never whatever the server would recommend by the time the key reaches it:
      // a unit taken meanwhile is refused with the server's current recommendation named (the card then refreshes).
      const r = await acceptRecommendations(id, recommendedUnitIds(recommendations));
      if (!r.assigned.length && !r.refused.length) toast(t('accept.planFilled'));
      else if (r.refused.length)
        toast(
          t('accept.sentRefused', {
            sent: r.assigned.length ? list(r.assigned.map((a) => a.unitId)) : t('accept.noUnit'),
            refused: list(r.refused.map((x) => t('accept.refusedUnit', { unit: x.unitId, reason: isolateText(x.reason) }))),
          }),
          true,
        );
      else toast(t('accept.sent', { units: list(r.assigned.map((a) => a.unitId)) }));
      this.view.refreshRecommendations(id);
    } catch (err) {
      toast((err as Error).message, true);
    }
  }

  /**
   * Puts an incident's view, read over REST since the store's `mark` of it, into the store; when an
   * event changed it while the request was in flight (it may be newer than the view), reads it again.
   */
  adopt(inc: Incident, mark: number): void {
    if (!this.state.store.putIncident(inc, mark)) this.sync.markStale(inc.id);
  }

  /** Reopens the incident cancelled last from this console (`POST /api/incidents/:id/reopen`). */
  async undoCancel(): Promise<void> {
    const id = this.state.lastCancelled;
    if (!id) {
      toast(t('reopen.nothing'), true);
      return;
    }
    try {
      await reopenIncident(id);
      this.state.lastCancelled = null;
      toast(t('reopen.done'));
      // Into the store before it is selected: a redraw finding the selected incident missing (the cancel
      // took it out of the queue) would drop the selection, and the card asking "Dispatch units?" would
      // never show (seen in CI when the live event came after the next redraw).
      const mark = this.state.store.markOf(`i:${id}`);
      try {
        this.adopt(await fetchIncident(id), mark);
      } catch {
        this.sync.markStale(id);
      }
      this.view.select(id);
    } catch (err) {
      toast((err as Error).message, true);
    }
  }

  /**
   * Records a crew's status given by radio (`PATCH /api/assignments/:id`, as of now); the row follows
   * from the live event. The server's refusal (e.g. a step the task cannot take) is shown as it is.
   */
  async recordStatus(assignmentId: string, status: string): Promise<void> {
    if (readOnly()) return;
    const inc = this.state.selected();
    const callsign = inc?.assignments.find((a) => a.id === assignmentId)?.callsign ?? t('radio.unit');
    const text = label(status === 'cleared' ? 'available' : status);
    try {
      const r = (await patchAssignment(assignmentId, status, new Date().toISOString())) as { applied?: boolean } | null;
      toast(t(r?.applied === false ? 'radio.notApplied' : 'radio.recorded', { callsign, status: text }));
    } catch (err) {
      toast((err as Error).message, true);
    }
  }

  /**
   * Assigns the unit typed in the detail card (`POST /api/incidents/:id/assignments`); the id is matched
   * case-insensitively against unit ids and callsigns. The field is emptied on success; on a refusal
   * it keeps the text and the server's reason is shown (e.g. the unit's status and holder).
   */
  async assignByHand(incidentId: string, input: HTMLInputElement): Promise<void> {
    const { state } = this;
    if (readOnly() || !state.features.assignByHand) return;
    const typed = input.value.trim();
    if (!typed) {
      toast(t('assign.typeUnit'), true);
      return;
    }
    const upper = typed.toUpperCase();
    const unit = [...state.store.units.values()].find((u) => u.id.toUpperCase() === upper || u.callsign.toUpperCase() === upper);
    const unitId = unit?.id ?? upper;
    try {
      await assignUnit(incidentId, unitId);
      toast(t('assign.done', { callsign: unit?.callsign ?? unitId }));
      const now = $<HTMLInputElement>('assign-unit');
      if (now) now.value = '';
      this.sync.markStale(incidentId);
      if (state.features.recommendations) this.view.refreshRecommendations(incidentId);
    } catch (err) {
      toast((err as Error).message, true);
    }
  }

  /** Focuses the detail card's "Assign unit" field for the selected incident. */
  focusAssignField(): void {
    const inc = this.state.selected();
    if (!this.state.features.assignByHand) return;
    if (!inc) {
      toast(t('assign.selectFirst'), true);
      return;
    }
    if (!canAssignTo(inc)) {
      toast(t('assign.noMore', { status: label(inc.status) }), true);
      return;
    }
    const input = $<HTMLInputElement>('assign-unit');
    input?.focus();
    input?.select();
  }

  /** Puts an out-of-service unit back in service (`PATCH /api/units/:id {status: 'available'}`). */
  async backInService(unitId: string): Promise<void> {
    if (readOnly() || !this.state.features.unitStatus) return;
    try {
      const u = await setUnitStatus(unitId, 'available');
      toast(t('units.backDone', { callsign: u?.callsign ?? unitId }));
    } catch (err) {
      toast((err as Error).message, true);
    }
  }

  /** Replaces the recommended unit of one capability slot by one the dispatcher names, with a reason. */
  async overrideSlot(incidentId: string, capability: string): Promise<void> {
    const candidates = [...this.state.store.units.values()].filter((u) => u.status === 'available' && u.capabilities.includes(capability));
    const choice = await askReason(
      t('override.title', { capability: capabilityLabel(capability), examples: list(candidates.slice(0, 6).map((u) => u.callsign)) }),
      t('override.unit'),
      true,
    );
    if (choice === null) return;
    const unit = candidates.find((u) => u.callsign.toLowerCase() === choice.toLowerCase() || u.id === choice);
    if (!unit) {
      toast(t('override.noSuch', { capability: capabilityLabel(capability), unit: isolateText(choice) }), true);
      return;
    }
    const reason = await askReason(t('override.why', { callsign: unit.callsign }), t('reason.reason'), true);
    if (reason === null) return;
    try {
      await overrideRecommendation(incidentId, unit.id, reason);
      toast(t('override.done', { callsign: unit.callsign }));
      this.view.refreshRecommendations(incidentId);
    } catch (err) {
      toast((err as Error).message, true);
    }
  }
}
