/**
 * The new-call form (`#call-dialog`): non-modal, so the map stays clickable to place the call. The
 * call's position comes from the map centre, an address lookup, a map click or coordinates typed; a
 * call taken while CAD is down is kept and sent, in order, when CAD is back (see call-outbox.ts).
 */
import { createCall, geocode, geocodeMissText, request, type Geocoded, type GeocodeMiss } from '../api';
import { callerFromForm, saveCaller } from '../call-record';
import { CallOutbox, isOutage } from '../call-outbox';
import { $, toast } from '../dom';
import { esc, isolateText } from '../format';
import { t } from '../i18n';
import { setUpOfflineAudit } from '../offline-audit';
import type { ConsoleView } from '../panel/console-view';
import type { ConsoleState } from '../state/console-state';
import { setWorldView, worldView } from '../world';

/**
 * Where the call's position (the lat/lon fields) comes from. `centre`: the map centre, while no address
 * is typed; `address`: a successful lookup of `address`; `map`: a map click (or coordinates typed) made
 * after `address` was typed; `none`: the address was edited and is not located yet (fields empty).
 */
interface CallPlacement {
  /** `typed`: coordinates typed by hand (the caller's device location, read out): kept when an address is typed after them. */
  by: 'centre' | 'address' | 'map' | 'typed' | 'none';
  address: string;
}

/** The address as typed, trimmed. */
function callAddress(): string {
  return $<HTMLInputElement>('call-address').value.trim();
}

/** Shows where the call is placed (or why it is not) under the coordinates. */
function showCallLocated(text: string, warn = false): void {
  $('call-located').textContent = text;
  $('call-located').className = warn ? 'warn small' : 'muted small';
}

/** A coordinate field's number, or NaN when it is empty or not a number. */
function coordinate(id: string): number {
  const text = $<HTMLInputElement>(id).value.trim();
  return text ? Number(text) : NaN;
}

/** The drill now running or paused (exercise calls taken by hand join it), or null. */
async function runningDrillId(): Promise<string | null> {
  const runs = await request<Array<{ id: string; state: string }>>('GET', '/api/drills');
  return runs.find((r) => r.state === 'running' || r.state === 'paused')?.id ?? null;
}

/** The new-call form and the calls kept while CAD was down. */
export class CallForm {
  private readonly dlg = $<HTMLDialogElement>('call-dialog');
  private placement: CallPlacement = { by: 'centre', address: '' };
  /** The last address lookup asked of the server: one request per address text, however many Tabs and Enters. */
  private addressLookup: { q: string; answer: Promise<Geocoded | GeocodeMiss> } | null = null;
  /** Why the last address lookup could not be made (network, server), or null when it answered. */
  private lookupFailure: string | null = null;
  /** True while a call is being posted (a second Enter must not post it twice). */
  private submitting = false;
  /** Calls taken while CAD was down, sent when it is back (see call-outbox.ts). */
  private readonly outbox = new CallOutbox(localStorage);
  /** The audit of calls taken offline (toolbar button and dialog). */
  private readonly offlineAudit = setUpOfflineAudit(this.outbox, esc);

  constructor(
    private readonly state: ConsoleState,
    private readonly view: ConsoleView,
  ) {
    $('call-address').addEventListener('change', () => void this.lookUpAddress());
    // An edited address invalidates the position it had (the map centre, the previous address, an earlier
    // click): the fields are emptied until the new address is located or the map is clicked.
    $('call-address').addEventListener('input', () => {
      if (this.placement.by === 'typed') {
        // Coordinates typed by hand are never replaced silently by an address typed after them.
        showCallLocated(t(callAddress() ? 'newCall.typedKept' : 'newCall.placedTyped'));
        return;
      }
      if (this.placement.by !== 'none') {
        this.placement = { by: 'none', address: '' };
        $<HTMLInputElement>('call-lat').value = '';
        $<HTMLInputElement>('call-lon').value = '';
      }
      showCallLocated(t(callAddress() ? 'newCall.notLocatedYet' : 'newCall.typeAddress'));
    });
    // Coordinates typed by hand win over the lookup, as a map click does.
    for (const f of ['call-lat', 'call-lon']) {
      $(f).addEventListener('input', () => this.placeByHand(t('newCall.placedTyped'), 'typed'));
    }
    $('call-cancel').addEventListener('click', () => this.close());
    $('new-call-btn').addEventListener('click', () => this.open());
    $('call-form').addEventListener('submit', (e) => {
      e.preventDefault();
      if (this.submitting) return;
      this.submitting = true;
      void this.submit().finally(() => (this.submitting = false));
    });
  }

