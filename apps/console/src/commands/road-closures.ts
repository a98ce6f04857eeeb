/**
 * Road closures drawn on the map: C starts and stops drawing, map clicks add points, Enter saves the
 * line with a reason (`POST /api/road-closures`), a closure's popup lifts it.
 */
import { createRoadClosure, deleteRoadClosure, fetchRoadClosures } from '../api';
import { $, toast } from '../dom';
import { askReason } from '../forms/reason-dialog';
import { t } from '../i18n';
import { draftCoordinates, isDrawing, renderClosures, startDrawing, stopDrawing } from '../map/closures';
import type { ConsoleState } from '../state/console-state';
import { LatestRead } from '../state/live-read';

/** The closures layer and the drawing of a new closure. */
export class RoadClosures {
  /** Whether the closures layer is shown (the server has the feature; loaded once). */
  private shown = false;

  constructor(private readonly state: ConsoleState) {
    $('closure-btn').addEventListener('click', () => this.toggleDrawing());
  }

  /** Shows the closure button and layer when the server has road closures (called once features are known). */
  showIfOffered(): void {
    const on = this.state.features.roadClosures;
    $('closure-btn').hidden = !on;
    if (on && !this.shown) {
      this.shown = true;
      this.load();
    }
  }

  /** Redraws the layer when it is shown (closures changed on another console or in a drill). */
  changed(): void {
    if (this.shown) this.load();
  }

  /** Starts drawing a closure, or stops (discarding the draft). */
  toggleDrawing(): void {
    const { ctx, features } = this.state;
    if (!features.roadClosures) return;
    if (isDrawing()) {
      stopDrawing(ctx);
      $('draw-hint').hidden = true;
      return;
    }
    startDrawing(ctx);
    $('draw-hint').hidden = false;
  }

  /** Saves the line drawn (two points at least) with a reason the dispatcher gives. */
  async save(): Promise<void> {
    const coords = draftCoordinates();
    if (coords.length < 2) {
      toast(t('closure.twoPoints'), true);
      return;
    }
    const reason = await askReason(t('closure.title'), t('reason.reason'), true);
    if (reason === null) return;
    try {
      await createRoadClosure(coords, reason);
      stopDrawing(this.state.ctx);
      $('draw-hint').hidden = true;
      toast(t('closure.saved'));
      this.load();
    } catch (err) {
      toast((err as Error).message, true);
    }
  }

  /** Only the latest read of the closures is drawn (an older one may predate a closure entered or lifted). */
  private readonly reads = new LatestRead();

  private load(): void {
    const ticket = this.reads.start();
    fetchRoadClosures()
      .then((list) => this.reads.current(ticket) && renderClosures(this.state.ctx, list, (id) => void this.lift(id)))
      .catch((err) => console.warn('road closures failed', err));
  }

  private async lift(id: string): Promise<void> {
    try {
      await deleteRoadClosure(id);
      this.state.ctx.map.closePopup();
      toast(t('closure.lifted'));
      this.load();
    } catch (err) {
      toast((err as Error).message, true);
    }
  }
}
