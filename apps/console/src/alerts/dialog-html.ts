/**
 * The words and markup of the console's alert dialog, in the locale shown: its static words are marked
 * `data-i18n` so that `translateDom` words them again when the language changes; a row of the list is
 * drawn again by the panel. Kept apart from the panel (Leaflet, the map) so it is tested on its own.
 */
import { esc } from '../format';
import { has, locale, t } from '../i18n';
import { infoIn, type AlertRow } from './api';

/** Languages the form writes, with the message key of each one's label. */
export const LANGS: [string, string][] = [
  ['en-US', 'alertsPanel.english'],
  ['zh-CN', 'alertsPanel.chinese'],
];

/**
 * A static word of the dialog in the locale shown, marked so that it is worded again when the language
 * changes (`translateDom`): `<span data-i18n="alertsPanel.title">Public alerts</span>`.
 */
export function w(key: string): string {
  return `<span data-i18n="${esc(key)}">${esc(t(key))}</span>`;
}

/** An `<option>` whose label is a message key, worded again when the language changes. */
export function option(value: string, key: string): string {
  return `<option value="${esc(value)}" data-i18n="${esc(key)}">${esc(t(key))}</option>`;
}

/** The form a city commander writes an alert with: template, status, area, expiry and the words in each language. */
export function formHtml(): string {
  const texts = LANGS.map(
    ([lang, label]) => `<fieldset class="alert-lang" data-lang="${lang}"><legend>${w(label)} (${lang})</legend>
      <label>${w('alertsPanel.headline')} <input id="alert-headline-${lang}" maxlength="160" /></label>
      <label>${w('alertsPanel.description')} <textarea id="alert-description-${lang}" rows="2" maxlength="4000"></textarea></label>
      <label>${w('alertsPanel.instruction')} <textarea id="alert-instruction-${lang}" rows="2" maxlength="4000"></textarea></label></fieldset>`,
  ).join('');
  return `<form id="alert-form" class="alert-form">
    <h4>${w('alertsPanel.write')}</h4>
    <div class="row2">
      <label>${w('alertsPanel.template')} <select id="alert-template"></select></label>
      <label>${w('alertsPanel.status')} <select id="alert-status">${option('Actual', 'alertsPanel.statusActual')}${option('Exercise', 'alertsPanel.statusExercise')}</select></label>
    </div>
    <div class="row2">
      <label>${w('alertsPanel.area')} <select id="alert-area-kind">${option('jurisdiction', 'alertsPanel.areaJurisdiction')}${option('circle', 'alertsPanel.areaCircle')}${option('polygon', 'alertsPanel.areaPolygon')}</select></label>
      <label>${w('alertsPanel.hours')} <input id="alert-hours" type="number" min="1" max="72" value="4" /></label>
    </div>
    <label id="alert-juris-row">${w('alertsPanel.areaJurisdiction')} <select id="alert-juris"></select></label>
    <div id="alert-circle-row" class="row2" hidden>
      <label>${w('alertsPanel.lat')} <input id="alert-lat" inputmode="decimal" /></label>
      <label>${w('alertsPanel.lon')} <input id="alert-lon" inputmode="decimal" /></label>
      <label>${w('alertsPanel.radius')} <input id="alert-radius" inputmode="decimal" value="0.5" /></label>
    </div>
    <div id="alert-polygon-row" class="row2" hidden>
      <button type="button" id="alert-draw" data-i18n="alertsPanel.draw">${esc(t('alertsPanel.draw'))}</button> <span id="alert-poly-count" class="muted small"></span>
    </div>
    <label>${w('alertsPanel.areaDesc')} <input id="alert-area-desc" maxlength="300" /></label>
    <p id="alert-incident" class="muted small" hidden></p>
    ${texts}
    <p id="alert-error" class="error" role="alert"></p>
    <div class="actions"><button type="submit" id="alert-submit" class="primary" data-i18n="alertsPanel.submit">${esc(t('alertsPanel.submit'))}</button></div>
  </form>`;
}

/** A word of an alert from a group of the panel's messages (`alertsPanel.state.pending`); an unknown value as it is. */
function worded(group: 'state' | 'capStatus' | 'msgType', value: string, fallback = value): string {
  const key = `alertsPanel.${group}.${value}`;
  return has(key) ? t(key) : fallback;
}

/**
 * One row of the list, with the actions this user may take on it, in the locale shown: the alert's
 * own words in the info block of the viewer's language when it has one (CAP infos by language).
 */
export function alertRowHtml(a: AlertRow, me: string | undefined, commander: boolean): string {
  const info = infoIn(a.infos, locale().split('-')[0]);
  const actions: string[] = [];
  if (commander && a.direction === 'issued') {
    const twoPerson = a.status === 'Actual' && a.author === me;
    if (a.state === 'pending' && !twoPerson) actions.push(`<button type="button" data-approve="${esc(a.id)}">${esc(t('alertsPanel.approve'))}</button>`);
    if (a.state === 'pending') actions.push(`<button type="button" data-cancel="${esc(a.id)}">${esc(t('alertsPanel.withdraw'))}</button>`);
    if (a.state === 'issued' && a.msgType !== 'Cancel') actions.push(`<button type="button" class="danger" data-cancel="${esc(a.id)}">${esc(t('alertsPanel.cancel'))}</button>`);
  }
  const who =
    a.direction === 'issued'
      ? ` · ${esc(t('alertsPanel.by', { account: a.author ?? '' }))}${a.approver ? ` · ${esc(t('alertsPanel.approvedBy', { account: a.approver }))}` : ''}`
      : ` · ${esc(a.sender)}`;
  return `<li class="alert-row" data-alert-id="${esc(a.id)}" data-state="${esc(a.state)}">
    <b>${esc(worded('state', a.state))}</b> ${a.status !== 'Actual' ? `<span class="ex-tag">${esc(worded('capStatus', a.status, a.status.toUpperCase()))}</span>` : ''} ${esc(worded('msgType', a.msgType))}
    <div>${esc(info.headline ?? info.event ?? '')}</div>
    <div class="muted small">${esc(a.areaDesc)}${who}</div>
    <div class="alert-actions">${actions.join(' ')}</div></li>`;
}

/** The dialog's frame: the two lists (filled by the panel) and the form. */
export function alertDialogHtml(): string {
  return `<h3>${w('alertsPanel.title')}</h3>
    <h4>${w('alertsPanel.ours')}</h4><ul id="alerts-ours" class="alert-list"></ul>
    <h4>${w('alertsPanel.received')}</h4><ul id="alerts-received" class="alert-list"></ul>
    ${formHtml()}
    <div class="actions"><button type="button" id="alerts-close" data-i18n="alertsPanel.close">${esc(t('alertsPanel.close'))}</button></div>`;
}

/** The bar shown over the map while an alert's area is drawn. */
export function drawBarHtml(): string {
  return `${w('alertsPanel.drawHint')} <button type="button" id="alert-draw-done" data-i18n="alertsPanel.drawDone">${esc(t('alertsPanel.drawDone'))}</button> <button type="button" id="alert-draw-cancel" data-i18n="alertsPanel.drawCancel">${esc(t('alertsPanel.drawCancel'))}</button>`;
}
