/**
 * The crew's view of the call record (issue 26): who called, the number to call back, the answers to
 * the call-taking questions and the narrative of the incident the unit is sent to, below the status buttons. The
 * server shows callers and answers to the crews of the incident only.
 */
import { request } from '../api';
import { sectionBesideActions } from './section';
import { bdi, esc, hms } from '../format';
import { locale, t } from '../i18n';
import type { CallAnswerView, CallerView, NarrativeEntry } from '@cad/domain/call-record';

let shownFor: string | null = null;
let timer: number | null = null;

/** The section's element, made once after the status buttons (`#r-actions`). */
function host(): HTMLElement {
  return sectionBesideActions('r-call-record', 'r-call-record', 'afterend');
}

/** The section's HTML from what the server answered (each part left out when empty or refused). */
export function crewCallRecordHtml(
  callers: CallerView[] | null,
  answers: CallAnswerView[] | null,
  narrative: NarrativeEntry[] | null,
  questions: { id: string; text: Record<string, string> }[] = [],
): string {
  const asked = new Map(questions.map((q) => [q.id, q.text[locale()] ?? q.text.en]));
  const who = (callers ?? [])
    .map(
      (c) =>
        `<div class="r-caller"><span class="muted">${esc(t('callRecord.caller'))}</span> <b class="r-caller-name">${c.callerName ? bdi(c.callerName) : esc(t('callRecord.noName'))}</b> <a class="r-callback" href="tel:${esc(
          c.callbackNumber.replace(/[^\d+]/g, ''),
        )}" dir="ltr">${esc(c.callbackNumber)}</a></div>`,
    )
    .join('');
  const said = (answers ?? [])
    .filter((a) => asked.has(a.questionId))
    .map((a) => `<li><span class="muted">${bdi(asked.get(a.questionId))}</span> <b>${bdi(a.answer)}</b></li>`)
    .join('');
  const log = (narrative ?? []).map((n) => `<li><span class="muted">${esc(hms(Date.parse(n.at)))}</span> <b>${bdi(n.author)}</b> ${bdi(n.text)}</li>`).join('');
  if (!who && !said && !log) return '';
  return `<h3>${esc(t('callRecord.title'))}</h3>${who}${said ? `<ul class="r-answers">${said}</ul>` : ''}${log ? `<h4>${esc(t('callRecord.narrative'))}</h4><ol class="r-narrative">${log}</ol>` : ''}`;
}

/** Shows the call record of `incidentId` (none for null), fetched again a moment after each call (events arrive in bursts). */
export function showCrewCallRecord(incidentId: string | null, callType = ''): void {
  if (!incidentId) {
    shownFor = null;
    host().innerHTML = '';
    return;
  }
  if (shownFor !== incidentId) host().innerHTML = '';
  shownFor = incidentId;
  if (timer !== null) window.clearTimeout(timer);
  timer = window.setTimeout(() => {
    timer = null;
    const id = encodeURIComponent(incidentId);
    const get = <T>(path: string) => request<T>('GET', path).catch(() => null);
    void Promise.all([
      get<CallerView[]>(`/api/incidents/${id}/callers`),
      get<CallAnswerView[]>(`/api/incidents/${id}/answers`),
      get<NarrativeEntry[]>(`/api/incidents/${id}/narrative`),
      get<{ questions: { id: string; text: Record<string, string> }[] }>(`/api/call-taking/questions?type=${encodeURIComponent(callType)}`),
    ]).then(([callers, answers, narrative, asked]) => {
      if (shownFor === incidentId) host().innerHTML = crewCallRecordHtml(callers, answers, narrative, asked?.questions ?? []);
    });
  }, 250);
}
