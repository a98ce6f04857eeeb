import pino from 'pino';
import { Writable } from 'node:stream';
import { logContextOf, requestLogContext, withLogContext } from './log-context';
import { pinoOptions } from './logger';

/** A pino logger with the shared options, writing into an array of parsed lines. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { log: pino(pinoOptions('info', 'worker'), sink), lines };
}

/**
 * Every log line written while handling work about one incident carries its id, also after awaits; two
 * jobs handled at once never swap ids; lines outside any carry none.
 */
describe('logs: lines about an incident carry its id', () => {
  it('adds the job payload ids to every line inside, after awaits, and nothing outside', async () => {
    const { log, lines } = capture();
    const data = { incidentId: 'inc-1', revision: 3, priority: 1, nested: { incidentId: 'not-this' } };
    await withLogContext(logContextOf(data), async () => {
      log.info('start');
      await new Promise((r) => setTimeout(r, 5));
      log.warn('after an await');
    });
    log.info('outside');
    expect(lines.map((l) => [l.msg, l.incidentId, l.role])).toEqual([
      ['start', 'inc-1', 'worker'],
      ['after an await', 'inc-1', 'worker'],
      ['outside', undefined, 'worker'],
    ]);
    expect(typeof lines[0].time).toBe('string');
  });

  it('keeps two jobs handled at once apart, and merges a nested context', async () => {
    const { log, lines } = capture();
    const job = (id: string, wait: number) =>
      withLogContext({ incidentId: id }, async () => {
        await new Promise((r) => setTimeout(r, wait));
        withLogContext({ unitId: `unit-of-${id}` }, () => log.info(id));
      });
    await Promise.all([job('a', 20), job('b', 1)]);
    expect(lines.map((l) => [l.msg, l.incidentId, l.unitId]).sort()).toEqual([
      ['a', 'a', 'unit-of-a'],
      ['b', 'b', 'unit-of-b'],
    ]);
  });

  it('names the incident, call or unit of an API request from its path, and ignores non-string payload ids', () => {
    const { log, lines } = capture();
    for (const url of ['/api/incidents/8d0e/close', '/api/calls/c-9', '/api/units/E38/position', '/api/state']) requestLogContext({ url }, null, () => log.info(url));
    expect(lines.map((l) => [l.incidentId, l.callId, l.unitId])).toEqual([
      ['8d0e', undefined, undefined],
      [undefined, 'c-9', undefined],
      [undefined, undefined, 'E38'],
      [undefined, undefined, undefined],
    ]);
    expect(logContextOf({ incidentId: 42, callId: 'c' })).toEqual({ callId: 'c' });
    expect(logContextOf(null)).toEqual({});
  });
});
