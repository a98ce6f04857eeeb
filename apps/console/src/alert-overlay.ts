/**
 * One alert box over the map (the acknowledgement and PAR alerts share it): a `role="alert"` section in
 * the map column that is hidden while empty and is rewritten only when its rows change, so a button
 * never moves under a dispatcher's click while a countdown ticks.
 */
import { bdi, typeLabel } from './format';
import { locale } from './i18n';
import type { Incident } from './types';

/** One row of an alert box: `key` says when it must be drawn again (its task, due time and place). */
export interface AlertRow {
  key: string;
  html: string;
}

/** An alert box over the map. */
export class AlertOverlay {
  /** The box (hidden while empty). */
  readonly el: HTMLElement;
  /** The rows drawn (language and each row's key): the box is rewritten only when they change. */
  private shownKey = '';

  /**
   * Creates the box in `#map-col`.
   * @param id element id (`ack-alerts`, `par-alerts`)
   * @param className CSS classes
   * @param onClick called with the clicked element for every click in the box
   */
  constructor(id: string, className: string, onClick: (target: HTMLElement) => void) {
    this.el = document.createElement('section');
    this.el.id = id;
    this.el.className = className;
    this.el.setAttribute('role', 'alert');
    this.el.hidden = true;
    document.getElementById('map-col')?.append(this.el);
    this.el.addEventListener('click', (e) => onClick(e.target as HTMLElement));
  }

  /**
   * Draws `rows` under `title`. When the same rows are drawn already, only `tick` runs (it updates the
   * times in place); an empty list hides the box.
   */
  draw(title: string, rows: readonly AlertRow[], tick: (box: HTMLElement) => void): void {
    this.el.hidden = rows.length === 0;
    const key = [locale(), ...rows.map((r) => r.key)].join('\n');
    if (key === this.shownKey) {
      tick(this.el);
      return;
    }
    this.shownKey = key;
    this.el.innerHTML = rows.length ? `<h4>${title}</h4>${rows.map((r) => r.html).join('')}` : '';
  }
}

/** "Structure Fire · 100 Main St" for an incident the console holds (HTML, each part isolated in `<bdi>`), else ''. */
export function incidentPlace(inc: Incident | undefined): string {
  return inc ? `${bdi(typeLabel(inc.type))} · ${bdi(inc.address ?? inc.street?.name ?? '')}` : '';
}
