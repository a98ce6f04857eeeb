import { callBody, realCalls } from '@cad/db/testing';
import { CallBatchWriter } from '../intake/call-batch-writer';
import { callRowAt } from '../testing/call-rows';
import { startTestApp, TestApp } from '../testing/test-app';

/** A generated call number's form: `C-` + the sequence value, zero-padded to at least six digits. */
const generated = (n: number) => `C-${String(n).padStart(6, '0')}`;

/**
 * What a hostile tester saw: after 58 calls posted with typed numbers C-000003…C-000060 (the
 * generated form, ahead of the sequence), the next call without a number answered 503 "no free call
 * number in 50 tries", and a longer typed block refused several calls in a row. Now a clash moves the
 * sequence past the whole block in one step: after 200 typed numbers every untyped call is accepted
 * with a fresh, unique number, one after another and also posted at once, and from two writers (two
 * API processes) racing on the same sequence.
 */
describe('a block of typed call numbers in the generated form ahead of the sequence', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No worker in the process: acceptance is what is measured.
    t = await startTestApp('callnumberblock', { RUN_WORKERS: 'false' });
  });
  afterAll(async () => {
    await t.close();
  });

  const calls = realCalls();
  /** A real call posted live, with its own `callNumber` when given, else without one (the server generates it). */
  const post = (i: number, callNumber?: string) => {
    const { callNumber: _own, ...body } = callBody(calls[i % calls.length]);
    return t.request('POST', '/api/calls', callNumber ? { ...body, callNumber } : body);
  };
  const numbersOf = async (ids: string[]) =>
    ((await t.ds.query('SELECT call_number FROM call WHERE id = ANY($1)', [ids])) as { call_number: string }[]).map((r) => r.call_number);
  /** Posts typed numbers `from`…`from + count - 1` of the generated form, 20 at a time; each must be accepted. */
  const typeBlock = async (from: number, count: number) => {
    const typed = Array.from({ length: count }, (_, k) => generated(from + k));
    for (let k = 0; k < typed.length; k += 20) {
      const answers = await Promise.all(typed.slice(k, k + 20).map((n, j) => post(k + j, n)));
      expect(answers.map((a) => a.status)).toEqual(Array(answers.length).fill(202));
    }
    return new Set(typed);
  };
  const next = async () => Number((await t.ds.query(`SELECT last_value + 1 AS n FROM call_number_seq`))[0].n);

  it('after 200 typed numbers, 30 untyped calls one after another each get a fresh number, the first right past the block', async () => {
    const start = await next();
    const typed = await typeBlock(start, 200);
    const ids: string[] = [];
    for (let k = 0; k < 30; k++) {
      const r = await post(200 + k);
      expect(r.status).toBe(202);
      ids.push(r.body.id);
    }
    const numbers = await numbersOf(ids);
    expect(new Set(numbers).size).toBe(30);
    for (const n of numbers) {
      expect(n).toMatch(/^C-\d{6,}$/);
      expect(typed.has(n)).toBe(false);
    }
    expect(numbers).toContain(generated(start + 200));
  }, 180_000);

  it('after 200 more typed numbers, 40 untyped calls posted at once are all accepted with unique fresh numbers', async () => {
    const start = await next();
    const typed = await typeBlock(start, 200);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, k) => post(400 + k)));
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(202));
    const numbers = await numbersOf(answers.map((a) => a.body.id));
    expect(new Set(numbers).size).toBe(40);
    for (const n of numbers) expect(typed.has(n)).toBe(false);
  }, 180_000);

  it('two writers (two API processes) racing on one sequence past a block of 200 both store every call, numbers unique', async () => {
    const start = await next();
    const typed = await typeBlock(start, 200);
    // A second writer stands for a second API process: its own batches, the same sequence and table.
    const other = new CallBatchWriter((sql, params) => t.ds.query(sql, params), () => Promise.resolve(), { numberTries: 50 });
    const [viaApi, viaOther] = await Promise.all([
      Promise.all(Array.from({ length: 25 }, (_, k) => post(600 + k))),
      Promise.all(Array.from({ length: 25 }, () => other.write(callRowAt(0, null)))),
    ]);
    expect(viaApi.map((a) => a.status)).toEqual(Array(25).fill(202));
    const ids = [...viaApi.map((a) => a.body.id as string), ...viaOther.map((w) => w.id!)];
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    const numbers = await numbersOf(ids);
    expect(numbers).toHaveLength(50);
    expect(new Set(numbers).size).toBe(50);
    for (const n of numbers) {
      expect(n).toMatch(/^C-\d{6,}$/);
      expect(typed.has(n)).toBe(false);
    }
  }, 180_000);

  it('a typed number in another case (c-…) is the same number to the index and is jumped too', async () => {
    const start = await next();
    for (let k = 0; k < 60; k++) expect((await post(700 + k, generated(start + k).toLowerCase())).status).toBe(202);
    const r = await post(800);
    expect(r.status).toBe(202);
    expect(await numbersOf([r.body.id])).toEqual([generated(start + 60)]);
  }, 180_000);
});
