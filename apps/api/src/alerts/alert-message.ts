import { CapAlert, CapArea, CapInfo, capTime } from './cap/cap-message';
import type { AlertDraftDto } from './dto/alert-draft.dto';

/** A draft as stored: what the author wrote plus the area resolved to CAP polygons or circles. */
export interface StoredDraft extends AlertDraftDto {
  resolvedArea: CapArea;
}

/** Words added to a cancellation, by language (first subtag); English when the language is not here. */
export const CANCEL_TEXT: Record<string, { prefix: string; description: string }> = {
  en: { prefix: 'Cancelled: ', description: 'This alert has been cancelled. The danger it described is over or the alert was sent in error.' },
  zh: { prefix: '已取消：', description: '此警报已取消。所述危险已经结束，或该警报系误发。' },
};

/** What the message says about itself besides the draft. */
export interface MessageHeader {
  identifier: string;
  sender: string;
  senderName: string;
  sent: Date;
  msgType: 'Alert' | 'Update' | 'Cancel';
  references?: string;
  incidentId?: string | null;
  /** For a Cancel: why, shown with the cancellation. */
  reason?: string;
}

/**
 * A commander's draft as a CAP 1.2 message: one `info` per language, each with the draft's category,
 * event, urgency, severity, certainty, times (`effective` defaults to `sent`) and the resolved area;
 * `scope` Public. A Cancel keeps the area and says so in each language, with `responseType` AllClear.
 */
export function draftToCap(d: StoredDraft, h: MessageHeader): CapAlert {
  const sent = capTime(h.sent);
  const infos: CapInfo[] = d.infos.map((t) => {
    const cancel = h.msgType === 'Cancel' ? (CANCEL_TEXT[t.language.slice(0, 2).toLowerCase()] ?? CANCEL_TEXT.en) : null;
    return {
      language: t.language,
      category: [d.category],
      event: t.event ?? d.event,
      responseType: [cancel ? 'AllClear' : d.responseType],
      urgency: d.urgency,
      severity: d.severity,
      certainty: d.certainty,
      effective: d.effective && !cancel ? capTime(d.effective) : sent,
      // A cancellation stays readable for at least an hour, even for an alert that already expired.
      expires: capTime(cancel ? new Date(Math.max(Date.parse(d.expires), h.sent.getTime() + 3600_000)) : d.expires),
      senderName: h.senderName,
      headline: cancel ? `${cancel.prefix}${t.headline}`.slice(0, 160) : t.headline,
      description: cancel ? [cancel.description, h.reason].filter(Boolean).join(' ') : t.description,
      instruction: cancel ? undefined : t.instruction,
      areas: [d.resolvedArea],
    };
  });
  return {
    identifier: h.identifier,
    sender: h.sender,
    sent,
    status: d.status,
    msgType: h.msgType,
    source: 'city-cad',
    scope: 'Public',
    note: d.status === 'Exercise' ? 'Exercise: a drill alert, not a real emergency' : undefined,
    references: h.references,
    incidents: h.incidentId ?? undefined,
    infos,
  };
}
