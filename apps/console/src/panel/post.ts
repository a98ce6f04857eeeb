/**
 * The signed-in post in the toolbar: its name on the sign-out button, the read-only class of an
 * observer, and the filters (tier; jurisdiction, defaulting to the post's own). A change of language
 * draws every view again.
 */
import { request } from '../api';
import { currentUser, postName, signOut } from '../auth';
import { $ } from '../dom';
import { esc, placeName, tierLabel } from '../format';
import { onLocaleChange, t } from '../i18n';
import type { ConsoleState } from '../state/console-state';
import type { Jurisdiction } from '../types';
import type { ConsoleView } from './console-view';
import { setConnection, tickClock } from './header';
import type { ConnectionState } from '../socket';

/** The post, its filters and the redraw on a change of language. */
export class PostControls {
  constructor(
    private readonly state: ConsoleState,
    private readonly view: ConsoleView,
  ) {
    // A change of language draws every view again (the jurisdiction filter keeps its choice).
    onLocaleChange(() => {
      const keep = state.filter.jurisdictionId;
      this.applyPost();
      state.filter.jurisdictionId = keep;
      $<HTMLSelectElement>('filter-juris').value = keep;
      setConnection(($('conn-status').dataset.state as ConnectionState | undefined) ?? 'connecting');
      tickClock();
      view.renderAll();
    });
    $('post-btn').addEventListener('click', () => {
      // End the session on the server too (every device of this account), then forget it here.
      void request('POST', '/api/auth/sign-out')
        .catch(() => undefined)
        .finally(() => {
          signOut();
          window.location.reload();
        });
    });
    $('filter-tier').addEventListener('change', (e) => {
      state.filter.tier = (e.target as HTMLSelectElement).value;
      view.scheduleRender();
    });
    $('filter-juris').addEventListener('change', (e) => {
      state.filter.jurisdictionId = (e.target as HTMLSelectElement).value;
      view.scheduleRender();
    });
  }

  /** Keeps the jurisdictions and offers them in the filter. */
  setJurisdictions(list: Jurisdiction[]): void {
    this.state.jurisdictions = list;
    this.applyPost();
  }

  /** Shows the signed-in post: read-only for an observer, its name, its jurisdictions in the filter (its own chosen). */
  applyPost(): void {
    const { state } = this;
    const user = currentUser();
    document.body.classList.toggle('read-only', user?.role === 'observer');
    const j = state.jurisdictions.find((x) => x.id === user?.jurisdictionId);
    $('post-btn').textContent = user ? t('auth.postSignOut', { name: postName(user, j?.name) }) : '';
    // The filter offers the post's own jurisdictions: a district its streets, a street itself, the city all.
    const levelOrder = { city: 0, district: 1, street: 2 } as const;
    const mine = (x: Jurisdiction) => !j || j.level === 'city' || x.id === j.id || x.parentId === j.id;
    const sorted = state.jurisdictions
      .filter((x) => x.level !== 'city' && mine(x))
      .sort((a, b) => levelOrder[a.level] - levelOrder[b.level] || a.name.localeCompare(b.name, undefined, { numeric: true }));
    $('filter-juris').innerHTML = `${!j || j.level === 'city' ? `<option value="">${esc(t('filter.wholeCity'))}</option>` : ''}${sorted
      .map((x) => `<option value="${esc(x.id)}">${esc(t('filter.jurisdictionOption', { name: placeName(x.name), level: tierLabel(x.level) }))}</option>`)
      .join('')}`;
    state.filter.jurisdictionId = j && j.level !== 'city' ? j.id : '';
    $<HTMLSelectElement>('filter-juris').value = state.filter.jurisdictionId;
    this.view.scheduleRender();
  }
}
