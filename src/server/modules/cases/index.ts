/** Cases: families, people and the case that follows a family from referral to closure. */
export { allocateCase, changeStage, findPossibleDuplicates, getCase, listCases, myWorkFor, openCaseFromReferral } from './cases.service.ts';
export { assertCaseWorker, managersOf, notify } from './case-access.ts';
export { casesRoutes } from './cases.routes.ts';
export { facilitatorRuleProblem, type FacilitatorRule, type Gender } from './assessment-rules.ts';
export { assertCoupleWorkAllowed, caseForPlacement, caseLabels, flagStatuses, moveCaseForProgramme, peopleOfFamilies, raiseSessionConcern, type CaseForPlacement, type FamilyPerson } from './for-programmes.ts';
export { recordsRoutes } from './records.routes.ts';
export { caseForLink, caseForQuestionnaires, emailsOf, questionnaireAlertsFor, questionnaireCasesOf, raiseQuestionnaireAlert, type QuestionnaireCase, type QuestionnairePerson } from './for-measures.ts';
export type { CasesTables } from './cases.tables.ts';
export { assessmentsForFunding, familyOfCase, type AssessmentForFunding } from './for-funding.ts';
