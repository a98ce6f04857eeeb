/**
 * People's names for a drill run and its calls. The API names a run
 * `drill-<YYYY-MM-DD>-<policy>[-x<surge>]-s<seed>-<base36 start time>` (apps/api `DrillService`) and a
 * scenario call `<run id>:<historical call number>` (`DrillRun.callNumber`): both are keys, not words
 * for a dispatcher. The run's date, policy and seed are in its run view (the drill dialog).
 */
import { has, locale, t } from './i18n';

const RUN_ID = /^drill-(\d{4})-(\d{2})-(\d{2})-([a-z]+)(?:-x(\d+(?:\.\d+)?))?-s(\d+)-[0-9a-z]+$/;

/**
 * A drill run id in the locale shown: `Exercise Jan 1, 2017 (nearest, seed 1)` /
 * `演练 2017年1月1日（就近，种子 1）`; a surge run names its call multiplier. An id of another shape
 * (an older server's) is named "Exercise" with the id after it; null or '' answers ''.
 */
export function drillName(id: string | null | undefined): string {
  if (!id) return '';
  const m = RUN_ID.exec(id);
  if (!m) return t('drillName.other', { id });
  const [, y, mo, d, policy, surge, seed] = m;
  // The historical day is a calendar date, not an instant: formatted in UTC so no zone moves it a day.
  const date = new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(+y, +mo - 1, +d));
  const policyKey = `drill.policy${policy[0].toUpperCase()}${policy.slice(1)}`;
  const values = { date, policy: has(policyKey) ? t(policyKey) : policy, seed, surge: surge ?? '' };
  return t(surge ? 'drillName.surge' : 'drillName.run', values);
}

/**
 * A call number as shown: an exercise call's historical number alone (`drill-…:170011602` →
 * `170011602`; the EXERCISE mark beside it says it is a drill's), any other as it is; `fallback` when
 * there is none.
 */
export function callNumberShown(callNumber: string | null | undefined, fallback = ''): string {
  if (!callNumber) return fallback;
  const m = /^drill-[^:]+:(.+)$/.exec(callNumber);
  return m ? m[1] : callNumber;
}
