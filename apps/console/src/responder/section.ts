/**
 * The responder page's own sections (call record, premise notes and hospital, …): each made once, as a
 * `<section>` with its id and class, beside the status buttons (`#r-actions`).
 */
export function sectionBesideActions(id: string, className: string, where: 'beforebegin' | 'afterend'): HTMLElement {
  let el = document.getElementById(id);
  if (!el) {
    el = document.createElement('section');
    el.id = id;
    el.className = className;
    document.getElementById('r-actions')!.insertAdjacentElement(where, el);
  }
  return el;
}
