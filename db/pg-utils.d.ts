/** pg's conversion of a JavaScript value to a query parameter (text, a Buffer, or null), as it applies to every value it sends. */
declare module 'pg/lib/utils' {
  export function prepareValue(value: unknown): unknown;
}
