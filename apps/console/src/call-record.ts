/**
 * The call-record card of the selected incident (issue 26): who called and the number to call back
 * (dispatchers only: the server refuses observers), the narrative (timestamped entries by author, live
 * through `incident.narrative` events), and the disposition dialog a dispatcher closes an incident with.
 * It keeps its own state and draws itself into the incident detail after each redraw of the detail.
 */
import { request } from './api';
import { bdi, esc, hms } from './format';
import { has, locale, t } from './i18n';
import { LiveRead } from './state/live-read';
import type { CadEvent } from './types';
import type { CallAnswerView, CallerView as CallerEntry, NarrativeEntry } from '@cad/domain/call-record';

/** A call-taking question (`GET /api/call-taking/questions?type=`): its id and text per locale (`en` always). */
interface Question {
  id: string;
  text: Record<string, string>;
}
import './call-record.css';

/** What the call-taker typed in the new-call form's caller fields. */
export interface CallerInput {
  callerName?: string;
  callbackNumber: string;
}

/** A callback number: optional `+`, digits with spaces, `-`, `.`, brackets; 3 to 15 digits (ITU-T E.164: at most 15). */
export function callbackNumberValid(text: string): boolean {
  const digits = text.replace(/\D/g, '').length;
  return /^\+?[0-9 ().-]{3,30}$/.test(text) && digits >= 3 && digits <= 15;
}

/**
 * Reads the caller fields of the new-call form (`#call-caller-name`, `#call-callback`).
 * @returns null when both are empty, the input when the number is valid, or `{ error }` (a translated message)
 */
export function callerFromForm(): CallerInput | null | { error: string } {
  const name = (document.getElementById('call-caller-name') as HTMLInputElement | null)?.value.trim() ?? '';
  const number = (document.getElementById('call-callback') as HTMLInputElement | null)?.value.trim() ?? '';
  if (!name && !number) return null;
  if (!number) return { error: t('callRecord.errorNoNumber') };
  if (!callbackNumberValid(number)) return { error: t('callRecord.errorNumber', { number }) };
  return name ? { callerName: name, callbackNumber: number } : { callbackNumber: number };
}

/** `PUT /api/calls/:id/caller`. */
export function saveCaller(callId: string, caller: CallerInput): Promise<unknown> {
  return request('PUT', `/api/calls/${encodeURIComponent(callId)}/caller`, caller);
}

/** `GET /api/dispositions`: the codes an incident is closed with. */
export async function fetchDispositionCodes(): Promise<string[]> {
  return (await request<{ codes: string[] }>('GET', '/api/dispositions')).codes;
}

/** `POST /api/incidents/:id/close {dispositionCode, disposition?}`. */
export function closeWithDisposition(incidentId: string, code: string, note: string): Promise<unknown> {
  return request('POST', `/api/incidents/${encodeURIComponent(incidentId)}/close`, note ? { dispositionCode: code, disposition: note } : { dispositionCode: code });
}

/** A disposition code in the locale shown (`disposition.<CODE>`), else the code itself. */
export function dispositionLabel(code: string): string {
  return has(`callRecord.disposition.${code}`) ? t(`callRecord.disposition.${code}`) : code;
}

interface CardState {
  incidentId: string | null;
  /** undefined while loading; null when this post may not see them (observer) or they failed. */
  callers: CallerEntry[] | null | undefined;
  narrative: NarrativeEntry[] | undefined;
  /** The questions of the incident's call type and the answers given; null for an observer. */
  questions: Question[] | null | undefined;
  answers: CallAnswerView[] | null | undefined;
}

const state: CardState = { incidentId: null, callers: undefined, narrative: undefined, questions: undefined, answers: undefined };
let redraw: () => void = () => undefined;
let say: (text: string, error?: boolean) => void = () => undefined;
/** The narrative's read over REST: an entry that arrives while it is in flight joins it after it lands. */
const narrativeReads = new LiveRead<NarrativeEntry>();
/** Counts the card's loads: a late answer from an earlier load (of this incident too) is dropped. */
let shown = 0;

/**
 * Wires the card into the detail panel once: its forms submit through `detailEl`, `rerender` redraws
 * the detail, `toast` reports an error.
 */
