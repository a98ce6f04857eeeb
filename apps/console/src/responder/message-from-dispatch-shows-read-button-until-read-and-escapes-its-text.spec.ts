import { messagesHtml } from './messages';
import type { UnitMessageView } from '@cad/domain/unit-messages';

const message = (over: Partial<UnitMessageView>): UnitMessageView => ({
  id: '1',
  unitId: 'E05',
  incidentId: null,
  text: 'Use the north gate',
  sentBy: 'dispatcher1',
  sentAt: '2026-01-01T10:00:00.000Z',
  deliveredAt: null,
  readAt: null,
  state: 'sent',
  ...over,
});

describe('messages from dispatch on the responder page', () => {
  it('offers Read on a message not yet read, and none once read', () => {
    const html = messagesHtml([message({ id: '1', state: 'delivered', deliveredAt: '2026-01-01T10:00:01.000Z' }), message({ id: '2', state: 'read', readAt: '2026-01-01T10:01:00.000Z' })]);
    expect(html).toContain('data-read-message="1"');
    expect(html).not.toContain('data-read-message="2"');
    expect(html).toContain('Use the north gate');
  });

  it('shows nothing when there are no messages, and escapes what the dispatcher typed', () => {
    expect(messagesHtml([])).toBe('');
    const html = messagesHtml([message({ text: '<img src=x onerror=alert(1)>' })]);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img');
  });
});
