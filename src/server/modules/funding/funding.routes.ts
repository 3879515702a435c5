import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  buyPlacesBody,
  claimBody,
  contractDetail,
  contractIdParams,
  contractList,
  createContractBody,
  createInvoiceBody,
  creditNoteBody,
  dashboard,
  funder,
  funderBody,
  funderIdParams,
  funderList,
  fundingReturn,
  invoice,
  invoiceExportQuery,
  invoiceIdParams,
  issueInvoiceBody,
  offeredGroups as offeredGroupsSchema,
  organisationChoices,
  placeIdParams,
  returnQuery,
  updateContractBody,
  updateFunderBody,
  vacancy,
  vacancyList,
  familyMove,
  moveFamilyBody,
  placementIdParams,
} from '../../../shared/contracts/funding.ts';
import { z } from 'zod';
import { moveFamily } from './place-move.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { Db } from '../../db.ts';
import { requireActor } from '../../platform/http/access.ts';
import { onPlacement } from '../programmes/index.ts';
import { commissioningOrganisations, createContract, createFunder, getContract, listContracts, listFunders, updateContract, updateFunder } from './contracts.service.ts';
import { contractReturn, createInvoice, creditInvoice, exportInvoice, getInvoice, issueInvoice } from './invoices.service.ts';
import { londonToday } from './money.ts';
import { buyPlaces, claimVacancy, freePlace, fundingDashboard, listVacancies, offeredGroups, takePlace } from './places.service.ts';

/** The quarter today falls in, Europe/London. */
const currentQuarter = (): string => {
  const today = londonToday();
  return `${today.slice(0, 4)}-Q${Math.ceil(Number(today.slice(5, 7)) / 3)}`;
};

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const tags = ['funding'];
/** A file download (CSV or PDF); its bytes are not JSON. */
const download = z.unknown().describe('The invoice file (CSV or PDF)');

