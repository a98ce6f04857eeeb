/**
 * Sign-in for the console and the responder page: `POST /api/auth/sign-in` answers a bearer token and
 * the user's post (role, jurisdiction or unit). The token is kept in localStorage and sent on every
 * REST request (`Authorization: Bearer`) and in the socket.io handshake (`auth: { token }`).
 */
import { t } from './i18n';

/** The signed-in post as the server describes it. */
export interface SignedInUser {
  userId: string;
  username: string;
  displayName: string;
  role: 'city_commander' | 'district_dispatcher' | 'street_dispatcher' | 'responder' | 'observer';
  jurisdictionId: string | null;
  unitId: string | null;
}

/**
 * A post's name in the locale shown, worded from its role and its place (`San Francisco commander` /
 * `San Francisco 指挥官`; a crew by its unit: `E01 crew`): `place` is the name of the post's
 * jurisdiction, or its unit id for a responder. With no place known yet (the jurisdictions not read),
 * the account's own display name as the server stores it.
 */
export function postName(user: Pick<SignedInUser, 'role' | 'displayName' | 'unitId'>, jurisdictionName: string | null | undefined): string {
  const place = user.role === 'responder' ? user.unitId : jurisdictionName;
  return place ? t(`post.name.${user.role}`, { place }) : user.displayName;
}

const TOKEN_KEY = 'cad.auth.token';
const USER_KEY = 'cad.auth.user';

/** The stored token, or null when signed out. */
export function token(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

/** The stored user, or null when signed out. */
export function currentUser(): SignedInUser | null {
  try {
    const raw = localStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as SignedInUser) : null;
  } catch {
    return null;
  }
}

/**
 * Signs in and stores the token and user.
 * @throws Error with the server's message (e.g. wrong password, 401; too many attempts, 429)
 */
export async function signIn(username: string, password: string): Promise<SignedInUser> {
  const res = await fetch('/api/auth/sign-in', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json().catch(() => ({}))) as { token?: string; user?: SignedInUser; message?: string | string[] };
  if (!res.ok || !body.token || !body.user) {
    const m = Array.isArray(body.message) ? body.message.join('; ') : body.message;
    throw new Error(m || t('auth.failed', { status: res.status }));
  }
  localStorage.setItem(TOKEN_KEY, body.token);
  localStorage.setItem(USER_KEY, JSON.stringify(body.user));
  return body.user;
}

/** Keeps a new token for the same user (after a password change ended the old one); the socket's next handshake uses it. */
export function adoptToken(newToken: string): void {
  localStorage.setItem(TOKEN_KEY, newToken);
}

/** Forgets the token (the page then asks to sign in again). */
export function signOut(): void {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(USER_KEY);
}

/** Headers carrying the token, when there is one. */
export function authHeaders(): Record<string, string> {
  const t = token();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

/** Called when the server answers 401 (token expired or revoked): sign out and let the page ask again. */
export function expired(): void {
  signOut();
  window.dispatchEvent(new Event('cad:signed-out'));
}
