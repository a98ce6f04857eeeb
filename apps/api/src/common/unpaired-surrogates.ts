import type { NextFunction, Request, Response } from 'express';

/** A UTF-16 code unit of a surrogate pair's first half (U+D800–U+DBFF) or second half (U+DC00–U+DFFF). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Where a string holds an unpaired surrogate: the code unit's index and value, or null when it is well formed. */
function loneSurrogateIn(s: string): { index: number; unit: number } | null {
  const index = s.search(LONE_SURROGATE);
  return index < 0 ? null : { index, unit: s.charCodeAt(index) };
}

/** `path` extended with an object key (`a.b`) or an array index (`a[2]`), as the API's 400s name a field. */
function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * The first unpaired UTF-16 surrogate in a parsed JSON value (a body or a query string): in a string
 * value, or in an object's key. Depth is bounded by the body parser (`MAX_JSON_DEPTH`).
 * @param value the parsed value (strings, numbers, booleans, null, arrays and plain objects)
 * @param path the value's own field path (`''` for a whole body)
 * @returns the field path (`reason`, `assignments[2].note`; a key names its object and says so), the
 *   code unit (e.g. `0xd83d`) and its index in the string; null when every string is well formed
 */
export function findUnpairedSurrogate(value: unknown, path = ''): { path: string; unit: number; index: number; inKey: boolean } | null {
  if (typeof value === 'string') {
    const at = loneSurrogateIn(value);
    return at ? { path, ...at, inKey: false } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnpairedSurrogate(value[i], child(path, i));
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const inKey = loneSurrogateIn(key);
      if (inKey) return { path, ...inKey, inKey: true };
      const found = findUnpairedSurrogate(v, child(path, key));
      if (found) return found;
    }
  }
  return null;
}

/** The 400 message for an unpaired surrogate, naming the field (`reason must not contain …`). */
export function unpairedSurrogateMessage(found: { path: string; unit: number; index: number; inKey: boolean }): string {
  const code = `U+${found.unit.toString(16).toUpperCase()}`;
  const field = found.path || 'the body';
  const where = found.inKey ? `${field} must not have a key containing` : `${field} must not contain`;
  return `${where} an unpaired UTF-16 surrogate (${code} at character ${found.index}: half of an emoji or other character beyond U+FFFF; send both halves of the pair)`;
}

/**
 * Express middleware, installed after the JSON body parser for every path: a request whose body or
 * query string holds an unpaired UTF-16 surrogate anywhere (JSON `"x\ud83d"`: half of an emoji) answers
 * `400 { statusCode, message: [<field> must not contain an unpaired UTF-16 surrogate …], error }`, the
 * shape of the validation pipe's 400s, before any guard, pipe or handler runs. Such text is not valid
 * Unicode: PostgreSQL's `jsonb` (the event log) refuses it, so an endpoint that stored a row before its
 * event answered 500 with the row kept. A whole pair (a valid emoji) passes. One place, so no endpoint
 * can forget it (a DTO rule would have to be declared on every free-text field).
 */
export function refuseUnpairedSurrogates(req: Request, res: Response, next: NextFunction): void {
  const found = findUnpairedSurrogate(req.body) ?? findUnpairedSurrogate(req.query);
  if (!found) {
    next();
    return;
  }
  res.status(400).json({ statusCode: 400, message: [unpairedSurrogateMessage(found)], error: 'Bad Request' });
}
