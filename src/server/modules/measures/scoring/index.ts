export {
  InvalidResponsesError,
  bandFor,
  scoreAdministration,
  type ItemResponses,
  type ScoreResult,
} from './score.ts';
export { describeAllowed, validateResponses, type ResponseProblem, type ResponseProblemCode } from './validate.ts';
export { roundHalfUp } from './round.ts';
