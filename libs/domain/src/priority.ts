/**
 * Incident priority: 1 = emergency (life threat, lights and sirens), 2 = urgent, 3 = non-emergency.
 * Lower number is served first.
 */
export type Priority = 1 | 2 | 3;

/**
 * Maps an SFFD priority code (`Priority` / `Original Priority` columns) to ours.
 * SFFD codes: `3` and `E` are emergency (code 3) responses; `2` is urgent (code 2) without lights
 * and sirens; `A`, `B`, `C` are ambulance determinant levels, `A` the most urgent; `1` is non-emergency.
 * Source: SFFD "Fire Department Calls for Service" data dictionary (DataSF `nuek-vuh3`).
 * @returns 1, 2 or 3; an unknown code gives 2 (treated as urgent, never silently downgraded to 3)
 */
export function priorityFromSf(code: string | null | undefined): Priority {
  switch ((code ?? '').trim().toUpperCase()) {
    case '3':
    case 'E':
      return 1;
    case '1':
    case 'C':
      return 3;
    default:
      return 2;
  }
}
