/**
 * Drill control on the console: start a replay of a historical day at a speed, watch its progress,
 * stop it, and open its after-action report (fetched with the sign-in token and shown in a new tab,
 * since a plain link cannot carry the token). Only a city commander may start or stop a drill.
 */
import { request } from './api';
import { authHeaders } from './auth';

interface DrillRun {
  id: string;
  state: string;
  day?: string;
  speed?: number | 'max';
  policy?: string;
  progress?: { posted?: number; calls?: number } | number;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Opens a drill's HTML report in a new tab. */
export async function openReport(id: string): Promise<void> {
  const tab = window.open('', '_blank');
  const res = await fetch(`/api/drills/${encodeURIComponent(id)}/report.html`, { headers: authHeaders() });
  const html = await res.text();
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  if (tab) tab.location.href = url;
  else window.location.href = url;
}

/** Wires the Drill button and dialog (created here) to the `/api/drills` endpoints. */
export function setUpDrillControl(toast: (text: string, error?: boolean) => void): void {
  const btn = document.createElement('button');
  btn.type = 'button';
  btn.id = 'drill-btn';
  btn.textContent = 'Drill';
  btn.title = 'Start, watch or stop a drill; open its report';
  document.querySelector('.toolbar')?.appendChild(btn);
  const dlg = document.createElement('dialog');
  dlg.id = 'drill-dialog';
  dlg.innerHTML = `<form method="dialog" class="drill-form">
    <h3>Drill</h3>
    <div id="drill-runs" class="muted">loading…</div>
    <label>Day <input id="drill-day" type="date" value="2017-01-01" /></label>
    <label>Speed <select id="drill-speed"><option>10</option><option selected>60</option><option>300</option><option value="max">max</option></select></label>
    <label>Policy <select id="drill-policy"><option>nearest</option><option>optimised</option></select></label>
    <label>First calls only <input id="drill-limit" type="number" min="1" placeholder="all" /></label>
    <div class="row"><button id="drill-start" type="button">Start</button><button value="close">Close</button></div>
  </form>`;
  document.body.appendChild(dlg);
  const runsEl = dlg.querySelector<HTMLElement>('#drill-runs')!;

  const render = async () => {
    try {
      const runs = await request<DrillRun[]>('GET', '/api/drills');
      runsEl.innerHTML = runs.length
        ? `<ul>${runs
            .slice(0, 5)
            .map(
              (r) =>
                `<li><b>${esc(r.id)}</b> ${esc(r.state)} ${r.policy ? esc(r.policy) : ''} ${
                  r.state === 'running' || r.state === 'paused' ? `<button type="button" data-stop="${esc(r.id)}">Stop</button>` : ''
                } <button type="button" data-report="${esc(r.id)}">Report</button></li>`,
            )
            .join('')}</ul>`
        : 'No drill has run on this server yet.';
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
        toast(`Drill ${r.id} started.`);
        return render();
      })
      .catch((err: Error) => toast(err.message, true));
  });
  btn.addEventListener('click', () => {
    void render();
    dlg.showModal();
  });
}
