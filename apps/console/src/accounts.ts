/**
 * Accounts on the console: the city commander's Accounts dialog (create an account, disable or enable
 * it, change its post, reset its password, and search the audit trail), and the first commander's
 * first password, set from the one-time link the API printed at its first start
 * (`/#first-password=<token>`). Every change goes through the API, which checks the rules and puts it
 * on the audit trail; this file only shows and asks.
 */
import { t } from './i18n';
import { request } from './api';
import { currentUser } from './auth';
import type { AuditView as AuditEntry, UserView as Account } from '@cad/domain/accounts';


const ROLES = ['city_commander', 'district_dispatcher', 'street_dispatcher', 'responder', 'observer'];
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const postOf = (a: Account) => `${t(`accounts.role.${a.role}`)} · ${a.unitId ?? a.jurisdictionId ?? '—'}`;

/**
 * When the page was opened from the first-password link, asks for the commander's new password (twice)
 * and sets it; resolves once it is set or when there is no such link. The token leaves the address bar.
 */
export async function firstPasswordFromLink(toast: (text: string, error?: boolean) => void): Promise<void> {
  const m = /^#first-password=([A-Za-z0-9_-]+)$/.exec(window.location.hash);
  if (!m) return;
  history.replaceState(null, '', window.location.pathname + window.location.search);
  const dlg = document.createElement('dialog');
  dlg.className = 'dlg';
  dlg.id = 'first-password-dialog';
  dlg.innerHTML = `<form method="dialog">
    <h3>${t('accounts.firstPasswordTitle')}</h3>
    <p class="muted">${t('accounts.passwordRules')}</p>
    <label>${t('accounts.newPassword')} <input id="fp-password" type="password" autocomplete="new-password" required maxlength="200" /></label>
    <label>${t('accounts.again')} <input id="fp-again" type="password" autocomplete="new-password" required maxlength="200" /></label>
    <p id="fp-error" class="error" role="alert"></p>
    <div class="actions"><button id="fp-set" type="submit">${t('accounts.setPassword')}</button></div>
  </form>`;
  document.body.appendChild(dlg);
  dlg.showModal();
  await new Promise<void>((resolve) => {
    dlg.querySelector('form')!.addEventListener('submit', (e) => {
      e.preventDefault();
      const password = dlg.querySelector<HTMLInputElement>('#fp-password')!.value;
      const error = dlg.querySelector<HTMLElement>('#fp-error')!;
      if (password !== dlg.querySelector<HTMLInputElement>('#fp-again')!.value) {
        error.textContent = t('accounts.differ');
        return;
      }
      request('POST', '/api/auth/first-password', { token: m[1], password }).then(
        () => {
          dlg.close();
          dlg.remove();
          toast(t('accounts.firstPasswordSet'));
          resolve();
        },
        (err: Error) => (error.textContent = err.message),
      );
    });
  });
}