export const fundingRoutes =
  (db: Db, options: { minCellSize: number }): FastifyPluginAsyncZod =>
  async (app) => {
    // Placing a family takes a bought place; a withdrawal frees it (same transaction as the placement).
    onPlacement('funding', { placed: takePlace, withdrawn: freePlace });

    app.get('/api/funding/funders', { config: { access: 'manage:funding' }, schema: { tags, summary: "The provider's funders", response: { 200: funderList, ...errors } } }, async (request) => ({
      funders: await listFunders(db, requireActor(request)),
    }));
    app.post('/api/funding/funders', { config: { access: 'manage:funding' }, schema: { tags, summary: 'Record a funder', body: funderBody, response: { 201: funder, ...errors } } }, async (request, reply) =>
      reply.status(201).send(await createFunder(db, requireActor(request), request.body)),
    );
    app.patch(
      '/api/funding/funders/:funderId',
      { config: { access: 'manage:funding' }, schema: { tags, summary: 'Rename, reclassify or retire a funder', params: funderIdParams, body: updateFunderBody, response: { 200: funder, ...errors } } },
      async (request) => updateFunder(db, requireActor(request), request.params.funderId, request.body),
    );
    app.get(
      '/api/funding/organisations',
      { config: { access: 'manage:funding' }, schema: { tags, summary: 'Organisations that can commission (to name a contract’s lead and partners)', response: { 200: organisationChoices, ...errors } } },
      async (request) => ({ organisations: await commissioningOrganisations(db, requireActor(request)) }),
    );
    app.get(
      '/api/funding/contracts',
      { config: { access: 'view:funding' }, schema: { tags, summary: "The provider's contracts, or the contracts a commissioner's agency is party to", response: { 200: contractList, ...errors } } },
      async (request) => ({ contracts: await listContracts(db, requireActor(request)) }),
    );
    app.post(
      '/api/funding/contracts',
      { config: { access: 'manage:funding' }, schema: { tags, summary: 'Record a contract or grant with its terms and commissioning agencies', body: createContractBody, response: { 201: contractDetail, ...errors } } },
      async (request, reply) => reply.status(201).send(await createContract(db, requireActor(request), request.body)),
    );
    app.get(
      '/api/funding/contracts/:contractId',
      { config: { access: 'view:funding' }, schema: { tags, summary: 'A contract: terms, places bought and their state (no families), money at risk, invoices', params: contractIdParams, response: { 200: contractDetail, ...errors } } },
      async (request) => getContract(db, requireActor(request), request.params.contractId),
    );
    app.patch(
      '/api/funding/contracts/:contractId',
      { config: { access: 'manage:funding' }, schema: { tags, summary: 'Change a contract (versioned, audited)', params: contractIdParams, body: updateContractBody, response: { 200: contractDetail, ...errors } } },
      async (request) => updateContract(db, requireActor(request), request.params.contractId, request.body),
    );
    app.get(
      '/api/funding/contracts/:contractId/groups',
      { config: { access: 'buy:places' }, schema: { tags, summary: "The provider's groups places can be bought on", params: contractIdParams, response: { 200: offeredGroupsSchema, ...errors } } },
      async (request) => ({ groups: await offeredGroups(db, requireActor(request), request.params.contractId) }),
    );
    app.post(
      '/api/funding/contracts/:contractId/places',
      { config: { access: 'buy:places' }, schema: { tags, summary: 'Buy places on a group under the contract', params: contractIdParams, body: buyPlacesBody, response: { 200: contractDetail, ...errors } } },
      async (request) => {
        const actor = requireActor(request);
        await buyPlaces(db, actor, request.params.contractId, request.body);
        return getContract(db, actor, request.params.contractId);
      },
    );
    app.get('/api/funding/vacancies', { config: { access: 'view:funding' }, schema: { tags, summary: 'Shared vacancies: empty places that can still be filled or claimed', response: { 200: vacancyList, ...errors } } }, async (request) => ({
      vacancies: await listVacancies(db, requireActor(request)),
    }));
    app.post(
      '/api/funding/places/:placeId/claim',
      { config: { access: 'claim:vacancy' }, schema: { tags, summary: 'Claim a shared vacancy for your agency (it pays for the place from now on)', params: placeIdParams, body: claimBody, response: { 200: vacancy, ...errors } } },
      async (request) => claimVacancy(db, requireActor(request), request.params.placeId, request.body),
    );
    app.post(
      '/api/funding/placements/:placementId/move',
      {
        config: { access: 'manage:funding' },
        schema: { tags, summary: "Move a placed family to another place on its group (another contract's, or unfunded); the place left is freed as by a withdrawal that day", params: placementIdParams, body: moveFamilyBody, response: { 200: familyMove, ...errors } },
      },
      async (request) => moveFamily(db, requireActor(request), request.params.placementId, request.body),
    );
    app.get('/api/funding/dashboard', { config: { access: 'view:funding' }, schema: { tags, summary: 'Money at risk per contract and group (commissioners: aggregates, small numbers withheld)', response: { 200: dashboard, ...errors } } }, async (request) =>
      fundingDashboard(db, requireActor(request)),
    );
    app.post(
      '/api/funding/contracts/:contractId/invoices',
      { config: { access: 'manage:funding' }, schema: { tags, summary: 'Draft the invoice for a period from places and attendance', params: contractIdParams, body: createInvoiceBody, response: { 201: invoice, ...errors } } },
      async (request, reply) => reply.status(201).send(await createInvoice(db, requireActor(request), request.params.contractId, request.body)),
    );
    app.get(
      '/api/funding/contracts/:contractId/return',
      { config: { access: 'view:funding' }, schema: { tags, summary: 'The quarterly return against the contract’s targets', params: contractIdParams, querystring: returnQuery, response: { 200: fundingReturn, ...errors } } },
      async (request) => contractReturn(db, requireActor(request), request.params.contractId, request.query.quarter ?? currentQuarter(), options.minCellSize),
    );
    app.get('/api/funding/invoices/:invoiceId', { config: { access: 'view:funding' }, schema: { tags, summary: 'An invoice with its lines and credit notes', params: invoiceIdParams, response: { 200: invoice, ...errors } } }, async (request) =>
      getInvoice(db, requireActor(request), request.params.invoiceId),
    );
    app.get(
      '/api/funding/invoices/:invoiceId/export',
      { config: { access: 'view:funding' }, schema: { tags, summary: 'An invoice as CSV or PDF', params: invoiceIdParams, querystring: invoiceExportQuery, produces: ['text/csv', 'application/pdf'], response: { 200: download, ...errors } } },
      async (request, reply) => {
        const out = await exportInvoice(db, requireActor(request), request.params.invoiceId, request.query.format ?? 'csv');
        return reply.header('content-type', out.contentType).header('content-disposition', `attachment; filename="${out.filename}"`).header('cache-control', 'no-store').send(out.body);
      },
    );
    app.post(
      '/api/funding/invoices/:invoiceId/issue',
      { config: { access: 'manage:funding' }, schema: { tags, summary: 'Issue an invoice: from then on it is only credited', params: invoiceIdParams, body: issueInvoiceBody, response: { 200: invoice, ...errors } } },
      async (request) => issueInvoice(db, requireActor(request), request.params.invoiceId, request.body),
    );
    app.post(
      '/api/funding/invoices/:invoiceId/credit-notes',
      { config: { access: 'manage:funding' }, schema: { tags, summary: 'Credit the refundable withdrawals an issued invoice billed', params: invoiceIdParams, body: creditNoteBody, response: { 201: invoice, ...errors } } },
      async (request, reply) => reply.status(201).send(await creditInvoice(db, requireActor(request), request.params.invoiceId, request.body)),
    );
  };
