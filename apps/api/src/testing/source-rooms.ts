import * as fs from 'node:fs';
import * as path from 'node:path';

/** The API's source folder (`apps/api/src`), absolute. */
export const API_SRC = path.resolve(__dirname, '..');

/**
 * Every production TypeScript file under `dir` (absolute paths, depth first): specs and declaration files
 * left out. Used by the structure specs that check the rooms of the API.
 */
export function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.spec.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/**
 * The room of a file under {@link API_SRC}: its top folder (`incidents`), a platform subfolder
 * (`platform/clock`), or a top file's name without `.ts` (`app.module`).
 */
export function roomOf(file: string): string {
  const parts = path.relative(API_SRC, file).split(path.sep);
  if (parts[0] === 'platform' && parts.length > 2) return `platform/${parts[1]}`;
  return parts[0].replace(/\.ts$/, '');
}