export function setUpCallRecord(detailEl: HTMLElement, rerender: () => void, toast: (text: string, error?: boolean) => void): void {
  redraw = rerender;
  say = toast;
  detailEl.addEventListener('submit', (e) => {
    const form = (e.target as HTMLElement).closest<HTMLFormElement>('.cr-narrative-form, .cr-caller-form, .cr-answers-form');
    if (!form || !state.incidentId) return;
    e.preventDefault();
    if (form.classList.contains('cr-narrative-form')) void submitNarrative(state.incidentId, form);
    else if (form.classList.contains('cr-answers-form')) void submitAnswers(state.incidentId, form);
    else void submitCaller(state.incidentId, form);
  });
  detailEl.addEventListener('keydown', (e) => {
    // Esc in a card field leaves it, so the console's keys work again.
    if (e.key === 'Escape' && (e.target as HTMLElement).closest('.call-record')) {
      e.preventDefault();
      e.stopPropagation();
      (e.target as HTMLElement).blur();
    }
  });
}

/** Loads the card of `incidentId` (or clears it for none); redraws when the answers arrive. */
export function loadCallRecord(incidentId: string | null, canSeeCallers: boolean, callType?: string): void {
  state.incidentId = incidentId;
  state.callers = canSeeCallers ? undefined : null;
  state.narrative = undefined;
  state.questions = canSeeCallers ? undefined : null;
  state.answers = canSeeCallers ? undefined : null;
  answerDrafts.clear();
  shown++;
  narrativeReads.cancel();
  if (!incidentId) return;
  if (canSeeCallers) {
    refreshCallers(incidentId);
    refreshAnswers(incidentId);
    // The incident may be selected before its first event reached this console (a call just taken): ask its type then.
    const type = callType ? Promise.resolve(callType) : request<{ type: string }>('GET', `/api/incidents/${encodeURIComponent(incidentId)}`).then((i) => i.type);
    keepWhileShown(
      incidentId,
      type.then((ty) => request<{ questions: Question[] }>('GET', `/api/call-taking/questions?type=${encodeURIComponent(ty)}`)),
      (r) => (state.questions = r?.questions ?? null),
    );
  }
  reloadNarrative(incidentId);
}

/**
 * Reads the narrative of the incident shown (again: after a snapshot reload, which may follow a gap of
 * events too old to replay); the entries shown stay until the read lands, and entries that arrive live
 * meanwhile join it.
 */
export function reloadNarrative(incidentId: string): void {
  if (state.incidentId !== incidentId) return;
  void narrativeReads
    .run(
      () => incidentPart<NarrativeEntry[]>(incidentId, 'narrative').catch(() => null),
      (entries) => (entries ? merge(entries) : (state.narrative ??= [])),
      merge,
    )
    .then((r) => r === 'adopted' && redraw());
}

/** `GET /api/incidents/:id/<part>` of the incident shown. */
function incidentPart<T>(incidentId: string, part: 'narrative' | 'callers' | 'answers'): Promise<T> {
  return request<T>('GET', `/api/incidents/${encodeURIComponent(incidentId)}/${part}`);
}

/**
 * Keeps an answer about an incident (null when the request failed: not allowed, or the server away) and
 * redraws, but only while that incident is still the one shown: a late answer never lands on another.
 */
function keepWhileShown<T>(incidentId: string, answer: Promise<T>, keep: (value: T | null) => void): void {
  const showing = shown;
  void answer
    .then(
      (v) => v,
      () => null,
    )
    .then((v) => {
      // Another incident shown since, or this one selected again (a newer read of it is on its way).
      if (state.incidentId !== incidentId || shown !== showing) return;
      keep(v);
      redraw();
    });
}

function refreshCallers(incidentId: string): void {
  keepWhileShown(incidentId, incidentPart<CallerEntry[]>(incidentId, 'callers'), (callers) => (state.callers = callers));
}

function refreshAnswers(incidentId: string): void {
  keepWhileShown(incidentId, incidentPart<CallAnswerView[]>(incidentId, 'answers'), (answers) => (state.answers = answers));
}

/** Answers being typed, by question id, kept across redraws of the detail. */
const answerDrafts = new Map<string, string>();

