import { planeToWgs84, scaleFromPipeLengths } from '@cad/domain';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../config/config';
import { Hydraulics } from './hydraulics';
import { readLifelinesFile } from './lifelines-file';

describe('the lifelines file', () => {
  const config = loadConfig({});
  const file = readLifelinesFile(config.LIFELINES_FILE);
  const hanoi = file.networks.find((n) => n.id === 'hanoi')!;

  it('places the Hanoi network at the scale its pipe lengths give, inside San Francisco, and says it is a stand-in', async () => {
    const h = await Hydraulics.load(fs.readFileSync(path.resolve(config.LIFELINES_DIR, hanoi.inpFile!), 'utf8'));
    expect(h.junctions).toHaveLength(31);
    expect(h.pipes).toHaveLength(34);
    const scale = scaleFromPipeLengths(
      h.pipes.map(([, a, b, len]) => [a, b, len]),
      h.coordinates,
    );
    expect(Math.abs(scale / hanoi.georeference.metresPerUnit - 1)).toBeLessThan(1e-5);
    for (const [, [x, y]] of h.coordinates) {
      const p = planeToWgs84(hanoi.georeference, x, y);
      expect(p.lat).toBeGreaterThan(37.708);
      expect(p.lat).toBeLessThan(37.81);
      expect(p.lon).toBeGreaterThan(-122.51);
      expect(p.lon).toBeLessThan(-122.36);
    }
    expect(hanoi.standIn).toBe(true);
    expect(hanoi.name).toMatch(/stand-in/);
    // Every listed sensor sits on a junction of the model.
    for (const s of hanoi.sensors) expect(h.junctions).toContain(s.node);
  });

  it('refuses a file with a repeated sensor, a pattern short of 24 hours, or no file at all, naming the field', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cad-lifelines-'));
    const write = (doc: unknown) => {
      const f = path.join(dir, `f${Math.random().toString(36).slice(2)}.json`);
      fs.writeFileSync(f, JSON.stringify(doc));
      return f;
    };
    const twice = { networks: [{ ...hanoi, sensors: [hanoi.sensors[0], hanoi.sensors[0]] }] };
    expect(() => readLifelinesFile(write(twice))).toThrow(/networks\[0\]\.sensors\[1\]\.id/);
    const short = { networks: [{ ...hanoi, demandPattern: { ...hanoi.demandPattern, multipliers: [1, 1] } }] };
    expect(() => readLifelinesFile(write(short))).toThrow(/networks\[0\]\.demandPattern/);
    expect(() => readLifelinesFile(path.join(dir, 'none.json'))).toThrow(/LIFELINES_FILE/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
