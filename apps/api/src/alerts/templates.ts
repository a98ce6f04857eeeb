import type { AlertDraftDto } from './dto/alert-draft.dto';

/** Words of a template in one language. */
export interface TemplateText {
  headline: string;
  description: string;
  instruction: string;
  event: string;
}

/**
 * A template for a common threat: it fills the CAP fields and the words in English and Chinese; the
 * author edits them and draws or picks the area. `hours`: how long until the alert expires.
 */
export interface AlertTemplate {
  id: string;
  category: string;
  event: string;
  responseType: string;
  urgency: string;
  severity: string;
  certainty: string;
  hours: number;
  text: Record<string, TemplateText>;
}

/**
 * The templates offered when writing an alert. Instructions follow FEMA's IPAWS message guidance (who,
 * what, where, when, what to do; short sentences). Chinese is Simplified (`zh-CN`), San Francisco's
 * second most spoken language.
 */
export const ALERT_TEMPLATES: AlertTemplate[] = [
  {
    id: 'gas-leak-evacuation',
    category: 'CBRNE',
    event: 'Gas leak',
    responseType: 'Evacuate',
    urgency: 'Immediate',
    severity: 'Severe',
    certainty: 'Observed',
    hours: 4,
    text: {
      'en-US': {
        event: 'Gas leak',
        headline: 'Gas leak: evacuate the area now',
        description: 'A natural gas leak has been found. Fire crews and the gas utility are working to stop it.',
        instruction: 'Leave the area now on foot. Do not use light switches, phones or engines inside the area. Do not return until told it is safe.',
      },
      'zh-CN': {
        event: '燃气泄漏',
        headline: '燃气泄漏：请立即撤离该区域',
        description: '发现天然气泄漏。消防人员和燃气公司正在处理。',
        instruction: '请立即步行离开该区域。在该区域内不要使用电灯开关、电话或发动车辆。在接到安全通知前请勿返回。',
      },
    },
  },
  {
    id: 'water-main-break',
    category: 'Infra',
    event: 'Water main break',
    responseType: 'Avoid',
    urgency: 'Expected',
    severity: 'Moderate',
    certainty: 'Observed',
    hours: 12,
    text: {
      'en-US': {
        event: 'Water main break',
        headline: 'Water main break: avoid the area, water may be off',
        description: 'A water main has broken. Streets may be flooded and water service may be cut off.',
        instruction: 'Avoid the area. Do not drive through standing water. Boil tap water for one minute before drinking until further notice.',
      },
      'zh-CN': {
        event: '供水主管破裂',
        headline: '供水主管破裂：请避开该区域，可能停水',
        description: '一条供水主管破裂。街道可能积水，供水可能中断。',
        instruction: '请避开该区域。不要驾车穿过积水。在另行通知前，自来水须煮沸一分钟后再饮用。',
      },
    },
  },
  {
    id: 'flood',
    category: 'Met',
    event: 'Flood',
    responseType: 'Evacuate',
    urgency: 'Immediate',
    severity: 'Severe',
    certainty: 'Likely',
    hours: 12,
    text: {
      'en-US': {
        event: 'Flood',
        headline: 'Flood warning: move to higher ground',
        description: 'Flooding is happening or about to happen in this area.',
        instruction: 'Move to higher ground now. Do not walk or drive through flood water. Turn around, do not drown.',
      },
      'zh-CN': {
        event: '洪水',
        headline: '洪水警报：请转移到高处',
        description: '该区域正在发生或即将发生洪水。',
        instruction: '请立即转移到高处。不要步行或驾车穿过洪水。',
      },
    },
  },
  {
    id: 'fire-smoke',
    category: 'Fire',
    event: 'Fire smoke',
    responseType: 'Shelter',
    urgency: 'Immediate',
    severity: 'Moderate',
    certainty: 'Observed',
    hours: 6,
    text: {
      'en-US': {
        event: 'Fire smoke',
        headline: 'Heavy smoke from a fire: stay indoors',
        description: 'A large fire is producing heavy smoke that is drifting over this area.',
        instruction: 'Stay indoors. Close windows and doors and turn off ventilation that brings in outside air. People with breathing problems should limit activity.',
      },
      'zh-CN': {
        event: '火灾烟雾',
        headline: '火灾产生浓烟：请留在室内',
        description: '一场大火产生的浓烟正飘向该区域。',
        instruction: '请留在室内。关闭门窗，关掉引入室外空气的通风设备。有呼吸问题的人应减少活动。',
      },
    },
  },
  {
    id: 'shelter-in-place',
    category: 'Safety',
    event: 'Shelter in place',
    responseType: 'Shelter',
    urgency: 'Immediate',
    severity: 'Severe',
    certainty: 'Likely',
    hours: 3,
    text: {
      'en-US': {
        event: 'Shelter in place',
        headline: 'Shelter in place now',
        description: 'There is a danger outdoors in this area.',
        instruction: 'Go inside the nearest building now and stay there. Close windows and doors. Stay tuned for updates.',
      },
      'zh-CN': {
        event: '就地避险',
        headline: '请立即就地避险',
        description: '该区域室外存在危险。',
        instruction: '请立即进入最近的建筑物并留在室内。关闭门窗。请留意后续通知。',
      },
    },
  },
];

/**
 * A draft filled from a template (as the console does): its CAP fields, its words in every language it
 * has, expiring `hours` after `now`, over the given area (`{ jurisdictionId }`, `{ polygon }` or `{ circle }`).
 */
export function draftFromTemplate(templateId: string, status: 'Actual' | 'Exercise', area: AlertDraftDto['area'], now = Date.now()): AlertDraftDto {
  const t = ALERT_TEMPLATES.find((x) => x.id === templateId);
  if (!t) throw new Error(`no alert template ${templateId}`);
  return {
    status,
    template: t.id,
    category: t.category,
    event: t.event,
    responseType: t.responseType,
    urgency: t.urgency,
    severity: t.severity,
    certainty: t.certainty,
    expires: new Date(now + t.hours * 3600_000).toISOString(),
    area,
    infos: Object.entries(t.text).map(([language, x]) => ({ language, ...x })),
  };
}
