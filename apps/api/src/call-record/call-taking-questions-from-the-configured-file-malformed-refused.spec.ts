import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CALL_TAKING, loadCallTaking, questionsFor } from './call-taking';

/** Call-taking question sets: read from CALL_TAKING_FILE as configured, a malformed file refused naming what is wrong. */
describe('call-taking questions from the configured file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'call-taking-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('uses the built-in sets when no file is configured, the * set for other types', () => {
    expect(loadCallTaking(undefined)).toBe(DEFAULT_CALL_TAKING);
    expect(questionsFor(DEFAULT_CALL_TAKING, 'Structure Fire').map((q) => q.id)).toEqual(['people-inside', 'floor']);
    expect(questionsFor(DEFAULT_CALL_TAKING, 'Elevator / Escalator Rescue').map((q) => q.id)).toEqual(['safe']);
    expect(questionsFor({}, 'Structure Fire')).toEqual([]);
  });

  it('reads a city\'s own file', () => {
    const sets = loadCallTaking(file('ok.json', JSON.stringify({ 'Water Rescue': [{ id: 'in-water', text: { en: 'Is someone in the water?', fr: 'Quelqu\'un est-il dans l\'eau ?' } }] })));
    expect(questionsFor(sets, 'Water Rescue')).toEqual([{ id: 'in-water', text: { en: 'Is someone in the water?', fr: 'Quelqu\'un est-il dans l\'eau ?' } }]);
    expect(questionsFor(sets, 'Medical Incident')).toEqual([]);
  });

  it.each([
    ['missing.json', null, /CALL_TAKING_FILE .*missing\.json/],
    ['broken.json', '{"Medical Incident": [', /CALL_TAKING_FILE .*broken\.json/],
    ['list.json', '[]', /must be an object/],
    ['not-list.json', '{"Medical Incident": {"id": "x"}}', /"Medical Incident" must be a list/],
    ['no-id.json', '{"Medical Incident": [{"text": {"en": "Awake?"}}]}', /question 1 needs an id/],
    ['bad-id.json', '{"Medical Incident": [{"id": "is awake?", "text": {"en": "Awake?"}}]}', /question 1 needs an id/],
    ['repeat.json', '{"Medical Incident": [{"id": "a", "text": {"en": "A?"}}, {"id": "a", "text": {"en": "B?"}}]}', /repeats question id "a"/],
    ['no-en.json', '{"Medical Incident": [{"id": "a", "text": {"zh-CN": "清醒？"}}]}', /question "a" needs text.en/],
  ])('refuses %s naming what is wrong', (name, text, message) => {
    const p = text === null ? join(dir, name) : file(name, text);
    expect(() => loadCallTaking(p)).toThrow(message);
  });
});
