import { createHash } from 'crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'fs';
import { join } from 'path';
import { CH_ENGINE_VERSION, type ContractionHierarchyData } from './contraction-hierarchy';

type ArrayName = Exclude<keyof ContractionHierarchyData, 'nodeCount' | 'edgeCount' | 'arcCount'>;
type TypedArray = Uint32Array | Int32Array | Float64Array;

/** The typed arrays of a hierarchy, in file order, with their element type. */
const ARRAYS: readonly [ArrayName, 'u32' | 'i32' | 'f64'][] = [
  ['rank', 'u32'], ['nodeOfRank', 'u32'], ['arcTail', 'u32'], ['arcHead', 'u32'], ['arcWeight', 'f64'],
  ['arcMid', 'i32'], ['arcChild1', 'i32'], ['arcChild2', 'i32'], ['arcEdge', 'i32'], ['arcOrder', 'u32'],
  ['upFirst', 'u32'], ['upHead', 'u32'], ['upWeight', 'f64'], ['upArc', 'u32'],
  ['downFirst', 'u32'], ['downHead', 'u32'], ['downWeight', 'f64'], ['downArc', 'u32'],
];

const MAGIC = 'CADCH';

interface Header {
  magic: string;
  version: number;
  key: string;
  nodeCount: number;
  edgeCount: number;
  arcCount: number;
  lengths: number[];
}

/**
 * Cache key of a preprocessed road file: SHA-256 (hex) over the source file's bytes, the engine
 * version {@link CH_ENGINE_VERSION} and `salt` (the parse options as JSON, so other speeds give
 * another file).
 */
export function hierarchyCacheKey(sourceBytes: Uint8Array, salt: string): string {
  const fileHash = createHash('sha256').update(sourceBytes).digest('hex');
  return createHash('sha256').update(`${fileHash}\n${CH_ENGINE_VERSION}\n${salt}`).digest('hex');
}

/** Path of the cache file for `key` in `cacheDir`: `road-ch-v<version>-<key>.bin`. */
export function hierarchyCachePath(cacheDir: string, key: string): string {
  return join(cacheDir, `road-ch-v${CH_ENGINE_VERSION}-${key}.bin`);
}

/**
 * Writes a hierarchy to `path` (creating its folder): one JSON header line, padding to 8 bytes, then
 * each typed array's bytes (little-endian, as in memory) padded to 8 bytes. Written to a temporary
 * file then renamed, so a reader never sees half a file.
 * @throws the `fs` error if the folder or file cannot be written.
 */
export function saveHierarchy(path: string, dir: string, key: string, ch: ContractionHierarchyData): void {
  mkdirSync(dir, { recursive: true });
  const header: Header = {
    magic: MAGIC, version: CH_ENGINE_VERSION, key,
    nodeCount: ch.nodeCount, edgeCount: ch.edgeCount, arcCount: ch.arcCount,
    lengths: ARRAYS.map(([name]) => ch[name].length),
  };
  const head = Buffer.from(`${JSON.stringify(header)}\n`, 'utf8');
  const parts: Buffer[] = [head, Buffer.alloc(pad8(head.length) - head.length)];
  for (const [name] of ARRAYS) {
    const a = ch[name] as TypedArray;
    const bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    parts.push(bytes, Buffer.alloc(pad8(bytes.length) - bytes.length));
  }
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat(parts));
  renameSync(tmp, path);
}

/**
 * Reads a hierarchy written by {@link saveHierarchy}. Returns `undefined` when the file is missing,
 * unreadable, truncated, of another engine version, or for another key / graph size, so the caller
 * rebuilds it.
 */
export function loadHierarchy(path: string, key: string, nodeCount: number, edgeCount: number): ContractionHierarchyData | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch {
    return undefined;
  }
  const nl = buf.indexOf(0x0a);
  if (nl < 0) return undefined;
  let header: Header;
  try {
    header = JSON.parse(buf.subarray(0, nl).toString('utf8')) as Header;
  } catch {
    return undefined;
  }
  if (header.magic !== MAGIC || header.version !== CH_ENGINE_VERSION || header.key !== key
    || header.nodeCount !== nodeCount || header.edgeCount !== edgeCount
    || !Array.isArray(header.lengths) || header.lengths.length !== ARRAYS.length) {
    return undefined;
  }
  let offset = pad8(nl + 1);
  const out: Record<string, unknown> = { nodeCount, edgeCount, arcCount: header.arcCount };
  for (let i = 0; i < ARRAYS.length; i++) {
    const [name, type] = ARRAYS[i];
    const length = header.lengths[i];
    const bytes = length * (type === 'f64' ? 8 : 4);
    if (!Number.isInteger(length) || length < 0 || offset + bytes > buf.length) return undefined;
    // Copy into a fresh, aligned buffer (the file buffer may not be 8-byte aligned).
    const copy = new Uint8Array(bytes);
    copy.set(buf.subarray(offset, offset + bytes));
    out[name] = type === 'u32' ? new Uint32Array(copy.buffer) : type === 'i32' ? new Int32Array(copy.buffer) : new Float64Array(copy.buffer);
    offset += pad8(bytes);
  }
  return out as unknown as ContractionHierarchyData;
}

function pad8(n: number): number {
  return (n + 7) & ~7;
}
