/**
 * `npm run lifelines:scenarios`: generates the benchmark's leak scenarios on the Hanoi network (the
 * fixed configuration `SCENARIO_CONFIG`) and writes each one's sensor series (metres per 30-minute step)
 * with its ground truth beside it, to `.cad/lifelines-scenarios/scenario-<n>.json` (or the folder given
 * as the first argument). The scores themselves come from `npm run bench:lifelines`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../apps/api/src/config/config';
import { Hydraulics } from '../apps/api/src/lifelines/hydraulics';
import { readLifelinesFile } from '../apps/api/src/lifelines/lifelines-file';
import { runScenarios, SCENARIO_CONFIG } from '../apps/api/src/lifelines/scenarios';

async function main(): Promise<void> {
  const config = loadConfig();
  const out = path.resolve(process.argv[2] ?? '.cad/lifelines-scenarios');
  fs.mkdirSync(out, { recursive: true });
  const spec = readLifelinesFile(config.LIFELINES_FILE).networks.find((n) => n.id === 'hanoi');
  if (!spec?.inpFile) throw new Error(`${config.LIFELINES_FILE} lists no hanoi water network`);
  const h = await Hydraulics.load(fs.readFileSync(path.resolve(config.LIFELINES_DIR, spec.inpFile), 'utf8'));
  runScenarios(h, spec, SCENARIO_CONFIG, (truth, series) => {
    const sensors = spec.sensors.filter((s) => s.quantity === 'pressure').map((s) => ({ id: s.id, node: s.node, unit: 'm' }));
    fs.writeFileSync(path.join(out, `scenario-${truth.index}.json`), JSON.stringify({ config: SCENARIO_CONFIG, truth, stepSeconds: SCENARIO_CONFIG.stepMinutes * 60, sensors, series }));
  });
  console.log(`${SCENARIO_CONFIG.scenarios} scenarios written to ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
