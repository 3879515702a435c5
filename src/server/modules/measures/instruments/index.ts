import { bcap } from './bcap.ts';
import { core10 } from './core-10.ts';
import { coreOm } from './core-om.ts';
import type { InstrumentDefinition } from './definition.ts';
import { gad7 } from './gad-7.ts';
import { phq9 } from './phq-9.ts';
import { qmi } from './qmi.ts';
import { sdqP2to4 } from './sdq-p2-4.ts';
import { sdqP4to17 } from './sdq-p4-17.ts';
import { sdqS11to17 } from './sdq-s11-17.ts';
import { sdqT4to17 } from './sdq-t4-17.ts';
import { swemwbs } from './swemwbs.ts';

export {
  instrumentDefinitionSchema,
  type Banding,
  type Comparison,
  type InstrumentDefinition,
  type ItemDefinition,
  type ItemFlag,
  type ItemsScale,
  type ResponseOption,
  type ScaleDefinition,
  type Threshold,
} from './definition.ts';
export { CORE_COPYRIGHT_NOTICE } from './core-shared.ts';

/** Every instrument Tandem ships, in the order the docs list them. */
export const builtInInstruments: readonly InstrumentDefinition[] = [
  core10,
  coreOm,
  qmi,
  sdqP4to17,
  sdqT4to17,
  sdqS11to17,
  sdqP2to4,
  bcap,
  phq9,
  gad7,
  swemwbs,
];

const byId = new Map(builtInInstruments.map((instrument) => [instrument.id, instrument]));

/** The built-in instrument with this id, or undefined. */
export const getBuiltInInstrument = (id: string): InstrumentDefinition | undefined => byId.get(id);
