import zh from '@cad/i18n/locales/zh-CN.json';
import { cadState, offlineBannerText, readinessProbe } from './offline-banner';

describe('the CAD OFFLINE banner', () => {
  it('says CAD OFFLINE when readiness does not answer (the API is down) or the socket is reconnecting', () => {
    expect(cadState(null, 'live')).toEqual({ kind: 'offline' });
    expect(cadState({ status: 200, down: [] }, 'reconnecting')).toEqual({ kind: 'offline' });
    expect(cadState(readinessProbe(502, null), 'live')).toEqual({ kind: 'offline' }); // a proxy's page answering for a dead API
    expect(cadState({ timedOut: true }, 'reconnecting', { kind: 'live' })).toEqual({ kind: 'offline' });
    expect(offlineBannerText({ kind: 'offline' })).toBe('CAD OFFLINE — take calls on this console; they are kept and sent when the system is back');
  });

  it('says DEGRADED naming the database when readiness answers 503 with postgres down, even with the socket live', () => {
    const state = cadState({ status: 503, down: ['postgres'] }, 'live');
    expect(state).toEqual({ kind: 'degraded', down: ['postgres'] });
    expect(offlineBannerText(state)).toContain('CAD DEGRADED — database unreachable');
  });

  it('never says OFFLINE while the API itself answers: its own 503 without names, or a slow readiness with the socket live', () => {
    // The API's own 503 (a dependency away while it served the request) is the API answering.
    const own = readinessProbe(503, { statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: 'a dependency is unavailable: Connection terminated' });
    expect(cadState(own, 'live')).toEqual({ kind: 'degraded', down: ['dependency'] });
    expect(offlineBannerText(cadState(own, 'live'))).toBe('CAD DEGRADED — a service CAD depends on unreachable: take calls on this console; they are kept and sent when the system is back');
    expect(readinessProbe(503, { status: 'unavailable', down: ['postgres', 7] })).toEqual({ status: 503, down: ['postgres'] });
    // Readiness slow (the API loaded, or its database away), the socket live: the state shown stays.
    const degraded = { kind: 'degraded' as const, down: ['postgres'] };
    expect(cadState({ timedOut: true }, 'live', degraded, 1)).toEqual(degraded);
    expect(cadState({ timedOut: true }, 'live', { kind: 'live' }, 2)).toEqual({ kind: 'live' });
    expect(cadState({ timedOut: true }, 'connecting', { kind: 'live' }, 1)).toEqual({ kind: 'live' });
    // Hostile twins: the socket gone as well, or readiness hanging past two timeouts: the API is not answering.
    expect(cadState({ timedOut: true }, 'reconnecting', degraded, 1)).toEqual({ kind: 'offline' });
    expect(cadState({ timedOut: true }, 'live', degraded, 3)).toEqual({ kind: 'offline' });
    expect(readinessProbe(502, '<html>Bad Gateway</html>')).toBeNull();
    expect(readinessProbe(502, { error: 'upstream' })).toBeNull();
  });

  it('clears when readiness answers and the socket is live, and is not raised by the first connection', () => {
    expect(offlineBannerText(cadState({ status: 200, down: [] }, 'live'))).toBeNull();
    expect(offlineBannerText(cadState({ status: 200, down: [] }, 'connecting'))).toBeNull();
  });

  it('has its Chinese text beside the English', () => {
    expect(zh.offline.banner).toMatch(/^CAD 离线/);
    expect(zh.offline.database).toBe('数据库');
  });
});
