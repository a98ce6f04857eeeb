/**
 * The reason dialog (`#reason-dialog`): one text field with a title and label, used for every command
 * that asks why (or which unit, which call) before it is sent.
 */
import { $ } from '../dom';
import { t } from '../i18n';

let reasonResolve: ((v: string | null) => void) | null = null;

/**
 * Opens the reason dialog; resolves to the text typed (trimmed), or null when cancelled.
 * @param required a blank answer is refused in the dialog
 */
export function askReason(title: string, fieldLabel: string, required: boolean): Promise<string | null> {
  const dlg = $<HTMLDialogElement>('reason-dialog');
  $('reason-title').textContent = title;
  $('reason-label').textContent = fieldLabel;
  const input = $<HTMLInputElement>('reason-input');
  input.value = '';
  input.required = required;
  $('reason-error').textContent = '';
  dlg.showModal();
  input.focus();
  return new Promise((resolve) => (reasonResolve = resolve));
}

/** Wires the dialog's submit, cancel button and Esc (once, at start). */
export function setUpReasonDialog(): void {
  $('reason-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $<HTMLInputElement>('reason-input');
    if (input.required && !input.value.trim()) {
      $('reason-error').textContent = t('reason.required');
      return;
    }
    $<HTMLDialogElement>('reason-dialog').close();
    reasonResolve?.(input.value.trim());
    reasonResolve = null;
  });
  const cancelReason = (): void => {
    $<HTMLDialogElement>('reason-dialog').close();
    reasonResolve?.(null);
    reasonResolve = null;
  };
  $('reason-cancel').addEventListener('click', cancelReason);
  $('reason-dialog').addEventListener('cancel', (e) => {
    e.preventDefault();
    cancelReason();
  });
}
