import { isCapability, ResponsePlan, Tier } from '@cad/domain';
import * as fs from 'node:fs';
import YAML from 'yaml';

const TIERS: readonly Tier[] = ['street', 'district', 'city'];

/**
 * Reads a city's response plans (run cards) from a YAML list, for a city without an SFFD history to
 * derive them from:
 * `- { callType: Gas Leak, slots: { engine: 1, gas_crew: 1, police: 1 }, commandingTier: street }`.
 * A slot may name any agency's capability (`police`, `water_crew`, `gas_crew`); second and later
 * alarms are left to `alarmsOf` (the first alarm's engines and trucks again, one tier up).
 * @returns plans keyed by call type, `derivedFrom` 0 (written, not derived)
 * @throws Error naming the file, the entry and the bad key (an unknown capability or tier, a count
 *   outside 0..20, a call type listed twice)
 */
export function readPlansFile(file: string): Map<string, ResponsePlan> {
  const raw: unknown = YAML.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(raw)) throw new Error(`plans file ${file}: must be a list of plans`);
  const plans = new Map<string, ResponsePlan>();
  raw.forEach((p: Record<string, unknown>, i) => {
    const fail = (key: string, detail: string): never => {
      throw new Error(`plans file ${file}: [${i}].${key} ${detail}`);
    };
    const callType = typeof p?.callType === 'string' && p.callType.trim() ? p.callType.trim() : fail('callType', 'must be a non-empty string');
    if (plans.has(callType)) fail('callType', `"${callType}" is listed twice`);
    const slots = p.slots && typeof p.slots === 'object' ? (p.slots as Record<string, unknown>) : fail('slots', 'must map capabilities to counts');
    for (const [cap, n] of Object.entries(slots)) {
      if (!isCapability(cap)) fail(`slots.${cap}`, 'is not a capability');
      if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > 20) fail(`slots.${cap}`, 'must be a whole number 0..20');
    }
    const tier = (p.commandingTier ?? 'street') as Tier;
    if (!TIERS.includes(tier)) fail('commandingTier', `must be one of ${TIERS.join(', ')}`);
    plans.set(callType, { callType, slots: slots as ResponsePlan['slots'], commandingTier: tier, derivedFrom: 0 });
  });
  return plans;
}
