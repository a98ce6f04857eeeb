import { readFileSync } from 'fs';
import { join } from 'path';

/**
 * What an independent tester saw: the phone's LOCATION CHANGED alert drew near-white text (238,243,248)
 * on cream `#fff7ed` (the box set a background but no text colour), in both colour schemes. Every box of
 * the responder and console style sheets with a light background now sets its own text colour, with a
 * contrast of at least 4.5:1 (WCAG 2.1 SC 1.4.3), and so do its muted lines.
 */

/** `#rgb` / `#rrggbb` to [r, g, b] 0..255. */
const rgb = (hex: string): number[] => {
  const h = hex.length === 4 ? hex.slice(1).replace(/./g, (c) => c + c) : hex.slice(1);
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
};
/** WCAG 2.1 relative luminance. */
const luminance = (hex: string) => {
  const [r, g, b] = rgb(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
/** WCAG 2.1 contrast ratio of two colours. */
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

/** The rules of a style sheet: selector and declarations. */
const rules = (file: string) =>
  [...readFileSync(join(__dirname, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{([^{}]*)\}/g)].map((m) => ({ selector: m[1].trim(), body: m[2] }));

describe('light boxes on the phone and console', () => {
  for (const file of ['responder.css', '../styles.css']) {
    it(`${file}: every rule with a light background sets a readable text colour`, () => {
      const light = rules(file)
        .map((r) => ({ ...r, bg: /background(?:-color)?:\s*(#[0-9a-f]{3,6})\b/i.exec(r.body)?.[1] }))
        .filter((r): r is { selector: string; body: string; bg: string } => !!r.bg && !r.selector.startsWith('@') && !/^\d+%$/.test(r.selector) && luminance(r.bg) > 0.5);
      for (const r of light) {
        const fg = /(?:^|;|\s)color:\s*(#[0-9a-f]{3,6})\b/i.exec(r.body)?.[1];
        expect({ selector: r.selector, fg: fg ?? 'none' }).toEqual({ selector: r.selector, fg: expect.stringMatching(/^#/) });
        expect(contrast(fg!, r.bg)).toBeGreaterThanOrEqual(4.5);
      }
    });
  }

  it('the LOCATION CHANGED alert is dark on cream, and its muted line too', () => {
    const all = rules('responder.css');
    const box = all.find((r) => r.selector === '.r-location-alert')!;
    const muted = all.find((r) => r.selector === '.r-location-alert .muted')!;
    const bg = /background:\s*(#[0-9a-f]{3,6})/i.exec(box.body)![1];
    expect(contrast(/(?:^|;|\s)color:\s*(#[0-9a-f]{3,6})/i.exec(box.body)![1], bg)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(/color:\s*(#[0-9a-f]{3,6})/i.exec(muted.body)![1], bg)).toBeGreaterThanOrEqual(4.5);
  });
});
