/**
 * Every word the alert panel and the public alert page show, in one place so that they move into the
 * console's locale files as they are (`alerts.*` keys). The public page has English and Chinese; the
 * dispatcher panel English.
 */
export const ALERT_PANEL_TEXT = {
  button: 'Alerts',
  buttonTitle: 'Public alerts (CAP): write, approve, cancel; alerts received from other agencies',
  title: 'Public alerts',
  ours: 'Issued by the city',
  received: 'Received from other agencies',
  none: 'None.',
  write: 'Write an alert',
  template: 'Template',
  status: 'Status',
  statusActual: 'Actual (the public)',
  statusExercise: 'Exercise (drill, never public)',
  area: 'Area',
  areaJurisdiction: 'Jurisdiction',
  areaCircle: 'Circle around a point',
  areaPolygon: 'Drawn on the map',
  draw: 'Draw on the map',
  drawHint: 'Alert area: click its corners on the map, then Done.',
  drawDone: 'Done',
  drawCancel: 'Cancel',
  corners: (n: number) => `${n} corners drawn`,
  lat: 'Lat',
  lon: 'Lon',
  radius: 'Radius km',
  areaDesc: 'Place as residents know it',
  hours: 'Expires in hours',
  headline: 'Headline',
  description: 'Description',
  instruction: 'Instruction',
  english: 'English',
  chinese: 'Chinese',
  submit: 'Write (needs approval)',
  close: 'Close',
  approve: 'Approve and issue',
  cancel: 'Cancel alert',
  withdraw: 'Withdraw draft',
  written: 'Alert written: a second commander must approve it.',
  writtenExercise: 'Drill alert written: approve it to issue it.',
  issued: 'Alert issued to the public.',
  cancelled: 'Alert cancelled.',
  layer: 'CAP alerts',
  by: 'by',
  approvedBy: 'approved by',
  state: { pending: 'AWAITING APPROVAL', issued: 'ISSUED', superseded: 'SUPERSEDED', cancelled: 'CANCELLED', withdrawn: 'WITHDRAWN' } as Record<string, string>,
};

/** The public page's words, by language (`en`, `zh`). */
export const PUBLIC_ALERT_TEXT = {
  en: {
    title: 'Emergency alerts',
    none: 'There are no active alerts.',
    instruction: 'What to do',
    expires: 'Until',
    issued: 'Issued',
    update: 'Update',
    language: 'Language',
    feed: 'Atom feed',
    loadFailed: 'Alerts could not be loaded; retrying.',
  },
  zh: {
    title: '紧急警报',
    none: '目前没有生效的警报。',
    instruction: '应采取的行动',
    expires: '有效至',
    issued: '发布时间',
    update: '更新',
    language: '语言',
    feed: 'Atom 订阅',
    loadFailed: '无法加载警报，正在重试。',
  },
} as const;

export type PublicLanguage = keyof typeof PUBLIC_ALERT_TEXT;
