/** Alert for a new top-priority incident: a banner over the map and a short WebAudio beep. */
import { bdi, esc, typeLabel } from './format';
import { t } from './i18n';
import type { Incident } from './types';

let audio: AudioContext | null = null;

/**
 * Creates (or resumes) the audio context. Browsers only allow sound after a user gesture, so this is
 * called on the first key press or click; before that, the beep is skipped and the banner still shows.
 */
export function unlockAudio(): void {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
  } catch {
    audio = null;
  }
}

/** Counts beeps played (read by tests through `window.__cadConsole`). */
export const alertStats = { beeps: 0, banners: 0 };

/** Two 880 Hz tones of 0.18 s each, 0.1 s apart, at a moderate volume (skipped until a user gesture unlocked audio). */
export function beep(): void {
  if (!audio || audio.state !== 'running') return;
  const t0 = audio.currentTime;
  for (const start of [0, 0.28]) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'square';
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, t0 + start);
    gain.gain.exponentialRampToValueAtTime(0.15, t0 + start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + start + 0.18);
    osc.connect(gain).connect(audio.destination);
    osc.start(t0 + start);
    osc.stop(t0 + start + 0.2);
  }
  alertStats.beeps++;
}

let hideTimer: number | null = null;

/** Shows the banner for `inc` in `el` for 12 s (click selects it through `onOpen`) and beeps. */
export function alertNewTopPriority(el: HTMLElement, inc: Incident, onOpen: (id: string) => void): void {
  el.innerHTML = `<b>${esc(t('alert.newPriority', { priority: inc.priority }))}</b> ${bdi(typeLabel(inc.type))}${inc.exercise ? ` <span class="ex-tag">${esc(t('common.exercise'))}</span>` : ''} · ${bdi(
    inc.address ?? inc.street?.name ?? '',
  )}`;
  el.dataset.incidentId = inc.id;
  el.hidden = false;
  el.onclick = () => {
    el.hidden = true;
    onOpen(inc.id);
  };
  alertStats.banners++;
  beep();
  if (hideTimer !== null) window.clearTimeout(hideTimer);
  hideTimer = window.setTimeout(() => (el.hidden = true), 12_000);
}
