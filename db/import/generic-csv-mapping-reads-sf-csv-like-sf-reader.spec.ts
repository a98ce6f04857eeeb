import * as path from 'node:path';
import { readColumnMapping, readMappedCalls } from './generic-calls';
import { loadScenario, sfScenario } from './scenarios';
import { SF_CALLS_FILE, SF_DATA_DIR } from '../testing/sf-fixture';

describe('the generic importer with the SF mapping reads the real SF CSV as the SF reader does', () => {
  it('gives the same calls, times, places and priorities', () => {
    const zone = 'America/Los_Angeles';
    const sf = sfScenario(SF_CALLS_FILE, zone);
    const generic = readMappedCalls(SF_CALLS_FILE, readColumnMapping(path.resolve('db/scenarios/mappings/sf-fire.yaml')));
    expect(generic.problems).toEqual(sf.problems);
    expect(sf.calls.length).toBeGreaterThan(1000);
    const strip = (c: (typeof sf.calls)[number]) => ({ ...c, units: [] });
    expect(generic.calls).toEqual(sf.calls.map(strip));
    expect(generic.duplicateRows).toBe(sf.duplicateRows);
  });

  it('loads both bundled scenario files, the mapped one equal to the SF one without unit times', () => {
    const a = loadScenario('sf-north', SF_DATA_DIR, 'America/Los_Angeles');
    const b = loadScenario('sf-north-mapped', SF_DATA_DIR, 'America/Los_Angeles');
    expect(b.calls.map((c) => c.externalId)).toEqual(a.calls.map((c) => c.externalId));
    expect(a.closures[0].at.toISOString()).toBe('2017-01-01T19:00:00.000Z');
  });
});
