/**
 * Console helpers shared by the views that open a server page or add a toolbar dialog (drill control,
 * situation view).
 */
import { authHeaders } from './auth';
import { translateDom } from './i18n';

/**
 * Fetches an HTML page of the API with the sign-in token and opens it in a new tab as a `blob:` page
 * (a plain link cannot carry the token). Script sources under `/api/` are named with this origin, since
 * a `blob:` page has no base to resolve them against.
 */
export async function openAuthorisedPage(path: string): Promise<void> {
  const tab = window.open('', '_blank');
  const res = await fetch(path, { headers: authHeaders() });
  const html = (await res.text()).replace(/src="\/api\//g, `src="${location.origin}/api/`);
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  if (tab) tab.location.href = url;
  else window.location.href = url;
}

/**
 * Adds a toolbar button `<id>-btn` (text and title from `<ns>.button` / `<ns>.buttonTitle`) and a
 * dialog `<id>-dialog` holding `formHtml`, both translated; answers them.
 */
export function toolbarDialog(id: string, ns: string, formHtml: string): { btn: HTMLButtonElement; dlg: HTMLDialogElement } {
  const btn = document.createElement('button');
  btn.type = 'button';
  btn.id = `${id}-btn`;
  btn.dataset.i18n = `${ns}.button`;
  btn.dataset.i18nTitle = `${ns}.buttonTitle`;
  document.querySelector('.toolbar')?.appendChild(btn);
  const dlg = document.createElement('dialog');
  dlg.id = `${id}-dialog`;
  dlg.innerHTML = formHtml;
  document.body.appendChild(dlg);
  translateDom(btn.parentElement ?? btn);
  translateDom(dlg);
  return { btn, dlg };
}
