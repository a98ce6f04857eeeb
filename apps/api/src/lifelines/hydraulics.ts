import { CountType, InitHydOption, LinkProperty, LinkType, NodeProperty, NodeType, Project, Workspace } from 'epanet-js';

let workspace: Promise<Workspace> | null = null;
let fileCounter = 0;

/** The EPANET engine (WebAssembly), loaded once per process. */
function engine(): Promise<Workspace> {
  workspace ??= (async () => {
    const ws = new Workspace();
    await ws.loadModule();
    return ws;
  })();
  return workspace;
}

/** What a steady-state solve is asked to simulate. */
export interface SolveInput {
  /** Demand multiplier applied to every junction's base demand (the demand pattern's value now). */
  multiplier: number;
  /** Optional extra factor per junction id (demand noise), default 1. */
  demandFactor?: Map<string, number>;
  /** Leak emitters: junction id → emitter coefficient (flow units per √metre; EPANET's emitter q = C·p^0.5). */
  emitters?: Map<string, number>;
}

/**
 * A water network model (EPANET `.inp`, read as it is) solved with epanet-js (EPANET 2.2/2.3 toolkit in
 * WebAssembly, MIT). Each solve is a steady state (single period) at the given demand multiplier, which
 * is exact for networks fed by fixed-head reservoirs (Hanoi) and a snapshot at the tanks' initial
 * levels otherwise (Net1). Pressures are in metres of head (SI flow units; the Hanoi file is in CMH, m³/h).
 * Not thread-safe; one instance per network.
 */
export class Hydraulics {
  /** Junction ids, in file order. */
  readonly junctions: string[] = [];
  /** Base demand per junction id, the network's flow units (m³/h for CMH). */
  readonly baseDemand = new Map<string, number>();
  /** Plane coordinates per node id (network units). */
  readonly coordinates = new Map<string, [number, number]>();
  /** Pipes as `[id, from, to, lengthMetres]`. */
  readonly pipes: [string, string, string, number][] = [];
  private readonly index = new Map<string, number>();
  private open = false;

  private constructor(private readonly p: Project) {}

  /**
   * Loads a network from its `.inp` text.
   * @throws Error from EPANET (with its code) when the file does not parse
   */
  static async load(inpText: string): Promise<Hydraulics> {
    const ws = await engine();
    const name = `net-${process.pid}-${fileCounter++}`;
    ws.writeFile(`${name}.inp`, inpText);
    const p = new Project(ws);
    p.open(`${name}.inp`, `${name}.rpt`, '');
    const h = new Hydraulics(p);
    const nodes = p.getCount(CountType.NodeCount);
    for (let i = 1; i <= nodes; i++) {
      const id = p.getNodeId(i);
      h.index.set(id, i);
      const c = p.getCoordinates(i);
      h.coordinates.set(id, [c.x, c.y]);
      if (p.getNodeType(i) === NodeType.Junction) {
        h.junctions.push(id);
        h.baseDemand.set(id, p.getNodeValue(i, NodeProperty.BaseDemand));
      }
    }
    const links = p.getCount(CountType.LinkCount);
    for (let i = 1; i <= links; i++) {
      const t = p.getLinkType(i);
      if (t !== LinkType.Pipe && t !== LinkType.CVPipe) continue;
      const { node1, node2 } = p.getLinkNodes(i);
      h.pipes.push([p.getLinkId(i), p.getNodeId(node1), p.getNodeId(node2), p.getLinkValue(i, LinkProperty.Length)]);
    }
    return h;
  }

  /** Σ base demand over junctions (flow units): the network's mean demand at multiplier 1. */
  get meanDemand(): number {
    let s = 0;
    for (const d of this.baseDemand.values()) s += d;
    return s;
  }

  /**
   * Solves one steady state.
   * @returns pressure (m) per junction id, and each emitter's leak flow (flow units) per junction id
   * @throws Error for an unknown junction id in `demandFactor` or `emitters`
   */
  solve(input: SolveInput): {
    pressure: Map<string, number>;
    leakFlow: Map<string, number>;
  } {
    const p = this.p;
    for (const id of this.junctions) {
      const i = this.index.get(id)!;
      p.setNodeValue(i, NodeProperty.BaseDemand, this.baseDemand.get(id)! * input.multiplier * (input.demandFactor?.get(id) ?? 1));
      p.setNodeValue(i, NodeProperty.Emitter, 0);
    }
    for (const [id, c] of input.emitters ?? []) {
      const i = this.index.get(id);
      if (!i) throw new Error(`unknown junction ${id}`);
      p.setNodeValue(i, NodeProperty.Emitter, c);
    }
    if (!this.open) {
      p.openH();
      this.open = true;
    }
    p.initH(InitHydOption.NoSave);
    p.runH();
    const pressure = new Map<string, number>();
    for (const id of this.junctions) pressure.set(id, p.getNodeValue(this.index.get(id)!, NodeProperty.Pressure));
    const leakFlow = new Map<string, number>();
    for (const [id, c] of input.emitters ?? []) leakFlow.set(id, c * Math.sqrt(Math.max(0, pressure.get(id)!)));
    return { pressure, leakFlow };
  }
}
