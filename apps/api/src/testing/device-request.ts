import type { TestApp } from './test-app';

/**
 * Sends a JSON request as a phone does: with its clock's time of sending (`X-Device-Time`, the
 * server's now shifted by `clockAheadMs`) and its id (`X-Device-Id`), as the city commander unless
 * `token` is given. Answers the status and parsed body.
 */
export async function deviceRequest(
  t: TestApp,
  device: { id: string; clockAheadMs: number },
  method: 'POST' | 'PATCH' | 'GET',
  path: string,
  body?: unknown,
  token?: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are untyped JSON checked by assertions
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token ?? t.token}`,
    'x-device-id': device.id,
    'x-device-time': new Date(Date.now() + device.clockAheadMs).toISOString(),
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(t.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
