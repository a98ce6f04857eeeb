import { readFileSync } from 'node:fs';

/**
 * Call-taking questions per call type (issue 26): configurable data, not a licensed protocol. A set is a
 * list of questions, each with a stable `id` and its text per locale (`en` required). Answers are kept
 * on the call (`call_answer`); asking never holds dispatch: the call is dispatched when it is posted,
 * whatever is answered after.
 */
export interface CallTakingQuestion {
  /** Stable id (`conscious`, `people-inside`): letters, digits and `-`. */
  id: string;
  /** The question per locale code; `en` is required. */
  text: Record<string, string>;
}

/** Question sets by call type (the type as calls carry it, e.g. `Medical Incident`); `*` applies to every other type. */
export type CallTakingSets = Record<string, CallTakingQuestion[]>;

/** The sets used when `CALL_TAKING_FILE` is not set: a few plain questions for the commonest SF call types. */
export const DEFAULT_CALL_TAKING: CallTakingSets = {
  'Medical Incident': [
    { id: 'conscious', text: { en: 'Is the patient conscious?', 'zh-CN': '患者是否清醒？' } },
    { id: 'breathing', text: { en: 'Is the patient breathing normally?', 'zh-CN': '患者呼吸是否正常？' } },
    { id: 'age', text: { en: 'How old is the patient (about)?', 'zh-CN': '患者大约多大年纪？' } },
  ],
  'Structure Fire': [
    { id: 'people-inside', text: { en: 'Is anyone still inside?', 'zh-CN': '里面是否还有人？' } },
    { id: 'floor', text: { en: 'Which floor is burning?', 'zh-CN': '哪一层着火？' } },
  ],
  'Traffic Collision': [
    { id: 'injured', text: { en: 'How many people are hurt?', 'zh-CN': '有几人受伤？' } },
    { id: 'trapped', text: { en: 'Is anyone trapped in a vehicle?', 'zh-CN': '是否有人被困在车内？' } },
  ],
  '*': [{ id: 'safe', text: { en: 'Is the caller in a safe place?', 'zh-CN': '报警人是否处于安全位置？' } }],
};

const QUESTION_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/;

/**
 * Checks question sets read from JSON.
 * @throws Error naming the call type and question that is malformed (not a list, no `id`, a repeated id, no `en` text)
 */
export function validateCallTaking(raw: unknown, source: string): CallTakingSets {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${source}: must be an object of call type → questions`);
  for (const [type, list] of Object.entries(raw as Record<string, unknown>)) {
    if (!Array.isArray(list)) throw new Error(`${source}: "${type}" must be a list of questions`);
    const seen = new Set<string>();
    for (const [i, q] of list.entries()) {
      const { id, text } = (q ?? {}) as { id?: unknown; text?: Record<string, unknown> };
      if (typeof id !== 'string' || !QUESTION_ID.test(id)) throw new Error(`${source}: "${type}" question ${i + 1} needs an id (letters, digits and -)`);
      if (seen.has(id)) throw new Error(`${source}: "${type}" repeats question id "${id}"`);
      seen.add(id);
      if (!text || typeof text !== 'object' || typeof text.en !== 'string' || !text.en.trim()) throw new Error(`${source}: "${type}" question "${id}" needs text.en`);
    }
  }
  return raw as CallTakingSets;
}

/**
 * The question sets: `CALL_TAKING_FILE` (a JSON file of {@link CallTakingSets}) when set, else {@link DEFAULT_CALL_TAKING}.
 * @throws Error naming the file when it cannot be read or is malformed
 */
export function loadCallTaking(file: string | undefined): CallTakingSets {
  if (!file) return DEFAULT_CALL_TAKING;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`CALL_TAKING_FILE ${file}: ${(e as Error).message}`);
  }
  return validateCallTaking(raw, `CALL_TAKING_FILE ${file}`);
}

/** The questions for a call type: its own set, else the `*` set, else none. */
export function questionsFor(sets: CallTakingSets, type: string): CallTakingQuestion[] {
  return sets[type] ?? sets['*'] ?? [];
}
