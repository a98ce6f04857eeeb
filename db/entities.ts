import { Jurisdiction } from '../apps/api/src/jurisdictions/jurisdiction.entity';
import { Station } from '../apps/api/src/units/station.entity';
import { Unit } from '../apps/api/src/units/unit.entity';
import { Call } from '../apps/api/src/calls/call.entity';
import { Incident } from '../apps/api/src/incidents/incident.entity';
import { Assignment } from '../apps/api/src/incidents/assignment.entity';
import { IncidentEvent } from '../apps/api/src/events/incident-event.entity';
import { ResponsePlanRow } from '../apps/api/src/incidents/response-plan.entity';

/** Every TypeORM entity of the record. */
export const ENTITIES = [Jurisdiction, Station, Unit, Call, Incident, Assignment, IncidentEvent, ResponsePlanRow];
export { Jurisdiction, Station, Unit, Call, Incident, Assignment, IncidentEvent, ResponsePlanRow };