/** Adds the Accounts button and dialog for a city commander (nobody else may manage accounts). */
export function setUpAccountsPanel(toast: (text: string, error?: boolean) => void): void {
  if (currentUser()?.role !== 'city_commander') return;
  const btn = document.createElement('button');
  btn.type = 'button';
  btn.id = 'accounts-btn';
  btn.textContent = t('accounts.button');
  btn.title = t('accounts.buttonTitle');
  // Renamed when the language changes (translateDom).
  btn.dataset.i18n = 'accounts.button';
  btn.dataset.i18nTitle = 'accounts.buttonTitle';
  document.querySelector('.toolbar')?.appendChild(btn);
  const dlg = document.createElement('dialog');
  dlg.className = 'dlg';
  dlg.id = 'accounts-dialog';
  dlg.innerHTML = `<form method="dialog" class="accounts-form">
    <h3>${t('accounts.title')}</h3>
    <div id="acc-list" class="acc-list muted">${t('accounts.loading')}</div>
    <h3>${t('accounts.newTitle')}</h3>
    <div class="row2">
      <label>${t('accounts.username')} <input id="acc-username" maxlength="80" placeholder="a.reyes" /></label>
      <label>${t('accounts.displayName')} <input id="acc-name" maxlength="200" /></label>
      <label>${t('accounts.post')} <select id="acc-role">${ROLES.map((r) => `<option value="${r}">${esc(t(`accounts.role.${r}`))}</option>`).join('')}</select></label>
      <label>${t('accounts.where')} <input id="acc-where" maxlength="120" placeholder="${t('accounts.wherePlaceholder', { district: 'sf-d3', unit: 'E38' })}" /></label>
      <label>${t('auth.password')} <input id="acc-password" type="password" autocomplete="new-password" maxlength="200" /></label>
    </div>
    <div class="actions"><button id="acc-create" type="button">${t('accounts.create')}</button></div>
    <h3>${t('accounts.audit')}</h3>
    <label>${t('accounts.action')} <input id="acc-audit-filter" maxlength="60" placeholder="user.* · sign-in* · plan.update" /></label>
    <div id="acc-audit" class="acc-audit muted"></div>
    <div class="actions"><button value="close">${t('common.close')}</button></div>
  </form>`;
  document.body.appendChild(dlg);
  const $ = <T extends HTMLElement>(id: string) => dlg.querySelector<T>(`#${id}`)!;
  const val = (id: string) => $<HTMLInputElement>(id).value.trim();
  const post = () => {
    const role = val('acc-role');
    const where = val('acc-where');
    return role === 'responder' ? { role, unitId: where.toUpperCase(), jurisdictionId: null } : { role, jurisdictionId: where, unitId: null };
  };
  const act = (p: Promise<unknown>, done: string) =>
    p.then(
      () => {
        toast(done);
        void render();
      },
      (e: Error) => toast(e.message, true),
    );

  const render = async () => {
    try {
      const accounts = await request<Account[]>('GET', '/api/users');
      $('acc-list').innerHTML = `<table><tbody>${accounts
        .map(
          (a) => `<tr data-id="${esc(a.id)}" class="${a.disabled ? 'muted' : ''}"><td><b>${esc(a.username)}</b>${a.demo ? ` <i>${t('accounts.demo')}</i>` : ''}</td><td>${esc(a.displayName)}</td><td>${esc(postOf(a))}</td>
          <td><button type="button" data-act="${a.disabled ? 'enable' : 'disable'}">${a.disabled ? t('accounts.enable') : t('accounts.disable')}</button>
          <button type="button" data-act="post" title="${t('accounts.setPostTitle')}">${t('accounts.setPost')}</button>
          <button type="button" data-act="password" title="${t('accounts.resetPasswordTitle')}">${t('accounts.resetPassword')}</button></td></tr>`,
        )
        .join('')}</tbody></table>`;
    } catch (e) {
      $('acc-list').textContent = (e as Error).message;
    }
    await renderAudit();
  };
  const renderAudit = async () => {
    const action = val('acc-audit-filter');
    try {
      const entries = await request<AuditEntry[]>('GET', `/api/audit?limit=50${action ? `&action=${encodeURIComponent(action)}` : ''}`);
      $('acc-audit').innerHTML = entries.length
        ? `<ul>${entries.map((e) => `<li title="${esc(JSON.stringify({ before: e.before, after: e.after }))}">${esc(new Date(e.at).toLocaleString())} <b>${esc(e.actor)}</b> ${esc(e.action)} ${esc(e.subject ?? '')} <span class="muted">${esc(e.source ?? '')}</span></li>`).join('')}</ul>`
        : t('accounts.nothingRecorded');
    } catch (e) {
      $('acc-audit').textContent = (e as Error).message;
    }
  };

  $('acc-list').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-act]');
    const id = b?.closest<HTMLElement>('tr')?.dataset.id;
    if (!b || !id) return;
    const path = `/api/users/${encodeURIComponent(id)}`;
    if (b.dataset.act === 'disable' || b.dataset.act === 'enable') void act(request('PATCH', path, { disabled: b.dataset.act === 'disable' }), t(b.dataset.act === 'disable' ? 'accounts.disabled' : 'accounts.enabled'));
    else if (b.dataset.act === 'post') void act(request('PATCH', path, post()), t('accounts.postChanged'));
    else void act(request('POST', `${path}/password`, { password: $<HTMLInputElement>('acc-password').value }), t('accounts.passwordReset'));
  });
  $('acc-create').addEventListener('click', () =>
    act(request('POST', '/api/users', { username: val('acc-username'), displayName: val('acc-name'), password: $<HTMLInputElement>('acc-password').value, ...post() }), t('accounts.created')),
  );
  $('acc-audit-filter').addEventListener('change', () => void renderAudit());
  btn.addEventListener('click', () => {
    dlg.showModal();
    void render();
  });
}

/**
 * The signed-in user's own password: current and new (twice), through `POST /api/auth/password`. Every
 * other session of the account ends (other devices and tabs sign in again); this one carries on with the
 * new token the API returns. Opened from the post button's menu entry `#password-btn`.
 */
export function setUpOwnPassword(toast: (text: string, error?: boolean) => void, adoptToken: (token: string) => void): void {
  if (!currentUser()) return;
  const btn = document.createElement('button');
  btn.type = 'button';
  btn.id = 'password-btn';
  btn.className = 'link-btn';
  btn.textContent = t('accounts.changeMine');
  btn.dataset.i18n = 'accounts.changeMine';
  document.getElementById('post-btn')?.insertAdjacentElement('beforebegin', btn);
  const dlg = document.createElement('dialog');
  dlg.className = 'dlg';
  dlg.id = 'own-password-dialog';
  dlg.innerHTML = `<form method="dialog">
    <h3>${t('accounts.changeMine')}</h3>
    <p class="muted">${t('accounts.passwordRules')} ${t('accounts.otherSessionsEnd')}</p>
    <label>${t('accounts.currentPassword')} <input id="op-current" type="password" autocomplete="current-password" required maxlength="200" /></label>
    <label>${t('accounts.newPassword')} <input id="op-password" type="password" autocomplete="new-password" required maxlength="200" /></label>
    <label>${t('accounts.again')} <input id="op-again" type="password" autocomplete="new-password" required maxlength="200" /></label>
    <p id="op-error" class="error" role="alert"></p>
    <div class="actions"><button value="cancel" formnovalidate>${t('common.cancel')}</button><button id="op-set" type="submit">${t('accounts.setPassword')}</button></div>
  </form>`;
  document.body.appendChild(dlg);
  const field = (id: string) => dlg.querySelector<HTMLInputElement>(`#${id}`)!;
  const error = dlg.querySelector<HTMLElement>('#op-error')!;
  dlg.querySelector('form')!.addEventListener('submit', (e) => {
    if ((e as SubmitEvent).submitter?.getAttribute('value') === 'cancel') return;
    e.preventDefault();
    if (field('op-password').value !== field('op-again').value) {
      error.textContent = t('accounts.differ');
      return;
    }
    request<{ token: string }>('POST', '/api/auth/password', { currentPassword: field('op-current').value, newPassword: field('op-password').value }).then(
      (r) => {
        adoptToken(r.token);
        for (const id of ['op-current', 'op-password', 'op-again']) field(id).value = '';
        error.textContent = '';
        dlg.close();
        toast(t('accounts.passwordChanged'));
      },
      (err: Error) => (error.textContent = err.message),
    );
  });
  btn.addEventListener('click', () => {
    error.textContent = '';
    dlg.showModal();
  });
}
