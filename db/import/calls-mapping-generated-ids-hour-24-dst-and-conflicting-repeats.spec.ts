import * as path from 'node:path';
import { generatedCallId, parseMappedTime, readColumnMapping, readMappedCalls } from './generic-calls';

const DIR = path.resolve('db/cities/fixtures/riverton');
const read = () => readMappedCalls(path.join(DIR, 'riverton_calls.csv'), readColumnMapping(path.join(DIR, 'riverton-calls.mapping.yaml')));

describe('the calls mapping gives ids to rows without one, reads hour-24 and several formats across a DST change, and reports repeated ids that disagree', () => {
  it('reads Central time across the end of daylight saving time (3 November 2024), in two formats', () => {
    const r = read();
    const at = (id: string) => r.calls.find((c) => c.externalId === id)!;
    expect(at('R-100').received.toISOString()).toBe('2024-11-03T05:50:00.000Z'); // 00:50 CDT (UTC-5)
    expect(at('R-102').received.toISOString()).toBe('2024-11-03T08:10:00.000Z'); // 02:10 CST (UTC-6)
    // 01:30 happens twice that night; the repeated hour reads as standard time (luxon's rule).
    expect(at('R-101').received.toISOString()).toBe('2024-11-03T07:30:00.000Z');
    // The older US-date format of the same column.
    expect(at('R-103')).toMatchObject({ localDate: '2024-11-03', received: new Date('2024-11-04T05:40:00.000Z') });
  });

  it('reads hour 24 as 00 of the next day, and still refuses hour 25 by line', () => {
    const r = read();
    expect(r.calls.find((c) => c.externalId === 'R-104')).toMatchObject({ localDate: '2024-11-04', received: new Date('2024-11-04T06:15:00.000Z') });
    expect(r.problems).toEqual([{ line: 11, reason: `bad CallTime "2024-11-03T25:00:00" (expected yyyy-MM-dd'T'HH:mm:ss or MM/dd/yyyy HH:mm)` }]);
    // Seattle's export writes `2011-10-24T24:22:00+0000` for 00:22 UTC on the 25th.
    expect(parseMappedTime('2011-10-24T24:22:00+0000', { column: 'Datetime', format: 'ISO' }, 'America/Los_Angeles').toISOString()).toBe('2011-10-25T00:22:00.000Z');
    expect(parseMappedTime('2011-10-24T24:00:00+0000', { column: 'Datetime', format: 'ISO' }, 'America/Los_Angeles').toISOString()).toBe('2011-10-25T00:00:00.000Z');
    expect(() => parseMappedTime('2011-10-24T24:60:00+0000', { column: 'Datetime', format: 'ISO' }, 'UTC')).toThrow(/bad Datetime/);
  });

  it('gives a row without an id the documented generated id, the same for the same call read twice', () => {
    const r = read();
    const gen = r.calls.filter((c) => c.externalId.startsWith('gen-'));
    expect(gen).toHaveLength(1);
    expect(gen[0].externalId).toBe(generatedCallId('Medical', new Date('2024-11-04T07:00:00.000Z'), 41.002, -90.009));
    expect(gen[0].externalId).toMatch(/^gen-[0-9a-f]{16}$/);
    expect(r.generatedIds).toBe(1);
    // Rows 7 and 8 are the same call: loaded once, counted as a repeat.
    expect(r.duplicateRows).toBe(3);
    expect(r.calls.length + r.duplicateRows + r.problems.length).toBe(r.rowsRead);
  });

  it('without `missingIds: generate`, a row without an id is a problem naming the column', () => {
    const m = readColumnMapping(path.join(DIR, 'riverton-calls.mapping.yaml'));
    const r = readMappedCalls(path.join(DIR, 'riverton_calls.csv'), { ...m, missingIds: 'report' });
    expect(r.problems.filter((p) => p.reason === 'missing IncidentNumber').map((p) => p.line)).toEqual([7, 8]);
  });

  it('reports a repeated id whose row is elsewhere (5.5 km apart); an identical repeat is not a conflict', () => {
    const r = read();
    expect(r.conflicts).toEqual([{ externalId: 'R-100', firstLine: 2, line: 10, fields: ['place'], distanceMetres: 5549 }]);
    // The first row still loads.
    expect(r.calls.find((c) => c.externalId === 'R-100')).toMatchObject({ lat: 41.0001, line: 2 });
    // A threshold wider than the gap hides it.
    const m = readColumnMapping(path.join(DIR, 'riverton-calls.mapping.yaml'));
    expect(readMappedCalls(path.join(DIR, 'riverton_calls.csv'), { ...m, conflictMetres: 6000 }).conflicts).toEqual([]);
  });

  it('refuses a mapping with a bad missing-id rule or an empty list of formats, naming the key', () => {
    const m = readColumnMapping(path.join(DIR, 'riverton-calls.mapping.yaml'));
    expect(() => readMappedCalls(path.join(DIR, 'riverton_calls.csv'), { ...m, missingIds: 'invent' as never })).toThrow(/missingIds \(report or generate\) is required/);
    expect(() => readMappedCalls(path.join(DIR, 'riverton_calls.csv'), { ...m, columns: { ...m.columns, time: { column: 'CallTime', format: [] } } })).toThrow(
      /columns.time.column and columns.time.format/,
    );
  });
});
