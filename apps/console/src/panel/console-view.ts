/**
 * Draws the console from its state: the map layers, the three queues, the detail card of the selected
 * incident, the unit board and the header counters. Renders are coalesced (a burst of replayed events
 * draws once, 40 ms later). Selecting an incident loads its timeline, recommendations, call record,
 * messages, premise notes and hospitals.
 */
import { fetchRecommendations, fetchTimeline } from '../api';
import { keepCallRecordTyping, loadCallRecord, reloadNarrative, renderCallRecord } from '../call-record';
import { getClock } from '../clock';
import { $ } from '../dom';
import { t } from '../i18n';
import { hospitalsHtml, loadHospitals } from '../hospitals';
import { syncAccessPoints } from '../map/access-points';
import { syncDevicePoints } from '../map/device-points';
import { syncIncidentMarkers } from '../map/incidents';
import { syncRoutes, syncUnitMarkers } from '../map/units';
import { locationHtml } from '../positions';
import { loadPremiseNotes, premiseNotesHtml } from '../premise-notes';
import { readOnly, type ConsoleState } from '../state/console-state';
import { currentUser } from '../auth';
import { keepUnitMessageTyping, loadUnitMessages, renderUnitMessages } from '../unit-messages';
import { countedInView, countedUnits, listedInView, worldLabel, worldView } from '../world';
import { renderDetail } from './detail';
import { flashHeader, renderCounters } from './header';
import { matchesFilter, renderQueues, unitsShown } from './incidents';
import { renderUnitBoard } from './units';

/** The elements of one queue: its list and its count. */
interface QueueEls {
  list: HTMLElement;
  count: HTMLElement;
}

/** The console's panels, drawn from a `ConsoleState`. */
export class ConsoleView {
  readonly queueEls: Record<'pending' | 'active' | 'resolved', QueueEls> = {
    pending: { list: $('pending-list'), count: $('pending-count') },
    active: { list: $('active-list'), count: $('active-count') },
    resolved: { list: $('resolved-list'), count: $('resolved-count') },
  };
  readonly queuesEl = $('queues-section');
  readonly detailEl = $('detail');
  readonly unitListEl = $('unit-list');
  private readonly unitCountsEl = $('unit-counts');
  private renderTimer: number | null = null;
  private recTimer: number | null = null;
  /** The header flashes on the next render (a new top-priority incident). */
  flashPending = false;
  /** Counts the recommendation reads: only the latest one's answer is drawn. */
  private recReads = 0;

  constructor(private readonly state: ConsoleState) {}

  /** Draws everything within 40 ms (once however many calls come meanwhile). */
  scheduleRender(): void {
    if (this.renderTimer !== null) return;
    this.renderTimer = window.setTimeout(() => {
      this.renderTimer = null;
      this.renderAll();
    }, 40);
  }

  /** Draws everything now. */
  renderAll(): void {
    const { state } = this;
    const { store, filter, ctx } = state;
    if (state.selectedId && !store.incidents.has(state.selectedId)) this.select(null);
    // The map shows the incidents the queues show (tier and jurisdiction filters), and their routes.
    // The live/exercise switch: live incidents always, a drill's only in the exercise view (below the live ones).
    const shown = new Map([...store.incidents].filter(([, inc]) => matchesFilter(inc, filter) && listedInView(inc)));
    syncIncidentMarkers(ctx, shown);
    syncAccessPoints(ctx, shown);
    syncDevicePoints(ctx, shown);
    // Units too: those based in the filtered jurisdiction and those working the incidents shown, of the
    // world shown (in the exercise view the running drill's fleet: its crews move and step on the map).
    const parentOf = (id: string) => state.jurisdictions.find((j) => j.id === id)?.parentId ?? null;
    const fleet = worldView() === 'exercise' ? countedUnits(store.units) : store.units;
    const units = unitsShown(fleet, shown, filter, parentOf);
    syncUnitMarkers(ctx, units);
    syncRoutes(ctx, shown, fleet);
    state.order = renderQueues(this.queueEls, shown, filter, state.selectedId);
    this.renderSelected();
    // The unit board shows the world chosen: in the exercise view the drill's own fleet (filtered alike),
    // whose statuses no one restores by hand.
    const boardUnits = units;
    // The exercise view with no drill running has no fleet to show: it says so (not "No units" beside a map of them).
    const empty = worldView() === 'exercise' && !getClock().drill ? t('units.noneDrill') : t('units.none');
    renderUnitBoard(this.unitCountsEl, this.unitListEl, boardUnits, state.features.unitStatus && !readOnly() && worldView() === 'live', empty);
    // The header counts what the queues and the unit board show (the filter, e.g. a district post's own).
    // ...of one world at a time, saying which.
    renderCounters(new Map([...shown].filter(([, inc]) => countedInView(inc))), boardUnits, store.lastSeq, worldLabel(), worldView());
    if (this.flashPending) {
      this.flashPending = false;
      flashHeader();
    }
  }

