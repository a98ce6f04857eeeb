/** The alert endpoints the console and the public page use, with their answer shapes. */
import type { GeoJsonObject } from 'geojson';
import { request } from '../api';

/** One info block's words as stored (one per language). */
export interface AlertInfo {
  language: string;
  headline?: string;
  description?: string;
  instruction?: string;
  event?: string;
  severity?: string;
  urgency?: string;
}

/** An alert as `GET /api/alerts` answers it. */
export interface AlertRow {
  id: string;
  direction: 'issued' | 'received';
  state: string;
  status: string;
  msgType: string;
  sender: string;
  sent: string | null;
  infos: AlertInfo[];
  areaDesc: string;
  geometry: GeoJsonObject | null;
  expiresAt: string | null;
  author: string | null;
  approver: string | null;
}

/** A template as `GET /api/alerts/templates` answers it. */
export interface AlertTemplate {
  id: string;
  category: string;
  event: string;
  responseType: string;
  urgency: string;
  severity: string;
  certainty: string;
  hours: number;
  text: Record<string, { headline: string; description: string; instruction: string; event: string }>;
}

/** The public page's data (`GET /public/alerts.json`). */
export interface PublicAlerts {
  sender: string;
  city: GeoJsonObject | null;
  alerts: { id: string; msgType: string; sent: string; expires: string | null; areaDesc: string; geometry: GeoJsonObject | null; infos: AlertInfo[]; cap: string }[];
}

export const fetchAlerts = () => request<AlertRow[]>('GET', '/api/alerts');
export const fetchAlertTemplates = () => request<AlertTemplate[]>('GET', '/api/alerts/templates');
export const writeAlert = (body: unknown) => request<AlertRow>('POST', '/api/alerts', body);
export const approveAlert = (id: string) => request<AlertRow>('POST', `/api/alerts/${encodeURIComponent(id)}/approve`);
export const cancelAlert = (id: string) => request<AlertRow>('POST', `/api/alerts/${encodeURIComponent(id)}/cancel`, {});

/** The info block in `lang` (first subtag), else the first one. */
export function infoIn(infos: AlertInfo[], lang: string): AlertInfo {
  return infos.find((i) => i.language.toLowerCase().startsWith(lang.toLowerCase())) ?? infos[0] ?? { language: lang };
}
