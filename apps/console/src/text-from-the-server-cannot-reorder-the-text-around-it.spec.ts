import { balanceBidi, bdi, isolatedHtml, isolateText } from './format';
import { describeEvent } from './panel/detail';
import { anEvent } from './testing/views';

const RLO = '\u202E';
const LRE = '\u202A';
const PDF = '\u202C';
const RLI = '\u2067';
const PDI = '\u2069';

/** Whether every embedding/override closes before its isolate or the end, and every isolate closes (per line). */
function balanced(text: string): boolean {
  for (const line of text.split('\n')) {
    const open: string[] = [];
    for (const ch of line) {
      if ('\u202A\u202B\u202D\u202E'.includes(ch)) open.push('E');
      else if ('\u2066\u2067\u2068'.includes(ch)) open.push('I');
      else if (ch === PDF) {
        if (open.pop() !== 'E') return false;
      } else if (ch === PDI) {
        if (open.pop() !== 'I') return false;
      }
    }
    if (open.length) return false;
  }
  return true;
}

describe('text from the server shown in the console', () => {
  it('keeps plain text and balanced controls as they are', () => {
    expect(balanceBidi('Columbus Ave & Union St')).toBe('Columbus Ave & Union St');
    expect(balanceBidi(`${RLI}שלום${PDI} St`)).toBe(`${RLI}שלום${PDI} St`);
    expect(balanceBidi(`a${LRE}b${PDF}c`)).toBe(`a${LRE}b${PDF}c`);
  });

  it('closes an override left open at the end of the string', () => {
    expect(balanceBidi(`Medical ${RLO}Incident`)).toBe(`Medical ${RLO}Incident${PDF}`);
    expect(balanced(balanceBidi(`Medical ${RLO}Incident`))).toBe(true);
  });

  it('drops a closing control with nothing of its own to close (it would end the isolate it is shown in)', () => {
    expect(balanceBidi(`${PDI}${RLO}evil`)).toBe(`${RLO}evil${PDF}`);
    expect(balanceBidi(`x${PDF}y`)).toBe('xy');
    // A PDI closes its isolate and the embeddings opened inside it, not an embedding opened before it.
    expect(balanceBidi(`${RLI}a${RLO}b${PDI}c`)).toBe(`${RLI}a${RLO}b${PDI}c`);
    expect(balanced(balanceBidi(`${LRE}a${PDI}b`))).toBe(true);
  });

  it('closes what a line leaves open before the next line', () => {
    expect(balanceBidi(`note one ${RLO}\n${PDI}note two`)).toBe(`note one ${RLO}${PDF}\nnote two`);
  });

  it('shows a value escaped in its own bdi, and as isolated plain text for messages', () => {
    expect(bdi(`<b>${RLO}x`)).toBe(`<bdi>&lt;b&gt;${RLO}x${PDF}</bdi>`);
    expect(isolateText(`${RLO}x`)).toBe(`\u2068${RLO}x${PDF}${PDI}`);
    expect(isolatedHtml`Call ${`1${RLO}23`} linked (${5} m away) & more`).toBe(`Call <bdi>1${RLO}23${PDF}</bdi> linked (<bdi>5</bdi> m away) &amp; more`);
  });

  it('isolates each value of a timeline line, so a reason cannot reverse the words after it', () => {
    const ev = anEvent(12, 'incident.escalated', { fromTier: 'street', toTier: 'district', reason: `manual${RLO}`, detail: `<script>${PDI}` });
    const html = describeEvent(ev, new Map());
    expect(html).toBe(
      `Escalated <bdi>street</bdi> → <bdi>district</bdi>: <bdi>manual${RLO}${PDF}</bdi> — <bdi>&lt;script&gt;</bdi>`,
    );
    expect(html.replace(/<\/?bdi>/g, '')).toBe(`Escalated street → district: manual${RLO}${PDF} — &lt;script&gt;`);
  });

  it('says the hospital chosen in plain words, its name escaped and isolated (never "assignment hospital")', () => {
    const ev = anEvent(13, 'assignment.hospital', { assignmentId: 'a1', unitId: 'RE1', hospital: { name: `<b>St Mary${RLO}`, lat: 37.8, lon: -122.4 }, chosenBy: 'commander' }, { at: '2026-11-29T17:05:00Z', unitId: 'RE1' });
    expect(describeEvent(ev, new Map())).toBe(`<bdi>RE1</bdi> transports to <bdi>&lt;b&gt;St Mary${RLO}${PDF}</bdi>`);
    expect(describeEvent(anEvent(14, 'incident.par', { incidentId: 'i1', units: ['RE1'] }), new Map())).toBe('PAR done: personnel accounted for');
  });
});
