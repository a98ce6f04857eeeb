import { agencyOfCapability, agencyTravelTargets, DEFAULT_AGENCY_RULES, splitByDispatchMode } from './agencies';
import { assessCoverage, DEFAULT_ESCALATION_POLICY } from './command-chain';

describe('agencies dispatched by request, and each held to its own travel target', () => {
  const rules = {
    police: { agency: 'police' as const, ackTimeoutS: 90, firstUnitTravelS: 480, dispatchMode: 'request' as const },
    water_utility: { agency: 'water_utility' as const, firstUnitTravelS: 60, dispatchMode: 'direct' as const },
  };

  it('a run card\u2019s police slots are requested of the police post; fire, EMS and a direct utility are dispatched', () => {
    expect(splitByDispatchMode(['engine', 'police', 'ambulance', 'water_crew', 'police'], rules)).toEqual({
      direct: ['engine', 'ambulance', 'water_crew'],
      requested: [
        { capability: 'police', agency: 'police' },
        { capability: 'police', agency: 'police' },
      ],
    });
    // A profile silent on an agency takes its default mode: the gas utility is requested, fire is direct.
    expect(splitByDispatchMode(['gas_crew', 'truck'], {})).toEqual({ direct: ['truck'], requested: [{ capability: 'gas_crew', agency: 'gas_utility' }] });
    // An unknown capability is the command centre's own (fire): never silently requested.
    expect(agencyOfCapability('hovercraft')).toBe('fire');
  });

  it('targets come from the profile, else the defaults (EMS: NFPA 1710 ALS 480 s)', () => {
    const t = agencyTravelTargets(rules);
    expect(t).toMatchObject({ police: 480, water_utility: 60, fire: 240, ems: 480, gas_utility: DEFAULT_AGENCY_RULES.gas_utility.firstUnitTravelS });
  });

  it('a water crew past its own 60 s fails the tier, though fire\u2019s 240/480 s would pass it; within 60 s it passes', () => {
    const policy = { ...DEFAULT_ESCALATION_POLICY, agencyTravelS: agencyTravelTargets(rules) };
    const slow = assessCoverage({ slots: [{ capability: 'water_crew', etaSeconds: 117, agency: 'water_utility' }] }, policy);
    expect(slow).toEqual({ covered: false, detail: 'first water_utility unit 117 s > 60 s target (water_utility)' });
    expect(assessCoverage({ slots: [{ capability: 'water_crew', etaSeconds: 45, agency: 'water_utility' }] }, policy).covered).toBe(true);
    // Without agency targets the same crew is held to the fire first-alarm target only.
    expect(assessCoverage({ slots: [{ capability: 'water_crew', etaSeconds: 117 }] }).covered).toBe(true);
  });

  it('the agency of the chosen unit decides: a police unit at 600 s fails police\u2019s 480 s, not the fire full alarm', () => {
    const policy = { ...DEFAULT_ESCALATION_POLICY, agencyTravelS: agencyTravelTargets(rules) };
    const fill = { slots: [{ capability: 'engine', etaSeconds: 200 }, { capability: 'police', etaSeconds: 600, agency: 'police' }] };
    expect(assessCoverage(fill, policy).detail).toBe('first police unit 600 s > 480 s target (police)');
    // A police unit at 470 s is within its own target and is not held to the 480 s fire alarm either way.
    expect(assessCoverage({ slots: [{ capability: 'engine', etaSeconds: 200 }, { capability: 'police', etaSeconds: 470, agency: 'police' }] }, policy).covered).toBe(true);
    // The fire slots keep NFPA 1710: a truck at 481 s fails the full first alarm.
    expect(assessCoverage({ slots: [{ capability: 'engine', etaSeconds: 200 }, { capability: 'truck', etaSeconds: 481 }] }, policy).detail).toBe('full first alarm 481 s > 480 s target (NFPA 1710)');
  });
});
