import type { ValueTransformer } from 'typeorm';

/**
 * Reads a Postgres `bigint` counter (a revision, a version) as a JavaScript number. The column never
 * caps (2^63 - 1); the number is exact up to `Number.MAX_SAFE_INTEGER` (2^53 - 1, about 9.0e15), which
 * at one change per millisecond lasts over 285,000 years. Past it, reading throws rather than rounding.
 * @throws RangeError when the stored value is beyond 2^53 - 1
 */
export const bigintNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => {
    if (v === null || v === undefined) return v;
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new RangeError(`counter ${String(v)} is past 2^53 - 1, the largest exact JavaScript number`);
    return n;
  },
};
