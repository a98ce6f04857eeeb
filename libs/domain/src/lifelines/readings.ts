/**
 * Sensor readings as they arrive over MQTT: the topic scheme and the JSON payload, validated.
 *
 * Topic: `<prefix>/<network>/<sensor>/<quantity>`, each segment `[A-Za-z0-9_-]{1,64}`; quantity one of
 * {@link QUANTITIES}. Payload: `{"t": ISO-8601 instant or epoch seconds, "value": number, "unit": string,
 * "seq"?: non-negative integer}`.
 */

/** Quantities a lifeline sensor reports, with the one unit accepted and the physical range. */
export const QUANTITIES = {
  /** Water pressure head at a junction, metres of water (0–200 m covers any distribution network). */
  pressure: { unit: 'm', min: -10, max: 200 },
  /** Flow in a pipe, cubic metres per hour (either direction). */
  flow: { unit: 'm3/h', min: -100000, max: 100000 },
  /** Gas pressure, kPa gauge (distribution: up to ~700 kPa; transmission above is out of scope). */
  gas_pressure: { unit: 'kPa', min: 0, max: 1000 },
} as const;

export type Quantity = keyof typeof QUANTITIES;

/** A validated reading. */
export interface Reading {
  network: string;
  sensor: string;
  quantity: Quantity;
  /** Measurement instant, epoch seconds (UTC). */
  t: number;
  value: number;
  unit: string;
  seq: number | null;
}

/** Why a message was refused: the field and what is wrong with it. */
export class ReadingRefused extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Parses and validates one MQTT message.
 * @param prefix the topic prefix (one or more segments, e.g. `city` or `test/abc`)
 * @param topic the message's topic
 * @param payload the raw payload bytes (UTF-8 JSON)
 * @param nowS the receiver's clock, epoch seconds: a reading more than 5 minutes in the future is refused
 * @throws ReadingRefused naming the field (`topic`, `payload`, `t`, `value`, `unit`, `seq`)
 */
export function parseReading(prefix: string, topic: string, payload: Buffer | string, nowS: number): Reading {
  if (!topic.startsWith(prefix + '/')) throw new ReadingRefused('topic', `does not start with ${prefix}/`);
  const parts = topic.slice(prefix.length + 1).split('/');
  if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) throw new ReadingRefused('topic', `must be ${prefix}/<network>/<sensor>/<quantity>`);
  const [network, sensor, q] = parts;
  if (!(q in QUANTITIES)) throw new ReadingRefused('topic', `unknown quantity ${q} (one of ${Object.keys(QUANTITIES).join(', ')})`);
  const quantity = q as Quantity;
  let body: unknown;
  try {
    body = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch {
    throw new ReadingRefused('payload', 'is not JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ReadingRefused('payload', 'must be a JSON object');
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) if (!['t', 'value', 'unit', 'seq'].includes(k)) throw new ReadingRefused(k, 'is not a known field (t, value, unit, seq)');
  let t: number;
  if (typeof b.t === 'number' && Number.isFinite(b.t)) t = b.t;
  else if (typeof b.t === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(b.t)) t = Date.parse(b.t) / 1000;
  else throw new ReadingRefused('t', 'must be an ISO-8601 instant with a zone or epoch seconds');
  if (!Number.isFinite(t) || t < 946684800) throw new ReadingRefused('t', 'is not a valid instant after 2000');
  if (t > nowS + 300) throw new ReadingRefused('t', 'is more than 5 minutes in the future (sensor clock?)');
  if (typeof b.value !== 'number' || !Number.isFinite(b.value)) throw new ReadingRefused('value', 'must be a finite number');
  const range = QUANTITIES[quantity];
  if (b.unit !== range.unit) throw new ReadingRefused('unit', `must be ${range.unit} for ${quantity}`);
  if (b.value < range.min || b.value > range.max) throw new ReadingRefused('value', `${b.value} ${range.unit} is outside the physical range [${range.min}, ${range.max}] for ${quantity}`);
  let seq: number | null = null;
  if (b.seq !== undefined) {
    if (typeof b.seq !== 'number' || !Number.isSafeInteger(b.seq) || b.seq < 0) throw new ReadingRefused('seq', 'must be a non-negative integer');
    seq = b.seq;
  }
  return {
    network,
    sensor,
    quantity,
    t,
    value: b.value,
    unit: range.unit,
    seq,
  };
}
