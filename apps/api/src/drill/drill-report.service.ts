import { JurisdictionIndex, planSlots, ResponsePlan, withFirstAlarm } from '@cad/domain';
import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { ScenarioCall } from '@cad/db';
import { DataSource } from 'typeorm';
import { StateConflict } from '../common/errors';
import { DrillService } from './drill.service';
import { ResponsePlansService } from '../plans/response-plans.service';
import { buildReport, compareReports, DrillReport, policyRows, ReportCall, type ReportNote } from './report';

/** Builds after-action reports of drill runs from their own incidents and events only (never live ones). */
@Injectable()
export class DrillReportService {
  constructor(
    private readonly ds: DataSource,
    private readonly drills: DrillService,
    private readonly index: JurisdictionIndex,
    private readonly plans: ResponsePlansService,
  ) {
    // Every run's report is recorded when it ends, so it outlives this process.
    drills.onEnded(async (run) => (await this.single(run.id)) as unknown as Record<string, unknown>);
  }

  /**
   * The report of a run, optionally compared with another run of the same calls: built from the run
   * when this process holds it, else the report recorded when it ended.
   * @throws NotFound for an unknown run; StateConflict (409) when the runs replayed different calls
   *   or a run ended without a recorded report
   */
  async report(id: string, compareWith?: string): Promise<DrillReport> {
    const r = await this.reportOf(id);
    if (compareWith) {
      const other = await this.reportOf(compareWith);
      if (sameCalls(r) !== sameCalls(other)) {
        throw new StateConflict(`drills ${id} and ${compareWith} replayed different calls; compare runs of the same day`);
      }
      r.comparison = compareReports(r, other);
    }
    return r;
  }

  /**
   * Runs of the same calls under several policies side by side: the first run's report with, per run,
   * its late-arrival share and mean and p90 response, and their ratios over the first run's
   * (`policies`); with two runs also the interval comparison (`comparison`).
   * @throws NotFound for an unknown run; StateConflict (409) when the runs replayed different calls (or surges), or
   *   drew with different seeds (the policies would differ by the luck of the draw, not by what they did), or
   *   took their first alarms from different sources (`plans`: history's or the city's)
   */
  async comparePolicies(ids: readonly string[]): Promise<DrillReport> {
    const reports: DrillReport[] = [];
    for (const id of ids) reports.push(await this.reportOf(id));
    const odd = reports.find((x) => sameCalls(x) !== sameCalls(reports[0]));
    if (odd) throw new StateConflict(`drills ${ids[0]} and ${String(odd.run.id)} replayed different calls; compare runs of the same day and surge`);
    // Common random numbers hold only within one seed: runs of two seeds differ by the luck of the draw.
    const seedOf = (x: DrillReport) => String((x.run as { seed?: unknown }).seed ?? '');
    const other = reports.find((x) => seedOf(x) !== seedOf(reports[0]));
    if (other) {
      throw new StateConflict(
        `drills ${ids[0]} and ${String(other.run.id)} drew with different seeds (${seedOf(reports[0])}, ${seedOf(other)}); compare runs of the same seed, whose crews draw alike`,
      );
    }
    // A run that sent history's first alarms and one that sent the city's plans answered different calls for units.
    const plansOf = (x: DrillReport) => String((x.run as { plans?: unknown }).plans ?? 'city');
    const unlike = reports.find((x) => plansOf(x) !== plansOf(reports[0]));
    if (unlike) {
      throw new StateConflict(
        `drills ${ids[0]} and ${String(unlike.run.id)} took their first alarms from different sources (${plansOf(reports[0])}, ${plansOf(unlike)}); compare runs of the same plans`,
      );
    }
    const r = { ...reports[0], policies: policyRows(reports) };
    if (reports.length === 2) r.comparison = compareReports(reports[0], reports[1]);
    return r;
  }

  private async reportOf(id: string): Promise<DrillReport> {
    if (this.drills.has(id)) return this.single(id);
    const stored = await this.drills.recordedReport(id);
    if (!stored) throw new StateConflict(`drill ${id} has no recorded report: it is still running elsewhere, or its API process stopped before the report was built`);
    return stored as unknown as DrillReport;
  }

