/**
 * Drill control on the console: start a replay of a historical day at a speed, watch its progress,
 * stop it, and open its after-action report (fetched with the sign-in token and shown in a new tab,
 * since a plain link cannot carry the token). Only a city commander may start or stop a drill.
 */
import { request } from './api';
import { openAuthorisedPage, toolbarDialog } from './open-page';
import { locale, t } from './i18n';

interface DrillRun {
  id: string;
  state: string;
  day?: string;
  speed?: number | 'max';
  policy?: string;
  progress?: { posted?: number; calls?: number } | number;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Opens a drill's HTML report in a new tab, in the language shown here. */
export async function openReport(id: string): Promise<void> {
  await openAuthorisedPage(`/api/drills/${encodeURIComponent(id)}/report.html?lang=${encodeURIComponent(locale())}`);
}

/** Wires the Drill button and dialog (created here) to the `/api/drills` endpoints. */
export function setUpDrillControl(toast: (text: string, error?: boolean) => void): void {
  const { btn, dlg } = toolbarDialog('drill', 'drill', `<form method="dialog" class="drill-form">
    <h3 data-i18n="drill.title"></h3>
    <div id="drill-runs" class="muted" data-i18n="common.loading"></div>
    <label><span data-i18n="drill.day"></span> <input id="drill-day" type="date" value="2017-01-01" /></label>
    <label><span data-i18n="drill.speed"></span> <select id="drill-speed"><option>10</option><option selected>60</option><option>300</option><option value="max" data-i18n="drill.max"></option></select></label>
    <label><span data-i18n="drill.policy"></span> <select id="drill-policy"><option value="nearest" data-i18n="drill.policyNearest"></option><option value="optimised" data-i18n="drill.policyOptimised"></option><option value="moveups" data-i18n="drill.policyMoveups"></option></select></label>
    <label><span data-i18n="drill.limit"></span> <input id="drill-limit" type="number" min="1" data-i18n-placeholder="drill.limitAll" /></label>
    <div class="row"><button id="drill-start" type="button" data-i18n="drill.start"></button><button value="close" data-i18n="common.close"></button></div>
  </form>`);
  const runsEl = dlg.querySelector<HTMLElement>('#drill-runs')!;

  const render = async () => {
    try {
      const runs = await request<DrillRun[]>('GET', '/api/drills');
      runsEl.innerHTML = runs.length
        ? `<ul>${runs
            .slice(0, 5)
            .map(
              (r) =>
                `<li><b>${esc(r.id)}</b> ${esc(t(`drill.state.${r.state}`, { defaultValue: r.state }))} ${r.policy ? esc(t(r.policy === 'optimised' ? 'drill.policyOptimised' : r.policy === 'moveups' ? 'drill.policyMoveups' : 'drill.policyNearest')) : ''} ${
                  r.state === 'running' || r.state === 'paused' ? `<button type="button" data-stop="${esc(r.id)}">${esc(t('drill.stop'))}</button>` : ''
                } <button type="button" data-report="${esc(r.id)}">${esc(t('drill.report'))}</button></li>`,
            )
            .join('')}</ul>`
        : esc(t('drill.none'));
    } catch (err) {
      runsEl.textContent = (err as Error).message;
    }
  };
  runsEl.addEventListener('click', (e) => {
    const t = e.target as HTMLElement;
    if (t.dataset.stop) {
      request('POST', `/api/drills/${encodeURIComponent(t.dataset.stop)}/stop`)
        .then(() => render())
        .catch((err: Error) => toast(err.message, true));
    }
    if (t.dataset.report) openReport(t.dataset.report).catch((err: Error) => toast(err.message, true));
  });
  dlg.querySelector('#drill-start')!.addEventListener('click', () => {
    const speedRaw = dlg.querySelector<HTMLSelectElement>('#drill-speed')!.value;
    const body = {
      day: dlg.querySelector<HTMLInputElement>('#drill-day')!.value,
      speed: speedRaw === 'max' ? 'max' : Number(speedRaw),
      policy: dlg.querySelector<HTMLSelectElement>('#drill-policy')!.value,
      ...(dlg.querySelector<HTMLInputElement>('#drill-limit')!.value ? { limit: Number(dlg.querySelector<HTMLInputElement>('#drill-limit')!.value) } : {}),
    };
    request<DrillRun>('POST', '/api/drills', body)
      .then((r) => {
        toast(t('drill.started', { id: r.id }));
        return render();
      })
      .catch((err: Error) => toast(err.message, true));
  });
  btn.addEventListener('click', () => {
    void render();
    dlg.showModal();
  });
}
