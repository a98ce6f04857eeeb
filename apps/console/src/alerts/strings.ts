/**
 * The public alert page's words, English and Chinese (the page stands alone, without the console's
 * locale files). The dispatcher panel's words are the console's `alertsPanel.*` messages (libs/i18n).
 */

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