  /** Whether the form is open. */
  get isOpen(): boolean {
    return this.dlg.open;
  }

  /** Opens the form placed at the map centre (nothing when it is open already). */
  open(): void {
    if (this.dlg.open) return;
    const c = this.state.ctx.map.getCenter();
    $<HTMLInputElement>('call-lat').value = c.lat.toFixed(6);
    $<HTMLInputElement>('call-lon').value = c.lng.toFixed(6);
    this.placement = { by: 'centre', address: '' };
    this.addressLookup = null;
    showCallLocated(t('newCall.hint'));
    $('call-error').textContent = '';
    this.dlg.show();
    $<HTMLInputElement>('call-type').focus();
  }

  /** Closes the form and empties it. */
  close(): void {
    this.dlg.close();
    $<HTMLFormElement>('call-form').reset();
  }

  /** Places the call where the map was clicked (WGS84 degrees). */
  placeFromMap(lat: number, lon: number): void {
    $<HTMLInputElement>('call-lat').value = lat.toFixed(6);
    $<HTMLInputElement>('call-lon').value = lon.toFixed(6);
    this.placeByHand(t('newCall.placedClicked'));
  }

  /** Sends the calls kept while CAD was down, in the order taken, says how many went, and updates the audit. */
  flushOutbox(): void {
    if (!this.outbox.list().length) return;
    void this.outbox
      .flush((c) => createCall(c))
      .then((r) => {
        if (r.sent.length) toast(t('offline.callsSent', { count: r.sent.length }));
        for (const x of r.refused) toast(t('offline.callRefused', { type: x.call.type, error: x.error }));
        this.offlineAudit.refresh();
      });
  }

  /** Whether the lat/lon fields hold a position that belongs to the address as typed now. */
  private positionHolds(): boolean {
    const q = callAddress();
    if (!q) return this.placement.by !== 'none';
    // Typed coordinates are the caller's location: an address typed after them is sent with them, and the
    // server checks one against the other (a mismatch is flagged, dispatch goes to the address).
    if (this.placement.by === 'typed') return true;
    return (this.placement.by === 'address' || this.placement.by === 'map') && this.placement.address === q;
  }

  /** Puts a position chosen by hand (map click or typed coordinates) on the call, for the address as typed. */
  private placeByHand(text: string, by: 'map' | 'typed' = 'map'): void {
    this.placement = { by, address: callAddress() };
    showCallLocated(text);
    if ($('call-error').textContent) $('call-error').textContent = '';
  }

  /**
   * Looks the typed address up (once per address text) and places the call there, unless the call is
   * already placed for this address (looked up, or clicked on the map after the address was typed).
   */
  private lookUpAddress(): Promise<void> {
    const q = callAddress();
    if (!q || this.positionHolds()) return Promise.resolve();
    if (this.addressLookup?.q !== q) this.addressLookup = { q, answer: geocode(q) };
    const { answer } = this.addressLookup;
    return answer.then(
      (r) => {
        this.lookupFailure = null;
        // Typed on, or placed by hand meanwhile: this answer is for nothing on screen any more.
        if (callAddress() !== q || this.positionHolds()) return;
        if ('miss' in r) {
          showCallLocated(t('newCall.notFound', { address: isolateText(q), why: geocodeMissText(r) }), true);
          return;
        }
        $<HTMLInputElement>('call-lat').value = r.lat.toFixed(6);
        $<HTMLInputElement>('call-lon').value = r.lon.toFixed(6);
        this.placement = { by: 'address', address: q };
        const where = r.streetId ? (this.state.jurisdictions.find((j) => j.id === r.streetId)?.name ?? '') : '';
        const values = { matched: isolateText(r.matched), precision: t(`newCall.precision.${r.precision}`, { defaultValue: r.precision }), street: isolateText(where) };
        const rough = r.precision === 'street';
        const key = where ? (rough ? 'newCall.locatedInRough' : 'newCall.locatedIn') : rough ? 'newCall.locatedRough' : 'newCall.located';
        showCallLocated(t(key, values), rough);
        if ($('call-error').textContent) $('call-error').textContent = '';
      },
      (err: Error) => {
        if (this.addressLookup?.q === q) this.addressLookup = null; // a network failure is asked again next time
        if (callAddress() !== q || this.positionHolds()) return;
        this.lookupFailure = err.message;
        showCallLocated(t('newCall.lookupFailed', { error: err.message }), true);
      },
    );
  }

