import { callBody, realCalls } from '@cad/db/testing';
import { QueuesService } from '../queues/queues.service';
import { callRowAt } from '../testing/call-rows';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { CALL_COLUMNS, CallBatchWriter, NoFreeCallNumber } from './call-batch-writer';

const calls = realCalls();


describe('concurrent calls for service are written in one batch (one INSERT, one addBulk) and nothing accepted is lost', () => {
  let t: TestApp;
  let queues: QueuesService;
  const stamp = Date.now().toString(36);
  beforeAll(async () => {
    t = await startTestApp('callbatch');
    queues = t.app.get(QueuesService);
  });
  afterAll(async () => {
    await t.close();
  });

  /** A writer on the test database and Redis that counts its INSERT statements and addBulk calls. */
  function counted(queueIntakes?: (ids: string[]) => Promise<void>) {
    const n = { inserts: 0, bulks: 0, rows: [] as number[] };
    const writer = new CallBatchWriter(
      (sql, params) => {
        n.inserts++;
        n.rows.push(params.length / CALL_COLUMNS.length);
        return t.ds.query(sql, params);
      },
      (ids) => {
        n.bulks++;
        return queueIntakes ? queueIntakes(ids) : queues.addIntakes(ids.map((callId) => ({ callId })));
      },
      { numberTries: 5 },
    );
    return { writer, n };
  }

  it('forty calls arriving at once cost one INSERT and one addBulk; each gets its own id and every one becomes an incident', async () => {
    const { writer, n } = counted();
    const out = await Promise.all(Array.from({ length: 40 }, (_, i) => writer.write(callRowAt(i, `batch-${stamp}-${i}`))));
    expect(n).toEqual({ inserts: 1, bulks: 1, rows: [40] });
    const ids = out.map((o) => o.id!);
    expect(new Set(ids).size).toBe(40);
    const [{ stored }] = await t.ds.query(`SELECT count(*)::int AS stored FROM call WHERE id = ANY($1)`, [ids]);
    expect(stored).toBe(40);
    // Queued on intake and placed by the worker: nothing accepted is lost.
    await waitFor(async () => (await t.ds.query(`SELECT count(*)::int AS n FROM call WHERE id = ANY($1) AND incident_id IS NULL`, [ids]))[0].n === 0, 60_000);
  });

  it('over HTTP: thirty concurrent POSTs are each answered 202 with a distinct id, and a repeated call number answers the first id as a duplicate', async () => {
    const some = calls.slice(0, 30);
    const answers = await Promise.all(some.map((c, i) => t.request('POST', '/api/calls', { ...callBody(c), callNumber: `http-${stamp}-${i}` })));
    expect(answers.map((a) => a.status)).toEqual(some.map(() => 202));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(30);
    // The same call sent twice at once (a caller system's retry): one stored, both answered with its id.
    const body = { ...callBody(some[0]), callNumber: `retry-${stamp}` };
    const [a, b] = await Promise.all([t.request('POST', '/api/calls', body), t.request('POST', '/api/calls', body)]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.id).toBe(b.body.id);
    expect([a.body.duplicate, b.body.duplicate].sort()).toEqual([false, true]);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM call WHERE call_number = $1`, [`retry-${stamp}`]);
    expect(n).toBe(1);
  });

  it('the same call number twice in one batch stores one row; the repeat answers null (a duplicate) from the next batch', async () => {
    const { writer, n } = counted();
    const [first, again] = await Promise.all([writer.write(callRowAt(1, `twice-${stamp}`)), writer.write(callRowAt(1, `twice-${stamp}`))]);
    expect(first.id).toEqual(expect.any(String));
    expect(again.id).toBeNull();
    expect(n.rows).toEqual([1, 1]);
  });

  it('a generated number a caller already sent is skipped: the call takes the next free one', async () => {
    const [{ v }] = await t.ds.query(`SELECT nextval('call_number_seq')::bigint AS v`);
    const taken = `C-${String(Number(v) + 1).padStart(6, '0')}`;
    const { writer } = counted();
    await writer.write(callRowAt(2, taken));
    const out = await writer.write(callRowAt(3, null));
    const [row] = await t.ds.query(`SELECT call_number FROM call WHERE id = $1`, [out.id]);
    expect(row.call_number).not.toBe(taken);
    expect(row.call_number).toMatch(/^C-\d{6,}$/);
  });

  it('hostile: one bad row in a batch is refused alone; the calls beside it are stored', async () => {
    const { writer } = counted();
    const bad = { ...callRowAt(4, `bad-${stamp}`), type: 'x'.repeat(200) }; // longer than varchar(120)
    const results = await Promise.allSettled([writer.write(callRowAt(5, `good-${stamp}-a`)), writer.write(bad), writer.write(callRowAt(6, `good-${stamp}-b`))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason.message)).toMatch(/too long/);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM call WHERE call_number LIKE $1`, [`%-${stamp}-%`]);
    expect(n).toBeGreaterThanOrEqual(2);
    const [{ none }] = await t.ds.query(`SELECT count(*)::int AS none FROM call WHERE call_number = $1`, [`bad-${stamp}`]);
    expect(none).toBe(0);
  });

  it('hostile: Redis refusing the addBulk still answers the stored calls (the reconciler queues them), never loses them', async () => {
    const failures: string[][] = [];
    const writer = new CallBatchWriter((sql, params) => t.ds.query(sql, params), () => Promise.reject(new Error('Connection is closed.')), {
      numberTries: 5,
      onQueueFailure: (ids) => failures.push(ids),
    });
    const out = await Promise.all([writer.write(callRowAt(7, `noredis-${stamp}-1`)), writer.write(callRowAt(8, `noredis-${stamp}-2`))]);
    expect(out.every((o) => typeof o.id === 'string')).toBe(true);
    expect(failures).toEqual([out.map((o) => o.id)]);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM call WHERE id = ANY($1)`, [out.map((o) => o.id)]);
    expect(n).toBe(2);
  });

  it('hostile: a block of generated numbers callers sent already, longer than the tries, is jumped in one retry', async () => {
    const [{ v }] = await t.ds.query(`SELECT nextval('call_number_seq')::bigint AS v`);
    const { writer } = counted();
    for (let k = 1; k <= 5; k++) await writer.write(callRowAt(9, `C-${String(Number(v) + k).padStart(6, '0')}`));
    const tight = new CallBatchWriter((sql, params) => t.ds.query(sql, params), (ids) => queues.addIntakes(ids.map((callId) => ({ callId }))), { numberTries: 2 });
    const out = await tight.write(callRowAt(10, null));
    const [row] = await t.ds.query(`SELECT call_number FROM call WHERE id = $1`, [out.id]);
    expect(row.call_number).toBe(`C-${String(Number(v) + 6).padStart(6, '0')}`);
  });

  it('hostile: when the tries run out on taken numbers, the call is refused (503 upstream) and nothing is stored', async () => {
    const [{ v }] = await t.ds.query(`SELECT nextval('call_number_seq')::bigint AS v`);
    const { writer } = counted();
    await writer.write(callRowAt(11, `C-${String(Number(v) + 1).padStart(6, '0')}`));
    const [{ before }] = await t.ds.query(`SELECT count(*)::int AS before FROM call`);
    const once = new CallBatchWriter((sql, params) => t.ds.query(sql, params), (ids) => queues.addIntakes(ids.map((callId) => ({ callId }))), { numberTries: 1 });
    await expect(once.write(callRowAt(12, null))).rejects.toBeInstanceOf(NoFreeCallNumber);
    const [{ after }] = await t.ds.query(`SELECT count(*)::int AS after FROM call`);
    expect(after).toBe(before);
  });
});
