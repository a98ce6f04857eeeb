declare module 'munkres-js' {
  /** Hungarian algorithm (Kuhn-Munkres) on a cost matrix; returns [row, col] pairs. */
  function computeMunkres(matrix: number[][]): [number, number][];
  export = computeMunkres;
}
