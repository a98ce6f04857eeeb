import { RequestMethod } from '@nestjs/common';

/** Where other agencies post CAP messages (XML bodies, not JSON). */
export const CAP_INBOX_PATH = '/api/alerts/received';

/** Content types accepted for a posted CAP message. */
export const CAP_XML_TYPES = ['application/cap+xml', 'application/xml', 'text/xml'];

/** Whether a request is a CAP message posted to the inbox as XML (the one non-JSON body the API takes). */
export function isCapXmlPost(url: string | undefined, contentType: string): boolean {
  return (url ?? '').split('?')[0] === CAP_INBOX_PATH && CAP_XML_TYPES.some((t) => contentType.toLowerCase().startsWith(t));
}

/** The public alert routes, served outside the `/api` prefix (no sign-in): `/public/alerts.atom`, `.json`, `/public/alerts/<id>.cap`. */
export const PUBLIC_ALERT_ROUTES = [
  { path: 'public/alerts.atom', method: RequestMethod.GET },
  { path: 'public/alerts.json', method: RequestMethod.GET },
  { path: 'public/alerts/:file', method: RequestMethod.GET },
];
