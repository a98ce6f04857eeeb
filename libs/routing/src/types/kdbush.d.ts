// Minimal declaration for kdbush@3 (CommonJS/UMD build, `module.exports = KDBush`).
// Declared here so that libs/routing does not depend on a transitive @types package.
declare module 'kdbush' {
  type KDBushArrayType =
    | Int8ArrayConstructor | Uint8ArrayConstructor | Int16ArrayConstructor | Uint16ArrayConstructor
    | Int32ArrayConstructor | Uint32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor
    | ArrayConstructor;

  class KDBush<T> {
    constructor(points: ArrayLike<T>, getX: (p: T) => number, getY: (p: T) => number, nodeSize?: number, ArrayType?: KDBushArrayType);
    readonly ids: ArrayLike<number>;
    readonly coords: ArrayLike<number>;
    readonly nodeSize: number;
    readonly points: ArrayLike<T>;
    /** Indices into `points` of the items inside the box. */
    range(minX: number, minY: number, maxX: number, maxY: number): number[];
    /** Indices into `points` of the items within planar radius `r` of (x, y). */
    within(x: number, y: number, r: number): number[];
  }

  export = KDBush;
}
