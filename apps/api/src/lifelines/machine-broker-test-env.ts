/**
 * Test settings for a lifelines spec on the machine's broker (127.0.0.1:1883): the channel on, under a
 * topic prefix of the spec's own so the shared broker's other traffic never reaches it, with a short
 * session so a finished spec leaves nothing queued for long.
 * @param prefix the spec's topic prefix
 * @param extra further settings
 */
export function machineBrokerEnv(prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return { LIFELINES_ENABLED: 'true', MQTT_URL: 'mqtt://127.0.0.1:1883', MQTT_TOPIC_PREFIX: prefix, MQTT_SESSION_EXPIRY_S: '60', ...extra };
}
