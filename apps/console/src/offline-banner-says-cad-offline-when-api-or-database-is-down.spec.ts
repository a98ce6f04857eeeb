import zh from '@cad/i18n/locales/zh-CN.json';
import { cadState, offlineBannerText } from './offline-banner';

describe('the CAD OFFLINE banner', () => {
  it('says CAD OFFLINE when readiness does not answer (the API is down) or the socket is reconnecting', () => {
    expect(cadState(null, 'live')).toEqual({ kind: 'offline' });
    expect(cadState({ status: 200, down: [] }, 'reconnecting')).toEqual({ kind: 'offline' });
    expect(cadState({ status: 502 }, 'live')).toEqual({ kind: 'offline' }); // a proxy answering for a dead API
    expect(offlineBannerText({ kind: 'offline' })).toBe('CAD OFFLINE — take calls on this console; they are kept and sent when the system is back');
  });

  it('says DEGRADED naming the database when readiness answers 503 with postgres down, even with the socket live', () => {
    const state = cadState({ status: 503, down: ['postgres'] }, 'live');
    expect(state).toEqual({ kind: 'degraded', down: ['postgres'] });
    expect(offlineBannerText(state)).toContain('CAD DEGRADED — database unreachable');
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