async function submitAnswers(incidentId: string, form: HTMLFormElement): Promise<void> {
  const answers = Array.from(form.querySelectorAll<HTMLInputElement>('.cr-answer-input'))
    .map((i) => ({ questionId: i.dataset.questionId!, answer: i.value.trim() }))
    .filter((a) => a.answer);
  if (!answers.length) return;
  try {
    await request('PUT', `/api/calls/${encodeURIComponent(form.dataset.callId!)}/answers`, { answers });
    answerDrafts.clear();
    for (const i of Array.from(form.querySelectorAll<HTMLInputElement>('.cr-answer-input'))) i.value = '';
    refreshAnswers(incidentId);
  } catch (err) {
    say((err as Error).message, true);
  }
}

/** The questions with the answers given and a field for each, or nothing when the type has none. */
function questionsHtml(incident: { calls?: { id: string }[] }, writable: boolean): string {
  if (!state.questions?.length || state.answers === null) return '';
  const lang = locale();
  const latest = new Map((state.answers ?? []).map((a) => [a.questionId, a.answer]));
  const rows = state.questions
    .map((q) => {
      const given = latest.get(q.id);
      const input =
        writable && incident.calls?.[0]
          ? `<input class="cr-answer-input" data-question-id="${esc(q.id)}" maxlength="500" autocomplete="off" aria-label="${esc(q.text[lang] ?? q.text.en)}" value="${esc(answerDrafts.get(q.id) ?? '')}" />`
          : '';
      return `<li data-question-id="${esc(q.id)}"><span class="cr-question">${bdi(q.text[lang] ?? q.text.en)}</span> <b class="cr-answer">${given === undefined ? '' : bdi(given)}</b>${input}</li>`;
    })
    .join('');
  const save = writable && incident.calls?.[0] ? `<button type="submit" class="small">${esc(t('callRecord.saveAnswers'))}</button>` : '';
  return `<h5>${esc(t('callRecord.questions'))}</h5><form class="cr-answers-form" data-call-id="${esc(incident.calls?.[0]?.id ?? '')}"><ol class="cr-questions">${rows}</ol>${save}</form>`;
}

/** Adds entries to the narrative shown, once each, in time order. */
function merge(entries: NarrativeEntry[]): void {
  const byId = new Map([...(state.narrative ?? []), ...entries].map((e) => [e.id, e]));
  state.narrative = [...byId.values()].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || Number(a.id) - Number(b.id));
}

/**
 * Takes a live event: an `incident.narrative` of the incident shown joins its narrative (once, however
 * often the event is delivered). Answers whether the card changed.
 */
export function noteCallRecordEvent(ev: CadEvent): boolean {
  if (ev.type !== 'incident.narrative' || !state.incidentId || ev.incidentId !== state.incidentId) return false;
  // Kept for the narrative's read if it is in flight (it may have been answered before this entry committed).
  narrativeReads.note(ev.payload);
  if (!state.narrative) return false;
  merge([ev.payload]);
  return true;
}

/** True while a narrative entry is being sent (a second Enter must not send it twice). */
let sending = false;

async function submitNarrative(incidentId: string, form: HTMLFormElement): Promise<void> {
  const text = form.querySelector<HTMLInputElement>('input')!.value.trim();
  if (!text || sending) return;
  sending = true;
  try {
    const entry = await request<NarrativeEntry>('POST', `/api/incidents/${encodeURIComponent(incidentId)}/narrative`, { text });
    if (state.incidentId === incidentId) merge([entry]);
    // The field may have been redrawn meanwhile: empty the one shown, unless more was typed since.
    const input = document.getElementById('cr-narrative-input') as HTMLInputElement | null;
    if (input && input.value.trim() === text) input.value = '';
    redraw();
  } catch (err) {
    say((err as Error).message, true);
  } finally {
    sending = false;
  }
}

async function submitCaller(incidentId: string, form: HTMLFormElement): Promise<void> {
  const name = form.querySelector<HTMLInputElement>('[name=callerName]')!.value.trim();
  const number = form.querySelector<HTMLInputElement>('[name=callbackNumber]')!.value.trim();
  const callId = form.dataset.callId!;
  if (!callbackNumberValid(number)) {
    say(t('callRecord.errorNumber', { number }), true);
    return;
  }
  try {
    await saveCaller(callId, name ? { callerName: name, callbackNumber: number } : { callbackNumber: number });
    refreshCallers(incidentId);
  } catch (err) {
    say((err as Error).message, true);
  }
}