  /** Draws the detail card of the selected incident (or the empty card). */
  renderSelected(): void {
    const { state, detailEl } = this;
    // The card is redrawn on every event: a unit id being typed in it keeps its text, caret and focus.
    const typing = $<HTMLInputElement>('assign-unit');
    const kept = typing ? { value: typing.value, focused: document.activeElement === typing, caret: typing.selectionStart } : null;
    const shownIncident = state.selected();
    keepCallRecordTyping(detailEl);
    keepUnitMessageTyping(detailEl);
    renderDetail(detailEl, shownIncident, {
      timeline: state.timeline,
      recommendations: state.recommendations,
      units: state.store.units,
      features: state.features,
      canWarnPublic: currentUser()?.role === 'city_commander',
    });
    if (shownIncident) detailEl.querySelector('.detail-address')?.insertAdjacentHTML('afterend', locationHtml(shownIncident, state.features.locationChange && !readOnly()));
    detailEl.querySelector('.detail-address')?.insertAdjacentHTML('afterend', premiseNotesHtml(shownIncident?.id));
    renderCallRecord(detailEl, shownIncident, !readOnly());
    renderUnitMessages(detailEl, shownIncident, !readOnly());
    detailEl.querySelector('.detail-actions')?.insertAdjacentHTML('beforebegin', hospitalsHtml(shownIncident, !readOnly(), (id) => state.store.units.get(id)?.unitType));
    const input = $<HTMLInputElement>('assign-unit');
    if (kept && input) {
      input.value = kept.value;
      if (kept.focused) {
        input.focus();
        input.setSelectionRange(kept.caret, kept.caret);
      }
    }
  }

  /** Selects an incident (null: none), marks its queue row and loads what its card shows. */
  select(id: string | null): void {
    if (id === this.state.selectedId) return;
    this.load(id);
  }

  /**
   * Reads the selected incident's card again (timeline, call record, messages, hospitals): after a
   * snapshot reload, which may follow a gap too old to replay, those cards, read apart, may miss events.
   */
  reloadSelected(): void {
    const { state } = this;
    const id = state.selectedId;
    const incident = id ? state.store.incidents.get(id) : undefined;
    if (!id || !incident) return;
    // What is being typed on the card (narrative, answers, a message) stays; the timeline shown stays until the new read lands.
    reloadNarrative(id);
    loadUnitMessages(incident);
    loadHospitals(id);
    this.readTimeline(id);
  }

  /** Reads the timeline of `id` (an answer landing after another read or selection started is dropped) and redraws. */
  private readTimeline(id: string): void {
    if (!this.state.features.timeline) return;
    this.state
      .loadTimeline(() => fetchTimeline(id))
      .then((adopted) => adopted && this.renderSelected())
      .catch((err) => console.warn('timeline failed', err));
  }

  /** Shows `id` as selected and loads its card; answers of loads started before are dropped when they land. */
  private load(id: string | null): void {
    const { state } = this;
    state.selectedId = id;
    state.resetTimeline();
    state.recommendations = undefined;
    loadCallRecord(id, !readOnly(), id ? state.store.incidents.get(id)?.type : undefined);
    loadUnitMessages(id ? state.store.incidents.get(id) : undefined);
    loadPremiseNotes(id, () => this.renderSelected());
    loadHospitals(id);
    for (const { list } of Object.values(this.queueEls)) {
      list.querySelectorAll<HTMLElement>('.incident-row').forEach((row) => {
        const on = row.dataset.incidentId === id;
        row.classList.toggle('selected', on);
        row.setAttribute('aria-selected', String(on));
        if (on) row.scrollIntoView({ block: 'nearest' });
      });
    }
    this.renderSelected();
    if (!id) return;
    this.readTimeline(id);
    if (state.features.recommendations) this.refreshRecommendations(id);
  }

  /** Asks for the incident's recommendations now (first time) or in 300 ms (debounced), and redraws its card. */
  refreshRecommendations(id: string): void {
    const { state } = this;
    if (this.recTimer !== null) window.clearTimeout(this.recTimer);
    this.recTimer = window.setTimeout(
      () => {
        this.recTimer = null;
        const reading = ++this.recReads;
        fetchRecommendations(id)
          .then((r) => {
            if (state.selectedId !== id || reading !== this.recReads) return;
            state.recommendations = r;
            this.renderSelected();
          })
          .catch(() => {
            if (state.selectedId !== id || reading !== this.recReads) return;
            state.recommendations = null;
            this.renderSelected();
          });
      },
      state.recommendations === undefined ? 0 : 300,
    );
  }

  /** Selects the next (1) or previous (-1) incident in the order shown. */
  move(step: 1 | -1): void {
    const { order, selectedId } = this.state;
    if (!order.length) return;
    const i = selectedId ? order.indexOf(selectedId) : -1;
    const next = i < 0 ? (step === 1 ? 0 : order.length - 1) : Math.min(order.length - 1, Math.max(0, i + step));
    this.select(order[next]);
  }
}
