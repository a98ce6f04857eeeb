/** The sign-in form (`#signin-dialog`): modal, with no way around it. */
import { signIn } from '../auth';
import { $ } from '../dom';

let signInPending: Promise<void> | null = null;

/** Shows the sign-in form until the user signs in (one form however many callers ask). */
export function askSignIn(): Promise<void> {
  signInPending ??= showSignIn().finally(() => (signInPending = null));
  return signInPending;
}

/** Wires the form's Esc: it cannot be cancelled (once, at start). */
export function setUpSignIn(): void {
  $('signin-dialog').addEventListener('cancel', (e) => e.preventDefault()); // no way around signing in
}

function showSignIn(): Promise<void> {
  const dlg = $<HTMLDialogElement>('signin-dialog');
  $('signin-error').textContent = '';
  if (!dlg.open) dlg.showModal();
  $<HTMLInputElement>('signin-user').focus();
  return new Promise((resolve) => {
    const form = $<HTMLFormElement>('signin-form');
    const onSubmit = (e: Event): void => {
      e.preventDefault();
      signIn($<HTMLInputElement>('signin-user').value.trim(), $<HTMLInputElement>('signin-password').value)
        .then(() => {
          form.removeEventListener('submit', onSubmit);
          $<HTMLInputElement>('signin-password').value = '';
          dlg.close();
          resolve();
        })
        .catch((err) => ($('signin-error').textContent = (err as Error).message));
    };
    form.addEventListener('submit', onSubmit);
  });
}