  /**
   * Posts the call from the form. The position must belong to the address as typed: Enter straight after
   * typing it waits for its lookup; an address not located (and no map click since it was typed) is
   * refused in the form, and nothing is posted.
   */
  private async submit(): Promise<void> {
    $('call-error').textContent = '';
    await this.lookUpAddress();
    const address = callAddress();
    if (!this.positionHolds()) {
      $('call-error').textContent = address
        ? this.lookupFailure
          ? t('newCall.errorLookupFailed', { address: isolateText(address), error: this.lookupFailure })
          : t('newCall.errorNotLocated', { address: isolateText(address) })
        : t('newCall.errorNoPosition');
      return;
    }
    const lat = coordinate('call-lat');
    const lon = coordinate('call-lon');
    const type = $<HTMLInputElement>('call-type').value.trim();
    const notes = $<HTMLTextAreaElement>('call-notes').value.trim();
    if (!type) {
      $('call-error').textContent = t('newCall.errorType');
      return;
    }
    if (!(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180)) {
      $('call-error').textContent = t('newCall.errorCoordinates');
      return;
    }
    const body = {
      type,
      priority: Number($<HTMLSelectElement>('call-priority').value) as 1 | 2 | 3,
      lat,
      lon,
      source: 'hotline' as const,
      ...(address ? { address } : {}),
      ...(notes ? { notes } : {}),
    };
    const caller = callerFromForm();
    if (caller && 'error' in caller) {
      $('call-error').textContent = caller.error;
      return;
    }
    if ($<HTMLInputElement>('call-exercise').checked) {
      // An exercise call belongs to a drill: it joins the one running (its report and clean-up include it).
      const drillId = await runningDrillId().catch(() => null);
      if (!drillId) {
        $('call-error').textContent = t('newCall.errorNoDrill');
        return;
      }
      Object.assign(body, { exercise: true, drillId });
    }
    $<HTMLButtonElement>('call-submit').disabled = true;
    try {
      const created = await createCall(body);
      // The caller's name and number are kept apart from the call (never in the event log); the call stands if they fail.
      if (caller) await saveCaller(created.id, caller).catch((err: Error) => toast(t('callRecord.callerNotSaved', { error: err.message }), true));
      this.state.awaitingCall = { type: body.type.normalize('NFC'), lat, lon, selectedBefore: this.state.selectedId };
      this.close();
      // A live call taken while the console shows a drill: show the live world it belongs to (its units
      // and card), never the drill's board beside a live card.
      const live = !('exercise' in body);
      if (live && worldView() === 'exercise') setWorldView('live', false);
      toast(t('newCall.created'));
      void this.followCall(created.id, this.state.selectedId);
    } catch (err) {
      if (isOutage(err) && !$<HTMLInputElement>('call-exercise').checked) {
        // CAD is down: the call is kept with the time it was taken and sent when CAD is back.
        this.outbox.keep(body);
        this.close();
        toast(t('offline.callKept', { n: this.outbox.list().length }));
        return;
      }
      $('call-error').textContent = (err as Error).message;
    } finally {
      $<HTMLButtonElement>('call-submit').disabled = false;
    }
  }

  /**
   * Follows a new call to its incident (`GET /api/calls/:id`): a call linked to an open incident as a
   * duplicate is announced and that incident selected, since no new incident will appear.
   */
  private async followCall(callId: string, selectedBefore: string | null): Promise<void> {
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => window.setTimeout(r, 250));
      try {
        const c = await request<{ incidentId: string | null; linked: boolean }>('GET', `/api/calls/${encodeURIComponent(callId)}`);
        if (!c.incidentId) continue;
        if (c.linked) {
          this.state.awaitingCall = null;
          toast(t('newCall.linked', { incident: isolateText(this.state.store.incidents.get(c.incidentId)?.address ?? c.incidentId) }));
        }
        // Not when the dispatcher has selected another incident since: their next key is meant for it.
        if (this.state.selectedId === selectedBefore || this.state.selectedId === null) this.view.select(c.incidentId);
        return;
      } catch {
        return;
      }
    }
  }
}
