import { startTestApp, TestApp } from '../testing/test-app';

/**
 * A dispatcher takes a unit out of service (say, a mechanical fault): its crew cannot put it back
 * from the phone, dispatch can. A crew that took its own unit out can put it back. Unit ids in
 * paths are case-insensitive (responder accounts are the id in lower case).
 */
describe('a unit out of service', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('unit-oos');
  });
  afterAll(async () => {
    await t.close();
  });

  it('taken out by dispatch is put back by dispatch only; taken out by its crew, by its crew', async () => {
    const [{ id }] = await t.ds.query(`SELECT id FROM unit WHERE status = 'available' AND id LIKE 'E%' ORDER BY id LIMIT 1`);
    const crew = await t.signIn(id.toLowerCase());
    expect((await t.request('PATCH', `/api/units/${id.toLowerCase()}`, { status: 'out_of_service' })).body).toMatchObject({ id, status: 'out_of_service' });
    const [row] = await t.ds.query(`SELECT out_of_service_by FROM unit WHERE id = $1`, [id]);
    expect(row.out_of_service_by).toBe('commander');
    const refused = await t.request('PATCH', `/api/units/${id}`, { status: 'available' }, crew);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('commander');
    expect((await t.request('PATCH', `/api/units/${id}`, { status: 'available' })).status).toBe(200);

    expect((await t.request('PATCH', `/api/units/${id}`, { status: 'out_of_service' }, crew)).status).toBe(200);
    expect((await t.request('PATCH', `/api/units/${id}`, { status: 'available' }, crew)).body).toMatchObject({ status: 'available' });
    const [after] = await t.ds.query(`SELECT out_of_service_by FROM unit WHERE id = $1`, [id]);
    expect(after.out_of_service_by).toBeNull();
  });

  it('one the import took out (its station cannot be placed) is not put back by hand: 409 saying how to place its station; its crew gets 403', async () => {
    const [row] = await t.ds.query(`SELECT id FROM unit WHERE world = 'live' AND status = 'out_of_service' AND out_of_service_by = 'import:base-unknown' ORDER BY id LIMIT 1`);
    expect(row).toBeDefined();
    const refused = await t.request('PATCH', `/api/units/${row.id}`, { status: 'available' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('stations file');
    const crew = await t.signIn(row.id.toLowerCase());
    expect((await t.request('PATCH', `/api/units/${row.id}`, { status: 'available' }, crew)).status).toBe(403);
    const [after] = await t.ds.query(`SELECT status, out_of_service_by FROM unit WHERE world = 'live' AND id = $1`, [row.id]);
    expect(after).toEqual({ status: 'out_of_service', out_of_service_by: 'import:base-unknown' });
    // Taking it out of service again changes nothing, not even who took it out: it still cannot be put back.
    expect((await t.request('PATCH', `/api/units/${row.id}`, { status: 'out_of_service' })).body).toMatchObject({ id: row.id, status: 'out_of_service' });
    expect((await t.request('PATCH', `/api/units/${row.id}`, { status: 'available' })).status).toBe(409);
    const [still] = await t.ds.query(`SELECT out_of_service_by FROM unit WHERE world = 'live' AND id = $1`, [row.id]);
    expect(still.out_of_service_by).toBe('import:base-unknown');
  });

  it("a crew repeating out of service on a unit dispatch took out does not take the reason over: it still cannot put the unit back", async () => {
    const [{ id }] = await t.ds.query(`SELECT id FROM unit WHERE world = 'live' AND status = 'available' AND id LIKE 'E%' ORDER BY id DESC LIMIT 1`);
    const crew = await t.signIn(id.toLowerCase());
    expect((await t.request('PATCH', `/api/units/${id}`, { status: 'out_of_service' })).status).toBe(200);
    expect((await t.request('PATCH', `/api/units/${id}`, { status: 'out_of_service' }, crew)).status).toBe(200);
    const [row] = await t.ds.query(`SELECT out_of_service_by FROM unit WHERE world = 'live' AND id = $1`, [id]);
    expect(row.out_of_service_by).toBe('commander');
    expect((await t.request('PATCH', `/api/units/${id}`, { status: 'available' }, crew)).status).toBe(403);
    expect((await t.request('PATCH', `/api/units/${id}`, { status: 'available' })).status).toBe(200);
  });
});
