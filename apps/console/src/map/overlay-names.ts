/**
 * A map overlay named in the layer control in the locale shown, and renamed when the locale changes
 * (a name given once, at start, stays in the language of that moment).
 */
import type { Control, Layer } from 'leaflet';
import { onLocaleChange, t } from '../i18n';

/**
 * Adds `layer` to the layer `control` under the message `key`, and renames it on every change of
 * locale (the layer keeps its shown or hidden state). Layers named this way keep their order.
 */
export function addNamedOverlay(control: Pick<Control.Layers, 'addOverlay' | 'removeLayer'>, layer: Layer, key: string): void {
  control.addOverlay(layer, t(key));
  onLocaleChange(() => {
    control.removeLayer(layer);
    control.addOverlay(layer, t(key));
  });
}