/** The narrative field's text, kept across redraws of the detail (which replace it). */
let typed: { incidentId: string; value: string; focused: boolean } | null = null;

/** Notes the narrative field's text and focus before the detail is redrawn (call it before replacing the detail). */
export function keepCallRecordTyping(detailEl: HTMLElement): void {
  const old = detailEl.querySelector<HTMLInputElement>('#cr-narrative-input');
  if (old && state.incidentId) typed = { incidentId: state.incidentId, value: old.value, focused: document.activeElement === old };
  answerFocus = null;
  for (const i of Array.from(detailEl.querySelectorAll<HTMLInputElement>('.cr-answer-input'))) {
    answerDrafts.set(i.dataset.questionId!, i.value);
    if (document.activeElement === i) answerFocus = i.dataset.questionId!;
  }
}

/** The question whose answer field had the focus before a redraw, if any. */
let answerFocus: string | null = null;

/**
 * Draws the card into the detail of `incident` (before its command buttons); a caller added from the
 * card is recorded on the incident's first call; `writable` is false for an observer.
 */
export function renderCallRecord(detailEl: HTMLElement, incident: { id: string; calls?: { id: string }[] } | undefined, writable: boolean): void {
  if (!incident || incident.id !== state.incidentId) return;
  const callers =
    state.callers === null
      ? ''
      : state.callers === undefined
        ? `<p class="muted">${esc(t('common.loading'))}</p>`
        : state.callers.length
          ? `<dl class="cr-callers">${state.callers
              .map(
                (c) =>
                  `<div class="cr-caller" data-call-id="${esc(c.callId)}"><dt>${esc(t('callRecord.caller'))}</dt><dd class="cr-caller-name">${
                    c.callerName ? bdi(c.callerName) : `<span class="muted">${esc(t('callRecord.noName'))}</span>`
                  }</dd><dt>${esc(t('callRecord.callback'))}</dt><dd class="cr-callback"><a href="tel:${esc(c.callbackNumber.replace(/[^\d+]/g, ''))}" dir="ltr">${esc(c.callbackNumber)}</a></dd></div>`,
              )
              .join('')}</dl>`
          : `<p class="muted cr-no-caller">${esc(t('callRecord.noCaller'))}</p>${
              writable && incident.calls?.[0]
                ? `<form class="cr-caller-form" data-call-id="${esc(incident.calls[0].id)}"><input name="callerName" maxlength="120" autocomplete="off" placeholder="${esc(
                    t('callRecord.caller'),
                  )}" aria-label="${esc(t('callRecord.caller'))}" /><input name="callbackNumber" maxlength="30" autocomplete="off" inputmode="tel" placeholder="${esc(
                    t('callRecord.callback'),
                  )}" aria-label="${esc(t('callRecord.callback'))}" /><button type="submit" class="small">${esc(t('callRecord.saveCaller'))}</button></form>`
                : ''
            }`;
  const entries =
    state.narrative === undefined
      ? `<p class="muted">${esc(t('common.loading'))}</p>`
      : state.narrative.length
        ? `<ol class="cr-narrative">${state.narrative
            .map((n) => `<li data-entry-id="${esc(n.id)}"><span class="t">${esc(hms(Date.parse(n.at)))}</span> <b class="cr-author">${bdi(n.author)}</b> <span class="cr-text">${bdi(n.text)}</span></li>`)
            .join('')}</ol>`
        : `<p class="muted cr-no-narrative">${esc(t('callRecord.noNarrative'))}</p>`;
  const form = writable
    ? `<form class="cr-narrative-form"><input id="cr-narrative-input" maxlength="2000" autocomplete="off" placeholder="${esc(t('callRecord.narrativePlaceholder'))}" aria-label="${esc(
        t('callRecord.narrativeLabel'),
      )}" /><button type="submit" class="small">${esc(t('callRecord.add'))}</button></form>`
    : '';
  const html = `<section class="call-record" aria-label="${esc(t('callRecord.title'))}"><h4>${esc(t('callRecord.title'))}</h4>${callers}${questionsHtml(incident, writable)}<h5>${esc(
    t('callRecord.narrative'),
  )}</h5>${entries}${form}</section>`;
  const anchor = detailEl.querySelector('.detail-actions');
  if (anchor) anchor.insertAdjacentHTML('beforebegin', html);
  else detailEl.insertAdjacentHTML('beforeend', html);
  const input = detailEl.querySelector<HTMLInputElement>('#cr-narrative-input');
  if (input && typed && typed.incidentId === incident.id) {
    input.value = typed.value;
    if (typed.focused) input.focus();
  }
  if (answerFocus) detailEl.querySelector<HTMLInputElement>(`.cr-answer-input[data-question-id="${answerFocus}"]`)?.focus();
}

