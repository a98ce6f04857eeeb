/**
 * The crew's damage report (issue 24): casualties by START triage category, people displaced, buildings
 * damaged and destroyed, lifelines out and needs, about the incident of the current task, posted to
 * `POST /api/sitrep/damage-reports`. Each send is the next version of the incident's report (the server
 * keeps every one); the answer names the version.
 */
import { ApiError, request } from '../api';
import { t } from '../i18n';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const count = (id: string) => Math.max(0, Math.floor(Number($<HTMLInputElement>(id).value) || 0));

/** Wires the form; `incidentId` answers the current task's incident (null without a task). */
export function setUpDamageForm(incidentId: () => string | null): void {
  $<HTMLFormElement>('r-damage-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const id = incidentId();
    if (!id) return;
    const result = $('r-dmg-result');
    const body = {
      incidentId: id,
      casualties: { immediate: count('r-dmg-immediate'), delayed: count('r-dmg-delayed'), minor: count('r-dmg-minor'), deceased: count('r-dmg-deceased') },
      displaced: count('r-dmg-displaced'),
      buildingsDamaged: count('r-dmg-damaged'),
      buildingsDestroyed: count('r-dmg-destroyed'),
      lifelinesOut: [...document.querySelectorAll<HTMLInputElement>('#r-dmg-lifelines input:checked')].map((c) => c.value),
      needs: $<HTMLTextAreaElement>('r-dmg-needs').value.split('\n').map((x) => x.trim()).filter(Boolean),
    };
    $<HTMLButtonElement>('r-dmg-send').disabled = true;
    request<{ version: number }>('POST', '/api/sitrep/damage-reports', body)
      .then((r) => (result.textContent = t('responder.damage.sent', { version: r.version })))
      .catch((err: unknown) => (result.textContent = t('responder.damage.failed', { reason: err instanceof ApiError ? err.message : String(err) })))
      .finally(() => ($<HTMLButtonElement>('r-dmg-send').disabled = false));
  });
}
