import * as path from 'node:path';
import { readColumnMapping, readMappedCalls } from './generic-calls';
import { sfScenario } from './scenarios';

const fixture = (f: string) => path.join(__dirname, 'fixtures', f);

describe('the generic CSV importer reads another city through a mapping file, reporting bad rows by line', () => {
  for (const mappingFile of ['othertown.mapping.json', 'othertown.mapping.yaml']) {
    it(`loads good rows once, reports malformed ones with line numbers (${mappingFile})`, () => {
      const r = readMappedCalls(fixture('othertown-calls.csv'), readColumnMapping(fixture(mappingFile)));
      expect(r.rowsRead).toBe(11);
      expect(r.calls.map((c) => c.externalId)).toEqual(['OT-1', 'OT-2', 'OT-3', 'OT-9']);
      // OT-2 twice and OT-1 again at the end: loaded once each.
      expect(r.duplicateRows).toBe(2);
      expect(r.problems.map((p) => p.line)).toEqual([6, 7, 8, 9, 10]);
      expect(r.problems[0].reason).toMatch(/bad call_received "2024-13-40 99:00:00"/);
      expect(r.problems[1].reason).toMatch(/missing coordinates/);
      expect(r.problems[2].reason).toMatch(/out of range/);
      expect(r.problems[3].reason).toMatch(/missing nature/);
      expect(r.problems[4].reason).toMatch(/not numbers/);
      // Every row is accounted for: loaded, repeated, or reported.
      expect(r.calls.length + r.duplicateRows + r.problems.length).toBe(r.rowsRead);
      const [ot1, ot2, ot3] = r.calls;
      // 23:58:10 in New York on 9 March 2024 (EST, UTC-5).
      expect(ot1.received.toISOString()).toBe('2024-03-10T04:58:10.000Z');
      expect(ot1.localDate).toBe('2024-03-09');
      expect(ot1).toMatchObject({ type: 'FIRE ALARM', priority: 1, lat: 40.7128, lon: -74.006, address: '12 Main St', line: 2 });
      expect(ot2).toMatchObject({ priority: 3, localDate: '2024-03-10' });
      // Empty priority falls back to 2 (urgent); the quoted address keeps its comma.
      expect(ot3).toMatchObject({ priority: 2, address: '9 Oak Rd, Apt 2' });
      // 03:15 on 10 March 2024 is after the DST change (EDT, UTC-4).
      expect(ot3.received.toISOString()).toBe('2024-03-10T07:15:00.000Z');
    });
  }

  it('rejects a mapping file without the required columns, naming the key', () => {
    expect(() => readMappedCalls(fixture('othertown-calls.csv'), { timeZone: 'America/New_York', columns: {} } as never)).toThrow(
      /columns.externalId is required/,
    );
    expect(() => readMappedCalls(fixture('othertown-calls.csv'), { timeZone: 'Mars/Olympus', columns: {} } as never)).toThrow(/timeZone/);
  });

  it('reads the SF format: one call per call number with every unit row, bad rows reported', () => {
    const s = sfScenario(fixture('sf-format-sample.csv'), 'America/Los_Angeles');
    expect(s.calls.map((c) => c.externalId)).toEqual(['163664036', '170010001']);
    expect(s.duplicateRows).toBe(1);
    expect(s.problems).toEqual([
      { line: 5, reason: expect.stringMatching(/bad timestamp/) },
      { line: 6, reason: expect.stringMatching(/Location/) },
    ]);
    expect(s.calls[0].units.map((u) => [u.unitId, u.unitType])).toEqual([
      ['E38', 'ENGINE'],
      ['AM30', 'PRIVATE'],
    ]);
    expect(s.calls[0].units[0].enRoute!.toISOString()).toBe('2017-01-01T07:55:34.000Z');
  });
});
