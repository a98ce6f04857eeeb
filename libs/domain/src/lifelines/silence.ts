/** One sensor as the silence check sees it. */
export interface SensorHeard {
  /** The sensor's key (e.g. `<network>/<sensor>/<quantity>`). */
  key: string;
  /** Its reporting period, seconds (from the lifelines file). */
  periodS: number;
  /** Measurement instant of its newest accepted reading, epoch seconds; null when none arrived yet. */
  lastT: number | null;
}

/** A sensor found silent. */
export interface SilentSensor {
  key: string;
  /** Seconds since its newest reading (or since watching began, when it never reported). */
  silentForS: number;
  /** The limit it passed: `multiple × periodS`, seconds. */
  limitS: number;
}

/**
 * Sensors that stopped reporting: those whose newest reading was measured more than `multiple`
 * reporting periods before `nowS` (a sensor that never reported counts from `watchingSinceS`, so a
 * restart gives every sensor the same grace). A reading that is late but within the limit is not
 * silence. The multiple is the city's choice (`LIFELINES_SILENT_AFTER_PERIODS`, default 3): one lost
 * message (QoS 0 on a radio hop, a gateway reboot) should not page a crew; three in a row should.
 * @param sensors the listed sensors with their newest reading
 * @param nowS the present, epoch seconds
 * @param multiple how many periods of silence make a sensor silent, >= 1
 * @param watchingSinceS when this process began listening, epoch seconds
 * @throws RangeError when `multiple` is below 1 or not finite
 */
export function silentSensors(sensors: readonly SensorHeard[], nowS: number, multiple: number, watchingSinceS: number): SilentSensor[] {
  if (!Number.isFinite(multiple) || multiple < 1) throw new RangeError(`multiple must be a number >= 1, got ${String(multiple)}`);
  const out: SilentSensor[] = [];
  for (const s of sensors) {
    const limitS = multiple * s.periodS;
    const silentForS = nowS - (s.lastT ?? watchingSinceS);
    if (silentForS > limitS) out.push({ key: s.key, silentForS, limitS });
  }
  return out;
}