  private async single(id: string): Promise<DrillReport> {
    const run = this.drills.get(id);
    // first_call: the call that opened the incident (a call linked to it as a duplicate has its own row).
    const rows: { call_number: string; street_id: string | null; district_id: string | null; first_call: string }[] = await this.ds.query(
      `SELECT c.call_number, i.street_id, i.district_id, (SELECT MIN(o.call_number) FROM call o WHERE o.incident_id = i.id) AS first_call
         FROM call c JOIN incident i ON i.id = c.incident_id WHERE c.drill_id = $1`,
      [id],
    );
    const prefix = `${id}:`;
    const place = new Map(rows.map((x) => [x.call_number.slice(prefix.length), x]));
    const simBy = new Map<string, ReportCall['sim']>();
    for (const s of run.sims.values()) {
      const list = simBy.get(s.callId) ?? simBy.set(s.callId, []).get(s.callId)!;
      list.push({
        unitId: s.unitId,
        unitType: s.unitType,
        dispatch: s.dispatchedAt.getTime(),
        enRoute: s.enRouteAt?.getTime() ?? null,
        onScene: s.onSceneAt?.getTime() ?? null,
        clear: s.clearedAt?.getTime() ?? null,
        medianTravelS: s.travelDrawn || !Number.isFinite(s.travelS) ? null : s.travelS / (s.travelRatio ?? 1),
        travelDrawn: s.travelDrawn ?? false,
      });
    }
    // Each (call type, priority)'s first-alarm plan, as dispatch reads it (issue 20: the variant for the
    // call's priority; the late-arrival count asks whether it includes ALS), with the call's own first
    // alarm when the run replayed history's (`plans: history`).
    const planOf = new Map<string, ResponsePlan>();
    const key = (c: { type: string; priority: number }) => `${c.priority}:${c.type}`;
    for (const c of run.calls) if (!planOf.has(key(c))) planOf.set(key(c), await this.plans.of(c.type, c.priority));
    const slotsOf = (c: ScenarioCall) => planSlots(withFirstAlarm(planOf.get(key(c))!, run.firstAlarmOf(c)));
    const name = (jid: string | null | undefined) => (jid ? (this.index.get(jid)?.name ?? jid) : 'unplaced');
    const calls: ReportCall[] = run.calls
      .filter((c) => place.has(c.externalId))
      .map((c) => ({
        callId: c.externalId,
        type: c.type,
        priority: c.priority,
        district: name(place.get(c.externalId)?.district_id),
        street: name(place.get(c.externalId)?.street_id),
        received: c.received.getTime(),
        posted: run.postTime(c),
        linked: place.get(c.externalId)!.first_call !== run.callNumber(c.externalId),
        plan: slotsOf(c),
        sim: simBy.get(c.externalId) ?? [],
        hist: c.units.map((u) => ({
          unitId: u.unitId,
          unitType: u.unitType,
          dispatch: u.dispatch?.getTime() ?? null,
          enRoute: u.enRoute?.getTime() ?? null,
          onScene: u.onScene?.getTime() ?? null,
          clear: u.available?.getTime() ?? null,
        })),
      }));
    const esc: { at: Date }[] = await this.ds.query(
      `SELECT e.at FROM incident_event e JOIN incident i ON i.id = e.incident_id WHERE i.drill_id = $1 AND e.type LIKE '%escalat%'`,
      [id],
    );
    const zone = run.scenario.timeZone;
    const view = run.view();
    const cal = run.calibration;
    // Each note is a message of the report's locale files (libs/i18n), rendered in the reader's language.
    const whole = (x: number | null | undefined, k = 1) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : (x * k).toFixed(0));
    const local = (iso: string | null) => (iso ? DateTime.fromISO(iso, { zone }).toFormat('yyyy-MM-dd HH:mm') : null);
    const notes: ReportNote[] = [
      {
        key: 'report.note.travel',
        values: {
          n: cal.n,
          method: cal.method,
          // A city whose history gave no travel sample (a fixture, another city's format) has no fit errors.
          rmse: whole(cal.rmseS),
          rmseRaw: whole(cal.baselineRmseS),
          mape: whole(cal.medianAbsPctError, 100),
          mapeRaw: whole(cal.baselineMedianAbsPctError, 100),
        },
      },
      { key: 'report.note.turnout', values: {} },
      { key: 'report.note.processing', values: { n: run.processing.samples() } },
      { key: 'report.note.afterClear', values: {} },
      { key: view.policy === 'optimised' ? 'report.note.policyOptimised' : view.policy === 'moveups' ? 'report.note.policyMoveups' : 'report.note.policyNearest', values: { policy: view.policy } },
      { key: 'report.note.problems', values: { problems: run.scenario.problems.length, refused: run.refused } },
      ...run.closureLog.map((c): ReportNote => {
        const note = c.note ?? '';
        if (c.state === 'closes_no_road') return { key: 'report.note.closureNoRoad', values: { note, at: local(c.at) ?? '' } };
        if (c.state === 'pending') return { key: 'report.note.closurePending', values: { note, at: local(c.at) ?? '' } };
        const values = { note, edges: c.closedEdges, from: local(c.openedAt) ?? '', to: local(c.liftedAt) ?? '', count: c.rerouted };
        return { key: c.liftedAt ? 'report.note.closureApplied' : 'report.note.closureAppliedToEnd', values };
      }),
    ];
    return buildReport(
      { ...view, calibration: cal },
      calls,
      esc.map((e) => e.at.getTime()),
      (ms) => DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:00'),
      notes,
    );
  }
}

/** What identifies the calls a run replayed: scenario, days and number of calls (runs take a day's first calls in order). */
function sameCalls(r: DrillReport): string {
  const run = r.run as { scenario?: unknown; day?: unknown; toDay?: unknown; calls?: unknown; surge?: unknown };
  return [run.scenario, run.day, run.toDay, run.calls, run.surge ?? 1].join('|');
}
