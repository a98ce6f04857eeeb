import { stallBannerHtml } from './stall-banner';

describe('the intake-stall banner', () => {
  it('names each stalled stage with its oldest wait and how many wait', () => {
    const html = stallBannerHtml({
      status: 'degraded',
      stalls: [
        { stage: 'intake', oldestSeconds: 95.4, waiting: 3 },
        { stage: 'dispatch', oldestSeconds: 61, waiting: 1 },
      ],
    });
    expect(html).toContain('<b>intake</b>: 3 calls not placed');
    expect(html).toContain('oldest 95 s');
    expect(html).toContain('<b>dispatch</b>: 1 incidents with no dispatch decision');
  });

  it('shows nothing when readiness is ok, unreachable, or degraded without stalls', () => {
    expect(stallBannerHtml({ status: 'ok', stalls: [] })).toBeNull();
    expect(stallBannerHtml(null)).toBeNull();
    expect(stallBannerHtml({ status: 'degraded' })).toBeNull();
  });

  it('escapes what the server sends', () => {
    const html = stallBannerHtml({ status: 'degraded', stalls: [{ stage: '<img src=x onerror=alert(1)>', oldestSeconds: 70, waiting: 1 }] });
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img');
  });
});