let dispositionResolve: ((v: { code: string; note: string } | null) => void) | null = null;

/** The disposition dialog, built once (its text follows the locale when it opens). */
function dispositionDialog(): HTMLDialogElement {
  let dlg = document.getElementById('disposition-dialog') as HTMLDialogElement | null;
  if (dlg) return dlg;
  dlg = document.createElement('dialog');
  dlg.id = 'disposition-dialog';
  dlg.className = 'dlg';
  dlg.innerHTML = `<form id="disposition-form" method="dialog"><h3 id="disposition-title"></h3>
<label><span id="disposition-code-label"></span> <select id="disposition-code"></select></label>
<label><span id="disposition-note-label"></span> <input id="disposition-note" autocomplete="off" maxlength="450" /></label>
<p id="disposition-error" class="error" role="alert"></p>
<div class="actions"><button type="button" id="disposition-cancel"></button><button type="submit" id="disposition-submit" class="primary"></button></div></form>`;
  document.body.append(dlg);
  const finish = (v: { code: string; note: string } | null): void => {
    dlg!.close();
    dispositionResolve?.(v);
    dispositionResolve = null;
  };
  dlg.querySelector('form')!.addEventListener('submit', (e) => {
    e.preventDefault();
    const code = (document.getElementById('disposition-code') as HTMLSelectElement).value;
    if (!code) {
      document.getElementById('disposition-error')!.textContent = t('callRecord.dispositionRequired');
      return;
    }
    finish({ code, note: (document.getElementById('disposition-note') as HTMLInputElement).value.trim() });
  });
  // A code chosen answers the "choose a disposition" message: it goes.
  dlg.querySelector('#disposition-code')!.addEventListener('change', () => (document.getElementById('disposition-error')!.textContent = ''));
  dlg.querySelector('#disposition-cancel')!.addEventListener('click', () => finish(null));
  // Enter on the list submits, as in a text field (a select has no implicit submission of its own).
  dlg.querySelector('#disposition-code')!.addEventListener('keydown', (e) => {
    if ((e as KeyboardEvent).key !== 'Enter') return;
    e.preventDefault();
    dlg!.querySelector('form')!.requestSubmit();
  });
  dlg.addEventListener('cancel', (e) => {
    e.preventDefault();
    finish(null);
  });
  return dlg;
}

/**
 * Asks how the call ended: a disposition code from the server's list (required) and an optional note.
 * @returns the choice, or null when the dispatcher cancelled (or the list could not be read: `toast` says why)
 */
export async function askDisposition(): Promise<{ code: string; note: string } | null> {
  let codes: string[];
  try {
    codes = await fetchDispositionCodes();
  } catch (err) {
    say((err as Error).message, true);
    return null;
  }
  const dlg = dispositionDialog();
  document.getElementById('disposition-title')!.textContent = t('action.close.title');
  document.getElementById('disposition-code-label')!.textContent = t('callRecord.dispositionCode');
  document.getElementById('disposition-note-label')!.textContent = t('callRecord.dispositionNote');
  document.getElementById('disposition-cancel')!.textContent = t('common.cancel');
  document.getElementById('disposition-submit')!.textContent = t('detail.close');
  document.getElementById('disposition-error')!.textContent = '';
  (document.getElementById('disposition-note') as HTMLInputElement).value = '';
  const select = document.getElementById('disposition-code') as HTMLSelectElement;
  select.innerHTML = `<option value="">${esc(t('callRecord.chooseDisposition'))}</option>${codes.map((c) => `<option value="${esc(c)}">${esc(dispositionLabel(c))}</option>`).join('')}`;
  dlg.showModal();
  select.focus();
  return new Promise((resolve) => (dispositionResolve = resolve));
}
