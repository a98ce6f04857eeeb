import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The console reads events through the contract (`@cad/contracts`): `ev.payload` is narrowed by
 * `ev.type`, so no console source casts a payload to a shape of its own (`payload as X`,
 * `(ev.payload ?? {}) as Record<…>`). A payload that changes on the server then fails to compile here.
 */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : sources(path);
    return /\.ts$/.test(name) && !/\.spec\.ts$/.test(name) ? [path] : [];
  });
}

describe('the console and the event contract', () => {
  it('never casts an event payload to a shape of its own', () => {
    const root = join(__dirname);
    const casts = sources(root).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${relative(root, file)}:${i + 1}` }))
        .filter(({ line }) => /payload\)?\s+as\s|payload\s*\?\?\s*\{\}\)\s*as\s/.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    expect(casts).toEqual([]);
  });

  it('catches a cast when there is one (the check is not blind)', () => {
    const pattern = /payload\)?\s+as\s|payload\s*\?\?\s*\{\}\)\s*as\s/;
    expect(pattern.test('const p = ev.payload as Incident;')).toBe(true);
    expect(pattern.test('const p = (ev.payload ?? {}) as Record<string, unknown>;')).toBe(true);
    expect(pattern.test('const p = ev.payload;')).toBe(false);
  });
});
